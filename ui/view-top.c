/*
 * view-top.c - the top-talker table: rank, the aggregate's key fields,
 * bytes, packets, flows, rate, share of the total and a share bar.
 *
 * Column widths come from the rows on screen.  When the terminal is too
 * narrow, whole columns go, least useful first (the bar, flows, packets,
 * rate, rank, share, bytes), but never the key or the column the table is
 * ordered by; a key still too wide is clipped.  Rows come from the
 * snapshot, keys the view refused (tab->other) as a last "(other keys)"
 * row.
 */
#include <stdio.h>
#include <string.h>

#include "collector.h"
#include "engine.h"
#include "keys.h"
#include "spark.h"
#include "store.h"
#include "text.h"
#include "ui-int.h"
#include "units.h"

#define TOP_GAP		2
#define TOP_ADDR_MIN	15	/* width of 255.255.255.255 */
#define TOP_BAR_MIN	6
#define TOP_BAR_MAX	40
#define TOP_CELL_MAX	80

enum top_col {
	TOP_RANK,
	TOP_KEY,
	TOP_BYTES,
	TOP_PACKETS,
	TOP_FLOWS,
	TOP_RATE,
	TOP_SHARE,
	TOP_BAR,
	TOP_NCOLS
};

static const char *const top_header[TOP_NCOLS] = {
	[TOP_RANK] = "#",
	[TOP_BYTES] = "bytes",
	[TOP_PACKETS] = "packets",
	[TOP_FLOWS] = "flows",
	[TOP_RATE] = "bits/s",
	[TOP_SHARE] = "share",
	[TOP_BAR] = "",
};

/* Columns to give up, first to last, when the screen is narrow. */
static const enum top_col top_drop[] = {
	TOP_FLOWS, TOP_PACKETS, TOP_RATE, TOP_RANK, TOP_SHARE, TOP_BYTES
};

struct top_layout {
	int	show[TOP_NCOLS];
	int	w[TOP_NCOLS];
	int	x[TOP_NCOLS];
	int	fw[KEY_FIELDS_MAX];	/* key field widths */
};

/* Table rows: the snapshot's, and one for refused keys if any. */
size_t
view_top_count(const struct ui *u)
{
	const struct agg_counts *o = &u->snap.other;

	return u->snap.nrows + (o->flows + o->pkts + o->bytes > 0 ? 1 : 0);
}

static enum top_col
top_order_col(enum agg_order o)
{
	switch (o) {
	case AGG_ORDER_PACKETS:
		return TOP_PACKETS;
	case AGG_ORDER_FLOWS:
		return TOP_FLOWS;
	default:
		return TOP_BYTES;
	}
}

static double
top_share(const struct ui_snap *s, const struct agg_counts *c)
{
	uint64_t total = agg_metric(&s->totals, s->order);

	return total > 0 ? (double)agg_metric(c, s->order) / total : 0;
}

/* Protocols by name, as people know them ("tcp"; unnamed ones by number). */
static const char *
top_proto(const struct key_spec *ks, const struct key *k, int f, char *buf,
    size_t len)
{
	char num[8];

	snprintf(buf, len, "%s", flow_proto_name((uint8_t)key_field_number(ks,
	    k, f), num, sizeof(num)));
	return buf;
}

/* Cell text of row i, column col (field f of the key for TOP_KEY). */
static const char *
top_cell(const struct ui *u, size_t i, enum top_col col, int f, char *buf,
    size_t len)
{
	const struct ui_snap *s = &u->snap;
	const struct agg_counts *c = i < s->nrows ? &s->rows[i].c : &s->other;

	buf[0] = '\0';
	switch (col) {
	case TOP_RANK:
		if (i < s->nrows)
			snprintf(buf, len, "%zu", i + 1);
		else
			snprintf(buf, len, "-");
		break;
	case TOP_KEY:
		if (i >= s->nrows) {
			if (f == 0)
				snprintf(buf, len, "(other keys)");
		} else if (s->spec.field[f] == KEY_PROTO)
			return top_proto(&s->spec, &s->rows[i].key, f, buf,
			    len);
		else
			key_format_field(&s->spec, &s->rows[i].key, f,
			    u->e->sources, buf, len);
		break;
	case TOP_BYTES:
		return units_count(c->bytes, u->exact, buf, len);
	case TOP_PACKETS:
		return units_count(c->pkts, u->exact, buf, len);
	case TOP_FLOWS:
		return units_count(c->flows, u->exact, buf, len);
	case TOP_RATE:
		return units_rate(c->bytes * 8.0 / s->secs, u->exact, buf, len);
	case TOP_SHARE:
		snprintf(buf, len, "%.1f%%", 100 * top_share(s, c));
		break;
	default:
		break;
	}
	return buf;
}

static int
top_max(int a, int b)
{
	return a > b ? a : b;
}

static int
top_total(const struct top_layout *l)
{
	int c, w = 1, n = 0;

	for (c = 0; c < TOP_NCOLS; c++)
		if (l->show[c]) {
			w += l->w[c];
			n++;
		}
	return w + (n > 1 ? (n - 1) * TOP_GAP : 0);
}

static void
top_measure(const struct ui *u, size_t first, size_t n,
    struct top_layout *l)
{
	const struct key_spec *ks = &u->snap.spec;
	char buf[TOP_CELL_MAX];
	size_t i;
	int c, f;

	memset(l, 0, sizeof(*l));
	for (c = 0; c < TOP_NCOLS; c++)
		l->w[c] = text_width(top_header[c] != NULL ?
		    top_header[c] : "");
	for (f = 0; f < ks->n; f++)
		l->fw[f] = top_max(text_width(key_field_name(ks->field[f])),
		    key_field_is_numeric(ks->field[f]) ? 0 : TOP_ADDR_MIN);
	for (i = first; i < first + n; i++) {
		for (c = 0; c < TOP_BAR; c++) {
			if (c == TOP_KEY)
				continue;
			top_cell(u, i, c, 0, buf, sizeof(buf));
			l->w[c] = top_max(l->w[c], text_width(buf));
		}
		for (f = 0; f < ks->n; f++) {
			top_cell(u, i, TOP_KEY, f, buf, sizeof(buf));
			l->fw[f] = top_max(l->fw[f], text_width(buf));
		}
	}
	l->w[TOP_KEY] = 0;
	for (f = 0; f < ks->n; f++)
		l->w[TOP_KEY] += l->fw[f] + (f > 0 ? TOP_GAP : 0);
}

/* Which columns fit, and where they go. */
static void
top_layout(const struct ui *u, size_t first, size_t n,
    struct top_layout *l)
{
	enum top_col keep = top_order_col(u->snap.order);
	size_t d;
	int c, x, room;

	top_measure(u, first, n, l);
	for (c = 0; c < TOP_BAR; c++)
		l->show[c] = 1;
	for (d = 0; d < sizeof(top_drop) / sizeof(top_drop[0]) &&
	    top_total(l) > COLS; d++)
		if (top_drop[d] != keep)
			l->show[top_drop[d]] = 0;
	room = COLS - top_total(l) - TOP_GAP - 1;
	if (room >= TOP_BAR_MIN) {
		l->show[TOP_BAR] = 1;
		l->w[TOP_BAR] = room < TOP_BAR_MAX ? room : TOP_BAR_MAX;
	}
	for (c = 0, x = 1; c < TOP_NCOLS; c++)
		if (l->show[c]) {
			l->x[c] = x;
			x += l->w[c] + TOP_GAP;
		}
}

static int
top_right_aligned(enum top_col c)
{
	return c != TOP_KEY && c != TOP_BAR;
}

static void
top_draw_header(struct ui *u, const struct top_layout *l, int y,
    size_t first, size_t n, size_t count)
{
	const struct key_spec *ks = &u->snap.spec;
	enum top_col keep = top_order_col(u->snap.order);
	char pos[64];
	int c, f, x, a;

	attron(u->attr[UI_ATTR_COLUMNS]);
	for (c = 0; c < TOP_NCOLS; c++) {
		if (!l->show[c])
			continue;
		a = c == (int)keep ? u->attr[UI_ATTR_SORTED] : 0;
		attron(a);
		if (c == TOP_KEY)
			for (f = 0, x = l->x[c]; f < ks->n; f++) {
				text_put(y, x, COLS - x,
				    key_field_name(ks->field[f]));
				x += l->fw[f] + TOP_GAP;
			}
		else if (top_right_aligned(c))
			text_put_right(y, l->x[c], l->w[c], top_header[c]);
		attroff(a);
		attron(u->attr[UI_ATTR_COLUMNS]);
	}
	attroff(u->attr[UI_ATTR_COLUMNS]);
	if (count > n && n > 0) {
		/* "+": the view holds more keys than the table keeps. */
		snprintf(pos, sizeof(pos), "%zu-%zu of %zu%s", first + 1,
		    first + n, count, u->snap.nkeys > u->snap.nrows ? "+" : "");
		x = COLS - text_width(pos) - 1;
		if (x > top_total(l))
			text_put(y, x, COLS - x, pos);
	}
}

static void
top_draw_row(struct ui *u, const struct top_layout *l, int y, size_t i)
{
	const struct ui_snap *s = &u->snap;
	const struct agg_counts *c = i < s->nrows ? &s->rows[i].c : &s->other;
	wchar_t bar[TOP_BAR_MAX + 1];
	char buf[TOP_CELL_MAX];
	int col, f, x, w;

	for (col = 0; col < TOP_BAR; col++) {
		if (!l->show[col])
			continue;
		if (col != TOP_KEY) {
			top_cell(u, i, col, 0, buf, sizeof(buf));
			text_put_right(y, l->x[col], l->w[col], buf);
			continue;
		}
		for (f = 0, x = l->x[col]; f < s->spec.n; f++) {
			top_cell(u, i, TOP_KEY, f, buf, sizeof(buf));
			w = f + 1 < s->spec.n ? l->fw[f] : COLS - x;
			text_put(y, x, w, buf);
			x += l->fw[f] + TOP_GAP;
		}
	}
	if (l->show[TOP_BAR]) {
		spark_bar(top_share(s, c), (size_t)l->w[TOP_BAR], u->utf8, bar);
		attron(u->attr[UI_ATTR_BAR]);
		mvaddnwstr(y, l->x[TOP_BAR], bar, l->w[TOP_BAR]);
		attroff(u->attr[UI_ATTR_BAR]);
	}
}

/* What to say when the table is empty. */
static void
top_draw_empty(struct ui *u, int y)
{
	const struct engine *e = u->e;
	char buf[256];
	size_t off;
	int i;

	if (e->store->head > 0)
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

/* The column names at line y, then rows lines of the table. */
void
view_top_draw(struct ui *u, int y, int rows)
{
	struct top_layout l;
	size_t count = view_top_count(u), n, j;

	if (rows < 1)
		return;
	u->page = rows;
	if (u->scroll + (size_t)rows > count)
		u->scroll = count > (size_t)rows ? count - (size_t)rows : 0;
	n = count - u->scroll < (size_t)rows ? count - u->scroll :
	    (size_t)rows;
	top_layout(u, u->scroll, n, &l);
	top_draw_header(u, &l, y, u->scroll, n, count);
	if (count == 0) {
		top_draw_empty(u, y + 1);
		return;
	}
	for (j = 0; j < n; j++)
		top_draw_row(u, &l, y + 1 + (int)j, u->scroll + j);
}
