/*
 * view-help.c - the help screen, generated from the active keymap.
 *
 * One line per distinct command line ("sort packets"), in keymap file
 * order, with every key bound to it and the command's description; then
 * the commands no key runs (the ":" prompt runs them), then the keys of
 * the prompts, which are fixed.  Longer than the screen, it scrolls with
 * the keymap's scrolling keys.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "keymap.h"
#include "keyname.h"
#include "text.h"
#include "ui-int.h"

#define HELP_KEYS_MAX	24	/* width of the key column, at most */
#define HELP_TEXT_MAX	28	/* width of the command column, at most */

static const char *const help_prompt[] = {
	"In a prompt: Enter applies, Escape or C-g cancels, Up/Down go",
	"through its history, Tab completes; Left/Right/Home/End move,",
	"BSpace/DC delete, C-u/C-k/C-w kill.  A filter that does not",
	"compile stays in the prompt with a caret under the error, and",
	"the old filter stays in force.",
	"Mouse: click a view's name to show it, a column name to sort,",
	"a row to select it; the wheel scrolls.",
};
#define HELP_NPROMPT	(sizeof(help_prompt) / sizeof(help_prompt[0]))

/* Is binding i the first with its command line? */
static int
help_is_first(const struct keymap *km, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(km->v[j].text, km->v[i].text) == 0)
			return 0;
	return 1;
}

/* All keys bound to the command line of binding i, "h ? F1". */
static void
help_keys(const struct keymap *km, size_t i, char *buf, size_t len)
{
	char name[32];
	size_t j, off = 0;

	buf[0] = '\0';
	for (j = i; j < km->n && off < len; j++) {
		if (strcmp(km->v[j].text, km->v[i].text) != 0)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    off > 0 ? " " : "", keyname_format(km->v[j].key, name,
		    sizeof(name)));
	}
}

static int
help_min(int a, int b)
{
	return a < b ? a : b;
}

static int
help_bound(const struct keymap *km, const struct cmd_entry *c)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (km->v[i].cmd == c)
			return 1;
	return 0;
}

/* One line of the list: keys, command, description; y past rows: none. */
static void
help_line(int y, int kw, int tw, const char *keys, const char *text,
    const char *desc)
{
	attron(A_BOLD);
	text_put(y, 1, kw, keys);
	attroff(A_BOLD);
	text_put(y, 1 + kw + 2, tw, text);
	text_put(y, 1 + kw + 2 + tw + 2, COLS - (1 + kw + 2 + tw + 2), desc);
}

/* Draws the list in lines 0..rows-1 and notes its length for scrolling. */
void
view_help_draw(struct ui *u, int rows)
{
	const struct keymap *km = u->km;
	const struct cmd_entry *c;
	char keys[128], desc[128], title[2 * PATH_MAX + 64], usage[256];
	size_t i, line = 0, unbound = 0;
	int kw = 0, tw = 0, y;

	for (i = 0; i < km->n; i++) {
		if (!help_is_first(km, i))
			continue;
		help_keys(km, i, keys, sizeof(keys));
		kw = help_min(HELP_KEYS_MAX, kw > text_width(keys) ? kw :
		    text_width(keys));
		tw = help_min(HELP_TEXT_MAX, tw > text_width(km->v[i].text) ?
		    tw : text_width(km->v[i].text));
		line++;
	}
	for (i = 0; (c = cmd_at(i)) != NULL; i++)
		unbound += !help_bound(km, c);
	u->help_lines = line + (unbound > 0 ? 2 + unbound : 0) + 1 +
	    HELP_NPROMPT;
	u->help_page = rows - 2;
	if (u->help_page < 1)
		u->help_page = 1;
	if (u->help_scroll + (size_t)u->help_page > u->help_lines)
		u->help_scroll = u->help_lines > (size_t)u->help_page ?
		    u->help_lines - (size_t)u->help_page : 0;

	attron(u->attr[UI_ATTR_TITLE]);
	mvhline(0, 0, ' ', COLS);
	snprintf(title, sizeof(title), " nftop keys, from %s%s%s", km->path,
	    km->user[0] != '\0' ? " and " : "", km->user);
	text_put(0, 0, COLS, title);
	attroff(u->attr[UI_ATTR_TITLE]);

	y = 2;
	for (i = 0, line = 0; i < km->n && y < rows; i++) {
		if (!help_is_first(km, i))
			continue;
		if (line++ < u->help_scroll)
			continue;
		help_keys(km, i, keys, sizeof(keys));
		help_line(y++, kw, tw, keys, km->v[i].text,
		    cmd_describe(km->v[i].cmd, km->v[i].argc, km->v[i].argv,
		    desc, sizeof(desc)));
	}
	if (unbound > 0)
		for (i = 0; i < 2 && y < rows; i++) {
			if (line++ < u->help_scroll)
				continue;
			if (i == 1)
				text_put(y, 1, COLS - 1, "Not bound to a key"
				    " (type them after ':'):");
			y++;
		}
	for (i = 0; unbound > 0 && (c = cmd_at(i)) != NULL && y < rows;
	    i++) {
		if (help_bound(km, c))
			continue;
		if (line++ < u->help_scroll)
			continue;
		snprintf(usage, sizeof(usage), "%s%s%s", c->usage,
		    c->usage[0] != '\0' ? ": " : "", c->description);
		help_line(y++, kw, tw, "", c->name, usage);
	}
	for (i = 0; i < 1 + HELP_NPROMPT && y < rows; i++) {
		if (line++ < u->help_scroll)
			continue;
		if (i > 0)
			text_put(y, 1, COLS - 1, help_prompt[i - 1]);
		y++;
	}
}
