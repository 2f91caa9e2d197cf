/*
 * draw.c - the frame around the table: title, totals and sparkline at the
 * top; status line, message and prompt at the bottom.
 *
 * draw_screen() draws one whole frame into curses' buffer and refreshes
 * once; curses sends only what changed.  Lines are built from segments
 * that are dropped, last first, when the terminal is too narrow, and a
 * terminal below UI_MIN_COLS x UI_MIN_LINES gets one line saying so.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "engine.h"
#include "keymap.h"
#include "keyname.h"
#include "source.h"
#include "spark.h"
#include "store.h"
#include "text.h"
#include "ui-int.h"
#include "units.h"
#include "view.h"

#define DRAW_SEG_MAX		256
#define DRAW_SPARK_LABEL	11	/* "last 600s " */
#define DRAW_SPARK_PEAK		20	/* " peak 999M bits/s" */

/* A line filled segment by segment, two blanks apart. */
struct draw_line {
	int	y;
	int	x;
	int	end;		/* first column not to use */
	int	n;		/* segments drawn */
	int	full;		/* a segment did not fit: stop there */
};

static void
draw_line_start(struct draw_line *l, int y, int x, int end)
{
	l->y = y;
	l->x = x;
	l->end = end;
	l->n = 0;
	l->full = 0;
}

static void
draw_seg(struct draw_line *l, int attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
draw_seg(struct draw_line *l, int attr, const char *fmt, ...)
{
	char buf[DRAW_SEG_MAX];
	va_list ap;
	int w, gap;

	if (l->full)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	gap = l->n > 0 ? 2 : 0;
	w = text_width(buf);
	if (l->x + gap + w > l->end) {
		l->full = 1;
		return;
	}
	attron(attr);
	l->x += gap + text_put(l->y, l->x + gap, w, buf);
	attroff(attr);
	l->n++;
}

/* A whole line in one attribute, as the title and status bars are. */
static void
draw_bar(int y, int attr)
{
	attron(attr);
	mvhline(y, 0, ' ', COLS);
	attroff(attr);
}

static void
draw_title(struct ui *u, int y)
{
	const struct ui_snap *s = &u->snap;
	struct draw_line l;
	int a = u->attr[UI_ATTR_TITLE];
	char w[16];

	draw_bar(y, a);
	draw_line_start(&l, y, 1, COLS);
	draw_seg(&l, a | A_BOLD, "nftop");
	draw_seg(&l, a, "window %s%s", view_window_fmt(s->window_msec, w,
	    sizeof(w)), s->partial ? " (partial history)" : "");
	draw_seg(&l, a, "aggregate %s", s->spec.name);
	draw_seg(&l, a, "order %s", agg_order_name(s->order));
	/* The filter may be long: it gets whatever is left. */
	if (!l.full && l.x + 2 + 8 < COLS) {
		attron(a);
		l.x += 2 + text_put(y, l.x + 2, 7, "filter ");
		text_put(y, l.x, COLS - l.x, s->filter);
		attroff(a);
	}
}

static void
draw_totals(struct ui *u, int y)
{
	const struct ui_snap *s = &u->snap;
	struct draw_line l;
	char a[32], b[32], c[32], d[32], e[32], f[32];

	draw_line_start(&l, y, 1, COLS);
	draw_seg(&l, A_BOLD, "%s flows  %s packets  %s bytes",
	    units_count(s->totals.flows, u->exact, a, sizeof(a)),
	    units_count(s->totals.pkts, u->exact, b, sizeof(b)),
	    units_count(s->totals.bytes, u->exact, c, sizeof(c)));
	draw_seg(&l, A_NORMAL, "%s bits/s  %s packets/s",
	    units_rate(s->totals.bytes * 8.0 / s->secs, u->exact, d,
	    sizeof(d)),
	    units_rate(s->totals.pkts / s->secs, u->exact, e, sizeof(e)));
	draw_seg(&l, A_NORMAL, "%s keys", units_count(s->nkeys, u->exact,
	    f, sizeof(f)));
	draw_seg(&l, A_NORMAL, "over %s", units_duration((uint64_t)(s->secs *
	    1000), a, sizeof(a)));
}

/*
 * Bytes per second over the last seconds, newest on the right, then the
 * peak as a rate.  The peak's text decides how many seconds fit: if it is
 * wider than planned, fewer seconds are shown (whose peak is no larger).
 */
static void
draw_spark(struct ui *u, int y)
{
	const struct ui_snap *s = &u->snap;
	wchar_t line[SERIES_SECS + 1];
	uint64_t max;
	char label[32], peak[64], r[32];
	int n = COLS - DRAW_SPARK_LABEL - DRAW_SPARK_PEAK, fit;

	if (n < 4)
		return;
	if (n > SERIES_SECS)
		n = SERIES_SECS;
	max = spark_max(s->spark + SERIES_SECS - n, (size_t)n);
	snprintf(peak, sizeof(peak), " peak %s bits/s",
	    units_rate(max * 8.0, u->exact, r, sizeof(r)));
	fit = COLS - DRAW_SPARK_LABEL - text_width(peak) - 1;
	if (fit < 4)
		return;
	if (fit < n) {
		n = fit;
		max = spark_max(s->spark + SERIES_SECS - n, (size_t)n);
		snprintf(peak, sizeof(peak), " peak %s bits/s",
		    units_rate(max * 8.0, u->exact, r, sizeof(r)));
	}
	snprintf(label, sizeof(label), " last %ds", n);
	text_put(y, 0, DRAW_SPARK_LABEL, label);
	spark_line(s->spark + SERIES_SECS - n, (size_t)n, max, u->utf8,
	    line);
	attron(u->attr[UI_ATTR_BAR]);
	mvaddnwstr(y, DRAW_SPARK_LABEL, line, n);
	attroff(u->attr[UI_ATTR_BAR]);
	text_put(y, DRAW_SPARK_LABEL + n, COLS - DRAW_SPARK_LABEL - n, peak);
}

static void
draw_status(struct ui *u, int y)
{
	const struct engine *e = u->e;
	const struct source_table *t = e->sources;
	const struct store *st = e->store;
	struct draw_line l;
	uint64_t lost = 0, malformed = 0, unsup;
	uint32_t i, exporters = 0;
	int a = u->attr[UI_ATTR_STATUS];
	char n1[32], n2[32], n3[32], n4[32], n5[32], d[32];

	/* A source that never sent anything (the packet meter) is none. */
	for (i = 0; i < t->n; i++) {
		lost += t->v[i].lost;
		malformed += t->v[i].malformed;
		if (t->v[i].datagrams > 0 || t->v[i].records > 0)
			exporters++;
	}
	unsup = e->dec.stats.outcome[DECODE_UNSUPPORTED];
	draw_bar(y, a);
	draw_line_start(&l, y, 1, COLS);
	if (u->paused)
		draw_seg(&l, u->attr[UI_ATTR_MARK], "PAUSED");
	draw_seg(&l, a, "lost %s", units_count(lost, u->exact, n1,
	    sizeof(n1)));
	draw_seg(&l, a, "malformed %s", units_count(malformed, u->exact, n2,
	    sizeof(n2)));
	draw_seg(&l, a, "kernel drops %s", units_count(engine_kernel_drops(e),
	    u->exact, n3, sizeof(n3)));
	draw_seg(&l, a, "retained %s records, %s", units_count(st->head -
	    st->evicted, u->exact, n4, sizeof(n4)),
	    units_duration(store_span_msec(st), d, sizeof(d)));
	draw_seg(&l, a, "%u exporter%s", exporters, exporters == 1 ? "" :
	    "s");
	if (unsup > 0)
		draw_seg(&l, a, "unsupported %s", units_count(unsup, u->exact,
		    n5, sizeof(n5)));
	if (e->read_path != NULL)
		draw_seg(&l, a, "%s %s", e->read_done ? "read" : "reading",
		    e->read_path);
}

/* "? help  q quit ...": the first key bound to each common command. */
static void
draw_hints(struct ui *u, int y)
{
	static const struct {
		const char	*cmd;
		const char	*arg;
		const char	*label;
	} hints[] = {
		{ "help", NULL, "help" },
		{ "quit", NULL, "quit" },
		{ "filter-prompt", NULL, "filter" },
		{ "sort", "bytes", "bytes" },
		{ "sort", "packets", "packets" },
		{ "sort", "flows", "flows" },
		{ "aggregate", "next", "aggregate" },
		{ "window", "next", "window" },
		{ "pause", NULL, "pause" },
		{ "units", NULL, "units" },
	};
	const struct keymap_binding *b;
	struct draw_line l;
	const char *label;
	char key[32];
	size_t i;

	draw_line_start(&l, y, 1, COLS);
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		if ((b = keymap_find_cmd(u->km, hints[i].cmd,
		    hints[i].arg)) == NULL)
			continue;
		label = hints[i].label;
		if (strcmp(label, "pause") == 0 && u->paused)
			label = "resume";
		draw_seg(&l, A_NORMAL, "%s %s", keyname_format(b->key, key,
		    sizeof(key)), label);
	}
}

/* The filter prompt, scrolled so that the cursor stays in view. */
static void
draw_prompt(struct ui *u, int y)
{
	const struct prompt *p = &u->prompt;
	size_t start = 0, i, n;
	int lw, w, cols = 0, cw;

	attron(A_BOLD);
	lw = text_put(y, 0, COLS / 2, p->label);
	attroff(A_BOLD);
	w = COLS - lw - 1;
	if (w < 1)
		return;
	for (i = 0; i < p->cur; i++)
		cols += wcwidth(p->buf[i]) > 1 ? 2 : 1;
	while (cols >= w && start < p->cur) {
		cols -= wcwidth(p->buf[start]) > 1 ? 2 : 1;
		start++;
	}
	for (i = start, n = 0, cw = 0; i < p->len; i++, n++) {
		cw += wcwidth(p->buf[i]) > 1 ? 2 : 1;
		if (cw > w)
			break;
	}
	mvaddnwstr(y, lw, p->buf + start, (int)n);
	move(y, lw + cols);
	curs_set(1);
}

static void
draw_bottom(struct ui *u, int y)
{
	int a;

	if (u->prompting) {
		draw_prompt(u, y);
		return;
	}
	if (u->msg[0] != '\0') {
		a = u->msg_error ? u->attr[UI_ATTR_ERROR] : (int)A_NORMAL;
		attron(a);
		text_put(y, 1, COLS - 1, u->msg);
		attroff(a);
		return;
	}
	if (u->mode == UI_MODE_HELP) {
		text_put(y, 1, COLS - 1, "any key returns; the scrolling keys"
		    " scroll this list");
		return;
	}
	draw_hints(u, y);
}

static void
draw_too_small(void)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "too small: %dx%d (nftop needs %dx%d)",
	    COLS, LINES, UI_MIN_COLS, UI_MIN_LINES);
	text_put(0, 0, COLS, buf);
}

void
draw_screen(struct ui *u)
{
	erase();
	curs_set(0);
	if (LINES < UI_MIN_LINES || COLS < UI_MIN_COLS)
		draw_too_small();
	else if (u->mode == UI_MODE_HELP) {
		view_help_draw(u, LINES - 1);
		draw_bottom(u, LINES - 1);
	} else {
		draw_title(u, 0);
		draw_totals(u, 1);
		draw_spark(u, 2);
		view_top_draw(u, 3, LINES - UI_HEADER_LINES -
		    UI_FOOTER_LINES);
		draw_status(u, LINES - 2);
		draw_bottom(u, LINES - 1);
	}
	refresh();
}
