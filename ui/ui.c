/*
 * ui.c - the terminal UI's life cycle, input and refresh.
 *
 * ui_create() reads the settings and the keymap (so that a bad one fails
 * before the screen changes), starts curses on the terminal and adds a
 * read event for stdin to the engine's loop.  Keys are read in nodelay
 * mode and go to the prompt when one is open, else are looked up in the
 * keymap and run as commands; mouse events select, sort and scroll.  The
 * screen is drawn once after a batch of input.  ui_tick(), called by main
 * once a second, refreshes the snapshot (not while paused) and draws only
 * if something on screen would change.  main.c routes SIGWINCH to
 * ui_resize(); curses installs no handler of its own because libevent's
 * is already in place when curses starts.
 */
#include <sys/ioctl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <event2/event.h>

#include "alert.h"
#include "ask.h"
#include "config.h"
#include "dns.h"
#include "engine.h"
#include "filter.h"
#include "keymap.h"
#include "keyname.h"
#include "recent.h"
#include "services.h"
#include "source.h"
#include "store.h"
#include "text.h"
#include "theme.h"
#include "ui-int.h"
#include "ui.h"
#include "view.h"
#include "xmalloc.h"

#define UI_KEYS_PER_READ	256	/* then let the loop breathe */
#define UI_CSI_MAX		64	/* bytes of an unknown CSI sequence */
#define UI_OSC_MAX		4096	/* ... of an OSC/DCS string */
#define UI_EMPTY_READS_MAX	16	/* readable but no key: terminal gone */
#define UI_ESCDELAY_MSEC	25
#define UI_WHEEL_ROWS		3

/* Set while curses owns the terminal; what ui_restore_terminal() undoes. */
static int ui_curses_active;

static const struct ui_panel *const ui_panels[UI_SCREEN_MAX] = {
	[UI_SCREEN_TOP] = &view_top_panel,
	[UI_SCREEN_PROTO] = &view_proto_panel,
	[UI_SCREEN_FLOWS] = &view_flows_panel,
	[UI_SCREEN_EXP] = &view_exp_panel,
	[UI_SCREEN_IF] = &view_if_panel,
	[UI_SCREEN_CHAN] = &view_chan_panel,
	[UI_SCREEN_ALERT] = &view_alert_panel,
};

static const char *const ui_order_names[UI_ORDER_MAX] = {
	[UI_ORDER_BYTES] = "bytes",
	[UI_ORDER_PACKETS] = "packets",
	[UI_ORDER_FLOWS] = "flows",
	[UI_ORDER_BPS] = "bps",
	[UI_ORDER_PPS] = "pps",
};

static uint64_t
ui_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

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

const struct ui_panel *
ui_panel(enum ui_screen s)
{
	return ui_panels[(unsigned)s < UI_SCREEN_MAX ? s : UI_SCREEN_TOP];
}

/* A panel by name or unambiguous prefix ("proto", "if" too). */
const struct ui_panel *
ui_panel_find(const char *name)
{
	const struct ui_panel *hit = NULL;
	size_t i, len = strlen(name);

	if (len == 0)
		return NULL;
	if (strcmp(name, "if") == 0)
		return &view_if_panel;
	for (i = 0; i < UI_SCREEN_MAX; i++) {
		if (strcasecmp(ui_panels[i]->name, name) == 0)
			return ui_panels[i];
		if (strncasecmp(ui_panels[i]->name, name, len) == 0) {
			if (hit != NULL)
				return NULL;
			hit = ui_panels[i];
		}
	}
	return hit;
}

enum agg_order
ui_engine_order(enum ui_order o)
{
	switch (o) {
	case UI_ORDER_PACKETS:
	case UI_ORDER_PPS:
		return AGG_ORDER_PACKETS;
	case UI_ORDER_FLOWS:
		return AGG_ORDER_FLOWS;
	default:
		return AGG_ORDER_BYTES;
	}
}

int
ui_order_parse(const char *s, enum ui_order *o)
{
	int i;

	for (i = 0; i < UI_ORDER_MAX; i++)
		if (strcasecmp(s, ui_order_names[i]) == 0) {
			*o = (enum ui_order)i;
			return 0;
		}
	if (strcasecmp(s, "pkts") == 0) {
		*o = UI_ORDER_PACKETS;
		return 0;
	}
	return -1;
}

const char *
ui_order_name(enum ui_order o)
{
	return (unsigned)o < UI_ORDER_MAX ? ui_order_names[o] : "bytes";
}

int
ui_order_is_rate(enum ui_order o)
{
	return o == UI_ORDER_BPS || o == UI_ORDER_PPS;
}

/*
 * An exporter's name: its address, and "/domain" when another source
 * (observation domain, engine, sub-agent) shares the address.
 */
const char *
ui_exporter(const struct ui *u, uint16_t idx, char *buf, size_t len)
{
	const struct source_table *t = u->e->sources;
	size_t off;
	uint32_t i;

	if (idx >= t->n) {
		snprintf(buf, len, "#%u", idx);
		return buf;
	}
	flow_addr_fmt(&t->v[idx].addr, buf, len);
	for (i = 0; i < t->n; i++)
		if (i != idx && memcmp(&t->v[i].addr, &t->v[idx].addr,
		    sizeof(t->v[i].addr)) == 0 && (t->v[i].datagrams > 0 ||
		    t->v[i].records > 0)) {
			off = strlen(buf);
			snprintf(buf + off, len - off, "/%u", t->v[idx].domain);
			break;
		}
	return buf;
}

/*
 * The moment the screen shows: the history cursor's, or the engine's
 * clock when live.  Rates, sparklines and record lists end there.
 */
uint64_t
ui_now(const struct ui *u)
{
	return u->e->pin_msec != 0 ? u->e->pin_msec : u->e->store->now_msec;
}

/*
 * Refreshes the header's and the shown panel's snapshots; force redoes
 * them even when the view did not move (after a command changed it).
 */
void
ui_snap(struct ui *u, int force)
{
	uint64_t t0 = ui_usec();
	int changed = 0;

	engine_expire(u->e);
	snap_header(u, force, &changed);
	if (ui_panel(u->cur)->snap(u, force || changed))
		changed = 1;
	if (changed || force) {
		u->content++;
		u->dirty = 1;
	}
	u->snap_usec = ui_usec() - t0;
}

/* Everything a draw depends on, read from the snapshot and the engine. */
static void
ui_stamp_get(const struct ui *u, struct ui_stamp *st)
{
	const struct engine *e = u->e;
	const struct source_table *t = e->sources;
	uint32_t i;

	memset(st, 0, sizeof(*st));
	st->content = u->content;
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
	draw_ch_stamp(e, st->ch);
	st->pin_msec = e->pin_msec;
	st->pin_ago_sec = e->pin_msec != 0 ? e->store->now_msec / 1000 : 0;
	st->alerts = e->alerts != NULL ? alerts_active(e->alerts) : 0;
	st->read_done = e->read_done;
	st->lines = LINES;
	st->cols = COLS;
}

/*
 * Draws the frame.  With NFTOP_FRAME_LOG set, each frame appends a line:
 * the microseconds of the last snapshot and of this draw, the keys in
 * the view and the screen's size (tests/bench/frame.sh reads it).
 */
static void
ui_draw(struct ui *u)
{
	uint64_t t0;

	if (u->quit)
		return;
	t0 = ui_usec();
	draw_screen(u);
	ui_stamp_get(u, &u->drawn);
	u->dirty = 0;
	if (u->frame_log != NULL) {
		fprintf(u->frame_log, "snap_usec=%llu draw_usec=%llu keys=%zu"
		    " screen=%s size=%dx%d\n", (unsigned long long)u->snap_usec,
		    (unsigned long long)(ui_usec() - t0), u->hdr.nkeys,
		    ui_panel(u->cur)->name, COLS, LINES);
		fflush(u->frame_log);
	}
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
	if (u->dns != NULL)
		dns_tick(u->dns);	/* on or off: answers still come */
	if (!u->paused)
		ui_snap(u, 0);
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

/* Shows screen s; the panel left frees what only it needed. */
void
ui_show(struct ui *u, enum ui_screen s)
{
	const struct ui_panel *old = ui_panel(u->cur), *p = ui_panel(s);

	u->help = 0;
	if (s == u->cur)
		return;
	if (old->leave != NULL)
		old->leave(u);
	u->cur = s;
	if (p->enter != NULL)
		p->enter(u);
	ui_snap(u, 1);
}

/* Keeps the selection in [0, count) and on the rows lines shown. */
void
ui_scroll_keep(struct ui *u, size_t count, int rows)
{
	size_t *sel = &u->sel[u->cur], *top = &u->scroll[u->cur];
	size_t page = rows > 0 ? (size_t)rows : 1;

	u->page = (int)page;
	if (count == 0) {
		*sel = *top = 0;
		return;
	}
	if (*sel >= count)
		*sel = count - 1;
	if (*top > *sel)
		*top = *sel;
	if (*sel >= *top + page)
		*top = *sel - page + 1;
	if (*top + page > count)
		*top = count > page ? count - page : 0;
}

/* Moves the selection (or the help text) by delta rows, or to an end. */
void
ui_select(struct ui *u, long delta, int to_end)
{
	size_t *pos, count;

	if (u->help) {
		pos = &u->help_scroll;
		count = u->help_lines > (size_t)u->help_page ?
		    u->help_lines - (size_t)u->help_page : 0;
	} else {
		pos = &u->sel[u->cur];
		count = ui_panel(u->cur)->count(u);
		count = count > 0 ? count - 1 : 0;
	}
	if (to_end)
		*pos = delta < 0 ? 0 : count;
	else if (delta < 0)
		*pos = (size_t)-delta > *pos ? 0 : *pos - (size_t)-delta;
	else
		*pos += (size_t)delta;
	if (*pos > count)
		*pos = count;
}

/* Screen line y shows row: a click there selects it. */
void
ui_line_row(struct ui *u, int y, size_t row)
{
	if (y >= 0 && y < UI_LINES_MAX)
		u->line_row[y] = row + 1;
}

/* A table that changed meaning starts at its first row. */
void
ui_home(struct ui *u, enum ui_screen s)
{
	u->sel[s] = 0;
	u->scroll[s] = 0;
	u->sel_home = 1;
}

void
ui_select_row(struct ui *u, size_t row)
{
	if (row < ui_panel(u->cur)->count(u))
		u->sel[u->cur] = row;
}

void
ui_mouse_set(struct ui *u, int on)
{
	u->mouse = on;
	mousemask(on ? BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED :
	    0, NULL);
}

/* A click on a tab shows it; on column names sorts; on a row selects. */
static void
ui_mouse(struct ui *u)
{
	MEVENT ev;
	int i;

	if (getmouse(&ev) != OK || u->prompting)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		ui_select(u, ev.bstate & BUTTON4_PRESSED ? -UI_WHEEL_ROWS :
		    UI_WHEEL_ROWS, 0);
		return;
	}
	if (!(ev.bstate & BUTTON1_PRESSED) || u->help)
		return;
	if (ev.y == 0) {
		for (i = 0; i < UI_SCREEN_MAX; i++)
			if (ev.x >= u->tab_x0[i] && ev.x < u->tab_x1[i])
				ui_show(u, (enum ui_screen)i);
		return;
	}
	if (ev.y == u->table_y && ui_panel(u->cur)->click != NULL) {
		ui_panel(u->cur)->click(u, ev.x);
		return;
	}
	if (ev.y >= 0 && ev.y < UI_LINES_MAX && u->line_row[ev.y] != 0)
		ui_select_row(u, u->line_row[ev.y] - 1);
}

static void
ui_key(struct ui *u, int key)
{
	const struct keymap_binding *b;
	char name[32], help[32];

	u->dirty = 1;
	if (u->prompting) {
		ask_key(u, key);
		return;
	}
	if (key == (KEYNAME_SPECIAL | KEY_MOUSE)) {
		ui_mouse(u);
		return;
	}
	u->msg[0] = '\0';
	b = keymap_lookup(u->km, key);
	if (u->help) {
		/* Scrolling keys scroll the help; any other key leaves it. */
		if (b != NULL && b->cmd->scrolls)
			b->cmd->exec(u, b->argc, b->argv);
		else
			u->help = 0;
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

/*
 * After an ESC, an escape sequence curses did not know (pasted text, a
 * hostile string echoed back by a terminal) is dropped whole: typed into
 * the prompt its bytes would otherwise turn into commands once its ESC
 * had cancelled the prompt.  Only an ESC with nothing after it is the
 * Escape key (0), or one followed by anything but a sequence's second
 * byte ('[', ']', 'P', '_', '^').  CSI ends at its final byte, OSC, DCS,
 * APC and PM strings at BEL or ESC \, each within a bound.
 */
static int
ui_swallow_escape(void)
{
	wint_t c;
	int st, n;

	if ((st = get_wch(&c)) == ERR)
		return 0;
	/* Escape, then a key of its own (typed quickly, as tests do). */
	if (st == KEY_CODE_YES || (c != '[' && c != ']' && c != 'P' &&
	    c != '_' && c != '^')) {
		if (st == KEY_CODE_YES)
			ungetch((int)c);
		else
			unget_wch((wchar_t)c);
		return 0;
	}
	if (c == '[') {
		for (n = 0; n < UI_CSI_MAX && get_wch(&c) != ERR; n++)
			if (c >= 0x40 && c <= 0x7e)
				break;
	} else if (c == ']' || c == 'P' || c == '_' || c == '^') {
		for (n = 0; n < UI_OSC_MAX && get_wch(&c) != ERR; n++) {
			if (c == 7)
				break;
			if (c == 27) {
				(void)get_wch(&c);
				break;
			}
		}
	}
	return 1;
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
		if (st == OK && wch == KEYNAME_ESCAPE && ui_swallow_escape())
			continue;
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
	if ((u->term = newterm(NULL, stdout, stdin)) == NULL) {
		snprintf(err, errlen, "cannot start the terminal UI on"
		    " TERM=%s (or use --batch)", term);
		return -1;
	}
	set_term(u->term);
	ui_curses_active = 1;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(UI_ESCDELAY_MSEC);
	mouseinterval(0);
	curs_set(0);
	theme_start(u);
	theme_apply(u);
	ui_mouse_set(u, u->mouse);
	return 0;
}

/* A setting's bad value: "FILE:LINE: key: message". */
static int
ui_setting_error(const struct ui *u, const char *key, const char *v,
    const char *want, char *err, size_t errlen)
{
	char where[PATH_MAX + 16];

	snprintf(err, errlen, "%s: %s: '%s' is not %s", config_where(
	    u->e->config, key, where, sizeof(where)), key, v, want);
	return -1;
}

static int
ui_setting_bool(const struct ui *u, const char *key, int *out, char *err,
    size_t errlen)
{
	const char *v = config_get(u->e->config, key);

	if (v != NULL && config_bool(v, out) != 0)
		return ui_setting_error(u, key, v, "on or off", err, errlen);
	return 0;
}

/* The screen's settings from the settings file (config.h). */
static int
ui_settings(struct ui *u, int *dns, int *svc, char *err, size_t errlen)
{
	const struct config *c = u->e->config;
	const char *v;
	enum ui_order o;
	enum spark_style s;

	u->spark = u->utf8 ? SPARK_BLOCK : SPARK_ASCII;
	u->bits = 1;
	u->mouse = 1;
	if ((v = config_get(c, "theme")) != NULL &&
	    theme_parse(v, &u->theme) != 0)
		return ui_setting_error(u, "theme", v, "default, 256 or mono",
		    err, errlen);
	if ((v = config_get(c, "sparkline")) != NULL) {
		if (spark_style_parse(v, &s) != 0)
			return ui_setting_error(u, "sparkline", v, "block,"
			    " braille or ascii", err, errlen);
		if (u->utf8)
			u->spark = s;
	}
	if ((v = config_get(c, "rates")) != NULL) {
		if (strcmp(v, "bits") != 0 && strcmp(v, "bytes") != 0)
			return ui_setting_error(u, "rates", v, "bits or bytes",
			    err, errlen);
		u->bits = strcmp(v, "bits") == 0;
	}
	if ((v = config_get(c, "numbers")) != NULL) {
		if (strcmp(v, "human") != 0 && strcmp(v, "exact") != 0)
			return ui_setting_error(u, "numbers", v, "human or"
			    " exact", err, errlen);
		u->exact = strcmp(v, "exact") == 0;
	}
	/* bps and pps order by rate here; main gave the engine its half. */
	u->order = (enum ui_order)u->e->view->order;
	if ((v = u->e->order_name) != NULL &&
	    ui_order_parse(v, &o) == 0 && ui_order_is_rate(o) &&
	    ui_engine_order(o) == u->e->view->order)
		u->order = o;
	if (ui_setting_bool(u, "dns", dns, err, errlen) != 0 ||
	    ui_setting_bool(u, "services", svc, err, errlen) != 0 ||
	    ui_setting_bool(u, "mouse", &u->mouse, err, errlen) != 0)
		return -1;
	return 0;
}

/* Names turned on by the settings, through the commands' own paths. */
static void
ui_names(struct ui *u, int dns, int svc)
{
	char on[] = "on", *argv[1] = { on };
	const struct cmd_entry *c;

	if (dns && (c = cmd_find("dns")) != NULL)
		c->exec(u, 1, argv);
	if (svc && (c = cmd_find("services")) != NULL)
		c->exec(u, 1, argv);
	u->msg[0] = '\0';
}

struct ui *
ui_create(struct engine *e, const char *keymap, char *err, size_t errlen)
{
	struct ui *u;
	const char *cs, *log;
	int i, dns = 0, svc = 0;

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
	    wcwidth(0x2581) == 1 && wcwidth(0x2588) == 1 &&
	    wcwidth(0x28ff) == 1;
	text_init(u->utf8);
	if (ui_settings(u, &dns, &svc, err, errlen) != 0 ||
	    (u->km = keymap_load(keymap, err, errlen)) == NULL) {
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
	ask_init(u);
	u->recent = recent_create();
	if ((log = getenv("NFTOP_FRAME_LOG")) != NULL && *log != '\0')
		u->frame_log = fopen(log, "a");
	for (i = 0; i < UI_SCREEN_MAX; i++)
		ui_panels[i]->create(u);
	u->cur = UI_SCREEN_TOP;
	ui_names(u, dns, svc);
	ui_snap(u, 1);
	ui_draw(u);
	return u;
}

void
ui_free(struct ui *u)
{
	int i;

	if (u == NULL)
		return;
	if (u->input != NULL)
		event_free(u->input);
	for (i = 0; i < UI_SCREEN_MAX; i++)
		if (u->state[i] != NULL)
			ui_panels[i]->destroy(u);
	ui_restore_terminal();
	if (u->term != NULL)
		delscreen(u->term);
	ask_free(u);
	drill_reset(u);
	limit_clear(u);
	dns_free(u->dns);
	services_free(u->svc);
	keymap_free(u->km);
	recent_free(u->recent);
	if (u->frame_log != NULL) {
		/* Last, what the engine took in (tests/bench/ingest.sh). */
		fprintf(u->frame_log, "records=%llu datagrams=%llu\n",
		    (unsigned long long)u->e->dec.stats.records,
		    (unsigned long long)u->e->dec.stats.datagrams);
		fclose(u->frame_log);
	}
	free(u);
}

/* Loads a keymap only to see that it loads: 0, or -1 and err. */
int
ui_keymap_check(const char *keymap, char *err, size_t errlen)
{
	struct keymap *km = keymap_load(keymap, err, errlen);

	if (km == NULL)
		return -1;
	keymap_free(km);
	return 0;
}
