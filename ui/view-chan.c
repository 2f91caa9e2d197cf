/*
 * view-chan.c - NfSen's profile in the terminal: one row per channel (a
 * named filter) with its flows, packets and bytes in the window, its
 * 10 s and average rates, and a sparkline over the whole window.
 *
 * Each profile has a line of its own, "[live]", with the totals of the
 * records any of its channels matched, and its channels below it.  The
 * sparklines are aligned: every row covers the same seconds, one cell
 * for the same stretch of time, and all are drawn against one scale (the
 * busiest cell of any row), so that a glance down the column compares
 * channels as NfSen's graphs do.  The quantity follows the sort keys:
 * bits (or bytes), packets or flows.  A channel's share is of its
 * profile's total; channels overlap freely (a flow may be in several),
 * so the shares need not add up to 100%.  Channels count every record,
 * whatever the view's filter, over the view's window and at the history
 * cursor's moment.
 *
 * The channels and their counts are the engine's (channel.h); this file
 * takes a copy of them each tick, draws it, turns Enter on a row into a
 * drill-down to the channel's filter, and runs the `channel add` and
 * `channel del` commands through the engine's calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "engine.h"
#include "filter.h"
#include "spark.h"
#include "store.h"
#include "table.h"
#include "text.h"
#include "ui-int.h"
#include "units.h"
#include "view.h"
#include "xmalloc.h"

#define CHAN_CELL	(CHAN_FILTER + 64)
#define CHAN_FILTER	512
#define CHAN_RATE_SECS	10
#define CHAN_ROWS	(CHANNEL_MAX + CHANNEL_PROFILES_MAX)

/* A row: a profile (the union of its channels), or one channel. */
struct chan_row {
	char			 name[CHANNEL_NAME_MAX + 2];
	char			 filter[CHAN_FILTER];
	int			 profile;	/* a profile's line */
	struct agg_counts	 totals;	/* in the window */
	struct agg_counts	 base;		/* its profile's totals */
	struct agg_counts	 rate10;	/* in its last 10 s */
	struct agg_counts	 sec[SERIES_SECS];	/* oldest first */
};

struct chan_snap {
	struct chan_row		 row[CHAN_ROWS];
	size_t			 n;
	size_t			 nsecs;		/* seconds sec[] covers */
	double			 rate_div;	/* seconds rate10 covers */
	double			 secs;		/* seconds the totals cover */
};

struct chan_state {
	struct chan_snap	 snap;
	uint64_t		 gen, head, evicted, now_sec;
	int			 valid;
};

struct chan_cols {
	int	name, filter, flows, pkts, bytes, share, rate, avg, spark;
};

static struct chan_state *
chan_state(const struct ui *u)
{
	return u->state[UI_SCREEN_CHAN];
}

static void
chan_create(struct ui *u)
{
	u->state[UI_SCREEN_CHAN] = xcalloc(1, sizeof(struct chan_state));
}

static void
chan_destroy(struct ui *u)
{
	struct chan_state *cs = chan_state(u);

	if (cs == NULL)
		return;
	free(cs);
	u->state[UI_SCREEN_CHAN] = NULL;
}

static void
chan_leave(struct ui *u)
{
	chan_state(u)->valid = 0;
}

/*
 * Seconds the sparklines span: the window, or (window all) what the
 * retained history covers; never more than the series keeps.
 */
static size_t
chan_span(const struct ui *u, const struct channel_set *cs)
{
	uint64_t oldest, newest, w = cs->window_msec;

	if (w == 0) {
		engine_history_span(u->e, &oldest, &newest);
		w = newest > oldest ? newest - oldest + 1000 : 1000;
	}
	w /= 1000;
	return w < 1 ? 1 : w > SERIES_SECS ? SERIES_SECS : (size_t)w;
}

/* A series' last nsecs seconds up to end_sec, and its last 10 s. */
static void
chan_series(const struct series *se, uint64_t end_sec, size_t nsecs,
    struct chan_row *r)
{
	uint64_t back;
	size_t i;

	memset(r->sec, 0, sizeof(r->sec));
	memset(&r->rate10, 0, sizeof(r->rate10));
	for (i = 0; i < nsecs; i++) {
		back = nsecs - 1 - i;
		if (back > end_sec)
			continue;
		series_get(se, end_sec - back, &r->sec[i]);
		if (back < CHAN_RATE_SECS) {
			r->rate10.flows += r->sec[i].flows;
			r->rate10.pkts += r->sec[i].pkts;
			r->rate10.bytes += r->sec[i].bytes;
		}
	}
}

/* "(f1) or (f2)": what a profile's line counts, for its drill-down. */
static void
chan_union(const struct channel *const *list, size_t n, char *buf,
    size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s(%s)",
		    i > 0 ? " or " : "", filter_text(list[i]->filter));
	if (n == 0)
		snprintf(buf, len, "none");
}

/* Copies every profile and channel of the engine's set. */
static void
chan_take(struct ui *u, struct chan_snap *s)
{
	const struct channel_set *cs = u->e->channels;
	const struct channel *list[CHANNEL_MAX];
	uint64_t end_sec = channel_set_end_msec(cs) / 1000;
	struct chan_row *r;
	size_t i, n;
	int p;

	s->n = 0;
	s->nsecs = chan_span(u, cs);
	s->secs = channel_set_seconds(cs);
	s->rate_div = s->secs < CHAN_RATE_SECS ? s->secs : CHAN_RATE_SECS;
	for (p = 0; p < cs->nprofiles && s->n < CHAN_ROWS; p++) {
		n = channel_list(cs, p, list, CHANNEL_MAX);
		r = &s->row[s->n++];
		snprintf(r->name, sizeof(r->name), "[%s]",
		    cs->profiles[p].name);
		chan_union(list, n, r->filter, sizeof(r->filter));
		r->profile = 1;
		r->totals = r->base = cs->profiles[p].totals;
		chan_series(&cs->profiles[p].series, end_sec, s->nsecs, r);
		for (i = 0; i < n && s->n < CHAN_ROWS; i++) {
			r = &s->row[s->n++];
			snprintf(r->name, sizeof(r->name), "%s",
			    list[i]->name);
			snprintf(r->filter, sizeof(r->filter), "%s",
			    filter_text(list[i]->filter));
			r->profile = 0;
			r->totals = list[i]->totals;
			r->base = cs->profiles[p].totals;
			chan_series(&list[i]->series, end_sec, s->nsecs, r);
		}
	}
}

static int
chan_snap(struct ui *u, int force)
{
	struct chan_state *cs = chan_state(u);
	const struct channel_set *set = u->e->channels;
	const struct store *st = u->e->store;

	if (set == NULL) {
		cs->snap.n = 0;
		return !cs->valid ? (cs->valid = 1) : 0;
	}
	if (!force && cs->valid && cs->gen == set->generation &&
	    cs->head == st->head && cs->evicted == st->evicted &&
	    cs->now_sec == st->now_msec / 1000)
		return 0;
	chan_take(u, &cs->snap);
	cs->gen = set->generation;
	cs->head = st->head;
	cs->evicted = st->evicted;
	cs->now_sec = st->now_msec / 1000;
	cs->valid = 1;
	return 1;
}

static size_t
chan_count(const struct ui *u)
{
	return chan_state(u)->snap.n;
}

static void
chan_columns(struct ui *u, struct table *t, struct chan_cols *cc)
{
	table_init(t);
	cc->name = table_add(t, "channel", TABLE_LEFT, 0);
	cc->filter = table_add(t, "filter", TABLE_LEFT, 2);
	cc->flows = table_add(t, "flows", TABLE_RIGHT, 5);
	cc->pkts = table_add(t, "packets", TABLE_RIGHT, 6);
	cc->bytes = table_add(t, "bytes", TABLE_RIGHT, 8);
	cc->share = table_add(t, "share", TABLE_RIGHT, 3);
	cc->rate = table_add(t, "10s", TABLE_RIGHT, 7);
	cc->avg = table_add(t, "avg", TABLE_RIGHT, 4);
	cc->spark = table_add_flex(t, "", 9, 8, SERIES_SECS);
	switch (u->order) {
	case UI_ORDER_PACKETS:
	case UI_ORDER_PPS:
		t->sorted = cc->pkts;
		break;
	case UI_ORDER_FLOWS:
		t->sorted = cc->flows;
		break;
	default:
		t->sorted = cc->bytes;
		break;
	}
	t->col[t->sorted].prio = 0;
	table_cap(t, cc->filter, 30);
}

static double
chan_share(const struct ui *u, const struct chan_row *r)
{
	uint64_t all = snap_metric(u, &r->base);

	return all > 0 ? (double)snap_metric(u, &r->totals) / all : 0;
}

static const char *
chan_cell(struct ui *u, const struct chan_cols *cc, const struct chan_row *r,
    int col, char *buf, size_t len)
{
	const struct chan_snap *s = &chan_state(u)->snap;

	buf[0] = '\0';
	if (col == cc->name)
		snprintf(buf, len, "%s", r->name);
	else if (col == cc->filter)
		snprintf(buf, len, "%s", r->filter);
	else if (col == cc->flows)
		units_count(r->totals.flows, u->exact, buf, len);
	else if (col == cc->pkts)
		units_count(r->totals.pkts, u->exact, buf, len);
	else if (col == cc->bytes)
		units_count(r->totals.bytes, u->exact, buf, len);
	else if (col == cc->share)
		snprintf(buf, len, "%.1f%%", 100 * chan_share(u, r));
	else if (col == cc->rate)
		units_rate(snap_metric(u, &r->rate10) / s->rate_div, u->exact,
		    buf, len);
	else if (col == cc->avg)
		units_rate(snap_metric(u, &r->totals) / s->secs, u->exact,
		    buf, len);
	return buf;
}

/*
 * The sparklines' time axis: n cells of bucket seconds each, the newest
 * on the right; a whole number of seconds a cell, so that every cell
 * means the same stretch of time in every row.
 */
struct chan_axis {
	size_t	n;
	size_t	bucket;
};

static void
chan_axis(const struct chan_snap *s, size_t cells, struct chan_axis *ax)
{
	if (cells == 0 || s->nsecs == 0) {
		ax->n = 0;
		ax->bucket = 1;
		return;
	}
	ax->bucket = (s->nsecs + cells - 1) / cells;
	ax->n = s->nsecs / ax->bucket;
}

/* Each cell's mean per second over its bucket. */
static void
chan_samples(const struct ui *u, const struct chan_row *r,
    const struct chan_axis *ax, uint64_t *v)
{
	const struct chan_snap *s = &chan_state(u)->snap;
	size_t i, k, from;
	uint64_t sum;

	for (i = 0; i < ax->n; i++) {
		from = s->nsecs - (ax->n - i) * ax->bucket;
		for (k = from, sum = 0; k < from + ax->bucket; k++)
			sum += snap_metric(u, &r->sec[k]);
		v[i] = sum / ax->bucket;
	}
}

/* One scale for every row: the busiest cell of any row. */
static uint64_t
chan_scale(const struct ui *u, const struct chan_axis *ax, uint64_t *v)
{
	const struct chan_snap *s = &chan_state(u)->snap;
	uint64_t max = 0, m;
	size_t i;

	for (i = 0; i < s->n; i++) {
		chan_samples(u, &s->row[i], ax, v);
		if ((m = spark_max(v, ax->n)) > max)
			max = m;
	}
	return max;
}

/*
 * Over the sparklines: "bits/s, last 1m00s, 3s a cell, peak 9.39M", or
 * as much of it as fits the column.
 */
static void
chan_spark_title(struct ui *u, const struct table *t,
    const struct chan_cols *cc, int y, const struct chan_axis *ax,
    uint64_t max)
{
	char span[32], cell[32], peak[32], buf[4][160];
	const char *unit = snap_rate_unit(u);
	int i, w = t->col[cc->spark].w;

	units_duration(ax->n * ax->bucket * 1000, span, sizeof(span));
	units_duration(ax->bucket * 1000, cell, sizeof(cell));
	units_rate((double)max, u->exact, peak, sizeof(peak));
	snprintf(buf[0], sizeof(buf[0]), "%s, last %s, %s a cell, peak %s",
	    unit, span, cell, peak);
	snprintf(buf[1], sizeof(buf[1]), "%s, last %s, peak %s", unit, span,
	    peak);
	snprintf(buf[2], sizeof(buf[2]), "peak %s %s", peak, unit);
	snprintf(buf[3], sizeof(buf[3]), "last %s", span);
	for (i = 0; i < 3 && text_width(buf[i]) > w; i++)
		;
	attron(u->attr[UI_ATTR_COLUMNS]);
	text_put(y, t->col[cc->spark].x, w, buf[i]);
	attroff(u->attr[UI_ATTR_COLUMNS]);
}

static void
chan_draw_spark(struct ui *u, const struct table *t,
    const struct chan_cols *cc, int y, const struct chan_row *r,
    const struct chan_axis *ax, uint64_t max, int sel)
{
	wchar_t line[SERIES_SECS + 1];
	uint64_t v[SERIES_SECS];
	size_t cells;
	int a;

	chan_samples(u, r, ax, v);
	cells = spark_line(v, ax->n, max, u->spark, line);
	a = sel ? u->attr[UI_ATTR_SELECT] : u->attr[UI_ATTR_SPARK];
	attron(a);
	mvaddnwstr(y, t->col[cc->spark].x, line, (int)cells);
	attroff(a);
}

static void
chan_draw(struct ui *u, int y, int rows)
{
	const struct chan_snap *s = &chan_state(u)->snap;
	struct table t;
	struct chan_cols cc;
	uint64_t scratch[SERIES_SECS], max = 0;
	char buf[CHAN_CELL];
	struct chan_axis ax = { 0, 1 };
	size_t count = s->n, i, j, first;
	int c, sel;

	if (rows < 1)
		return;
	ui_scroll_keep(u, count, rows);
	first = u->scroll[UI_SCREEN_CHAN];
	chan_columns(u, &t, &cc);
	for (i = 0; i < count; i++)
		for (c = 0; c < t.n; c++)
			if (!t.col[c].flex)
				table_fit(&t, c, chan_cell(u, &cc, &s->row[i],
				    c, buf, sizeof(buf)));
	table_layout(&t, COLS);
	if (t.col[cc.spark].show) {
		chan_axis(s, spark_samples(u->spark,
		    (size_t)t.col[cc.spark].w), &ax);
		max = chan_scale(u, &ax, scratch);
	}
	table_header(u, &t, y);
	if (ax.n > 0)
		chan_spark_title(u, &t, &cc, y, &ax, max);
	if (count == 0) {
		text_put(y + 1, 1, COLS - 1, u->e->channels == NULL ?
		    "no channels in this run" : "no channels: ':channel add"
		    " NAME FILTER' adds one");
		return;
	}
	for (j = 0; j < (size_t)rows && first + j < count; j++) {
		i = first + j;
		sel = i == u->sel[UI_SCREEN_CHAN];
		ui_line_row(u, y + 1 + (int)j, i);
		table_row_attr(u, y + 1 + (int)j, sel);
		/* A profile's line stands out from its channels. */
		if (s->row[i].profile)
			attron(A_BOLD);
		for (c = 0; c < t.n; c++)
			if (!t.col[c].flex)
				table_cell(&t, c, y + 1 + (int)j, chan_cell(u,
				    &cc, &s->row[i], c, buf, sizeof(buf)));
		if (s->row[i].profile)
			attroff(A_BOLD);
		table_row_end(u, sel);
		if (ax.n > 0)
			chan_draw_spark(u, &t, &cc, y + 1 + (int)j,
			    &s->row[i], &ax, max, sel);
	}
}

/* Enter: the channel's filter, its top talkers. */
static int
chan_drill(struct ui *u, size_t row, struct ui_drill *d)
{
	const struct chan_snap *s = &chan_state(u)->snap;

	if (row >= s->n)
		return -1;
	if (snprintf(d->filter, sizeof(d->filter), "%s", s->row[row].filter)
	    >= (int)sizeof(d->filter)) {
		ui_message(u, 1, "drill: the channel's filter is too long");
		return -1;
	}
	d->screen = UI_SCREEN_TOP;
	snprintf(d->aggregate, sizeof(d->aggregate), "srcip");
	return 0;
}

/* channel add NAME FILTER, channel del NAME: in the first profile. */
void
chan_cmd(struct ui *u, int argc, char *const *argv)
{
	struct channel_set *cs = u->e->channels;
	char err[512];

	if (cs == NULL) {
		ui_message(u, 1, "channel: there are no channels in this run");
		return;
	}
	if (strcmp(argv[0], "add") == 0) {
		if (channel_add(cs, NULL, argv[1], argv[2], err,
		    sizeof(err)) < 0) {
			ui_message(u, 1, "channel add: %s", err);
			return;
		}
		ui_message(u, 0, "channel %s added: %s", argv[1], argv[2]);
	} else {
		if (channel_remove(cs, NULL, argv[1]) != 0) {
			ui_message(u, 1, "channel del: no channel '%s' in"
			    " profile %s", argv[1], cs->nprofiles > 0 ?
			    cs->profiles[0].name : "live");
			return;
		}
		ui_message(u, 0, "channel %s removed", argv[1]);
	}
	ui_snap(u, 1);
}

const struct ui_panel view_chan_panel = {
	.name = "channels",
	.label = "Channels",
	.short_label = "Chan",
	.create = chan_create,
	.destroy = chan_destroy,
	.enter = NULL,
	.leave = chan_leave,
	.snap = chan_snap,
	.count = chan_count,
	.draw = chan_draw,
	.drill = chan_drill,
	.click = NULL,
};
