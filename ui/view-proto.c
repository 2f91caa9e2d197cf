/*
 * view-proto.c - NfSen's default graph in the terminal: traffic by
 * protocol (TCP, UDP, ICMP, other) as a table with a sparkline each, a
 * stacked graph of the last minutes, and the top services below.
 *
 * The classes' window totals come from the view's per-protocol counters;
 * their per-second history from one walk over the retained records of
 * the graph's time span.  Services are an extra view keyed (proto, port),
 * which counts a record on both its ports as nfdump -s port does, so a
 * service's share is the share of traffic that touches it; the view
 * exists only while this screen is shown.  The quantity graphed follows
 * the order: bits (or bytes), packets or flows per second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "services.h"
#include "spark.h"
#include "store.h"
#include "table.h"
#include "text.h"
#include "ui-int.h"
#include "units.h"
#include "view.h"
#include "xmalloc.h"

#define PROTO_SECS	300	/* graph history, seconds */
#define PROTO_SVC_MAX	200
#define PROTO_SVC_SCAN	600	/* service keys looked at */
#define PROTO_CELL	96
#define PROTO_AXIS	9	/* the graph's value column */

enum {
	PC_TCP,
	PC_UDP,
	PC_ICMP,
	PC_OTHER,
	PC_N
};

static const char *const proto_class_name[PC_N] = {
	"tcp", "udp", "icmp", "other"
};
static const char *const proto_class_filter[PC_N] = {
	"proto tcp", "proto udp", "(proto icmp or proto 58)",
	"not (proto tcp or proto udp or proto icmp or proto 58)"
};
static const wchar_t proto_glyph_utf8[PC_N] = { 0x2588, 0x2593, 0x2592,
	0x2591 };
static const wchar_t proto_glyph_ascii[PC_N] = { L'#', L'=', L'+', L'.' };
static const int proto_attr[PC_N] = { UI_ATTR_TCP, UI_ATTR_UDP,
	UI_ATTR_ICMP, UI_ATTR_OTHER };

struct proto_state {
	struct agg_counts	 cls[PC_N];		/* in the window */
	struct agg_counts	 rate[PC_N][UI_RATES];
	struct agg_counts	 sec[PC_N][PROTO_SECS];	/* oldest first */
	struct agg_entry	*svc;			/* PROTO_SVC_SCAN */
	size_t			 nsvc;
	struct view		*svc_view;
	size_t			 svc_scroll;
	uint64_t		 gen, sgen, head, evicted, now_sec;
	int			 valid;
};

struct proto_layout {
	int	classes;	/* lines: header, 4 classes, total */
	int	graph;		/* graph lines (with its legend) */
	int	svc;		/* service lines (with the header) */
};

static struct proto_state *
proto_state(const struct ui *u)
{
	return u->state[UI_SCREEN_PROTO];
}

static int
proto_class(uint8_t p)
{
	switch (p) {
	case 6:
		return PC_TCP;
	case 17:
		return PC_UDP;
	case 1:
	case 58:
		return PC_ICMP;
	default:
		return PC_OTHER;
	}
}

static void
proto_create(struct ui *u)
{
	struct proto_state *ps = xcalloc(1, sizeof(*ps));

	ps->svc = xcalloc(PROTO_SVC_SCAN, sizeof(*ps->svc));
	u->state[UI_SCREEN_PROTO] = ps;
}

static void
proto_leave(struct ui *u)
{
	struct proto_state *ps = proto_state(u);

	engine_view_remove(u->e, ps->svc_view);
	ps->svc_view = NULL;
	ps->valid = 0;
}

static void
proto_destroy(struct ui *u)
{
	struct proto_state *ps = proto_state(u);

	if (ps == NULL)
		return;
	proto_leave(u);
	free(ps->svc);
	free(ps);
	u->state[UI_SCREEN_PROTO] = NULL;
}

static void
proto_add(struct agg_counts *a, const struct flow_rec *r)
{
	a->flows += r->flags & FLOW_F_CONT ? 0 : 1;
	a->pkts += r->pkts;
	a->bytes += r->bytes;
}

/* Per-second and 2/10/40 s counts by class, from the retained records. */
static void
proto_history(struct ui *u)
{
	static const unsigned secs[UI_RATES] = { 2, 10, 40 };
	struct proto_state *ps = proto_state(u);
	const struct view *v = u->e->view;
	const struct store *st = v->store;
	const struct flow_rec *r;
	uint64_t now = ui_now(u), now_sec = now / 1000, from, seq, back;
	unsigned bit = 1u << v->slot;
	int c, i;

	memset(ps->sec, 0, sizeof(ps->sec));
	memset(ps->rate, 0, sizeof(ps->rate));
	from = now_sec + 1 > PROTO_SECS ? (now_sec + 1 - PROTO_SECS) * 1000 :
	    0;
	/* A search, not a walk back from the newest: the cursor may be far
	 * behind it. */
	seq = from > 0 ? snap_first_after(st, from - 1) : store_oldest(st);
	for (; seq < st->head; seq++) {
		store_poll(st, seq);
		r = store_get(st, seq);
		if (r->recv_msec > now)
			break;		/* after the history cursor */
		if (!(r->views & bit))
			continue;
		c = proto_class(r->proto);
		back = r->recv_msec / 1000 >= now_sec ? 0 :
		    now_sec - r->recv_msec / 1000;
		if (back < PROTO_SECS)
			proto_add(&ps->sec[c][PROTO_SECS - 1 - back], r);
		for (i = 0; i < UI_RATES; i++)
			if (r->recv_msec + secs[i] * 1000ULL > now)
				proto_add(&ps->rate[c][i], r);
	}
}

static void
proto_services(struct ui *u)
{
	struct proto_state *ps = proto_state(u);
	size_t n, i;
	uint8_t p;
	char err[256];

	if (ps->svc_view == NULL) {
		ps->svc_view = engine_view_add(u->e, "proto,port",
		    ui_engine_order(u->order), ENGINE_WINDOW_FOLLOW, err,
		    sizeof(err));
		if (ps->svc_view == NULL) {
			ui_message(u, 1, "services: %s", err);
			ps->nsvc = 0;
			return;
		}
	}
	if (ps->svc_view->order != ui_engine_order(u->order))
		view_set_order(ps->svc_view, ui_engine_order(u->order));
	n = agg_top(ps->svc_view->tab, ps->svc_view->order, PROTO_SVC_SCAN,
	    ps->svc);
	ps->nsvc = 0;
	for (i = 0; i < n && ps->nsvc < PROTO_SVC_MAX; i++) {
		p = (uint8_t)key_field_number(&ps->svc_view->spec,
		    &ps->svc[i].key, 0);
		if (p == 6 || p == 17 || p == 132)
			ps->svc[ps->nsvc++] = ps->svc[i];
	}
}

static int
proto_snap(struct ui *u, int force)
{
	struct proto_state *ps = proto_state(u);
	const struct view *v = u->e->view;
	const struct store *st = v->store;
	int p;

	if (!force && ps->valid && ps->gen == v->generation &&
	    ps->head == st->head && ps->evicted == st->evicted &&
	    (st->head == 0 || ps->now_sec == st->now_msec / 1000) &&
	    ps->svc_view != NULL &&
	    ps->sgen == ps->svc_view->generation)
		return 0;
	memset(ps->cls, 0, sizeof(ps->cls));
	for (p = 0; p < 256; p++) {
		ps->cls[proto_class((uint8_t)p)].flows += v->proto[p].flows;
		ps->cls[proto_class((uint8_t)p)].pkts += v->proto[p].pkts;
		ps->cls[proto_class((uint8_t)p)].bytes += v->proto[p].bytes;
	}
	proto_history(u);
	proto_services(u);
	ps->gen = v->generation;
	ps->sgen = ps->svc_view != NULL ? ps->svc_view->generation : 0;
	ps->head = st->head;
	ps->evicted = st->evicted;
	ps->now_sec = st->now_msec / 1000;
	ps->valid = 1;
	return 1;
}

static size_t
proto_count(const struct ui *u)
{
	return PC_N + proto_state(u)->nsvc;
}

static void
proto_layout(int lines, struct proto_layout *l)
{
	l->classes = lines < PC_N + 2 ? lines : PC_N + 2;
	l->graph = l->svc = 0;
	if (lines < l->classes + 6)
		return;
	l->graph = (lines - l->classes) / 2;
	if (l->graph > 13)
		l->graph = 13;
	l->svc = lines - l->classes - l->graph;
}

static const char *
proto_num(const struct ui *u, uint64_t v, char *buf, size_t len)
{
	return units_count(v, u->exact, buf, len);
}

static void
proto_draw_classes(struct ui *u, int y, int lines)
{
	static const char *const rn[UI_RATES] = { "2s", "10s", "40s" };
	struct proto_state *ps = proto_state(u);
	struct agg_counts tot = { 0, 0, 0 }, *c;
	uint64_t v[UI_TRACK_SECS], all = snap_metric(u, &u->hdr.totals);
	wchar_t line[UI_TRACK_SECS + 1];
	struct table t;
	char buf[PROTO_CELL];
	int k, i, row, spark, c0, sel;
	size_t n, cells, s;

	table_init(&t);
	c0 = table_add(&t, "protocol", TABLE_LEFT, 0);
	table_add(&t, "flows", TABLE_RIGHT, 4);
	table_add(&t, "packets", TABLE_RIGHT, 5);
	table_add(&t, "bytes", TABLE_RIGHT, 9);
	table_add(&t, "share", TABLE_RIGHT, 7);
	for (i = 0; i < UI_RATES; i++)
		table_add(&t, rn[i], TABLE_RIGHT, i == 1 ? 8 : 3 - i / 2);
	spark = table_add_flex(&t, "last 60s", 6, 10, (int)(u->spark ==
	    SPARK_BRAILLE ? UI_TRACK_SECS / 2 : UI_TRACK_SECS));
	table_fit(&t, c0, "other");
	for (k = 0; k < PC_N; k++) {
		tot.flows += ps->cls[k].flows;
		tot.pkts += ps->cls[k].pkts;
		tot.bytes += ps->cls[k].bytes;
	}
	for (i = 1; i < 8; i++) {
		table_fit(&t, i, "100.0%");
		table_fit(&t, i, proto_num(u, tot.bytes, buf, sizeof(buf)));
		table_fit(&t, i, proto_num(u, tot.pkts, buf, sizeof(buf)));
	}
	for (k = 0; k < PC_N; k++)
		for (i = 0; i < UI_RATES; i++)
			table_fit(&t, 5 + i, units_rate(snap_rate(u,
			    &ps->rate[k][i], i), u->exact, buf, sizeof(buf)));
	table_layout(&t, COLS);
	table_header(u, &t, y);
	for (row = 0; row <= PC_N && row + 1 < lines; row++) {
		c = row < PC_N ? &ps->cls[row] : &tot;
		sel = row < PC_N && (size_t)row == u->sel[UI_SCREEN_PROTO];
		if (row < PC_N)
			ui_line_row(u, y + 1 + row, (size_t)row);
		table_row_attr(u, y + 1 + row, sel);
		if (!sel && row < PC_N)
			attron(u->attr[proto_attr[row]]);
		table_cell(&t, 0, y + 1 + row, row < PC_N ?
		    proto_class_name[row] : "total");
		if (!sel && row < PC_N)
			attroff(u->attr[proto_attr[row]]);
		table_cell(&t, 1, y + 1 + row, proto_num(u, c->flows, buf,
		    sizeof(buf)));
		table_cell(&t, 2, y + 1 + row, proto_num(u, c->pkts, buf,
		    sizeof(buf)));
		table_cell(&t, 3, y + 1 + row, proto_num(u, c->bytes, buf,
		    sizeof(buf)));
		snprintf(buf, sizeof(buf), "%.1f%%", all > 0 ? 100.0 *
		    snap_metric(u, c) / all : 0);
		table_cell(&t, 4, y + 1 + row, buf);
		for (i = 0; i < UI_RATES && row < PC_N; i++)
			table_cell(&t, 5 + i, y + 1 + row, units_rate(
			    snap_rate(u, &ps->rate[row][i], i), u->exact, buf,
			    sizeof(buf)));
		for (i = 0; i < UI_RATES && row == PC_N; i++)
			table_cell(&t, 5 + i, y + 1 + row, units_rate(
			    snap_rate(u, &u->hdr.rate[i], i), u->exact, buf,
			    sizeof(buf)));
		table_row_end(u, sel);
		if (!t.col[spark].show || row == PC_N)
			continue;
		n = spark_samples(u->spark, (size_t)t.col[spark].w);
		if (n > UI_TRACK_SECS)
			n = UI_TRACK_SECS;
		for (s = 0; s < n; s++)
			v[s] = snap_metric(u, &ps->sec[row][PROTO_SECS - n +
			    s]);
		cells = spark_line(v, n, spark_max(v, n), u->spark, line);
		attron(sel ? u->attr[UI_ATTR_SELECT] :
		    u->attr[proto_attr[row]]);
		mvaddnwstr(y + 1 + row, t.col[spark].x + t.col[spark].w -
		    (int)cells, line, (int)cells);
		attroff(sel ? u->attr[UI_ATTR_SELECT] :
		    u->attr[proto_attr[row]]);
	}
}

/* One column of the stacked graph: class by class from the bottom. */
static void
proto_column(struct ui *u, int x, int ybot, int h, const uint64_t *v,
    uint64_t max)
{
	static const wchar_t part[8] = { L' ', 0x2581, 0x2582, 0x2583, 0x2584,
		0x2585, 0x2586, 0x2587 };
	uint64_t cum[PC_N], sum = 0;
	wchar_t g;
	int k, r, top, mid;

	for (k = 0; k < PC_N; k++) {
		sum += v[k];
		cum[k] = max > 0 ? (uint64_t)((double)sum / max * h * 8 + 0.5) :
		    0;
	}
	top = (int)cum[PC_N - 1];
	for (r = 0; r < h; r++) {
		mid = r * 8 + 4;
		for (k = 0; k < PC_N && (int)cum[k] <= (top > mid ? mid :
		    top - 1); k++)
			;
		if (k == PC_N || top <= r * 8)
			break;
		if (top > mid)
			g = u->utf8 ? proto_glyph_utf8[k] :
			    proto_glyph_ascii[k];
		else if (u->utf8)
			g = part[top - r * 8];
		else
			break;
		attron(u->attr[proto_attr[k]]);
		mvaddnwstr(ybot - r, x, &g, 1);
		attroff(u->attr[proto_attr[k]]);
	}
}

static void
proto_draw_graph(struct ui *u, int y, int lines)
{
	struct proto_state *ps = proto_state(u);
	uint64_t v[PC_N], max = 0, sum;
	char buf[64], top[32];
	wchar_t g;
	int k, x, w = COLS - PROTO_AXIS - 2, h = lines - 1, s, n;

	if (w < 10 || h < 2)
		return;
	n = w < PROTO_SECS ? w : PROTO_SECS;
	for (s = PROTO_SECS - n; s < PROTO_SECS; s++) {
		for (k = 0, sum = 0; k < PC_N; k++)
			sum += snap_metric(u, &ps->sec[k][s]);
		if (sum > max)
			max = sum;
	}
	/* The legend: glyphs and colours, the unit, the time span. */
	for (k = 0, x = 1; k < PC_N; k++) {
		g = u->utf8 ? proto_glyph_utf8[k] : proto_glyph_ascii[k];
		attron(u->attr[proto_attr[k]]);
		mvaddnwstr(y, x, &g, 1);
		attroff(u->attr[proto_attr[k]]);
		x += 2 + text_put(y, x + 2, COLS - x - 2, proto_class_name[k]);
		x += 2;
	}
	snprintf(buf, sizeof(buf), "%s, one column a second, last %ds",
	    snap_rate_unit(u), n);
	text_put(y, x + 1, COLS - x - 1, buf);
	units_rate((double)max, u->exact, top, sizeof(top));
	text_put_right(y + 1, 0, PROTO_AXIS - 1, top);
	text_put_right(y + h, 0, PROTO_AXIS - 1, "0");
	g = u->utf8 ? 0x2502 : L'|';
	for (k = 0; k < h; k++)
		mvaddnwstr(y + 1 + k, PROTO_AXIS, &g, 1);
	for (s = 0; s < n; s++) {
		for (k = 0; k < PC_N; k++)
			v[k] = snap_metric(u, &ps->sec[k][PROTO_SECS - n + s]);
		proto_column(u, PROTO_AXIS + 1 + (w - n) + s, y + h, h, v,
		    max);
	}
}

static const char *
proto_svc_name(const struct ui *u, size_t i, char *buf, size_t len)
{
	const struct proto_state *ps = proto_state(u);
	const struct key_spec *ks = &ps->svc_view->spec;
	uint8_t p = (uint8_t)key_field_number(ks, &ps->svc[i].key, 0);
	uint16_t port = (uint16_t)key_field_number(ks, &ps->svc[i].key, 1);
	const char *name = u->svc != NULL ? services_name(u->svc, port, p) :
	    NULL;
	char num[16];

	snprintf(buf, len, "%s/%u%s%s", flow_proto_name(p, num, sizeof(num)),
	    port, name != NULL ? " " : "", name != NULL ? name : "");
	return buf;
}

static void
proto_draw_services(struct ui *u, int y, int lines)
{
	struct proto_state *ps = proto_state(u);
	struct table t;
	wchar_t bar[32];
	char buf[PROTO_CELL];
	uint64_t all = snap_metric(u, &u->hdr.totals);
	size_t i, j, sel = u->sel[UI_SCREEN_PROTO], rows = (size_t)lines - 1;
	int bc, yy, a, s;
	double share;

	if (lines < 2 || ps->svc_view == NULL)
		return;
	if (sel >= PC_N && sel - PC_N < ps->svc_scroll)
		ps->svc_scroll = sel - PC_N;
	if (sel >= PC_N && sel - PC_N >= ps->svc_scroll + rows)
		ps->svc_scroll = sel - PC_N - rows + 1;
	if (sel < PC_N)
		ps->svc_scroll = 0;
	table_init(&t);
	table_add(&t, "service", TABLE_LEFT, 0);
	table_add(&t, "flows", TABLE_RIGHT, 4);
	table_add(&t, "packets", TABLE_RIGHT, 5);
	table_add(&t, "bytes", TABLE_RIGHT, 9);
	table_add(&t, "share", TABLE_RIGHT, 7);
	bc = table_add_flex(&t, "", 1, 6, 30);
	for (j = 0; j < rows && ps->svc_scroll + j < ps->nsvc; j++) {
		i = ps->svc_scroll + j;
		table_fit(&t, 0, proto_svc_name(u, i, buf, sizeof(buf)));
		table_fit(&t, 1, proto_num(u, ps->svc[i].c.flows, buf,
		    sizeof(buf)));
		table_fit(&t, 2, proto_num(u, ps->svc[i].c.pkts, buf,
		    sizeof(buf)));
		table_fit(&t, 3, proto_num(u, ps->svc[i].c.bytes, buf,
		    sizeof(buf)));
	}
	table_fit(&t, 0, "tcp/65535");
	table_fit(&t, 4, "100.0%");
	table_layout(&t, COLS);
	table_header(u, &t, y);
	if (ps->nsvc == 0)
		text_put(y + 1, 1, COLS - 1, "no TCP, UDP or SCTP traffic in"
		    " this window");
	for (j = 0; j < rows && ps->svc_scroll + j < ps->nsvc; j++) {
		i = ps->svc_scroll + j;
		yy = y + 1 + (int)j;
		s = sel == PC_N + i;
		ui_line_row(u, yy, PC_N + i);
		table_row_attr(u, yy, s);
		table_cell(&t, 0, yy, proto_svc_name(u, i, buf, sizeof(buf)));
		table_cell(&t, 1, yy, proto_num(u, ps->svc[i].c.flows, buf,
		    sizeof(buf)));
		table_cell(&t, 2, yy, proto_num(u, ps->svc[i].c.pkts, buf,
		    sizeof(buf)));
		table_cell(&t, 3, yy, proto_num(u, ps->svc[i].c.bytes, buf,
		    sizeof(buf)));
		share = all > 0 ? (double)snap_metric(u, &ps->svc[i].c) / all :
		    0;
		if (share > 1)
			share = 1;
		snprintf(buf, sizeof(buf), "%.1f%%", 100 * share);
		table_cell(&t, 4, yy, buf);
		table_row_end(u, s);
		if (!t.col[bc].show)
			continue;
		spark_bar(share, (size_t)t.col[bc].w, u->utf8, bar);
		a = s ? u->attr[UI_ATTR_SELECT] : u->attr[UI_ATTR_BAR];
		attron(a);
		mvaddnwstr(yy, t.col[bc].x, bar, t.col[bc].w);
		attroff(a);
	}
}

static void
proto_draw(struct ui *u, int y, int rows)
{
	struct proto_layout l;

	ui_scroll_keep(u, proto_count(u), rows);
	u->scroll[UI_SCREEN_PROTO] = 0;
	proto_layout(rows + 1, &l);
	proto_draw_classes(u, y, l.classes);
	if (l.graph > 0)
		proto_draw_graph(u, y + l.classes, l.graph);
	if (l.svc > 0)
		proto_draw_services(u, y + l.classes + l.graph, l.svc);
	u->table_y = y;
}

static int
proto_drill(struct ui *u, size_t row, struct ui_drill *d)
{
	const struct proto_state *ps = proto_state(u);
	const struct key_spec *ks;
	size_t i;

	d->screen = UI_SCREEN_TOP;
	if (row < PC_N) {
		snprintf(d->filter, sizeof(d->filter), "%s",
		    proto_class_filter[row]);
		snprintf(d->aggregate, sizeof(d->aggregate), "srcip");
		return 0;
	}
	i = row - PC_N;
	if (i >= ps->nsvc || ps->svc_view == NULL)
		return -1;
	ks = &ps->svc_view->spec;
	snprintf(d->filter, sizeof(d->filter), "proto %llu and port %llu",
	    (unsigned long long)key_field_number(ks, &ps->svc[i].key, 0),
	    (unsigned long long)key_field_number(ks, &ps->svc[i].key, 1));
	snprintf(d->aggregate, sizeof(d->aggregate), "pair");
	return 0;
}

const struct ui_panel view_proto_panel = {
	.name = "protocols",
	.label = "Protocols",
	.short_label = "Proto",
	.create = proto_create,
	.destroy = proto_destroy,
	.enter = NULL,
	.leave = proto_leave,
	.snap = proto_snap,
	.count = proto_count,
	.draw = proto_draw,
	.drill = proto_drill,
	.click = NULL,
};
