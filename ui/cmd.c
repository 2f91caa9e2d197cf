/*
 * cmd.c - the command table: what each bindable command does.
 *
 * A command changes the engine only through the engine_set_* calls, then
 * takes a fresh snapshot so that the change shows at once, even while
 * the display is paused.  An engine error becomes the status message and
 * leaves the view as it was.  ui.c runs commands for keys, ask.c for the
 * command prompt; keymap.c checks their arguments when it reads a keymap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "ask.h"
#include "cmd.h"
#include "dns.h"
#include "engine.h"
#include "export.h"
#include "filter.h"
#include "keys.h"
#include "services.h"
#include "theme.h"
#include "ui-int.h"
#include "view.h"

/* The order "aggregate next" steps through, after iftop's s/d/p keys. */
static const char *const cmd_aggregates[] = {
	"srcip", "dstip", "ip", "pair", "srcport", "dstport", "port",
	"proto", "exporter"
};
#define CMD_NAGGREGATES	(sizeof(cmd_aggregates) / sizeof(cmd_aggregates[0]))

/* The windows "window next" steps through; "all" comes last. */
static const char *const cmd_windows[] = {
	"10s", "1m", "5m", "15m", "1h", "all"
};
#define CMD_NWINDOWS	(sizeof(cmd_windows) / sizeof(cmd_windows[0]))

static int
cmd_is_step(const char *arg)
{
	return strcmp(arg, "next") == 0 || strcmp(arg, "prev") == 0;
}

static int
cmd_is_onoff(int argc, char *const *argv)
{
	return argc == 0 || strcmp(argv[0], "on") == 0 ||
	    strcmp(argv[0], "off") == 0;
}

/* on, off, or (no argument) the opposite of now. */
static int
cmd_onoff(int argc, char *const *argv, int now)
{
	if (argc == 0)
		return !now;
	return strcmp(argv[0], "on") == 0;
}

static int
cmd_check_onoff(int argc, char *const *argv, char *err, size_t errlen)
{
	if (cmd_is_onoff(argc, argv))
		return 0;
	snprintf(err, errlen, "'%s' is not on or off", argv[0]);
	return -1;
}

static int
cmd_check_sort(int argc, char *const *argv, char *err, size_t errlen)
{
	enum ui_order o;

	if (cmd_is_step(argv[0]) || ui_order_parse(argv[0], &o) == 0)
		return 0;
	snprintf(err, errlen, "sort: '%s' is not bytes, packets, flows, bps,"
	    " pps, next or prev", argv[0]);
	return -1;
}

static int
cmd_check_aggregate(int argc, char *const *argv, char *err, size_t errlen)
{
	struct key_spec ks;
	char msg[128];

	if (cmd_is_step(argv[0]) ||
	    key_spec_parse(&ks, argv[0], msg, sizeof(msg)) == 0)
		return 0;
	snprintf(err, errlen, "aggregate: %s", msg);
	return -1;
}

static int
cmd_check_window(int argc, char *const *argv, char *err, size_t errlen)
{
	uint64_t msec;

	if (cmd_is_step(argv[0]) || view_window_parse(argv[0], &msec) == 0)
		return 0;
	snprintf(err, errlen, "window: '%s' is not a duration (10s, 5m, 1h),"
	    " all, next or prev", argv[0]);
	return -1;
}

static int
cmd_check_units(int argc, char *const *argv, char *err, size_t errlen)
{
	if (argc == 0 || strcmp(argv[0], "human") == 0 ||
	    strcmp(argv[0], "exact") == 0)
		return 0;
	snprintf(err, errlen, "units: '%s' is not human or exact", argv[0]);
	return -1;
}

static int
cmd_check_view(int argc, char *const *argv, char *err, size_t errlen)
{
	if (cmd_is_step(argv[0]) || ui_panel_find(argv[0]) != NULL)
		return 0;
	snprintf(err, errlen, "view: '%s' is not top, protocols, flows,"
	    " exporters, interfaces, channels, alerts, next or prev",
	    argv[0]);
	return -1;
}

static int
cmd_check_export(int argc, char *const *argv, char *err, size_t errlen)
{
	if (argc == 0 || export_format_ok(argv[0]))
		return 0;
	snprintf(err, errlen, "export: '%s' is not json, csv or text",
	    argv[0]);
	return -1;
}

static int
cmd_check_theme(int argc, char *const *argv, char *err, size_t errlen)
{
	int t;

	if (cmd_is_step(argv[0]) || theme_parse(argv[0], &t) == 0)
		return 0;
	snprintf(err, errlen, "theme: '%s' is not default, 256, mono, next"
	    " or prev", argv[0]);
	return -1;
}

static int
cmd_check_spark(int argc, char *const *argv, char *err, size_t errlen)
{
	enum spark_style s;

	if (cmd_is_step(argv[0]) || spark_style_parse(argv[0], &s) == 0)
		return 0;
	snprintf(err, errlen, "sparkline: '%s' is not block, braille, ascii,"
	    " next or prev", argv[0]);
	return -1;
}

static int
cmd_check_history(int argc, char *const *argv, char *err, size_t errlen)
{
	char *end;
	unsigned long n;

	if (strcmp(argv[0], "live") == 0 && argc == 1)
		return 0;
	if (strcmp(argv[0], "back") != 0 && strcmp(argv[0], "forward") != 0) {
		snprintf(err, errlen, "history: '%s' is not back, forward or"
		    " live", argv[0]);
		return -1;
	}
	if (argc == 1)
		return 0;
	n = strtoul(argv[1], &end, 10);
	if (end != argv[1] && *end == '\0' && n >= 1 && n <= CURSOR_STEPS_MAX)
		return 0;
	snprintf(err, errlen, "history: '%s' is not a number of steps"
	    " (1-%d)", argv[1], CURSOR_STEPS_MAX);
	return -1;
}

static int
cmd_check_channel(int argc, char *const *argv, char *err, size_t errlen)
{
	if (strcmp(argv[0], "add") == 0 && argc == 3)
		return 0;
	if (strcmp(argv[0], "del") == 0 && argc == 2)
		return 0;
	snprintf(err, errlen, "usage: channel add NAME FILTER, or channel"
	    " del NAME");
	return -1;
}

static void
cmd_quit(struct ui *u, int argc, char *const *argv)
{
	ui_quit(u);
}

static void
cmd_help(struct ui *u, int argc, char *const *argv)
{
	u->help = !u->help;
	u->help_scroll = 0;
}

static void
cmd_view(struct ui *u, int argc, char *const *argv)
{
	const struct ui_panel *p;
	int n = UI_SCREEN_MAX, i = (int)u->cur;

	if (strcmp(argv[0], "next") == 0)
		i = (i + 1) % n;
	else if (strcmp(argv[0], "prev") == 0)
		i = (i + n - 1) % n;
	else if ((p = ui_panel_find(argv[0])) != NULL)
		for (i = 0; i < n && ui_panel(i) != p; i++)
			;
	ui_show(u, (enum ui_screen)i);
}

static void
cmd_sort(struct ui *u, int argc, char *const *argv)
{
	enum ui_order o = u->order;

	if (strcmp(argv[0], "next") == 0)
		o = (o + 1) % UI_ORDER_MAX;
	else if (strcmp(argv[0], "prev") == 0)
		o = (o + UI_ORDER_MAX - 1) % UI_ORDER_MAX;
	else
		ui_order_parse(argv[0], &o);
	u->order = o;
	u->frozen = 0;
	engine_set_order(u->e, ui_engine_order(o));
	ui_home(u, u->cur);
	ui_snap(u, 1);
}

/* Where the current aggregate sits in the cycle; -1 if elsewhere. */
static int
cmd_aggregate_index(const struct ui *u)
{
	struct key_spec ks;
	char err[128];
	size_t i;

	for (i = 0; i < CMD_NAGGREGATES; i++)
		if (key_spec_parse(&ks, cmd_aggregates[i], err,
		    sizeof(err)) == 0 &&
		    strcmp(ks.name, u->e->view->spec.name) == 0)
			return (int)i;
	return -1;
}

static void
cmd_aggregate(struct ui *u, int argc, char *const *argv)
{
	const char *name = argv[0];
	char err[256];
	int i = cmd_aggregate_index(u), n = (int)CMD_NAGGREGATES;

	if (strcmp(name, "next") == 0)
		name = cmd_aggregates[i < 0 ? 0 : (i + 1) % n];
	else if (strcmp(name, "prev") == 0)
		name = cmd_aggregates[i < 0 ? n - 1 : (i + n - 1) % n];
	if (engine_set_aggregate(u->e, name, err, sizeof(err)) != 0) {
		ui_message(u, 1, "aggregate: %s", err);
		return;
	}
	u->frozen = 0;
	ui_home(u, UI_SCREEN_TOP);
	if (u->cur != UI_SCREEN_TOP)
		ui_show(u, UI_SCREEN_TOP);
	ui_snap(u, 1);
}

static void
cmd_aggregate_prompt(struct ui *u, int argc, char *const *argv)
{
	ask_open(u, UI_PROMPT_AGGREGATE, u->e->view->spec.name);
}

/* a < b, where 0 ("all") is longer than any duration. */
static int
cmd_window_less(uint64_t a, uint64_t b)
{
	return a != 0 && (b == 0 || a < b);
}

/* The next longer (or shorter) window of the cycle, wrapping around. */
static const char *
cmd_window_step(uint64_t cur, int next)
{
	const char *pick = NULL;
	uint64_t w;
	size_t i;

	for (i = 0; i < CMD_NWINDOWS; i++) {
		if (view_window_parse(cmd_windows[i], &w) != 0)
			continue;
		if (next && cmd_window_less(cur, w))
			return cmd_windows[i];
		if (!next && cmd_window_less(w, cur))
			pick = cmd_windows[i];
	}
	if (pick != NULL)
		return pick;
	return next ? cmd_windows[0] : cmd_windows[CMD_NWINDOWS - 1];
}

static void
cmd_window(struct ui *u, int argc, char *const *argv)
{
	const char *text = argv[0];
	char err[256];

	if (cmd_is_step(text))
		text = cmd_window_step(u->e->view->window_msec,
		    strcmp(text, "next") == 0);
	if (engine_set_window(u->e, text, err, sizeof(err)) != 0) {
		ui_message(u, 1, "window: %s", err);
		return;
	}
	u->cumulative = 0;
	u->scroll[u->cur] = 0;
	ui_snap(u, 1);
}

/* iftop's T: totals since the start, until pressed again. */
static void
cmd_cumulative(struct ui *u, int argc, char *const *argv)
{
	char err[256], w[32];

	if (cmd_onoff(argc, argv, u->cumulative) == u->cumulative)
		return;
	if (!u->cumulative) {
		u->window_saved = u->e->view->window_msec;
		view_window_fmt(0, w, sizeof(w));
	} else
		view_window_fmt(u->window_saved, w, sizeof(w));
	if (engine_set_window(u->e, w, err, sizeof(err)) != 0) {
		ui_message(u, 1, "cumulative: %s", err);
		return;
	}
	u->cumulative = !u->cumulative;
	ui_message(u, 0, "%s", u->cumulative ? "cumulative totals since the"
	    " start (window all)" : "totals over the window again");
	ui_snap(u, 1);
}

static void
cmd_freeze(struct ui *u, int argc, char *const *argv)
{
	u->frozen = cmd_onoff(argc, argv, u->frozen);
	ui_message(u, 0, "%s", u->frozen ? "order frozen: rows keep their"
	    " places, new keys stay off the table" : "order follows the"
	    " counts again");
	ui_snap(u, 1);
}

static void
cmd_bits(struct ui *u, int argc, char *const *argv)
{
	u->bits = !u->bits;
	ui_message(u, 0, "rates in %s", u->bits ? "bits/s" : "bytes/s");
	ui_snap(u, 1);
}

static void
cmd_pause(struct ui *u, int argc, char *const *argv)
{
	u->paused = cmd_onoff(argc, argv, u->paused);
	if (!u->paused)
		ui_snap(u, 1);
}

static void
cmd_filter_prompt(struct ui *u, int argc, char *const *argv)
{
	const char *cur = filter_text(u->e->view->filter);

	/* With drill-downs pushed, the prompt edits the whole filter. */
	ask_open(u, UI_PROMPT_FILTER, strcmp(cur, "any") == 0 ? NULL : cur);
}

static void
cmd_limit_prompt(struct ui *u, int argc, char *const *argv)
{
	ask_open(u, UI_PROMPT_LIMIT, u->limit_text[0] != '\0' ?
	    u->limit_text : NULL);
}

static void
cmd_command_prompt(struct ui *u, int argc, char *const *argv)
{
	ask_open(u, UI_PROMPT_COMMAND, NULL);
}

static void
cmd_drill(struct ui *u, int argc, char *const *argv)
{
	drill_push(u);
}

static void
cmd_back(struct ui *u, int argc, char *const *argv)
{
	drill_pop(u);
}

static void
cmd_dns_done(void *ctx)
{
	struct ui *u = ctx;

	u->dirty = 1;
}

static void
cmd_dns(struct ui *u, int argc, char *const *argv)
{
	char err[256];
	int on = cmd_onoff(argc, argv, u->dns_on);

	/*
	 * The resolver, once made, stays until the UI ends: its answers
	 * arrive through callbacks libevent may still run after a free.
	 */
	if (on && u->dns == NULL &&
	    (u->dns = dns_create(u->e->base, cmd_dns_done, u, err,
	    sizeof(err))) == NULL) {
		ui_message(u, 1, "host names: %s", err);
		return;
	}
	u->dns_on = on;
	ui_message(u, 0, "host names %s", on ? "on (reverse DNS for the"
	    " rows on screen)" : "off");
	ui_snap(u, 1);
}

static void
cmd_services(struct ui *u, int argc, char *const *argv)
{
	char err[256];
	int on = cmd_onoff(argc, argv, u->svc != NULL);

	if (on && u->svc == NULL) {
		if ((u->svc = services_load(err, sizeof(err))) == NULL) {
			ui_message(u, 1, "service names: %s", err);
			return;
		}
	} else if (!on) {
		services_free(u->svc);
		u->svc = NULL;
	}
	ui_message(u, 0, "service names %s", on ? "on" : "off");
	ui_snap(u, 1);
}

/* With a file, writes at once; else asks, offering a default name. */
static void
cmd_export(struct ui *u, int argc, char *const *argv)
{
	if (argc == 2)
		export_write(u, argv[0], argv[1]);
	else
		export_prompt(u, argc == 1 ? argv[0] : NULL);
}

static void
cmd_theme(struct ui *u, int argc, char *const *argv)
{
	int t = u->theme;

	if (strcmp(argv[0], "next") == 0)
		t = (t + 1) % THEME_MAX;
	else if (strcmp(argv[0], "prev") == 0)
		t = (t + THEME_MAX - 1) % THEME_MAX;
	else
		theme_parse(argv[0], &t);
	u->theme = t;
	theme_apply(u);
	ui_message(u, 0, "theme %s%s", theme_name(u->theme), u->no_color ?
	    " (NO_COLOR is set: monochrome)" : "");
}

static void
cmd_sparkline(struct ui *u, int argc, char *const *argv)
{
	enum spark_style s = u->spark;

	if (strcmp(argv[0], "next") == 0)
		s = (s + 1) % SPARK_STYLE_MAX;
	else if (strcmp(argv[0], "prev") == 0)
		s = (s + SPARK_STYLE_MAX - 1) % SPARK_STYLE_MAX;
	else
		spark_style_parse(argv[0], &s);
	if (!u->utf8 && s != SPARK_ASCII) {
		ui_message(u, 1, "sparkline: the locale is not UTF-8; only"
		    " ascii draws here");
		return;
	}
	u->spark = s;
	ui_message(u, 0, "sparklines: %s", spark_style_name(s));
}

static void
cmd_mouse(struct ui *u, int argc, char *const *argv)
{
	ui_mouse_set(u, cmd_onoff(argc, argv, u->mouse));
	ui_message(u, 0, "mouse %s", u->mouse ? "on: click a column name to"
	    " sort, a row to select, the wheel scrolls (shift+drag selects"
	    " text)" : "off");
}

static void
cmd_redraw(struct ui *u, int argc, char *const *argv)
{
	clearok(curscr, TRUE);
	u->dirty = 1;
}

static void
cmd_units(struct ui *u, int argc, char *const *argv)
{
	if (argc == 0)
		u->exact = !u->exact;
	else
		u->exact = strcmp(argv[0], "exact") == 0;
	ui_message(u, 0, "%s", u->exact ? "exact numbers" :
	    "human units: K, M, G = 10^3, 10^6, 10^9");
}

static long
cmd_page(const struct ui *u)
{
	return u->help ? u->help_page : u->page > 0 ? u->page : 1;
}

static void
cmd_up(struct ui *u, int argc, char *const *argv)
{
	ui_select(u, -1, 0);
}

static void
cmd_down(struct ui *u, int argc, char *const *argv)
{
	ui_select(u, 1, 0);
}

static void
cmd_page_up(struct ui *u, int argc, char *const *argv)
{
	ui_select(u, -cmd_page(u), 0);
}

static void
cmd_page_down(struct ui *u, int argc, char *const *argv)
{
	ui_select(u, cmd_page(u), 0);
}

static void
cmd_top(struct ui *u, int argc, char *const *argv)
{
	ui_select(u, -1, 1);
}

static void
cmd_bottom(struct ui *u, int argc, char *const *argv)
{
	ui_select(u, 1, 1);
}

static void
cmd_describe_sort(int argc, char *const *argv, char *buf, size_t len)
{
	if (strcmp(argv[0], "next") == 0)
		snprintf(buf, len, "order by the next of bytes, packets,"
		    " flows, bps, pps");
	else if (strcmp(argv[0], "prev") == 0)
		snprintf(buf, len, "order by the previous one");
	else if (strcmp(argv[0], "bps") == 0 || strcmp(argv[0], "pps") == 0)
		snprintf(buf, len, "order by the 10s rate (%s)", argv[0]);
	else
		snprintf(buf, len, "order the table by %s", argv[0]);
}

static void
cmd_describe_aggregate(int argc, char *const *argv, char *buf, size_t len)
{
	if (strcmp(argv[0], "next") == 0)
		snprintf(buf, len, "next aggregate: srcip dstip ip pair srcport"
		    " dstport port proto exporter");
	else if (strcmp(argv[0], "prev") == 0)
		snprintf(buf, len, "previous aggregate, the same cycle"
		    " backwards");
	else
		snprintf(buf, len, "aggregate by %s", argv[0]);
}

static void
cmd_describe_window(int argc, char *const *argv, char *buf, size_t len)
{
	if (strcmp(argv[0], "next") == 0)
		snprintf(buf, len, "longer window: 10s 1m 5m 15m 1h all");
	else if (strcmp(argv[0], "prev") == 0)
		snprintf(buf, len, "shorter window, the same cycle backwards");
	else if (strcasecmp(argv[0], "all") == 0)
		snprintf(buf, len, "count everything since the start");
	else
		snprintf(buf, len, "count the last %s", argv[0]);
}

static void
cmd_describe_units(int argc, char *const *argv, char *buf, size_t len)
{
	if (argc == 0)
		snprintf(buf, len, "switch between 9.39M-style units and exact"
		    " numbers");
	else
		snprintf(buf, len, "show %s", strcmp(argv[0], "exact") == 0 ?
		    "exact numbers" : "9.39M-style units");
}

static void
cmd_describe_view(int argc, char *const *argv, char *buf, size_t len)
{
	static const struct {
		const char	*name;
		const char	*what;
	} views[] = {
		{ "top", "top talkers: the aggregate's largest keys" },
		{ "protocols", "TCP, UDP, ICMP, other; the top services" },
		{ "flows", "the flow records of the window, newest first" },
		{ "exporters", "exporter health: loss, malformed, templates" },
		{ "interfaces", "sFlow interface counters beside flow totals" },
		{ "channels", "the profile's channels: sparklines, totals" },
		{ "alerts", "active and recent alerts, with their filters" },
		{ "next", "next view" },
		{ "prev", "previous view" },
	};
	size_t i;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (strcmp(argv[0], views[i].name) == 0) {
			snprintf(buf, len, "%s", views[i].what);
			return;
		}
	snprintf(buf, len, "show the %s view", argv[0]);
}

static void
cmd_describe_history(int argc, char *const *argv, char *buf, size_t len)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;

	if (strcmp(argv[0], "live") == 0)
		snprintf(buf, len, "history cursor back to live (now)");
	else if (n == CURSOR_STEPS_WINDOW)
		snprintf(buf, len, "history cursor a whole window %s",
		    strcmp(argv[0], "back") == 0 ? "back" : "forward");
	else
		snprintf(buf, len, "history cursor %lu step%s (a tenth of the"
		    " window) %s", n, n == 1 ? "" : "s", argv[0]);
}

static void
cmd_describe_export(int argc, char *const *argv, char *buf, size_t len)
{
	if (argc == 0)
		snprintf(buf, len, "write this view to a file (the name's"
		    " .json .csv .txt picks the format)");
	else
		snprintf(buf, len, "write this view to a file as %s",
		    argv[0]);
}

static void
cmd_describe_theme(int argc, char *const *argv, char *buf, size_t len)
{
	if (cmd_is_step(argv[0]))
		snprintf(buf, len, "%s colour theme: default 256 mono",
		    argv[0]);
	else
		snprintf(buf, len, "colour theme %s", argv[0]);
}

static void
cmd_describe_spark(int argc, char *const *argv, char *buf, size_t len)
{
	if (cmd_is_step(argv[0]))
		snprintf(buf, len, "%s sparkline style: block braille ascii",
		    argv[0]);
	else
		snprintf(buf, len, "draw sparklines with %s", argv[0]);
}

#define CMD_NOARGS(name, desc, scrolls, fn) \
	{ name, "", desc, 0, 0, scrolls, NULL, fn, NULL, 0 }
#define CMD_ONOFF(name, desc, fn) \
	{ name, "[on|off]", desc, 0, 1, 0, cmd_check_onoff, fn, NULL, 0 }

static const struct cmd_entry cmd_table[] = {
	CMD_NOARGS("quit", "quit nftop", 0, cmd_quit),
	CMD_NOARGS("help", "show or leave this list of keys", 0, cmd_help),
	{ "view", "top|protocols|flows|exporters|interfaces|channels|alerts|"
	    "next|prev",
	    "show a view", 1, 1, 0, cmd_check_view, cmd_view,
	    cmd_describe_view, 0 },
	{ "sort", "bytes|packets|flows|bps|pps|next|prev",
	    "order the table by bytes, packets, flows or a rate", 1, 1, 0,
	    cmd_check_sort, cmd_sort, cmd_describe_sort, 0 },
	{ "aggregate", "KEYS|next|prev",
	    "aggregate by KEYS, or step through the usual ones", 1, 1, 0,
	    cmd_check_aggregate, cmd_aggregate, cmd_describe_aggregate, 0 },
	CMD_NOARGS("aggregate-prompt", "type an aggregate: srcip/24,dstport,"
	    " 5tuple, as, ...", 0, cmd_aggregate_prompt),
	{ "window", "DURATION|all|next|prev",
	    "count the last DURATION (10s 1m 5m 15m 1h) or all", 1, 1, 0,
	    cmd_check_window, cmd_window, cmd_describe_window, 0 },
	CMD_ONOFF("cumulative", "cumulative totals since the start, or the"
	    " window again", cmd_cumulative),
	CMD_ONOFF("freeze", "freeze the order of the rows (iftop's o)",
	    cmd_freeze),
	CMD_NOARGS("bits", "rates in bits/s or bytes/s", 0, cmd_bits),
	{ "units", "[human|exact]",
	    "switch between 9.39M-style units and exact numbers", 0, 1, 0,
	    cmd_check_units, cmd_units, cmd_describe_units, 0 },
	CMD_NOARGS("filter-prompt", "edit the flow filter (nfdump syntax)",
	    0, cmd_filter_prompt),
	CMD_NOARGS("limit-prompt", "show only rows whose label matches a"
	    " regex (totals unchanged)", 0, cmd_limit_prompt),
	CMD_NOARGS("command-prompt", "type a command, as in this list", 0,
	    cmd_command_prompt),
	CMD_NOARGS("drill", "narrow the filter to the selected row", 0,
	    cmd_drill),
	CMD_NOARGS("back", "undo the last drill-down", 0, cmd_back),
	CMD_ONOFF("dns", "host names for addresses (reverse DNS)", cmd_dns),
	CMD_ONOFF("services", "service names for ports (/etc/services)",
	    cmd_services),
	CMD_ONOFF("pause", "freeze or resume the display (collection goes"
	    " on)", cmd_pause),
	{ "export", "[json|csv|text [FILE]]",
	    "write this view to a file", 0, 2, 0, cmd_check_export,
	    cmd_export, cmd_describe_export, 0 },
	{ "theme", "default|256|mono|next|prev", "colour theme", 1, 1, 0,
	    cmd_check_theme, cmd_theme, cmd_describe_theme, 0 },
	{ "sparkline", "block|braille|ascii|next|prev",
	    "how sparklines are drawn", 1, 1, 0, cmd_check_spark,
	    cmd_sparkline, cmd_describe_spark, 0 },
	CMD_ONOFF("mouse", "mouse: click to sort and select, wheel scrolls",
	    cmd_mouse),
	CMD_NOARGS("redraw", "redraw the whole screen", 0, cmd_redraw),
	{ "history", "back|forward [STEPS]|live",
	    "move the history cursor through the retained window", 1, 2, 0,
	    cmd_check_history, cursor_cmd, cmd_describe_history, 0 },
	CMD_ONOFF("burst", "top talkers by their peak second (who spiked),"
	    " or by total", cursor_burst),
	CMD_NOARGS("alert-jump", "filter and time cursor to an alert (the"
	    " selected one, else the newest)", 0, alert_jump),
	{ "channel", "add NAME FILTER|del NAME",
	    "add a channel (a named filter) to the profile, or remove one",
	    2, 3, 0, cmd_check_channel, chan_cmd, NULL, 3 },
	CMD_NOARGS("up", "select the row above", 1, cmd_up),
	CMD_NOARGS("down", "select the row below", 1, cmd_down),
	CMD_NOARGS("page-up", "one page up", 1, cmd_page_up),
	CMD_NOARGS("page-down", "one page down", 1, cmd_page_down),
	CMD_NOARGS("top", "select the first row", 1, cmd_top),
	CMD_NOARGS("bottom", "select the last row", 1, cmd_bottom),
};
#define CMD_N	(sizeof(cmd_table) / sizeof(cmd_table[0]))

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < CMD_N; i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

/* The i-th command of the table, or NULL past its end. */
const struct cmd_entry *
cmd_at(size_t i)
{
	return i < CMD_N ? &cmd_table[i] : NULL;
}

/* Checks a binding's arguments; -1 with "usage: ..." or the cause. */
int
cmd_check(const struct cmd_entry *c, int argc, char *const *argv, char *err,
    size_t errlen)
{
	if (argc < c->args_min || argc > c->args_max) {
		snprintf(err, errlen, "usage: %s%s%s", c->name,
		    c->usage[0] != '\0' ? " " : "", c->usage);
		return -1;
	}
	if (c->check != NULL)
		return c->check(argc, argv, err, errlen);
	return 0;
}

const char *
cmd_describe(const struct cmd_entry *c, int argc, char *const *argv,
    char *buf, size_t len)
{
	if (c->describe != NULL && argc >= c->args_min)
		c->describe(argc, argv, buf, len);
	else
		snprintf(buf, len, "%s", c->description);
	return buf;
}
