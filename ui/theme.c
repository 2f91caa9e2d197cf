/*
 * theme.c - turns the theme into the attributes the drawing code uses
 * (ui.attr), as colour pairs over the monochrome base.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "theme.h"
#include "ui-int.h"

static const char *const theme_names[THEME_MAX] = {
	[THEME_DEFAULT] = "default",
	[THEME_256] = "256",
	[THEME_MONO] = "mono",
};

/* Colours of a theme: foreground and background per attribute. */
struct theme_colours {
	short	fg[UI_ATTR_MAX];
	short	bg[UI_ATTR_MAX];
	int	extra[UI_ATTR_MAX];	/* attributes added to the pair */
};

int
theme_parse(const char *s, int *t)
{
	int i;

	for (i = 0; i < THEME_MAX; i++)
		if (strcasecmp(s, theme_names[i]) == 0) {
			*t = i;
			return 0;
		}
	return -1;
}

const char *
theme_name(int t)
{
	return t >= 0 && t < THEME_MAX ? theme_names[t] : "?";
}

/* Once, when curses starts: colour if the terminal and NO_COLOR allow. */
void
theme_start(struct ui *u)
{
	const char *nc = getenv("NO_COLOR");

	u->no_color = (nc != NULL && *nc != '\0') || !has_colors() ||
	    start_color() == ERR;
	if (!u->no_color)
		use_default_colors();
}

static void
theme_mono(struct ui *u)
{
	u->attr[UI_ATTR_TITLE] = A_REVERSE;
	u->attr[UI_ATTR_TAB] = A_BOLD;
	u->attr[UI_ATTR_STATUS] = A_REVERSE;
	u->attr[UI_ATTR_COLUMNS] = A_UNDERLINE;
	u->attr[UI_ATTR_SORTED] = A_UNDERLINE | A_BOLD;
	u->attr[UI_ATTR_SELECT] = A_REVERSE;
	u->attr[UI_ATTR_BAR] = A_NORMAL;
	u->attr[UI_ATTR_SPARK] = A_NORMAL;
	u->attr[UI_ATTR_ERROR] = A_BOLD;
	u->attr[UI_ATTR_MARK] = A_BOLD | A_REVERSE;
	u->attr[UI_ATTR_DIM] = A_DIM;
	u->attr[UI_ATTR_TCP] = A_NORMAL;
	u->attr[UI_ATTR_UDP] = A_NORMAL;
	u->attr[UI_ATTR_ICMP] = A_NORMAL;
	u->attr[UI_ATTR_OTHER] = A_NORMAL;
	u->attr[UI_ATTR_ALERT] = A_BOLD | A_REVERSE;
	u->attr[UI_ATTR_CURSOR] = A_BOLD | A_REVERSE;
}

#define C(a, f, b, x)	do { c->fg[a] = (f); c->bg[a] = (b); \
	c->extra[a] = (x); } while (0)

static void
theme_default(struct theme_colours *c)
{
	C(UI_ATTR_TITLE, COLOR_BLACK, COLOR_CYAN, 0);
	C(UI_ATTR_TAB, COLOR_WHITE, COLOR_BLUE, A_BOLD);
	C(UI_ATTR_STATUS, COLOR_BLACK, COLOR_CYAN, 0);
	C(UI_ATTR_SORTED, COLOR_CYAN, -1, A_UNDERLINE | A_BOLD);
	C(UI_ATTR_BAR, COLOR_GREEN, -1, 0);
	C(UI_ATTR_SPARK, COLOR_CYAN, -1, 0);
	C(UI_ATTR_ERROR, COLOR_RED, -1, A_BOLD);
	C(UI_ATTR_MARK, COLOR_BLACK, COLOR_YELLOW, A_BOLD);
	C(UI_ATTR_TCP, COLOR_BLUE, -1, 0);
	C(UI_ATTR_UDP, COLOR_GREEN, -1, 0);
	C(UI_ATTR_ICMP, COLOR_YELLOW, -1, 0);
	C(UI_ATTR_OTHER, COLOR_MAGENTA, -1, 0);
	C(UI_ATTR_ALERT, COLOR_WHITE, COLOR_RED, A_BOLD);
	C(UI_ATTR_CURSOR, COLOR_BLACK, COLOR_MAGENTA, A_BOLD);
}

static void
theme_256(struct theme_colours *c)
{
	C(UI_ATTR_TITLE, 255, 24, 0);
	C(UI_ATTR_TAB, 16, 214, A_BOLD);
	C(UI_ATTR_STATUS, 252, 236, 0);
	C(UI_ATTR_COLUMNS, 250, 237, 0);
	C(UI_ATTR_SORTED, 214, 237, A_BOLD);
	C(UI_ATTR_SELECT, 255, 31, 0);
	C(UI_ATTR_BAR, 71, -1, 0);
	C(UI_ATTR_SPARK, 39, -1, 0);
	C(UI_ATTR_ERROR, 203, -1, A_BOLD);
	C(UI_ATTR_MARK, 16, 220, A_BOLD);
	C(UI_ATTR_DIM, 244, -1, 0);
	C(UI_ATTR_TCP, 33, -1, 0);
	C(UI_ATTR_UDP, 71, -1, 0);
	C(UI_ATTR_ICMP, 214, -1, 0);
	C(UI_ATTR_OTHER, 170, -1, 0);
	C(UI_ATTR_ALERT, 231, 160, A_BOLD);
	C(UI_ATTR_CURSOR, 16, 177, A_BOLD);
}

#undef C

/* Sets ui.attr for ui.theme; falls back to fewer colours when needed. */
void
theme_apply(struct ui *u)
{
	struct theme_colours c;
	int a, pair = 1;

	theme_mono(u);
	if (u->no_color || u->theme == THEME_MONO)
		return;
	memset(&c, 0, sizeof(c));
	for (a = 0; a < UI_ATTR_MAX; a++)
		c.fg[a] = c.bg[a] = -2;	/* -2: keep the mono one */
	if (u->theme == THEME_256 && COLORS >= 256 && COLOR_PAIRS > UI_ATTR_MAX)
		theme_256(&c);
	else
		theme_default(&c);
	for (a = 0; a < UI_ATTR_MAX; a++) {
		if (c.fg[a] == -2 || pair >= COLOR_PAIRS)
			continue;
		if (init_pair((short)pair, c.fg[a], c.bg[a]) == ERR)
			continue;
		u->attr[a] = (int)COLOR_PAIR(pair) | c.extra[a];
		pair++;
	}
}
