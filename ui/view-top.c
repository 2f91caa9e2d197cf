/*
 * view-top.c - the top-talker table: rank, the aggregate's key fields,
 * bytes, packets and flows in the window, the 2 s / 10 s / 40 s rates,
 * share of the total, a sparkline of the last minute and a share bar.
 *
 * Rows come from the view's top-N, or, when ordering by bps or pps, from
 * an extra view over the last 10 s (so the order is exact over every key,
 * not only the largest of the window), with the window's counts looked up
 * beside.  A frozen order keeps the keys it had and looks their counts up
 * each tick; new keys stay off the table (the totals still count them).
 * A row label limit (a regex) picks rows from the largest keys.  When the
 * terminal is narrow, whole columns go, least useful first, but never the
 * key or the column the table is ordered by.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "burst.h"
#include "collector.h"
#include "dns.h"
#include "engine.h"
#include "keys.h"
#include "recent.h"
#include "services.h"
#include "spark.h"
#include "store.h"
#include "table.h"
#include "text.h"
#include "ui-int.h"
#include "units.h"
#include "view.h"
#include "xmalloc.h"

#define TOP_LIMIT_SCAN	50000	/* keys a label limit looks at */
#define TOP_CELL_MAX	128
#define TOP_NAME_MAX	40	/* columns a key field may take */
#define TOP_NAME_NARROW	26	/* ... on a screen under 120 columns */

struct top_state {
	struct agg_entry	*rows;		/* UI_ROWS_MAX */
	struct ui_track		*track;
	struct key		*keys;		/* scratch for recent_track */
	struct agg_entry	*cand;		/* TOP_LIMIT_SCAN */
	size_t			 nrows;
	struct agg_counts	 other;		/* keys the table refused */
	struct key		*frozen;	/* UI_ROWS_MAX */
	size_t			 nfrozen;
	struct view		*rate;		/* the last 10 s, for bps/pps */
	struct burst_entry	*burst;		/* UI_ROWS_MAX, burst mode */
	struct agg_counts	*peak;		/* each row's busiest second */
	uint64_t		 gen, rgen, head, evicted, now_sec;
	int			 valid;
	char			 spark_name[16];	/* "last 26s" */
};

/* Column indexes, for a table built in this order. */
enum {
	TOP_C_RANK,
	TOP_C_KEY,		/* one column per key field from here */
};

struct top_cols {
	int	key0, bytes, pkts, flows, rate[UI_RATES], peak, share, spark,
		bar;
};

static struct top_state *
top_state(const struct ui *u)
{
	return u->state[UI_SCREEN_TOP];
}

static void
top_create(struct ui *u)
{
	struct top_state *ts = xcalloc(1, sizeof(*ts));

	ts->rows = xcalloc(UI_ROWS_MAX, sizeof(*ts->rows));
	ts->track = xcalloc(UI_ROWS_MAX, sizeof(*ts->track));
	ts->keys = xcalloc(UI_ROWS_MAX, sizeof(*ts->keys));
	ts->frozen = xcalloc(UI_ROWS_MAX, sizeof(*ts->frozen));
	ts->peak = xcalloc(UI_ROWS_MAX, sizeof(*ts->peak));
	u->state[UI_SCREEN_TOP] = ts;
}

static void
top_leave(struct ui *u)
{
	struct top_state *ts = top_state(u);

	engine_view_remove(u->e, ts->rate);
	ts->rate = NULL;
	ts->valid = 0;
	recent_untrack(u->recent);
}

static void
top_destroy(struct ui *u)
{
	struct top_state *ts = top_state(u);

	if (ts == NULL)
		return;
	top_leave(u);
	free(ts->rows);
	free(ts->track);
	free(ts->keys);
	free(ts->cand);
	free(ts->frozen);
	free(ts->burst);
	free(ts->peak);
	free(ts);
	u->state[UI_SCREEN_TOP] = NULL;
}

/* The extra view exists exactly while the order is a rate. */
static void
top_rate_sync(struct ui *u)
{
	struct top_state *ts = top_state(u);
	enum agg_order o = ui_engine_order(u->order);
	char err[256];

	if (!ui_order_is_rate(u->order)) {
		engine_view_remove(u->e, ts->rate);
		ts->rate = NULL;
		return;
	}
	if (ts->rate != NULL && memcmp(&ts->rate->spec, &u->e->view->spec,
	    sizeof(ts->rate->spec)) == 0) {
		if (ts->rate->order != o)
			view_set_order(ts->rate, o);
		return;
	}
	engine_view_remove(u->e, ts->rate);
	ts->rate = engine_view_add(u->e, u->e->view->spec.name, o,
	    UI_SORT_RATE_MSEC, err, sizeof(err));
	if (ts->rate == NULL)
		ui_message(u, 1, "order: %s", err);
}

/* Is field f of the spec an address shown whole (no prefix)? */
static int
top_field_host(const struct key_spec *ks, int f)
{
	switch (ks->field[f]) {
	case KEY_SRCIP:
	case KEY_DSTIP:
	case KEY_IP:
	case KEY_NEXTHOP:
		return ks->prefix4[f] == 32 && ks->prefix6[f] == 128;
	default:
		return 0;
	}
}

static int
top_field_port(const struct key_spec *ks, int f)
{
	return ks->field[f] == KEY_SRCPORT || ks->field[f] == KEY_DSTPORT ||
	    ks->field[f] == KEY_PORT;
}

/* The protocol of a key, if one of its fields is the protocol; else 0. */
static uint8_t
top_key_proto(const struct key_spec *ks, const struct key *k)
{
	int f;

	for (f = 0; f < ks->n; f++)
		if (ks->field[f] == KEY_PROTO)
			return (uint8_t)key_field_number(ks, k, f);
	return 0;
}

/*
 * Field f of key k as the table shows it: a host name or a service name
 * when those are on and known, protocols by name, the rest as the batch
 * output prints them.  raw: the plain form too ("10.0.0.1 host.example"),
 * for the label limit.
 */
static const char *
top_field_text(struct ui *u, const struct key_spec *ks, const struct key *k,
    int f, int raw, char *buf, size_t len)
{
	struct flow_addr a;
	const char *name = NULL;
	char num[16], plain[64];

	uint16_t idx;

	key_format_field(ks, k, f, u->e->sources, plain, sizeof(plain));
	if (ks->field[f] == KEY_EXPORTER) {
		memcpy(&idx, k->b + ks->offset[f], 2);
		return ui_exporter(u, idx, buf, len);
	}
	if (ks->field[f] == KEY_PROTO) {
		snprintf(buf, len, "%s", flow_proto_name((uint8_t)
		    key_field_number(ks, k, f), num, sizeof(num)));
		return buf;
	}
	if (u->dns_on && top_field_host(ks, f)) {
		/* Only rows on screen are looked up; labels use the cache. */
		memcpy(a.b, k->b + ks->offset[f], 16);
		name = raw ? dns_cached(u->dns, &a) : dns_name(u->dns, &a);
	} else if (u->svc != NULL && top_field_port(ks, f))
		name = services_name(u->svc, (uint16_t)key_field_number(ks,
		    k, f), top_key_proto(ks, k));
	if (name == NULL)
		snprintf(buf, len, "%s", plain);
	else if (raw)
		snprintf(buf, len, "%s %s", plain, name);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

/* All fields, for the label limit. */
static const char *
top_label(struct ui *u, const struct key_spec *ks, const struct key *k,
    char *buf, size_t len)
{
	char f1[TOP_CELL_MAX];
	size_t off = 0;
	int f;

	buf[0] = '\0';
	for (f = 0; f < ks->n && off < len; f++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    f > 0 ? " " : "", top_field_text(u, ks, k, f, 1, f1,
		    sizeof(f1)));
	return buf;
}

/* Rows from a top-N, through the label limit; window counts beside. */
static void
top_rows_ranked(struct ui *u)
{
	struct top_state *ts = top_state(u);
	const struct view *v = u->e->view;
	const struct agg_table *src = ts->rate != NULL ? ts->rate->tab :
	    v->tab;
	const struct agg_entry *e;
	char label[512];
	size_t want = u->limit != NULL ? TOP_LIMIT_SCAN : UI_ROWS_MAX, n, i;

	if (ts->cand == NULL)
		ts->cand = xcalloc(TOP_LIMIT_SCAN, sizeof(*ts->cand));
	n = agg_top(src, ui_engine_order(u->order), want, ts->cand);
	ts->nrows = 0;
	for (i = 0; i < n && ts->nrows < UI_ROWS_MAX; i++) {
		if (u->limit != NULL && !limit_match(u, top_label(u, &v->spec,
		    &ts->cand[i].key, label, sizeof(label))))
			continue;
		ts->rows[ts->nrows] = ts->cand[i];
		if (ts->rate != NULL) {
			e = agg_get(v->tab, &ts->cand[i].key);
			if (e != NULL)
				ts->rows[ts->nrows] = *e;
			else {
				memset(&ts->rows[ts->nrows].c, 0,
				    sizeof(ts->rows[ts->nrows].c));
				memset(&ts->rows[ts->nrows].err, 0,
				    sizeof(ts->rows[ts->nrows].err));
			}
		}
		ts->nrows++;
	}
	if (u->limit == NULL && ts->rate == NULL)
		ts->other = v->tab->other;
}

/*
 * Burst mode: the keys by their busiest second in the window (the view's
 * order applied to that second), through the label limit.
 */
static void
top_rows_burst(struct ui *u)
{
	struct top_state *ts = top_state(u);
	const struct view *v = u->e->view;
	char label[512];
	size_t n, i;

	if (ts->burst == NULL)
		ts->burst = xcalloc(UI_ROWS_MAX, sizeof(*ts->burst));
	n = burst_top(v, UI_ROWS_MAX, ts->burst, NULL);
	ts->nrows = 0;
	for (i = 0; i < n; i++) {
		if (u->limit != NULL && !limit_match(u, top_label(u, &v->spec,
		    &ts->burst[i].key, label, sizeof(label))))
			continue;
		ts->rows[ts->nrows].key = ts->burst[i].key;
		ts->rows[ts->nrows].c = ts->burst[i].total;
		ts->peak[ts->nrows] = ts->burst[i].peak;
		ts->nrows++;
	}
}

/* Rows in the frozen order, with today's counts. */
static void
top_rows_frozen(struct ui *u)
{
	struct top_state *ts = top_state(u);
	const struct agg_entry *e;
	size_t i;

	for (i = 0; i < ts->nfrozen; i++) {
		ts->rows[i].key = ts->frozen[i];
		e = agg_get(u->e->view->tab, &ts->frozen[i]);
		if (e != NULL)
			ts->rows[i] = *e;
		else {
			memset(&ts->rows[i].c, 0, sizeof(ts->rows[i].c));
			memset(&ts->rows[i].err, 0, sizeof(ts->rows[i].err));
		}
	}
	ts->nrows = ts->nfrozen;
}

/*
 * The key of the selected row, to find it again after a new snapshot.
 * The first row is not followed: it stands for whoever is on top, so a
 * table nobody moved in keeps showing the top talkers as they change.
 */
static int
top_sel_key(const struct ui *u, struct key *k)
{
	const struct top_state *ts = top_state(u);
	size_t sel = u->sel[UI_SCREEN_TOP];

	if (sel == 0 || sel >= ts->nrows)
		return 0;
	*k = ts->rows[sel].key;
	return 1;
}

static void
top_sel_restore(struct ui *u, const struct key *k, size_t len)
{
	const struct top_state *ts = top_state(u);
	size_t i;

	for (i = 0; i < ts->nrows; i++)
		if (memcmp(ts->rows[i].key.b, k->b, len) == 0) {
			u->sel[UI_SCREEN_TOP] = i;
			return;
		}
}

/* Freezing keeps the keys on screen now, in their order. */
static void
top_freeze(struct ui *u)
{
	struct top_state *ts = top_state(u);
	size_t i;

	for (i = 0; i < ts->nrows; i++)
		ts->frozen[i] = ts->rows[i].key;
	ts->nfrozen = ts->nrows;
}

static int
top_snap(struct ui *u, int force)
{
	struct top_state *ts = top_state(u);
	const struct view *v = u->e->view;
	const struct store *st = v->store;
	struct key sel;
	size_t i;
	int have_sel;

	top_rate_sync(u);
	if (!force && ts->valid && ts->gen == v->generation &&
	    ts->head == st->head && ts->evicted == st->evicted &&
	    (st->head == 0 || ts->now_sec == st->now_msec / 1000) &&
	    (ts->rate == NULL || ts->rgen == ts->rate->generation))
		return 0;
	have_sel = !u->sel_home && top_sel_key(u, &sel);
	u->sel_home = 0;
	memset(&ts->other, 0, sizeof(ts->other));
	if (u->frozen && !ts->valid)
		u->frozen = 0;		/* nothing to keep */
	if (u->frozen && ts->nfrozen == 0)
		top_freeze(u);
	if (u->burst) {
		ts->nfrozen = 0;
		u->frozen = 0;
		top_rows_burst(u);
	} else if (u->frozen)
		top_rows_frozen(u);
	else {
		ts->nfrozen = 0;
		top_rows_ranked(u);
	}
	for (i = 0; i < ts->nrows; i++)
		ts->keys[i] = ts->rows[i].key;
	recent_track(u->recent, u, v, ts->keys, ts->nrows, ts->track);
	if (have_sel)
		top_sel_restore(u, &sel, v->spec.len);
	ts->gen = v->generation;
	ts->rgen = ts->rate != NULL ? ts->rate->generation : 0;
	ts->head = st->head;
	ts->evicted = st->evicted;
	ts->now_sec = st->now_msec / 1000;
	ts->valid = 1;
	return 1;
}

static int
top_has_other(const struct top_state *ts)
{
	const struct agg_counts *o = &ts->other;

	return o->flows + o->pkts + o->bytes > 0;
}

/* Table rows: the snapshot's, and one for refused keys if any. */
static size_t
top_count(const struct ui *u)
{
	const struct top_state *ts = top_state(u);

	return ts->nrows + (top_has_other(ts) ? 1 : 0);
}

/* Share of the total in the ordered quantity (the 10 s rate for rates). */
static double
top_share(const struct ui *u, size_t i)
{
	const struct top_state *ts = top_state(u);
	const struct agg_counts *c;
	uint64_t total;

	if (ui_order_is_rate(u->order)) {
		total = snap_metric(u, &u->hdr.rate[UI_SORT_RATE]);
		c = i < ts->nrows ? &ts->track[i].rate[UI_SORT_RATE] : NULL;
	} else {
		total = snap_metric(u, &u->hdr.totals);
		c = i < ts->nrows ? &ts->rows[i].c : &ts->other;
	}
	if (c == NULL || total == 0)
		return 0;
	return (double)snap_metric(u, c) / total;
}

static void
top_columns(struct ui *u, struct table *t, struct top_cols *tc)
{
	const struct key_spec *ks = &u->hdr.spec;
	static const char *const rname[UI_RATES] = { "2s", "10s", "40s" };
	int f, i, sorted;

	table_init(t);
	table_add(t, "#", TABLE_RIGHT, 6);
	tc->key0 = t->n;
	for (f = 0; f < ks->n; f++)
		table_add(t, key_field_name(ks->field[f]), TABLE_LEFT, 0);
	tc->bytes = table_add(t, "bytes", TABLE_RIGHT, 10);
	tc->pkts = table_add(t, "packets", TABLE_RIGHT, 5);
	tc->flows = table_add(t, "flows", TABLE_RIGHT, 4);
	for (i = 0; i < UI_RATES; i++)
		tc->rate[i] = table_add(t, rname[i], TABLE_RIGHT,
		    i == UI_SORT_RATE ? 9 : 3 - i / 2);
	tc->peak = u->burst ? table_add(t, "peak/s", TABLE_RIGHT, 9) : -1;
	tc->share = table_add(t, "share", TABLE_RIGHT, 7);
	tc->spark = table_add_flex(t, "last 60s", 8, 10, (int)(u->spark ==
	    SPARK_BRAILLE ? UI_TRACK_SECS / 2 : UI_TRACK_SECS));
	tc->bar = table_add_flex(t, "", 1, 6, 30);
	switch (u->order) {
	case UI_ORDER_PACKETS:
		sorted = tc->pkts;
		break;
	case UI_ORDER_FLOWS:
		sorted = tc->flows;
		break;
	case UI_ORDER_BPS:
	case UI_ORDER_PPS:
		sorted = tc->rate[UI_SORT_RATE];
		break;
	default:
		sorted = tc->bytes;
		break;
	}
	if (u->burst)
		sorted = tc->peak;
	t->sorted = sorted;
	t->col[sorted].prio = 0;
}

/* The sparkline's column says how many seconds it shows. */
static void
top_spark_name(struct ui *u, struct table *t, const struct top_cols *tc)
{
	struct top_state *ts = top_state(u);
	size_t n = spark_samples(u->spark, (size_t)t->col[tc->spark].w);

	if (n > UI_TRACK_SECS)
		n = UI_TRACK_SECS;
	snprintf(ts->spark_name, sizeof(ts->spark_name), "last %zus", n);
	t->col[tc->spark].name = ts->spark_name;
}

/*
 * A count; "~" before it when the row is an estimate (the key table was
 * full: the count is an upper bound, see agg.h).
 */
static void
top_count_text(const struct top_state *ts, size_t i, uint64_t n, int exact,
    char *buf, size_t len)
{
	const struct agg_counts *e;
	char num[64];

	units_count(n, exact, num, sizeof(num));
	e = i < ts->nrows ? &ts->rows[i].err : NULL;
	snprintf(buf, len, "%s%s", e != NULL && (e->flows | e->pkts |
	    e->bytes) != 0 ? "~" : "", num);
}

/* The text of one cell of row i; "" for none. */
static const char *
top_cell(struct ui *u, const struct top_cols *tc, size_t i, int col,
    char *buf, size_t len)
{
	const struct top_state *ts = top_state(u);
	const struct agg_counts *c = i < ts->nrows ? &ts->rows[i].c :
	    &ts->other;
	int r;

	buf[0] = '\0';
	if (col == TOP_C_RANK)
		snprintf(buf, len, i < ts->nrows ? "%zu" : "-", i + 1);
	else if (col >= tc->key0 && col < tc->key0 + u->hdr.spec.n) {
		if (i < ts->nrows)
			top_field_text(u, &u->hdr.spec, &ts->rows[i].key,
			    col - tc->key0, 0, buf, len);
		else if (col == tc->key0)
			snprintf(buf, len, "(other keys)");
	} else if (col == tc->bytes)
		top_count_text(ts, i, c->bytes, u->exact, buf, len);
	else if (col == tc->pkts)
		top_count_text(ts, i, c->pkts, u->exact, buf, len);
	else if (col == tc->flows)
		top_count_text(ts, i, c->flows, u->exact, buf, len);
	else if (col == tc->share)
		snprintf(buf, len, "%.1f%%", 100 * top_share(u, i));
	else if (col == tc->peak && i < ts->nrows)
		units_rate((double)snap_metric(u, &ts->peak[i]), u->exact, buf,
		    len);
	else
		for (r = 0; r < UI_RATES; r++)
			if (col == tc->rate[r] && i < ts->nrows)
				units_rate(snap_rate(u, &ts->track[i].rate[r],
				    r), u->exact, buf, len);
	return buf;
}

static void
top_measure(struct ui *u, struct table *t, const struct top_cols *tc,
    size_t first, size_t n)
{
	char buf[TOP_CELL_MAX];
	size_t i;
	int c;

	for (c = 0; c < t->n; c++)
		if (c >= tc->key0 && c < tc->key0 + u->hdr.spec.n &&
		    key_field_is_numeric(u->hdr.spec.field[c - tc->key0]) == 0)
			table_fit(t, c, "255.255.255.255");
	for (c = tc->key0; c < tc->key0 + u->hdr.spec.n; c++)
		table_cap(t, c, COLS < 120 ? TOP_NAME_NARROW : TOP_NAME_MAX);
	for (i = first; i < first + n; i++)
		for (c = 0; c < t->n; c++) {
			if (t->col[c].flex)
				continue;
			table_fit(t, c, top_cell(u, tc, i, c, buf,
			    sizeof(buf)));
		}
}

static void
top_draw_graphics(struct ui *u, const struct table *t,
    const struct top_cols *tc, int y, size_t i, int selected)
{
	const struct top_state *ts = top_state(u);
	wchar_t line[UI_TRACK_SECS + 1];
	uint64_t v[UI_TRACK_SECS];
	size_t n, k, cells;
	int a;

	if (t->col[tc->spark].show && i < ts->nrows) {
		n = spark_samples(u->spark, (size_t)t->col[tc->spark].w);
		if (n > UI_TRACK_SECS)
			n = UI_TRACK_SECS;
		for (k = 0; k < n; k++)
			v[k] = snap_metric(u,
			    &ts->track[i].sec[UI_TRACK_SECS - n + k]);
		cells = spark_line(v, n, spark_max(v, n), u->spark, line);
		a = selected ? u->attr[UI_ATTR_SELECT] : u->attr[UI_ATTR_SPARK];
		attron(a);
		mvaddnwstr(y, t->col[tc->spark].x + t->col[tc->spark].w -
		    (int)cells, line, (int)cells);
		attroff(a);
	}
	if (t->col[tc->bar].show) {
		wchar_t bar[32];

		spark_bar(top_share(u, i), (size_t)t->col[tc->bar].w, u->utf8,
		    bar);
		a = selected ? u->attr[UI_ATTR_SELECT] : u->attr[UI_ATTR_BAR];
		attron(a);
		mvaddnwstr(y, t->col[tc->bar].x, bar, t->col[tc->bar].w);
		attroff(a);
	}
}

/* What to say when the table is empty. */
static void
top_draw_empty(struct ui *u, int y)
{
	const struct engine *e = u->e;
	char buf[512];
	size_t off;
	int i;

	if (u->limit != NULL && e->store->head > 0)
		snprintf(buf, sizeof(buf), "no row label matches the limit"
		    " /%s/", u->limit_text);
	else if (e->store->head > 0)
		snprintf(buf, sizeof(buf), "no flows in this window match"
		    " the filter");
	else if (e->read_path != NULL)
		snprintf(buf, sizeof(buf), "%s flow records in %s",
		    e->read_done ? "no" : "reading", e->read_path);
	else {
		off = (size_t)snprintf(buf, sizeof(buf), "waiting for flow"
		    " records on udp");
		for (i = 0; e->coll != NULL && i < e->coll->n &&
		    off < sizeof(buf); i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
			    " %s", e->coll->l[i].name);
	}
	text_put(y, 1, COLS - 1, buf);
}

/* "1-17 of 788": where the page is, when the rows do not all fit. */
static const char *
top_pos(const struct ui *u, size_t first, size_t n, size_t count, char *buf,
    size_t len)
{
	const struct top_state *ts = top_state(u);

	buf[0] = '\0';
	if (count <= n || n == 0)
		return buf;
	/* "+": the view holds more keys than the table keeps. */
	snprintf(buf, len, "%zu-%zu of %zu%s", first + 1, first + n, count,
	    u->hdr.nkeys > ts->nrows && !u->frozen && u->limit == NULL ?
	    "+" : "");
	return buf;
}

/* The column names at line y, then rows lines of the table. */
static void
top_draw(struct ui *u, int y, int rows)
{
	struct table t;
	struct top_cols tc;
	char buf[TOP_CELL_MAX], pos[64];
	size_t count = top_count(u), n, j, i;
	int c, sel;

	if (rows < 1)
		return;
	ui_scroll_keep(u, count, rows);
	n = count - u->scroll[UI_SCREEN_TOP];
	if (n > (size_t)rows)
		n = (size_t)rows;
	top_columns(u, &t, &tc);
	top_measure(u, &t, &tc, u->scroll[UI_SCREEN_TOP], n);
	/* The page's place goes after the columns, which leave it room. */
	top_pos(u, u->scroll[UI_SCREEN_TOP], n, count, pos, sizeof(pos));
	table_layout(&t, COLS - (pos[0] != '\0' ? text_width(pos) + 1 : 0));
	top_spark_name(u, &t, &tc);
	table_header(u, &t, y);
	if (pos[0] != '\0')
		text_put(y, COLS - text_width(pos) - 1, text_width(pos), pos);
	if (count == 0) {
		top_draw_empty(u, y + 1);
		return;
	}
	for (j = 0; j < n; j++) {
		i = u->scroll[UI_SCREEN_TOP] + j;
		sel = i == u->sel[UI_SCREEN_TOP];
		ui_line_row(u, y + 1 + (int)j, i);
		table_row_attr(u, y + 1 + (int)j, sel);
		for (c = 0; c < t.n; c++)
			if (!t.col[c].flex)
				table_cell(&t, c, y + 1 + (int)j, top_cell(u,
				    &tc, i, c, buf, sizeof(buf)));
		table_row_end(u, sel);
		top_draw_graphics(u, &t, &tc, y + 1 + (int)j, i, sel);
	}
}

/* The filter primitive for field f of key k, nfdump syntax. */
static int
top_primitive(struct ui *u, const struct key_spec *ks, const struct key *k,
    int f, char *buf, size_t len)
{
	static const char *const dir[] = { "src ", "dst ", "" };
	struct flow_addr a;
	uint64_t n = key_field_number(ks, k, f);
	char addr[FLOW_ADDR_STRLEN + 8], num[16];
	unsigned bits;
	uint16_t idx;
	int d;

	switch (ks->field[f]) {
	case KEY_SRCIP:
	case KEY_DSTIP:
	case KEY_IP:
	case KEY_NEXTHOP:
		d = ks->field[f] == KEY_SRCIP ? 0 : ks->field[f] ==
		    KEY_DSTIP ? 1 : 2;
		memcpy(a.b, k->b + ks->offset[f], 16);
		bits = flow_addr_is4(&a) ? ks->prefix4[f] : ks->prefix6[f];
		drill_addr(&a, bits, addr, sizeof(addr));
		if (ks->field[f] == KEY_NEXTHOP)
			return bits == (flow_addr_is4(&a) ? 32u : 128u) ?
			    snprintf(buf, len, "next ip %s", addr) : -1;
		return snprintf(buf, len, "%s%s %s", dir[d], strchr(addr, '/')
		    != NULL ? "net" : "ip", addr);
	case KEY_SRCPORT:
	case KEY_DSTPORT:
	case KEY_PORT:
		d = ks->field[f] - KEY_SRCPORT;
		return snprintf(buf, len, "%sport %llu", dir[d],
		    (unsigned long long)n);
	case KEY_PROTO:
		/* Names nfdump knows by every spelling; numbers otherwise. */
		if (n == 1 || n == 6 || n == 17)
			return snprintf(buf, len, "proto %s",
			    flow_proto_name((uint8_t)n, num, sizeof(num)));
		return snprintf(buf, len, "proto %llu", (unsigned long long)n);
	case KEY_TOS:
		return snprintf(buf, len, "tos %llu", (unsigned long long)n);
	case KEY_SRCAS:
	case KEY_DSTAS:
	case KEY_AS:
		d = ks->field[f] - KEY_SRCAS;
		return snprintf(buf, len, "%sas %llu", dir[d],
		    (unsigned long long)n);
	case KEY_INIF:
	case KEY_OUTIF:
	case KEY_IF:
		d = ks->field[f] - KEY_INIF;
		return snprintf(buf, len, "%sif %llu", d == 0 ? "in " : d ==
		    1 ? "out " : "", (unsigned long long)n);
	case KEY_EXPORTER:
		memcpy(&idx, k->b + ks->offset[f], 2);
		if (idx >= u->e->sources->n)
			return -1;
		return snprintf(buf, len, "router ip %s", flow_addr_fmt(
		    &u->e->sources->v[idx].addr, addr, sizeof(addr)));
	}
	return -1;
}

/* After a drill on one field, the aggregate that says most next. */
static const char *
top_next_aggregate(enum key_field f)
{
	static const struct {
		enum key_field	 f;
		const char	*next;
	} next[] = {
		{ KEY_SRCIP, "dstip" }, { KEY_DSTIP, "srcip" },
		{ KEY_IP, "port" }, { KEY_SRCPORT, "dstip" },
		{ KEY_DSTPORT, "srcip" }, { KEY_PORT, "ip" },
		{ KEY_PROTO, "port" }, { KEY_SRCAS, "srcip" },
		{ KEY_DSTAS, "dstip" }, { KEY_AS, "ip" },
	};
	size_t i;

	for (i = 0; i < sizeof(next) / sizeof(next[0]); i++)
		if (next[i].f == f)
			return next[i].next;
	return "srcip";
}

static int
top_drill(struct ui *u, size_t row, struct ui_drill *d)
{
	const struct top_state *ts = top_state(u);
	const struct key_spec *ks = &u->hdr.spec;
	char prim[256];
	size_t off = 0;
	int f;

	if (row >= ts->nrows) {
		ui_message(u, 1, "drill: this row has no single key");
		return -1;
	}
	d->filter[0] = '\0';
	for (f = 0; f < ks->n; f++) {
		if (top_primitive(u, ks, &ts->rows[row].key, f, prim,
		    sizeof(prim)) < 0)
			continue;
		off += (size_t)snprintf(d->filter + off, sizeof(d->filter) -
		    off, "%s%s", off > 0 ? " and " : "", prim);
		if (off >= sizeof(d->filter))
			return -1;
	}
	if (off == 0) {
		ui_message(u, 1, "drill: no filter matches this row");
		return -1;
	}
	d->aggregate[0] = '\0';
	if (ks->n == 1) {
		d->screen = UI_SCREEN_TOP;
		snprintf(d->aggregate, sizeof(d->aggregate), "%s",
		    top_next_aggregate(ks->field[0]));
	} else
		d->screen = UI_SCREEN_FLOWS;
	return 0;
}

/* A click on a column name orders by it. */
static void
top_click(struct ui *u, int x)
{
	struct table t;
	struct top_cols tc;
	size_t count = top_count(u), n;
	int c, i;
	enum ui_order o = u->order;

	n = count - u->scroll[UI_SCREEN_TOP];
	if (n > (size_t)u->page)
		n = (size_t)u->page;
	top_columns(u, &t, &tc);
	top_measure(u, &t, &tc, u->scroll[UI_SCREEN_TOP], n);
	table_layout(&t, COLS);
	if ((c = table_col_at(&t, x)) < 0)
		return;
	if (c == tc.bytes)
		o = UI_ORDER_BYTES;
	else if (c == tc.pkts)
		o = UI_ORDER_PACKETS;
	else if (c == tc.flows)
		o = UI_ORDER_FLOWS;
	for (i = 0; i < UI_RATES; i++)
		if (c == tc.rate[i])
			o = u->order == UI_ORDER_PACKETS || u->order ==
			    UI_ORDER_PPS ? UI_ORDER_PPS : UI_ORDER_BPS;
	if (o == u->order)
		return;
	u->order = o;
	u->frozen = 0;
	engine_set_order(u->e, ui_engine_order(o));
	ui_home(u, UI_SCREEN_TOP);
	ui_snap(u, 1);
}

const struct ui_panel view_top_panel = {
	.name = "top",
	.label = "Top",
	.short_label = "Top",
	.create = top_create,
	.destroy = top_destroy,
	.enter = NULL,
	.leave = top_leave,
	.snap = top_snap,
	.count = top_count,
	.draw = top_draw,
	.drill = top_drill,
	.click = top_click,
};
