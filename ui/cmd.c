/*
 * cmd.c - the command table: what each bindable command does.
 *
 * A command changes the engine only through the engine_set_* calls, then
 * takes a fresh snapshot so that the change shows at once, even while
 * the display is paused.  An engine error becomes the status message and
 * leaves the view as it was.  ui.c runs commands; keymap.c checks their
 * arguments when it reads a keymap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "cmd.h"
#include "engine.h"
#include "filter.h"
#include "keys.h"
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
cmd_check_sort(int argc, char *const *argv, char *err, size_t errlen)
{
	enum agg_order o;

	if (cmd_is_step(argv[0]) || agg_order_parse(argv[0], &o) == 0)
		return 0;
	snprintf(err, errlen, "sort: '%s' is not bytes, packets, flows, next"
	    " or prev", argv[0]);
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

static void
cmd_quit(struct ui *u, int argc, char *const *argv)
{
	ui_quit(u);
}

static void
cmd_help(struct ui *u, int argc, char *const *argv)
{
	u->mode = u->mode == UI_MODE_HELP ? UI_MODE_TOP : UI_MODE_HELP;
	u->help_scroll = 0;
}

static void
cmd_sort(struct ui *u, int argc, char *const *argv)
{
	enum agg_order o = u->e->view->order;

	if (strcmp(argv[0], "next") == 0)
		o = (o + 1) % AGG_ORDER_MAX;
	else if (strcmp(argv[0], "prev") == 0)
		o = (o + AGG_ORDER_MAX - 1) % AGG_ORDER_MAX;
	else
		agg_order_parse(argv[0], &o);
	engine_set_order(u->e, o);
	u->scroll = 0;
	ui_snap_take(u, 1);
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
	u->scroll = 0;
	ui_snap_take(u, 1);
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
	u->scroll = 0;
	ui_snap_take(u, 1);
}

static void
cmd_pause(struct ui *u, int argc, char *const *argv)
{
	u->paused = !u->paused;
	if (!u->paused)
		ui_snap_take(u, 1);
}

static void
cmd_filter_prompt(struct ui *u, int argc, char *const *argv)
{
	const char *cur = filter_text(u->e->view->filter);

	if (u->retry[0] != '\0')
		cur = u->retry;
	else if (strcmp(cur, "any") == 0)
		cur = NULL;
	prompt_init(&u->prompt, "filter: ", cur);
	u->prompting = 1;
	u->mode = UI_MODE_TOP;
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

static void
cmd_up(struct ui *u, int argc, char *const *argv)
{
	ui_scroll(u, -1, 0);
}

static void
cmd_down(struct ui *u, int argc, char *const *argv)
{
	ui_scroll(u, 1, 0);
}

static void
cmd_page_up(struct ui *u, int argc, char *const *argv)
{
	ui_scroll(u, -(long)(u->mode == UI_MODE_HELP ? u->help_page :
	    u->page), 0);
}

static void
cmd_page_down(struct ui *u, int argc, char *const *argv)
{
	ui_scroll(u, u->mode == UI_MODE_HELP ? u->help_page : u->page, 0);
}

static void
cmd_top(struct ui *u, int argc, char *const *argv)
{
	ui_scroll(u, -1, 1);
}

static void
cmd_bottom(struct ui *u, int argc, char *const *argv)
{
	ui_scroll(u, 1, 1);
}

static void
cmd_describe_sort(int argc, char *const *argv, char *buf, size_t len)
{
	if (strcmp(argv[0], "next") == 0)
		snprintf(buf, len, "order by the next of bytes, packets,"
		    " flows");
	else if (strcmp(argv[0], "prev") == 0)
		snprintf(buf, len, "order by the previous of bytes, packets,"
		    " flows");
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

#define CMD_NOARGS(name, desc, scrolls, fn) \
	{ name, "", desc, 0, 0, scrolls, NULL, fn, NULL }

static const struct cmd_entry cmd_table[] = {
	CMD_NOARGS("quit", "quit nftop", 0, cmd_quit),
	CMD_NOARGS("help", "show or leave this list of keys", 0, cmd_help),
	{ "sort", "bytes|packets|flows|next|prev",
	    "order the table by bytes, packets or flows", 1, 1, 0,
	    cmd_check_sort, cmd_sort, cmd_describe_sort },
	{ "aggregate", "KEYS|next|prev",
	    "aggregate by KEYS, or step through the usual ones", 1, 1, 0,
	    cmd_check_aggregate, cmd_aggregate, cmd_describe_aggregate },
	{ "window", "DURATION|all|next|prev",
	    "count the last DURATION (10s 1m 5m 15m 1h) or all", 1, 1, 0,
	    cmd_check_window, cmd_window, cmd_describe_window },
	CMD_NOARGS("filter-prompt", "edit the flow filter (nfdump syntax)",
	    0, cmd_filter_prompt),
	CMD_NOARGS("pause", "freeze or resume the display (collection goes"
	    " on)", 0, cmd_pause),
	{ "units", "[human|exact]",
	    "switch between 9.39M-style units and exact numbers", 0, 1, 0,
	    cmd_check_units, cmd_units, cmd_describe_units },
	CMD_NOARGS("redraw", "redraw the whole screen", 0, cmd_redraw),
	CMD_NOARGS("up", "scroll up one line", 1, cmd_up),
	CMD_NOARGS("down", "scroll down one line", 1, cmd_down),
	CMD_NOARGS("page-up", "scroll up one page", 1, cmd_page_up),
	CMD_NOARGS("page-down", "scroll down one page", 1, cmd_page_down),
	CMD_NOARGS("top", "scroll to the first row", 1, cmd_top),
	CMD_NOARGS("bottom", "scroll to the last row", 1, cmd_bottom),
};

const struct cmd_entry *
cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmd_table) / sizeof(cmd_table[0]); i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
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
