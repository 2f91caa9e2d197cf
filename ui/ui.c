/*
 * ui.c - the terminal UI's life cycle, input and refresh.
 *
 * ui_create() reads the keymap (so that a bad one fails before the screen
 * changes), starts curses on the terminal and adds a read event for stdin
 * to the engine's loop.  Keys are read in nodelay mode, looked up in the
 * keymap and run as commands, then the screen is drawn once.  ui_tick(),
 * called by main once a second, refreshes the snapshot of the view (not
 * while paused) and draws only if something on screen would change.
 * main.c routes SIGWINCH to ui_resize(); curses installs no handler of
 * its own because libevent's is already in place when curses starts.
 */
#include <sys/ioctl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <event2/event.h>

#include "engine.h"
#include "filter.h"
#include "keymap.h"
#include "keyname.h"
#include "source.h"
#include "store.h"
#include "text.h"
#include "ui-int.h"
#include "ui.h"
#include "view.h"
#include "xmalloc.h"

#define UI_KEYS_PER_READ	256	/* then let the loop breathe */
#define UI_EMPTY_READS_MAX	16	/* readable but no key: terminal gone */
#define UI_ESCDELAY_MSEC	25

/* Set while curses owns the terminal; what ui_restore_terminal() undoes. */
static int ui_curses_active;

void
ui_restore_terminal(void)
{
	if (!ui_curses_active)
		return;
	ui_curses_active = 0;
	endwin();
}

void
ui_message(struct ui *u, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	u->msg_error = error;
	u->dirty = 1;
}

void
ui_quit(struct ui *u)
{
	u->quit = 1;
	event_base_loopbreak(u->e->base);
}

/*
 * Copies the view into the snapshot.  The top-N selection runs only when
 * the view changed since the last snapshot (or when forced): it is the one
 * part whose cost grows with the number of keys.
 */
void
ui_snap_take(struct ui *u, int force)
{
	const struct view *v = u->e->view;
	struct ui_snap *s = &u->snap;
	uint64_t now_sec = v->store->now_msec / 1000, back;
	size_t i;

	/* Arriving records do not bump the generation; the head moves. */
	if (force || s->rows == NULL || s->generation != v->generation ||
	    s->head != v->store->head || s->evicted != v->store->evicted) {
		if (s->rows == NULL)
			s->rows = xcalloc(UI_ROWS_MAX, sizeof(*s->rows));
		s->nrows = agg_top(v->tab, v->order, UI_ROWS_MAX, s->rows);
		s->generation = v->generation;
		s->head = v->store->head;
		s->evicted = v->store->evicted;
	}
	s->spec = v->spec;
	s->order = v->order;
	s->window_msec = v->window_msec;
	snprintf(s->filter, sizeof(s->filter), "%s", filter_text(v->filter));
	s->totals = v->totals;
	s->other = v->tab->other;
	s->nkeys = v->tab->n;
	s->secs = view_seconds(v);
	s->partial = v->partial;
	s->now_msec = v->store->now_msec;
	/* spark[SERIES_SECS - 1] is the clock's second, the others before. */
	for (i = 0; i < SERIES_SECS; i++) {
		struct agg_counts c;

		back = SERIES_SECS - 1 - i;
		if (back > now_sec)
			c.bytes = 0;
		else
			series_get(&v->series, now_sec - back, &c);
		s->spark[i] = c.bytes;
	}
}

/* Everything a draw depends on, read from the snapshot and the engine. */
static void
ui_stamp_get(const struct ui *u, struct ui_stamp *st)
{
	const struct engine *e = u->e;
	const struct source_table *t = e->sources;
	uint32_t i;

	memset(st, 0, sizeof(*st));
	st->snap_generation = u->snap.generation;
	st->snap_head = u->snap.head;
	/* With no records, nothing on screen depends on the clock. */
	if (e->store->head > 0)
		st->snap_now_sec = u->snap.now_msec / 1000;
	st->head = e->store->head;
	st->evicted = e->store->evicted;
	st->datagrams = e->dec.stats.datagrams;
	st->drops = engine_kernel_drops(e);
	for (i = 0; i < t->n; i++) {
		st->lost += t->v[i].lost;
		st->malformed += t->v[i].malformed;
	}
	st->exporters = t->n;
	st->span_sec = store_span_msec(e->store) / 1000;
	st->read_done = e->read_done;
	st->lines = LINES;
	st->cols = COLS;
}

static void
ui_draw(struct ui *u)
{
	if (u->quit)
		return;
	draw_screen(u);
	ui_stamp_get(u, &u->drawn);
	u->dirty = 0;
}

/* Draws if the screen would differ from what it shows. */
static void
ui_refresh(struct ui *u)
{
	struct ui_stamp now;

	ui_stamp_get(u, &now);
	if (u->dirty || memcmp(&now, &u->drawn, sizeof(now)) != 0)
		ui_draw(u);
}

void
ui_tick(struct ui *u)
{
	if (u == NULL || u->quit)
		return;
	if (!u->paused)
		ui_snap_take(u, 0);
	ui_refresh(u);
}

void
ui_resize(struct ui *u)
{
	struct winsize ws;

	if (u == NULL || u->quit)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	ui_draw(u);
}

/* Moves the table (or the help text) by delta rows, or to an end. */
void
ui_scroll(struct ui *u, long delta, int to_end)
{
	size_t *pos, count;
	int page;

	if (u->mode == UI_MODE_HELP) {
		pos = &u->help_scroll;
		count = u->help_lines;
		page = u->help_page;
	} else {
		pos = &u->scroll;
		count = view_top_count(u);
		page = u->page;
	}
	if (page < 1)
		page = 1;
	count = count > (size_t)page ? count - (size_t)page : 0;
	if (to_end)
		*pos = delta < 0 ? 0 : count;
	else if (delta < 0)
		*pos = (size_t)-delta > *pos ? 0 : *pos - (size_t)-delta;
	else
		*pos += (size_t)delta;
	if (*pos > count)
		*pos = count;
}

static void
ui_prompt_accept(struct ui *u)
{
	char text[UI_FILTER_MAX], err[512];

	u->prompting = 0;
	if (prompt_text(&u->prompt, text, sizeof(text)) != 0) {
		ui_message(u, 1, "filter: text cannot be encoded");
		return;
	}
	if (text[0] == '\0')
		snprintf(text, sizeof(text), "any");
	if (engine_set_filter(u->e, text, err, sizeof(err)) != 0) {
		/* The old filter stays; the next prompt offers this text. */
		snprintf(u->retry, sizeof(u->retry), "%s", text);
		ui_message(u, 1, "filter: %s", err);
		return;
	}
	u->retry[0] = '\0';
	u->scroll = 0;
	ui_snap_take(u, 1);
}

static void
ui_key(struct ui *u, int key)
{
	const struct keymap_binding *b;
	char name[32], help[32];

	u->dirty = 1;
	if (u->prompting) {
		switch (prompt_key(&u->prompt, key)) {
		case PROMPT_ACCEPT:
			ui_prompt_accept(u);
			break;
		case PROMPT_CANCEL:
			u->prompting = 0;
			break;
		case PROMPT_EDITING:
			break;
		}
		return;
	}
	u->msg[0] = '\0';
	b = keymap_lookup(u->km, key);
	if (u->mode == UI_MODE_HELP) {
		/* Scrolling keys scroll the help; any other key leaves it. */
		if (b != NULL && b->cmd->scrolls)
			b->cmd->exec(u, b->argc, b->argv);
		else
			u->mode = UI_MODE_TOP;
		return;
	}
	if (b == NULL) {
		keyname_format(key, name, sizeof(name));
		if ((b = keymap_find_cmd(u->km, "help", NULL)) != NULL)
			ui_message(u, 0, "%s is not bound; %s lists the keys",
			    name, keyname_format(b->key, help, sizeof(help)));
		else
			ui_message(u, 0, "%s is not bound", name);
		return;
	}
	b->cmd->exec(u, b->argc, b->argv);
}

/* Readable but nothing to read, again and again: the terminal is gone. */
static int
ui_input_gone(struct ui *u)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	if (poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
		return 1;
	return ++u->empty_reads >= UI_EMPTY_READS_MAX;
}

static void
ui_input_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui *u = arg;
	wint_t wch;
	int st, n, key;

	for (n = 0; n < UI_KEYS_PER_READ && !u->quit; n++) {
		if ((st = get_wch(&wch)) == ERR)
			break;
		if (st == KEY_CODE_YES && wch == KEY_RESIZE) {
			u->dirty = 1;
			continue;
		}
		if ((key = keyname_from_input(st, (unsigned)wch)) !=
		    KEYNAME_NONE)
			ui_key(u, key);
	}
	if (u->quit)
		return;
	if (n == 0) {
		if (ui_input_gone(u))
			ui_quit(u);
		return;
	}
	u->empty_reads = 0;
	if (u->dirty)
		ui_draw(u);
}

static void
ui_colours(struct ui *u)
{
	const char *nc = getenv("NO_COLOR");

	/* Monochrome: reverse video and bold carry the same meaning. */
	u->attr[UI_ATTR_TITLE] = A_REVERSE;
	u->attr[UI_ATTR_STATUS] = A_REVERSE;
	u->attr[UI_ATTR_COLUMNS] = A_UNDERLINE;
	u->attr[UI_ATTR_SORTED] = A_UNDERLINE | A_BOLD;
	u->attr[UI_ATTR_BAR] = A_NORMAL;
	u->attr[UI_ATTR_ERROR] = A_BOLD;
	u->attr[UI_ATTR_MARK] = A_BOLD | A_REVERSE;
	if ((nc != NULL && *nc != '\0') || !has_colors() ||
	    start_color() == ERR)
		return;
	use_default_colors();
	init_pair(1, COLOR_BLACK, COLOR_CYAN);
	init_pair(2, COLOR_GREEN, -1);
	init_pair(3, COLOR_RED, -1);
	init_pair(4, COLOR_BLACK, COLOR_YELLOW);
	init_pair(5, COLOR_CYAN, -1);
	u->attr[UI_ATTR_TITLE] = COLOR_PAIR(1);
	u->attr[UI_ATTR_STATUS] = COLOR_PAIR(1);
	u->attr[UI_ATTR_BAR] = COLOR_PAIR(2);
	u->attr[UI_ATTR_ERROR] = COLOR_PAIR(3) | A_BOLD;
	u->attr[UI_ATTR_MARK] = COLOR_PAIR(4) | A_BOLD;
	u->attr[UI_ATTR_SORTED] = COLOR_PAIR(5) | A_UNDERLINE | A_BOLD;
}

/* Starts curses on the terminal; -1 with a message if it cannot. */
static int
ui_start_curses(struct ui *u, char *err, size_t errlen)
{
	const char *term = getenv("TERM");

	if (term == NULL || *term == '\0') {
		snprintf(err, errlen, "TERM is not set; the terminal UI needs"
		    " it (or use --batch)");
		return -1;
	}
	if ((u->screen = newterm(NULL, stdout, stdin)) == NULL) {
		snprintf(err, errlen, "cannot start the terminal UI on"
		    " TERM=%s (or use --batch)", term);
		return -1;
	}
	set_term(u->screen);
	ui_curses_active = 1;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(UI_ESCDELAY_MSEC);
	curs_set(0);
	ui_colours(u);
	return 0;
}

struct ui *
ui_create(struct engine *e, const char *keymap, char *err, size_t errlen)
{
	struct ui *u;
	const char *cs;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the terminal UI needs a terminal on"
		    " stdin and stdout (use --batch for reports)");
		return NULL;
	}
	u = xcalloc(1, sizeof(*u));
	u->e = e;
	/* Numbers stay "9.39", whatever the locale's decimal point. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	cs = nl_langinfo(CODESET);
	u->utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0 &&
	    wcwidth(0x2581) == 1 && wcwidth(0x2588) == 1;
	text_init(u->utf8);
	if ((u->km = keymap_load(keymap, err, errlen)) == NULL) {
		free(u);
		return NULL;
	}
	if (ui_start_curses(u, err, errlen) != 0) {
		ui_free(u);
		return NULL;
	}
	u->input = event_new(e->base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    ui_input_cb, u);
	if (u->input == NULL || event_add(u->input, NULL) != 0) {
		snprintf(err, errlen, "cannot watch the terminal for keys");
		ui_free(u);
		return NULL;
	}
	ui_snap_take(u, 1);
	ui_draw(u);
	return u;
}

void
ui_free(struct ui *u)
{
	if (u == NULL)
		return;
	if (u->input != NULL)
		event_free(u->input);
	ui_restore_terminal();
	if (u->screen != NULL)
		delscreen(u->screen);
	keymap_free(u->km);
	free(u->snap.rows);
	free(u);
}
