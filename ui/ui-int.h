/*
 * ui-int.h - the UI's own state, shared by the files of ui/ and by no one
 * else (main.c sees only ui.h).
 *
 * The screen is drawn from a snapshot of the engine's view (struct
 * ui_snap), taken when the view changed and not while the display is
 * paused; the status line reads the live counters.  struct ui_stamp is
 * what the screen showed at its last draw, so a tick that changes nothing
 * draws nothing.
 */
#ifndef NFTOP_UI_INT_H
#define NFTOP_UI_INT_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR	1
#endif
#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "keys.h"
#include "series.h"
#include "prompt.h"

#define UI_ROWS_MAX	1000	/* table rows a snapshot keeps */
#define UI_MSG_MAX	512
#define UI_FILTER_MAX	(PROMPT_MAX * 4 + 1)
#define UI_MIN_COLS	40
#define UI_MIN_LINES	8
#define UI_HEADER_LINES	4	/* title, totals, sparkline, column names */
#define UI_FOOTER_LINES	2	/* status, message or prompt */

struct engine;
struct event;
struct keymap;

enum ui_mode {
	UI_MODE_TOP,
	UI_MODE_HELP
};

enum ui_attr {
	UI_ATTR_TITLE,
	UI_ATTR_STATUS,
	UI_ATTR_COLUMNS,
	UI_ATTR_SORTED,
	UI_ATTR_BAR,
	UI_ATTR_ERROR,
	UI_ATTR_MARK,		/* PAUSED */
	UI_ATTR_MAX
};

/* The view as the table and header show it. */
struct ui_snap {
	struct key_spec		 spec;
	enum agg_order		 order;
	uint64_t		 window_msec;
	char			 filter[UI_FILTER_MAX];
	struct agg_counts	 totals;
	struct agg_counts	 other;		/* keys the table refused */
	double			 secs;		/* view_seconds() */
	int			 partial;
	size_t			 nkeys;		/* keys in the view */
	struct agg_entry	*rows;		/* best first */
	size_t			 nrows;
	uint64_t		 generation;	/* of the view, when taken */
	uint64_t		 head;		/* of the store, when taken */
	uint64_t		 evicted;
	uint64_t		 now_msec;
	uint64_t		 spark[SERIES_SECS];	/* bytes/s, oldest */
};

/* What a draw depended on; equal stamps draw equal screens. */
struct ui_stamp {
	uint64_t		 snap_generation;
	uint64_t		 snap_head;
	uint64_t		 snap_now_sec;
	uint64_t		 head;
	uint64_t		 evicted;
	uint64_t		 datagrams;
	uint64_t		 drops;
	uint64_t		 lost;
	uint64_t		 malformed;
	uint64_t		 span_sec;
	uint32_t		 exporters;
	int			 read_done;
	int			 lines;
	int			 cols;
};

struct ui {
	struct engine		*e;
	struct event		*input;
	struct keymap		*km;
	SCREEN			*screen;
	struct ui_snap		 snap;
	enum ui_mode		 mode;
	int			 prompting;
	struct prompt		 prompt;
	char			 retry[UI_FILTER_MAX];	/* a refused filter */
	int			 paused;
	int			 exact;		/* exact numbers, not 9.39M */
	int			 utf8;
	int			 quit;
	int			 attr[UI_ATTR_MAX];
	size_t			 scroll;	/* first table row shown */
	size_t			 help_scroll;
	int			 page;		/* table rows on screen */
	int			 help_page;
	size_t			 help_lines;
	char			 msg[UI_MSG_MAX];
	int			 msg_error;
	struct ui_stamp		 drawn;
	int			 dirty;		/* draw at the next chance */
	int			 empty_reads;
};

/* ui.c */
void	ui_snap_take(struct ui *, int force);
void	ui_message(struct ui *, int error, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	ui_quit(struct ui *);
void	ui_scroll(struct ui *, long delta, int to_end);

/* draw.c */
void	draw_screen(struct ui *);

/* view-top.c */
size_t	view_top_count(const struct ui *);
void	view_top_draw(struct ui *, int y, int rows);

/* view-help.c */
void	view_help_draw(struct ui *, int rows);

#endif
