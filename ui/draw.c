/*
 * draw.c - the frame around the panels: the title bar with the views,
 * the view line (window, aggregate, order, the filter's breadcrumb),
 * totals with the 2 s / 10 s / 40 s rates, and the sparkline at the top;
 * the status line, and the message, hints or prompt at the bottom.
 *
 * draw_screen() draws one whole frame into curses' buffer and refreshes
 * once; curses sends only what changed.  Lines are built from segments
 * that are dropped, last first, when the terminal is too narrow, and a
 * terminal below UI_MIN_COLS x UI_MIN_LINES gets one line saying so.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ch-sink.h"
#include "ch-source.h"
#include "alert.h"
#include "clock.h"
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

#define DRAW_SEG_MAX		512
#define DRAW_SPARK_LABEL	11	/* "last 600s " */

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

/*
 * " nftop  1 Top  2 Protocols ...", with the views' short labels when
 * the long ones do not all fit ("2 Proto ... 5 If"), so that no view's
 * tab is cut off an 80-column terminal.  Returns whether all fitted.
 */
static int
draw_tabs(struct ui *u, struct draw_line *l, int a, int brief)
{
	const struct keymap_binding *b;
	const struct ui_panel *p;
	const char *label;
	int i, x0;
	char key[32];

	draw_line_start(l, l->y, 1, COLS);
	draw_seg(l, a | A_BOLD, "nftop");
	for (i = 0; i < UI_SCREEN_MAX; i++) {
		p = ui_panel((enum ui_screen)i);
		label = brief ? p->short_label : p->label;
		b = keymap_find_cmd(u->km, "view", p->name);
		x0 = l->x + 2;
		if (b != NULL)
			draw_seg(l, i == (int)u->cur ? u->attr[UI_ATTR_TAB] :
			    a, " %s %s ", keyname_format(b->key, key,
			    sizeof(key)), label);
		else
			draw_seg(l, i == (int)u->cur ? u->attr[UI_ATTR_TAB] :
			    a, " %s ", label);
		u->tab_x0[i] = x0;
		u->tab_x1[i] = l->full ? x0 : l->x;
		l->x -= l->full ? 0 : 1;	/* tabs sit closer */
	}
	return !l->full;
}

/* The tabs, and the clock at the right. */
static void
draw_title(struct ui *u, int y)
{
	struct draw_line l;
	int a = u->attr[UI_ATTR_TITLE];
	char when[32];

	draw_bar(y, a);
	l.y = y;
	if (!draw_tabs(u, &l, a, 0)) {
		draw_bar(y, a);
		draw_tabs(u, &l, a, 1);
	}
	if (u->e->store->head == 0)
		return;
	clock_fmt_iso(u->hdr.now_msec, when, sizeof(when));
	if (l.x + 4 + text_width(when) < COLS) {
		attron(a);
		text_put(y, COLS - text_width(when) - 1, text_width(when),
		    when);
		attroff(a);
	}
}

/* "window 1m  aggregate srcip  order bytes  filter any > src ip X". */
static void
draw_view_line(struct ui *u, int y)
{
	const struct ui_hdr *h = &u->hdr;
	struct draw_line l;
	char w[16], crumbs[UI_FILTER_MAX + 64];
	int fx;

	draw_line_start(&l, y, 1, COLS);
	draw_seg(&l, A_NORMAL, "window %s%s", view_window_fmt(h->window_msec,
	    w, sizeof(w)), u->cumulative ? " (cumulative)" : h->partial ?
	    " (partial history)" : "");
	draw_seg(&l, A_NORMAL, "aggregate %s", h->spec.name);
	draw_seg(&l, A_NORMAL, "order %s", ui_order_name(u->order));
	if (u->burst)
		draw_seg(&l, u->attr[UI_ATTR_MARK], "burst: by peak second");
	if (u->frozen)
		draw_seg(&l, u->attr[UI_ATTR_MARK], "frozen");
	if (u->limit != NULL)
		draw_seg(&l, u->attr[UI_ATTR_MARK], "limit /%s/",
		    u->limit_text);
	/* The filter may be long: it gets whatever is left. */
	if (l.full || l.x + 2 + 8 >= COLS)
		return;
	drill_breadcrumb(u, crumbs, sizeof(crumbs));
	fx = l.x + 2 + text_put(y, l.x + 2, 7, "filter ");
	attron(A_BOLD);
	text_put(y, fx, COLS - fx, crumbs);
	attroff(A_BOLD);
}

static void
draw_totals(struct ui *u, int y)
{
	static const char *const rn[UI_RATES] = { "2s", "10s", "40s" };
	const struct ui_hdr *h = &u->hdr;
	struct draw_line l;
	char a[32], b[32], c[32], r[UI_RATES][32], avg[32], k[32], o[32];
	int i;

	draw_line_start(&l, y, 1, COLS);
	draw_seg(&l, A_BOLD, "%s flows  %s packets  %s bytes",
	    units_count(h->totals.flows, u->exact, a, sizeof(a)),
	    units_count(h->totals.pkts, u->exact, b, sizeof(b)),
	    units_count(h->totals.bytes, u->exact, c, sizeof(c)));
	for (i = 0; i < UI_RATES; i++)
		units_rate(snap_rate(u, &h->rate[i], i), u->exact, r[i],
		    sizeof(r[i]));
	draw_seg(&l, A_NORMAL, "%s %s  %s %s  %s %s %s", rn[0], r[0], rn[1],
	    r[1], rn[2], r[2], snap_rate_unit(u));
	draw_seg(&l, A_NORMAL, "avg %s", units_rate(snap_metric(u,
	    &h->totals) / h->secs, u->exact, avg, sizeof(avg)));
	draw_seg(&l, A_NORMAL, "%s key%s", units_count(h->nkeys, u->exact, k,
	    sizeof(k)), h->nkeys == 1 ? "" : "s");
	draw_seg(&l, A_NORMAL, "over %s", units_duration((uint64_t)(h->secs *
	    1000), o, sizeof(o)));
}

/*
 * The ordered quantity per second over the last seconds, newest on the
 * right, then its peak.  The peak's text decides how many seconds fit:
 * if it is wider than planned, fewer seconds are shown.
 */
static void
draw_spark(struct ui *u, int y)
{
	const struct ui_hdr *h = &u->hdr;
	wchar_t line[SERIES_SECS + 1];
	uint64_t v[SERIES_SECS], max;
	char label[32], peak[64], r[32];
	size_t n, i, cells, fit;

	if (COLS < DRAW_SPARK_LABEL + 24)
		return;
	for (i = 0; i < SERIES_SECS; i++)
		v[i] = snap_metric(u, &h->spark[i]);
	cells = (size_t)COLS - DRAW_SPARK_LABEL - 24;
	for (;;) {
		n = spark_samples(u->spark, cells);
		if (n > SERIES_SECS)
			n = SERIES_SECS;
		max = spark_max(v + SERIES_SECS - n, n);
		snprintf(peak, sizeof(peak), " peak %s %s", units_rate(
		    (double)max, u->exact, r, sizeof(r)), snap_rate_unit(u));
		fit = (size_t)COLS - DRAW_SPARK_LABEL - (size_t)
		    text_width(peak) - 1;
		if (fit >= cells || cells < 4)
			break;
		cells = fit;
	}
	snprintf(label, sizeof(label), " last %zus", n);
	text_put(y, 0, DRAW_SPARK_LABEL, label);
	cells = spark_line(v + SERIES_SECS - n, n, max, u->spark, line);
	attron(u->attr[UI_ATTR_SPARK]);
	mvaddnwstr(y, DRAW_SPARK_LABEL, line, (int)cells);
	attroff(u->attr[UI_ATTR_SPARK]);
	text_put(y, DRAW_SPARK_LABEL + (int)cells, COLS - DRAW_SPARK_LABEL -
	    (int)cells, peak);
}

/* The ClickHouse counters the status line shows, for the redraw stamp. */
void
draw_ch_stamp(const struct engine *e, uint64_t ch[6])
{
	struct ch_sink_stats k;
	struct ch_source_stats q;

	memset(ch, 0, 6 * sizeof(*ch));
	if (e->ch_sink != NULL) {
		ch_sink_stats(e->ch_sink, &k);
		ch[0] = k.sent;
		ch[1] = k.queued;
		ch[2] = k.dropped;
		ch[3] = k.failed;
	}
	if (e->ch_source != NULL) {
		ch_source_stats(e->ch_source, &q);
		ch[4] = q.rounds;
		ch[5] = q.failed;
	}
}

/* "clickhouse up sent 1.2M queued 0 dropped 0", DOWN marked. */
static void
draw_clickhouse(struct ui *u, struct draw_line *l, int a)
{
	struct ch_sink_stats k;
	struct ch_source_stats q;
	char n1[32], n2[32], n3[32];
	int down;

	if (u->e->ch_sink != NULL) {
		ch_sink_stats(u->e->ch_sink, &k);
		down = !k.connected && k.failed > 0;
		draw_seg(l, down ? u->attr[UI_ATTR_MARK] : a, "clickhouse %s"
		    " sent %s queued %s dropped %s", down ? "DOWN" : "up",
		    units_count(k.sent, u->exact, n1, sizeof(n1)),
		    units_count(k.queued, u->exact, n2, sizeof(n2)),
		    units_count(k.dropped, u->exact, n3, sizeof(n3)));
	}
	if (u->e->ch_source != NULL) {
		ch_source_stats(u->e->ch_source, &q);
		down = !q.connected && q.failed > 0;
		draw_seg(l, down ? u->attr[UI_ATTR_MARK] : a, "from clickhouse"
		    " %s %s rows", down ? "DOWN" : "up", units_count(q.rows,
		    u->exact, n1, sizeof(n1)));
	}
}

/*
 * When the key table is full: "~ rows are estimates, a key not shown
 * has at most B" in the order's unit, and how many new keys evicted
 * others (agg.h).
 */
static void
draw_estimates(struct ui *u, struct draw_line *l, int a)
{
	const struct agg_table *t = u->e->view->tab;
	const char *unit = u->bits ? "bits" : "bytes";
	struct agg_counts b;
	char n1[32], n2[32];

	if (!agg_approximate(t))
		return;
	if (u->order == UI_ORDER_PACKETS || u->order == UI_ORDER_PPS)
		unit = "packets";
	else if (u->order == UI_ORDER_FLOWS)
		unit = "flows";
	agg_bound(t, &b);
	draw_seg(l, u->attr[UI_ATTR_MARK], "~ others <= %s %s, %s keys capped",
	    units_count(snap_metric(u, &b), u->exact, n1, sizeof(n1)), unit,
	    units_count(t->capped, u->exact, n2, sizeof(n2)));
}

/*
 * The alerts marker ("ALERTS 2": a word first, so that no script that
 * reads table rows by their leading number takes it for one) and the
 * history cursor's moment, first: they change what every number on the
 * screen means.
 */
static void
draw_analysis(struct ui *u, struct draw_line *l, int a)
{
	size_t n = u->e->alerts != NULL ? alerts_active(u->e->alerts) : 0;
	char at[96];

	if (n > 0)
		draw_seg(l, u->attr[UI_ATTR_ALERT], "ALERT%s %zu", n == 1 ?
		    "" : "S", n);
	cursor_status(u, at, sizeof(at));
	draw_seg(l, u->e->pin_msec != 0 ? u->attr[UI_ATTR_CURSOR] : a, "%s",
	    at);
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
	draw_analysis(u, &l, a);
	draw_clickhouse(u, &l, a);
	draw_estimates(u, &l, a);
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
		{ "view", "next", "view" },
		{ "filter-prompt", NULL, "filter" },
		{ "drill", NULL, "drill" },
		{ "back", NULL, "back" },
		{ "aggregate", "next", "aggregate" },
		{ "window", "next", "window" },
		{ "pause", NULL, "pause" },
		{ "export", NULL, "export" },
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

static int
draw_wcols(wchar_t c)
{
	return wcwidth(c) > 1 ? 2 : 1;
}

/*
 * The prompt, scrolled so that the cursor stays in view; returns the
 * screen column of character caret (for the error line), or -1, and
 * leaves the cursor column in *cx.
 */
static int
draw_prompt(struct ui *u, int y, size_t caret, int *cx)
{
	const struct prompt *p = &u->prompt;
	size_t start = 0, i, n;
	int lw, w, cols = 0, cw, at = -1;

	mvhline(y, 0, ' ', COLS);
	attron(A_BOLD);
	lw = text_put(y, 0, COLS / 2, p->label);
	attroff(A_BOLD);
	*cx = lw;
	w = COLS - lw - 1;
	if (w < 1)
		return -1;
	for (i = 0; i < p->cur; i++)
		cols += draw_wcols(p->buf[i]);
	while (cols >= w && start < p->cur) {
		cols -= draw_wcols(p->buf[start]);
		start++;
	}
	for (i = start, n = 0, cw = 0; i < p->len; i++, n++) {
		if (i == caret)
			at = lw + cw;
		cw += draw_wcols(p->buf[i]);
		if (cw > w)
			break;
	}
	if (caret >= p->len && caret >= start)
		at = lw + cw;
	mvaddnwstr(y, lw, p->buf + start, (int)n);
	*cx = lw + cols;
	move(y, *cx);
	curs_set(1);
	return at;
}

/* The most lines a long error takes above the prompt. */
#define PROMPT_ERROR_LINES	3

/*
 * Under the prompt: a caret at the error and its message, beside the
 * caret when it fits there, else whole, wrapped, on the lines just above
 * the prompt (over the table's last rows, while the prompt is open).
 */
static void
draw_prompt_error(struct ui *u, int y, int at)
{
	char carets[64];
	size_t n = u->perr_len < sizeof(carets) - 1 ? u->perr_len :
	    sizeof(carets) - 1;
	int x = at < 0 ? 0 : at, w, lines, top, row;

	memset(carets, '^', n);
	carets[n] = '\0';
	attron(u->attr[UI_ATTR_ERROR]);
	w = text_put(y, x, COLS - x, carets);
	if (x + w + 2 + text_width(u->perr) <= COLS)
		text_put(y, x + w + 2, COLS - x - w - 2, u->perr);
	else if (x > text_width(u->perr) + 1)
		text_put(y, 0, x - 1, u->perr);
	else {
		lines = text_wrapped_lines(COLS - 2, PROMPT_ERROR_LINES,
		    u->perr);
		top = y - 1 - lines;
		if (top < 0)
			top = 0;
		for (row = top; row < y - 1; row++)
			mvhline(row, 0, ' ', COLS);
		text_put_wrapped(top, 1, COLS - 2, y - 1 - top, u->perr);
	}
	attroff(u->attr[UI_ATTR_ERROR]);
}

/* The last two lines: status and hints, or a prompt and its notes. */
static void
draw_bottom(struct ui *u)
{
	int a, at, cx;

	if (u->prompting && (u->has_perr || u->pinfo[0] != '\0')) {
		at = draw_prompt(u, LINES - 2, u->has_perr ? u->perr_at :
		    (size_t)-1, &cx);
		mvhline(LINES - 1, 0, ' ', COLS);
		if (u->has_perr)
			draw_prompt_error(u, LINES - 1, at);
		else
			text_put(LINES - 1, 1, COLS - 1, u->pinfo);
		/* The cursor belongs on the prompt line. */
		move(LINES - 2, cx);
		return;
	}
	if (!u->help)
		draw_status(u, LINES - 2);
	if (u->prompting) {
		draw_prompt(u, LINES - 1, (size_t)-1, &cx);
		return;
	}
	if (u->msg[0] != '\0') {
		a = u->msg_error ? u->attr[UI_ATTR_ERROR] : (int)A_NORMAL;
		attron(a);
		text_put(LINES - 1, 1, COLS - 1, u->msg);
		attroff(a);
		return;
	}
	if (u->help) {
		text_put(LINES - 1, 1, COLS - 1, "any key returns; the"
		    " scrolling keys scroll this list");
		return;
	}
	draw_hints(u, LINES - 1);
}

/* On two short lines, so that a narrow terminal shows all of it. */
static void
draw_too_small(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "too small: %dx%d", COLS, LINES);
	text_put(0, 0, COLS, buf);
	snprintf(buf, sizeof(buf), "nftop needs %dx%d", UI_MIN_COLS,
	    UI_MIN_LINES);
	if (LINES > 1)
		text_put(1, 0, COLS, buf);
}

void
draw_screen(struct ui *u)
{
	erase();
	curs_set(0);
	memset(u->line_row, 0, sizeof(u->line_row));
	u->table_y = -1;
	if (LINES < UI_MIN_LINES || COLS < UI_MIN_COLS)
		draw_too_small();
	else if (u->help) {
		view_help_draw(u, LINES - 1);
		draw_bottom(u);
	} else {
		draw_title(u, 0);
		draw_view_line(u, 1);
		draw_totals(u, 2);
		draw_spark(u, 3);
		ui_panel(u->cur)->draw(u, UI_HEADER_LINES, LINES -
		    UI_HEADER_LINES - UI_FOOTER_LINES - 1);
		draw_bottom(u);
	}
	refresh();
}
