/*
 * view-flows.c - the flow records of the window that pass the filter,
 * newest first, one a line as nfdump -o line prints them: first seen,
 * duration, protocol, source and destination, flags, ToS, packets, bytes,
 * interfaces and exporter.
 *
 * The snapshot is the list of the records' sequence numbers (at most
 * FLOWS_MAX, the newest); the lines are read from the ring when drawn,
 * so a record the ring has since evicted (possible while paused) shows as
 * such.  Enter on a record drills into its 5-tuple.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dns.h"
#include "engine.h"
#include "services.h"
#include "source.h"
#include "store.h"
#include "table.h"
#include "text.h"
#include "ui-int.h"
#include "units.h"
#include "view.h"
#include "xmalloc.h"

#define FLOWS_MAX	100000
#define FLOWS_CELL	128
/* Room for an endpoint: all of 255.255.255.255:65535 from 60 columns. */
#define FLOWS_ADDR_W	(COLS < 60 ? (COLS - 11) / 2 : COLS < 120 ? 21 : 48)

struct flows_state {
	uint64_t	*seq;		/* FLOWS_MAX, newest first */
	size_t		 n;
	int		 more;		/* more records than FLOWS_MAX */
	uint64_t	 gen, head, evicted, now_sec;
	int		 valid;
};

enum {
	FL_FIRST, FL_DUR, FL_PROTO, FL_SRC, FL_DST, FL_FLAGS, FL_TOS,
	FL_PKTS, FL_BYTES, FL_IN, FL_OUT, FL_EXP, FL_NCOLS
};

static struct flows_state *
flows_state(const struct ui *u)
{
	return u->state[UI_SCREEN_FLOWS];
}

static void
flows_create(struct ui *u)
{
	struct flows_state *fs = xcalloc(1, sizeof(*fs));

	fs->seq = xcalloc(FLOWS_MAX, sizeof(*fs->seq));
	u->state[UI_SCREEN_FLOWS] = fs;
}

static void
flows_destroy(struct ui *u)
{
	struct flows_state *fs = flows_state(u);

	if (fs == NULL)
		return;
	free(fs->seq);
	free(fs);
	u->state[UI_SCREEN_FLOWS] = NULL;
}

static void
flows_leave(struct ui *u)
{
	flows_state(u)->valid = 0;
}

static int
flows_snap(struct ui *u, int force)
{
	struct flows_state *fs = flows_state(u);
	const struct view *v = u->e->view;
	const struct store *st = v->store;
	uint64_t seq, low = store_oldest(st), keep = 0;
	unsigned bit = 1u << v->slot;
	size_t i;

	if (!force && fs->valid && fs->gen == v->generation &&
	    fs->head == st->head && fs->evicted == st->evicted)
		return 0;
	if (v->window_msec != 0 && v->win_start > low)
		low = v->win_start;
	/* The selected record stays selected as new ones arrive. */
	if (fs->valid && u->sel[UI_SCREEN_FLOWS] < fs->n)
		keep = fs->seq[u->sel[UI_SCREEN_FLOWS]];
	fs->n = 0;
	fs->more = 0;
	for (seq = st->head; seq > low; seq--) {
		store_poll(st, seq);
		if (!(store_get(st, seq - 1)->views & bit) ||
		    store_get(st, seq - 1)->recv_msec > ui_now(u))
			continue;	/* after the history cursor */
		if (fs->n == FLOWS_MAX) {
			fs->more = 1;
			break;
		}
		fs->seq[fs->n++] = seq - 1;
	}
	if (keep != 0 && u->sel[UI_SCREEN_FLOWS] != 0)
		for (i = 0; i < fs->n; i++)
			if (fs->seq[i] == keep) {
				u->sel[UI_SCREEN_FLOWS] = i;
				break;
			}
	fs->gen = v->generation;
	fs->head = st->head;
	fs->evicted = st->evicted;
	fs->valid = 1;
	return 1;
}

static size_t
flows_count(const struct ui *u)
{
	return flows_state(u)->n;
}

/* The record of row i, or NULL if the ring no longer holds it. */
static const struct flow_rec *
flows_rec(const struct ui *u, size_t i)
{
	const struct flows_state *fs = flows_state(u);
	const struct store *st = u->e->store;

	if (i >= fs->n || fs->seq[i] < store_oldest(st) ||
	    fs->seq[i] >= st->head)
		return NULL;
	return store_get(st, fs->seq[i]);
}

static int
flows_has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132;
}

/* "10.0.0.1:443", "[2001:db8::1]:443", names when they are on. */
static const char *
flows_endpoint(struct ui *u, const struct flow_addr *a, uint16_t port,
    uint8_t proto, char *buf, size_t len)
{
	const char *name = u->dns_on ? dns_name(u->dns, a) : NULL;
	const char *svc = u->svc != NULL ? services_name(u->svc, port,
	    proto) : NULL;
	char addr[FLOW_ADDR_STRLEN], p[40];

	if (name == NULL)
		name = flow_addr_fmt(a, addr, sizeof(addr));
	if (!flows_has_ports(proto))
		snprintf(buf, len, "%s", name);
	else {
		if (svc != NULL)
			snprintf(p, sizeof(p), "%s", svc);
		else
			snprintf(p, sizeof(p), "%u", port);
		snprintf(buf, len, flow_addr_is4(a) || name != addr ?
		    "%s:%s" : "[%s]:%s", name, p);
	}
	return buf;
}

/* nfdump's flag string: one letter a flag, '.' when not set. */
static const char *
flows_flags(uint8_t f, char *buf, size_t len)
{
	static const char letters[] = "CEUAPRSF";
	int i;

	if (len < 9)
		return "";
	for (i = 0; i < 8; i++)
		buf[i] = f & (0x80 >> i) ? letters[i] : '.';
	buf[8] = '\0';
	return buf;
}

static const char *
flows_cell(struct ui *u, size_t i, int col, char *buf, size_t len)
{
	const struct flow_rec *r = flows_rec(u, i);
	char num[16];
	time_t sec;
	struct tm tm;

	buf[0] = '\0';
	if (r == NULL)
		return col == FL_FIRST ? "(evicted)" : "";
	switch (col) {
	case FL_FIRST:
		sec = (time_t)(r->first_msec / 1000);
		if (gmtime_r(&sec, &tm) == NULL)
			return buf;
		strftime(num, sizeof(num), "%H:%M:%S", &tm);
		if (COLS >= 140) {
			strftime(buf, len, "%Y-%m-%d ", &tm);
			snprintf(buf + strlen(buf), len - strlen(buf),
			    "%s.%03u", num, (unsigned)(r->first_msec % 1000));
		} else
			snprintf(buf, len, "%s.%03u", num,
			    (unsigned)(r->first_msec % 1000));
		return buf;
	case FL_DUR:
		snprintf(buf, len, "%.3f", r->last_msec >= r->first_msec ?
		    (r->last_msec - r->first_msec) / 1000.0 : 0.0);
		return buf;
	case FL_PROTO:
		return flow_proto_name(r->proto, buf, len);
	case FL_SRC:
		return flows_endpoint(u, &r->src, r->srcport, r->proto, buf,
		    len);
	case FL_DST:
		return flows_endpoint(u, &r->dst, r->dstport, r->proto, buf,
		    len);
	case FL_FLAGS:
		return r->proto == 6 ? flows_flags(r->tcpflags, buf, len) :
		    "";
	case FL_TOS:
		snprintf(buf, len, "%u", r->tos);
		return buf;
	case FL_PKTS:
		return units_count(r->pkts, u->exact, buf, len);
	case FL_BYTES:
		return units_count(r->bytes, u->exact, buf, len);
	case FL_IN:
		snprintf(buf, len, "%u", r->inif);
		return buf;
	case FL_OUT:
		snprintf(buf, len, "%u", r->outif);
		return buf;
	case FL_EXP:
		return ui_exporter(u, r->source, buf, len);
	}
	return buf;
}

/* Addresses wider than an IPv4 one lose their middle on small screens. */
static void
flows_columns(struct table *t)
{
	table_init(t);
	table_add(t, "first seen", TABLE_LEFT, 8);
	table_add(t, "duration", TABLE_RIGHT, 3);
	table_add(t, "proto", TABLE_LEFT, 7);
	table_add(t, "source", TABLE_LEFT, 0);
	table_add(t, "destination", TABLE_LEFT, 0);
	table_cap(t, FL_SRC, FLOWS_ADDR_W);
	table_cap(t, FL_DST, FLOWS_ADDR_W);
	table_add(t, "flags", TABLE_LEFT, 2);
	table_add(t, "tos", TABLE_RIGHT, 1);
	table_add(t, "packets", TABLE_RIGHT, 6);
	table_add(t, "bytes", TABLE_RIGHT, 9);
	table_add(t, "in", TABLE_RIGHT, 1);
	table_add(t, "out", TABLE_RIGHT, 1);
	table_add(t, "exporter", TABLE_LEFT, 1);
}

static void
flows_draw(struct ui *u, int y, int rows)
{
	const struct flows_state *fs = flows_state(u);
	struct table t;
	char buf[FLOWS_CELL], pos[64];
	size_t count = fs->n, n, i, j;
	int c, sel, x;

	if (rows < 1)
		return;
	ui_scroll_keep(u, count, rows);
	n = count - u->scroll[UI_SCREEN_FLOWS];
	if (n > (size_t)rows)
		n = (size_t)rows;
	flows_columns(&t);
	for (j = 0; j < n; j++)
		for (c = 0; c < FL_NCOLS; c++)
			table_fit(&t, c, flows_cell(u,
			    u->scroll[UI_SCREEN_FLOWS] + j, c, buf,
			    sizeof(buf)));
	table_layout(&t, COLS);
	table_header(u, &t, y);
	if (count == 0) {
		text_put(y + 1, 1, COLS - 1, u->e->store->head > 0 ?
		    "no flow records in this window match the filter" :
		    "no flow records yet");
		return;
	}
	snprintf(pos, sizeof(pos), "%zu-%zu of %zu%s",
	    u->scroll[UI_SCREEN_FLOWS] + 1, u->scroll[UI_SCREEN_FLOWS] + n,
	    count, fs->more ? "+" : "");
	x = COLS - text_width(pos) - 1;
	if (x > t.col[FL_BYTES].x + t.col[FL_BYTES].w && !t.col[FL_EXP].show)
		text_put(y, x, COLS - x, pos);
	for (j = 0; j < n; j++) {
		i = u->scroll[UI_SCREEN_FLOWS] + j;
		sel = i == u->sel[UI_SCREEN_FLOWS];
		ui_line_row(u, y + 1 + (int)j, i);
		table_row_attr(u, y + 1 + (int)j, sel);
		for (c = 0; c < FL_NCOLS; c++)
			table_cell(&t, c, y + 1 + (int)j, flows_cell(u, i, c,
			    buf, sizeof(buf)));
		table_row_end(u, sel);
	}
}

/* Enter on a record: its 5-tuple (the ports only where there are any). */
static int
flows_drill(struct ui *u, size_t row, struct ui_drill *d)
{
	const struct flow_rec *r = flows_rec(u, row);
	char src[FLOW_ADDR_STRLEN], dst[FLOW_ADDR_STRLEN];

	if (r == NULL) {
		ui_message(u, 1, "drill: that record is no longer retained");
		return -1;
	}
	flow_addr_fmt(&r->src, src, sizeof(src));
	flow_addr_fmt(&r->dst, dst, sizeof(dst));
	if (flows_has_ports(r->proto))
		snprintf(d->filter, sizeof(d->filter), "proto %u and src ip %s"
		    " and src port %u and dst ip %s and dst port %u",
		    r->proto, src, r->srcport, dst, r->dstport);
	else
		snprintf(d->filter, sizeof(d->filter), "proto %u and src ip %s"
		    " and dst ip %s", r->proto, src, dst);
	d->screen = UI_SCREEN_FLOWS;
	d->aggregate[0] = '\0';
	return 0;
}

const struct ui_panel view_flows_panel = {
	.name = "flows",
	.label = "Flows",
	.short_label = "Flows",
	.create = flows_create,
	.destroy = flows_destroy,
	.enter = NULL,
	.leave = flows_leave,
	.snap = flows_snap,
	.count = flows_count,
	.draw = flows_draw,
	.drill = flows_drill,
	.click = NULL,
};
