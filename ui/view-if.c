/*
 * view-if.c - interfaces: what each agent's interface counters say (sFlow
 * counter samples: speed, bits/s in and out, utilisation, errors and
 * discards) beside what the flows say about the same interface (bytes
 * and bits/s in the window of the records with that input or output
 * ifIndex from that exporter), with the interface's name where an
 * exporter announced one (NetFlow v9 / IPFIX options data).
 *
 * The flow side comes from two extra views keyed (exporter, inif) and
 * (exporter, outif) that exist while this screen is shown; a row is an
 * (exporter, ifIndex) that either side knows.  Counter rates need two
 * samples; until then they show "-".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec-sflow.h"
#include "engine.h"
#include "hash.h"
#include "source.h"
#include "store.h"
#include "table.h"
#include "text.h"
#include "tmpl.h"
#include "ui-int.h"
#include "units.h"
#include "view.h"
#include "xmalloc.h"

#define IF_KEYS_MAX	2000	/* flow-side keys looked at, per side */
#define IF_ROWS_MAX	(SFLOW_IFACES_MAX + 2 * IF_KEYS_MAX)
#define IF_CELL		96

struct if_row {
	uint16_t		 source;
	uint32_t		 ifindex;
	int			 counters;	/* has sFlow counters */
	struct sflow_iface	 c;
	struct agg_counts	 fin, fout;
};

struct if_state {
	struct if_row		*rows;		/* IF_ROWS_MAX */
	size_t			 n;
	struct view		*vin, *vout;
	struct agg_entry	*tmp;		/* IF_KEYS_MAX */
	uint64_t		 sum;
	uint64_t		 now_msec;
	int			 valid;
};

enum {
	IF_EXP, IF_INDEX, IF_NAME, IF_SPEED, IF_INBPS, IF_OUTBPS, IF_INUTIL,
	IF_OUTUTIL, IF_ERRS, IF_DISC, IF_FIN, IF_FOUT, IF_FINR, IF_FOUTR,
	IF_NCOLS
};

static struct if_state *
if_state(const struct ui *u)
{
	return u->state[UI_SCREEN_IF];
}

static void
if_create(struct ui *u)
{
	struct if_state *is = xcalloc(1, sizeof(*is));

	is->rows = xcalloc(IF_ROWS_MAX, sizeof(*is->rows));
	is->tmp = xcalloc(IF_KEYS_MAX, sizeof(*is->tmp));
	u->state[UI_SCREEN_IF] = is;
}

static void
if_leave(struct ui *u)
{
	struct if_state *is = if_state(u);

	engine_view_remove(u->e, is->vin);
	engine_view_remove(u->e, is->vout);
	is->vin = is->vout = NULL;
	is->valid = 0;
}

static void
if_destroy(struct ui *u)
{
	struct if_state *is = if_state(u);

	if (is == NULL)
		return;
	if_leave(u);
	free(is->rows);
	free(is->tmp);
	free(is);
	u->state[UI_SCREEN_IF] = NULL;
}

static int
if_cmp(const void *a, const void *b)
{
	const struct if_row *x = a, *y = b;

	if (x->source != y->source)
		return x->source < y->source ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return y->counters - x->counters;	/* counters first */
}

/* Adds the flow-side keys of one view; out: 0 for inif, 1 for outif. */
static void
if_add_flows(struct if_state *is, const struct view *v, int out)
{
	struct if_row *r;
	size_t n, i;

	if (v == NULL)
		return;
	n = agg_top(v->tab, AGG_ORDER_BYTES, IF_KEYS_MAX, is->tmp);
	for (i = 0; i < n && is->n < IF_ROWS_MAX; i++) {
		r = &is->rows[is->n++];
		memset(r, 0, sizeof(*r));
		r->source = (uint16_t)key_field_number(&v->spec,
		    &is->tmp[i].key, 0);
		r->ifindex = (uint32_t)key_field_number(&v->spec,
		    &is->tmp[i].key, 1);
		if (out)
			r->fout = is->tmp[i].c;
		else
			r->fin = is->tmp[i].c;
	}
}

/* Sorted by exporter and ifIndex; the rows of one pair merged. */
static void
if_merge(struct if_state *is)
{
	size_t i, o = 0;
	struct if_row *d;

	qsort(is->rows, is->n, sizeof(*is->rows), if_cmp);
	for (i = 0; i < is->n; i++) {
		if (o > 0 && is->rows[o - 1].source == is->rows[i].source &&
		    is->rows[o - 1].ifindex == is->rows[i].ifindex) {
			d = &is->rows[o - 1];
			d->fin.flows += is->rows[i].fin.flows;
			d->fin.pkts += is->rows[i].fin.pkts;
			d->fin.bytes += is->rows[i].fin.bytes;
			d->fout.flows += is->rows[i].fout.flows;
			d->fout.pkts += is->rows[i].fout.pkts;
			d->fout.bytes += is->rows[i].fout.bytes;
			continue;
		}
		is->rows[o++] = is->rows[i];
	}
	is->n = o;
}

static int
if_snap(struct ui *u, int force)
{
	struct if_state *is = if_state(u);
	const struct sflow_iface *ifc;
	struct if_row *r;
	uint32_t i, n;
	uint64_t sum;
	char err[256];

	if (is->vin == NULL)
		is->vin = engine_view_add(u->e, "exporter,inif",
		    AGG_ORDER_BYTES, ENGINE_WINDOW_FOLLOW, err, sizeof(err));
	if (is->vout == NULL)
		is->vout = engine_view_add(u->e, "exporter,outif",
		    AGG_ORDER_BYTES, ENGINE_WINDOW_FOLLOW, err, sizeof(err));
	is->n = 0;
	ifc = u->e->dec.sflow != NULL ? sflow_ifaces(u->e->dec.sflow, &n) :
	    NULL;
	for (i = 0; ifc != NULL && i < SFLOW_IFACES_MAX; i++) {
		if (!ifc[i].in_use || ifc[i].source >= u->e->sources->n)
			continue;
		r = &is->rows[is->n++];
		memset(r, 0, sizeof(*r));
		r->source = ifc[i].source;
		r->ifindex = ifc[i].ifindex;
		r->counters = 1;
		r->c = ifc[i];
	}
	if_add_flows(is, is->vin, 0);
	if_add_flows(is, is->vout, 1);
	if_merge(is);
	is->now_msec = u->e->store->now_msec;
	sum = hash_bytes(is->rows, is->n * sizeof(*is->rows), 7) ^
	    (uint64_t)(u->hdr.secs * 1000);
	if (!force && is->valid && sum == is->sum)
		return 0;
	is->sum = sum;
	is->valid = 1;
	return 1;
}

static size_t
if_count(const struct ui *u)
{
	return if_state(u)->n;
}

static const char *
if_util(double bps, uint64_t speed, char *buf, size_t len)
{
	if (speed == 0)
		return "-";
	snprintf(buf, len, "%.1f%%", 100.0 * bps / (double)speed);
	return buf;
}

static const char *
if_cell(const struct ui *u, size_t i, int col, char *buf, size_t len)
{
	const struct if_row *r = &if_state(u)->rows[i];
	const char *name;
	double secs = u->hdr.secs, mult = u->bits ? 8 : 1;
	int x = u->exact, rated = r->counters && r->c.samples > 1;

	buf[0] = '\0';
	switch (col) {
	case IF_EXP:
		return ui_exporter(u, r->source, buf, len);
	case IF_INDEX:
		snprintf(buf, len, "%u", r->ifindex);
		return buf;
	case IF_NAME:
		name = u->e->dec.tmpls != NULL ? tmpl_ifname(u->e->dec.tmpls,
		    r->source, r->ifindex) : NULL;
		return name != NULL ? name : "";
	case IF_SPEED:
		return r->counters && r->c.speed > 0 ? units_count(r->c.speed,
		    x, buf, len) : "-";
	case IF_INBPS:
		return rated ? units_rate(r->c.in_bps / 8 * mult, x, buf,
		    len) : "-";
	case IF_OUTBPS:
		return rated ? units_rate(r->c.out_bps / 8 * mult, x, buf,
		    len) : "-";
	case IF_INUTIL:
		return rated ? if_util(r->c.in_bps, r->c.speed, buf, len) :
		    "-";
	case IF_OUTUTIL:
		return rated ? if_util(r->c.out_bps, r->c.speed, buf, len) :
		    "-";
	case IF_ERRS:
		return r->counters ? units_count(r->c.in_errors +
		    r->c.out_errors, x, buf, len) : "-";
	case IF_DISC:
		return r->counters ? units_count(r->c.in_discards +
		    r->c.out_discards, x, buf, len) : "-";
	case IF_FIN:
		return units_count(r->fin.bytes, x, buf, len);
	case IF_FOUT:
		return units_count(r->fout.bytes, x, buf, len);
	case IF_FINR:
		return units_rate(r->fin.bytes * mult / secs, x, buf, len);
	case IF_FOUTR:
		return units_rate(r->fout.bytes * mult / secs, x, buf, len);
	}
	return buf;
}

/* Any interface with a name?  Else the column goes first. */
static int
if_named(const struct ui *u)
{
	const struct if_state *is = if_state(u);
	size_t i;

	for (i = 0; i < is->n && u->e->dec.tmpls != NULL; i++)
		if (tmpl_ifname(u->e->dec.tmpls, is->rows[i].source,
		    is->rows[i].ifindex) != NULL)
			return 1;
	return 0;
}

static void
if_columns(const struct ui *u, struct table *t)
{
	table_init(t);
	table_add(t, "exporter", TABLE_LEFT, 0);
	table_add(t, "ifindex", TABLE_RIGHT, 0);
	table_add(t, "name", TABLE_LEFT, if_named(u) ? 6 : 1);
	table_cap(t, IF_NAME, 24);
	table_add(t, "speed", TABLE_RIGHT, 5);
	table_add(t, u->bits ? "in bits/s" : "in bytes/s", TABLE_RIGHT, 10);
	table_add(t, u->bits ? "out bits/s" : "out bytes/s", TABLE_RIGHT, 10);
	table_add(t, "in%", TABLE_RIGHT, 8);
	table_add(t, "out%", TABLE_RIGHT, 8);
	table_add(t, "errors", TABLE_RIGHT, 4);
	table_add(t, "discards", TABLE_RIGHT, 4);
	/* The flows' side: their bytes in the window ("flows in" read as
	 * a count of flows), and that as a rate in the counters' unit. */
	table_add(t, "flow in", TABLE_RIGHT, 9);
	table_add(t, "flow out", TABLE_RIGHT, 9);
	table_add(t, "flow in/s", TABLE_RIGHT, 3);
	table_add(t, "flow out/s", TABLE_RIGHT, 2);
}

static void
if_draw(struct ui *u, int y, int rows)
{
	const struct if_state *is = if_state(u);
	struct table t;
	char buf[IF_CELL];
	size_t i, j, n;
	int c, sel;

	if (rows < 1)
		return;
	ui_scroll_keep(u, is->n, rows);
	n = is->n - u->scroll[UI_SCREEN_IF];
	if (n > (size_t)rows)
		n = (size_t)rows;
	if_columns(u, &t);
	for (j = 0; j < n; j++)
		for (c = 0; c < IF_NCOLS; c++)
			table_fit(&t, c, if_cell(u, u->scroll[UI_SCREEN_IF] +
			    j, c, buf, sizeof(buf)));
	table_layout(&t, COLS);
	table_header(u, &t, y);
	if (is->n == 0)
		text_put(y + 1, 1, COLS - 1, "no interface counters (sFlow)"
		    " and no flows with an interface yet");
	for (j = 0; j < n; j++) {
		i = u->scroll[UI_SCREEN_IF] + j;
		sel = i == u->sel[UI_SCREEN_IF];
		ui_line_row(u, y + 1 + (int)j, i);
		table_row_attr(u, y + 1 + (int)j, sel);
		for (c = 0; c < IF_NCOLS; c++)
			table_cell(&t, c, y + 1 + (int)j, if_cell(u, i, c, buf,
			    sizeof(buf)));
		table_row_end(u, sel);
	}
}

static int
if_drill(struct ui *u, size_t row, struct ui_drill *d)
{
	const struct if_state *is = if_state(u);
	const struct source_table *t = u->e->sources;
	char a[FLOW_ADDR_STRLEN];

	if (row >= is->n || is->rows[row].source >= t->n)
		return -1;
	snprintf(d->filter, sizeof(d->filter), "router ip %s and if %u",
	    flow_addr_fmt(&t->v[is->rows[row].source].addr, a, sizeof(a)),
	    is->rows[row].ifindex);
	d->screen = UI_SCREEN_TOP;
	snprintf(d->aggregate, sizeof(d->aggregate), "srcip");
	return 0;
}

const struct ui_panel view_if_panel = {
	.name = "interfaces",
	.label = "Interfaces",
	.short_label = "If",
	.create = if_create,
	.destroy = if_destroy,
	.enter = NULL,
	.leave = if_leave,
	.snap = if_snap,
	.count = if_count,
	.draw = if_draw,
	.drill = if_drill,
	.click = NULL,
};
