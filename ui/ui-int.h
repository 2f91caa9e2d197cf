/*
 * ui-int.h - the UI's own state, shared by the files of ui/ and by no one
 * else (main.c sees only ui.h).
 *
 * The screen shows one of five panels (top talkers, protocols, flows,
 * exporters, interfaces), each a small vtable in the style of htop's
 * panels: it takes a snapshot of what it shows from the engine, counts
 * its selectable rows, draws them, and turns a row into a filter for
 * drill-down.  Snapshots are taken once per tick (never while paused) and
 * when a command changes the view; what the screen showed at its last
 * draw is kept in struct ui_stamp, so a tick that changes nothing draws
 * nothing.
 */
#ifndef NFTOP_UI_INT_H
#define NFTOP_UI_INT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR	1
#endif
#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "keys.h"
#include "series.h"
#include "prompt.h"
#include "spark.h"

#define UI_ROWS_MAX	1000	/* table rows a snapshot keeps */
#define UI_MSG_MAX	512
#define UI_FILTER_MAX	(PROMPT_MAX * 4 + 1)
#define UI_MIN_COLS	40
#define UI_MIN_LINES	10
#define UI_HEADER_LINES	4	/* tabs, view, totals, sparkline */
#define UI_FOOTER_LINES	2	/* status, message or prompt */
#define UI_RATES	3	/* the 2 s, 10 s and 40 s averages */
#define UI_SORT_RATE	1	/* which of them bps/pps order by */
#define UI_SORT_RATE_MSEC 10000	/* and its length */
#define UI_TRACK_SECS	60	/* per-row history, seconds */
#define UI_DRILL_MAX	16	/* pushed filters */
#define UI_CANDIDATES	8	/* completions shown */
#define UI_LINES_MAX	512	/* screen lines a click can map to a row */
#define CURSOR_STEPS_WINDOW 10	/* steps in a window: a step is a tenth */
#define CURSOR_STEPS_MAX 1000	/* steps one command moves at most */

struct engine;
struct event;
struct keymap;
struct history;
struct dns;
struct services;
struct view;
struct store;
struct recent;

enum ui_screen {
	UI_SCREEN_TOP,
	UI_SCREEN_PROTO,
	UI_SCREEN_FLOWS,
	UI_SCREEN_EXP,
	UI_SCREEN_IF,
	UI_SCREEN_CHAN,
	UI_SCREEN_ALERT,
	UI_SCREEN_MAX
};

/* The engine's three orders, and two that rank by the current rate. */
enum ui_order {
	UI_ORDER_BYTES,
	UI_ORDER_PACKETS,
	UI_ORDER_FLOWS,
	UI_ORDER_BPS,
	UI_ORDER_PPS,
	UI_ORDER_MAX
};

enum ui_prompt_kind {
	UI_PROMPT_FILTER,
	UI_PROMPT_AGGREGATE,
	UI_PROMPT_LIMIT,
	UI_PROMPT_COMMAND,
	UI_PROMPT_EXPORT,
	UI_PROMPT_MAX
};

enum ui_attr {
	UI_ATTR_TITLE,
	UI_ATTR_TAB,		/* the active view in the title bar */
	UI_ATTR_STATUS,
	UI_ATTR_COLUMNS,
	UI_ATTR_SORTED,
	UI_ATTR_SELECT,
	UI_ATTR_BAR,
	UI_ATTR_SPARK,
	UI_ATTR_ERROR,
	UI_ATTR_MARK,		/* PAUSED, frozen */
	UI_ATTR_DIM,
	UI_ATTR_TCP,
	UI_ATTR_UDP,
	UI_ATTR_ICMP,
	UI_ATTR_OTHER,
	UI_ATTR_ALERT,		/* alerts active, in the status line */
	UI_ATTR_CURSOR,		/* the history cursor is in the past */
	UI_ATTR_MAX
};

/* What the header shows, taken with the panel's snapshot. */
struct ui_hdr {
	struct key_spec		 spec;
	enum agg_order		 order;
	uint64_t		 window_msec;
	char			 filter[UI_FILTER_MAX];
	struct agg_counts	 totals;
	struct agg_counts	 rate[UI_RATES];	/* counts in the last N s */
	double			 rate_div[UI_RATES];	/* seconds they cover */
	double			 secs;		/* view_seconds() */
	int			 partial;
	size_t			 nkeys;
	uint64_t		 generation;	/* of the view, when taken */
	uint64_t		 head;		/* of the store, when taken */
	uint64_t		 evicted;
	uint64_t		 now_msec;
	struct agg_counts	 spark[SERIES_SECS];	/* per second, oldest */
};

/* A row's recent history: per second, and the 2/10/40 s sums. */
struct ui_track {
	struct agg_counts	 sec[UI_TRACK_SECS];	/* oldest first */
	struct agg_counts	 rate[UI_RATES];
};

/* Where a drill-down goes: the filter it pushes, the screen it shows. */
struct ui_drill {
	char			 filter[512];
	enum ui_screen		 screen;
	char			 aggregate[KEY_NAME_MAX];	/* "" = keep */
};

/* One pushed filter and the screen as it was before the push. */
struct ui_crumb {
	char			*piece;		/* "src ip 10.0.0.1" */
	enum ui_screen		 screen;
	char			 aggregate[KEY_NAME_MAX];
	size_t			 sel;
	size_t			 scroll;
};

struct ui;

/* A screen of the UI; each view-*.c file defines one. */
struct ui_panel {
	const char	*name;		/* "top", as the view command takes */
	const char	*label;		/* "Top", in the title bar */
	const char	*short_label;	/* "Proto": when all do not fit */
	void		(*create)(struct ui *);
	void		(*destroy)(struct ui *);
	void		(*enter)(struct ui *);	/* now shown; may be NULL */
	void		(*leave)(struct ui *);	/* now hidden; may be NULL */
	int		(*snap)(struct ui *, int force);	/* 1: changed */
	size_t		(*count)(const struct ui *);
	void		(*draw)(struct ui *, int y, int rows);
	int		(*drill)(struct ui *, size_t row, struct ui_drill *);
	void		(*click)(struct ui *, int x);	/* header; may be NULL */
};

/* What a draw depended on; equal stamps draw equal screens. */
void	draw_ch_stamp(const struct engine *, uint64_t[6]);

struct ui_stamp {
	uint64_t		 content;
	uint64_t		 head;
	uint64_t		 evicted;
	uint64_t		 datagrams;
	uint64_t		 drops;
	uint64_t		 lost;
	uint64_t		 malformed;
	uint64_t		 span_sec;
	uint64_t		 ch[6];		/* ClickHouse counters shown */
	uint32_t		 exporters;
	uint64_t		 pin_msec;	/* the history cursor */
	uint64_t		 pin_ago_sec;	/* "2m ago" moves on */
	size_t			 alerts;	/* active, in the status line */
	int			 read_done;
	int			 lines;
	int			 cols;
};

struct ui {
	struct engine		*e;
	struct event		*input;
	struct keymap		*km;
	SCREEN			*term;
	/* Settings (the settings file, then keys). */
	int			 utf8;
	int			 exact;		/* exact numbers, not 9.39M */
	int			 bits;		/* rates in bits/s, not bytes/s */
	int			 mouse;
	int			 theme;
	int			 no_color;
	enum spark_style	 spark;
	int			 attr[UI_ATTR_MAX];
	/* The screen. */
	enum ui_screen		 cur;
	void			*state[UI_SCREEN_MAX];	/* each panel's */
	size_t			 sel[UI_SCREEN_MAX];
	int			 sel_home;	/* new table: first row, not
						 * the old selection's key */
	size_t			 scroll[UI_SCREEN_MAX];
	int			 page;		/* table rows on screen */
	int			 table_y;	/* line of the column names */
	size_t			 line_row[UI_LINES_MAX];	/* row + 1 */
	int			 tab_x0[UI_SCREEN_MAX];	/* tabs in the title */
	int			 tab_x1[UI_SCREEN_MAX];
	int			 help;		/* the key list is shown */
	size_t			 help_scroll;
	int			 help_page;
	size_t			 help_lines;
	struct ui_hdr		 hdr;
	struct recent		*recent;	/* the last minute, kept up */
	uint64_t		 content;	/* bumped when a snapshot changed */
	/* The view as the UI sees it. */
	enum ui_order		 order;
	int			 frozen;	/* keep the row order */
	int			 burst;		/* top keys by peak second */
	int			 cumulative;	/* window all, until toggled back */
	uint64_t		 window_saved;
	void			*limit;		/* pcre2_code: row label regex */
	char			 limit_text[256];
	struct ui_crumb		 crumbs[UI_DRILL_MAX];
	int			 ncrumbs;
	char			*crumb_base;	/* the filter before the first */
	/* Names. */
	struct dns		*dns;		/* kept once made: see cmd_dns */
	int			 dns_on;
	struct services		*svc;
	/* The prompt. */
	int			 prompting;
	enum ui_prompt_kind	 pkind;
	struct prompt		 prompt;
	struct history		*hist[UI_PROMPT_MAX];
	size_t			 hist_pos;	/* 0: the line being typed */
	char			 hist_saved[UI_FILTER_MAX];
	char			 perr[1024];	/* under the prompt */
	size_t			 perr_at;	/* caret: character index */
	size_t			 perr_len;	/* characters marked */
	int			 has_perr;
	char			 pinfo[UI_MSG_MAX];	/* completions */
	/* State. */
	int			 paused;
	int			 quit;
	char			 msg[UI_MSG_MAX];
	int			 msg_error;
	struct ui_stamp		 drawn;
	int			 dirty;		/* draw at the next chance */
	int			 empty_reads;
	FILE			*frame_log;	/* NFTOP_FRAME_LOG */
	uint64_t		 snap_usec;	/* the last snapshot took */
};

/* ui.c */
const struct ui_panel *ui_panel(enum ui_screen);
const struct ui_panel *ui_panel_find(const char *);
void	ui_snap(struct ui *, int force);
void	ui_message(struct ui *, int error, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	ui_quit(struct ui *);
void	ui_show(struct ui *, enum ui_screen);
void	ui_select(struct ui *, long delta, int to_end);
void	ui_select_row(struct ui *, size_t row);
void	ui_home(struct ui *, enum ui_screen);
void	ui_line_row(struct ui *, int y, size_t row);
void	ui_scroll_keep(struct ui *, size_t count, int rows);
void	ui_mouse_set(struct ui *, int on);
enum agg_order ui_engine_order(enum ui_order);
int	ui_order_parse(const char *, enum ui_order *);
const char *ui_order_name(enum ui_order);
int	ui_order_is_rate(enum ui_order);
const char *ui_exporter(const struct ui *, uint16_t, char *, size_t);
uint64_t ui_now(const struct ui *);

/* snap.c: the header's numbers and the per-row histories. */
extern const unsigned snap_rate_secs[UI_RATES];
void	snap_header(struct ui *, int force, int *changed);
uint64_t snap_first_after(const struct store *, uint64_t msec);
uint64_t snap_metric(const struct ui *, const struct agg_counts *);
double	snap_rate(const struct ui *, const struct agg_counts *, int i);
const char *snap_rate_unit(const struct ui *);
void	snap_track(const struct ui *, const struct view *,
	    const struct key_spec *, const struct key *, size_t n,
	    struct ui_track *);

/* draw.c */
void	draw_screen(struct ui *);

/* view-help.c */
void	view_help_draw(struct ui *, int rows);

/* drill.c */
int	drill_push(struct ui *);
int	drill_pop(struct ui *);
void	drill_reset(struct ui *);
void	drill_breadcrumb(const struct ui *, char *, size_t);
const char *drill_addr(const struct flow_addr *, unsigned bits, char *,
	    size_t);

/* limit.c */
int	limit_set(struct ui *, const char *, char *err, size_t, int *col);
int	limit_match(const struct ui *, const char *);
void	limit_clear(struct ui *);

/* cursor.c: the history cursor and burst mode, as commands. */
void	cursor_cmd(struct ui *, int, char *const *);
void	cursor_burst(struct ui *, int, char *const *);
const char *cursor_status(const struct ui *, char *, size_t);
int	cursor_set(struct ui *, uint64_t at_msec);

/* view-chan.c, view-alert.c: their commands. */
void	chan_cmd(struct ui *, int, char *const *);
void	alert_jump(struct ui *, int, char *const *);

/* The panels. */
extern const struct ui_panel view_top_panel;
extern const struct ui_panel view_proto_panel;
extern const struct ui_panel view_flows_panel;
extern const struct ui_panel view_exp_panel;
extern const struct ui_panel view_if_panel;
extern const struct ui_panel view_chan_panel;
extern const struct ui_panel view_alert_panel;

#endif
