/*
 * view-exp.c - the health of every exporter and sampling source: one row
 * per source (exporter address, protocol and domain) with datagrams,
 * records, loss, malformed datagrams, kernel drops, the sampling rate in
 * force, templates and data waiting for them, sFlow samples and when it
 * was last heard; below, every counter of the selected source
 * (malformed datagrams by reason, template and sFlow sample counters),
 * then each listener's receive buffer and drops and the decoder's
 * outcomes.
 *
 * The snapshot copies the source table and the listeners' counters, so
 * the screen holds still while paused.  Enter on a source drills into
 * "router ip ADDR".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "engine.h"
#include "fault.h"
#include "hash.h"
#include "source.h"
#include "store.h"
#include "table.h"
#include "text.h"
#include "tmpl.h"
#include "ui-int.h"
#include "units.h"
#include "xmalloc.h"

#define EXP_CELL	96
#define EXP_DETAIL	4	/* lines about the selected source */

struct exp_listener {
	char		 name[72];
	int		 tcp;
	int		 rcvbuf;
	uint64_t	 datagrams, drops, truncated;
	uint32_t	 conns;
	uint64_t	 accepted, refused, broken;
};

struct exp_state {
	struct source		*src;		/* the shown sources */
	uint32_t		 n, cap;
	struct exp_listener	 l[2 * COLLECTOR_LISTENERS_MAX];
	int			 nl;
	struct decode_stats	 dec;
	uint64_t		 kernel_drops;
	uint64_t		 pending;	/* template cache bytes waiting */
	uint64_t		 now_msec;
	uint64_t		 sum;		/* of all of it: changed? */
	int			 valid;
};

enum {
	EX_ADDR, EX_PROTO, EX_DOMAIN, EX_DGRAMS, EX_RECS, EX_LOST, EX_MALF,
	EX_DROP, EX_SAMPLING, EX_TMPL, EX_WAIT, EX_SAMPLES, EX_LAST, EX_NCOLS
};

/* Lines filled with segments, wrapping to the next line. */
struct exp_text {
	int	y, x, last;	/* next position; last line to use */
	int	n;
};

static struct exp_state *
exp_state(const struct ui *u)
{
	return u->state[UI_SCREEN_EXP];
}

static void
exp_create(struct ui *u)
{
	u->state[UI_SCREEN_EXP] = xcalloc(1, sizeof(struct exp_state));
}

static void
exp_destroy(struct ui *u)
{
	struct exp_state *es = exp_state(u);

	if (es == NULL)
		return;
	free(es->src);
	free(es);
	u->state[UI_SCREEN_EXP] = NULL;
}

static void
exp_listeners(struct ui *u, struct exp_state *es)
{
	const struct collector *c = u->e->coll;
	struct exp_listener *l;
	int i;

	es->nl = 0;
	for (i = 0; c != NULL && i < c->n; i++) {
		l = &es->l[es->nl++];
		memset(l, 0, sizeof(*l));
		snprintf(l->name, sizeof(l->name), "%s", c->l[i].name);
		l->rcvbuf = c->l[i].rcvbuf;
		l->datagrams = c->l[i].datagrams;
		l->drops = c->l[i].drops;
		l->truncated = c->l[i].truncated;
	}
	for (i = 0; c != NULL && i < c->ntcp; i++) {
		l = &es->l[es->nl++];
		memset(l, 0, sizeof(*l));
		snprintf(l->name, sizeof(l->name), "%s", c->tcp[i].name);
		l->tcp = 1;
		l->conns = c->tcp[i].conns;
		l->datagrams = c->tcp[i].messages;
		l->accepted = c->tcp[i].accepted;
		l->refused = c->tcp[i].refused;
		l->broken = c->tcp[i].broken;
	}
}

static int
exp_snap(struct ui *u, int force)
{
	struct exp_state *es = exp_state(u);
	const struct source_table *t = u->e->sources;
	uint64_t sum;
	uint32_t i;

	if (es->cap < t->n) {
		es->cap = t->n;
		es->src = xreallocarray(es->src, es->cap, sizeof(*es->src));
	}
	/* The packet meter is a source only once it metered something. */
	for (i = 0, es->n = 0; i < t->n; i++)
		if (t->v[i].datagrams > 0 || t->v[i].records > 0)
			es->src[es->n++] = t->v[i];
	exp_listeners(u, es);
	es->dec = u->e->dec.stats;
	es->kernel_drops = engine_kernel_drops(u->e);
	es->pending = u->e->dec.tmpls != NULL ?
	    tmpl_pending_bytes(u->e->dec.tmpls) : 0;
	es->now_msec = u->e->store->now_msec;
	sum = hash_bytes(es->src, es->n * sizeof(*es->src), 1) ^
	    hash_bytes(es->l, (size_t)es->nl * sizeof(es->l[0]), 2) ^
	    hash_bytes(&es->dec, sizeof(es->dec), 3) ^ es->kernel_drops ^
	    es->pending ^ (es->n > 0 ? es->now_msec / 1000 : 0);
	if (!force && es->valid && sum == es->sum)
		return 0;
	es->sum = sum;
	es->valid = 1;
	return 1;
}

static size_t
exp_count(const struct ui *u)
{
	return exp_state(u)->n;
}

static int
exp_has_templates(const struct source *s)
{
	return s->origin == FLOW_ORIGIN_NF9 || s->origin == FLOW_ORIGIN_IPFIX;
}

static const char *
exp_age(const struct ui *u, uint64_t msec, char *buf, size_t len)
{
	const struct exp_state *es = exp_state(u);
	char d[32];

	if (msec == 0)
		return "never";
	snprintf(buf, len, "%s ago", units_duration(es->now_msec > msec ?
	    es->now_msec - msec : 0, d, sizeof(d)));
	return buf;
}

static const char *
exp_cell(const struct ui *u, size_t i, int col, char *buf, size_t len)
{
	const struct source *s = &exp_state(u)->src[i];
	int x = u->exact;

	buf[0] = '\0';
	switch (col) {
	case EX_ADDR:
		return source_name(s, buf, len);
	case EX_PROTO:
		return flow_origin_name(s->origin);
	case EX_DOMAIN:
		snprintf(buf, len, "%u", s->domain);
		return buf;
	case EX_DGRAMS:
		return units_count(s->datagrams, x, buf, len);
	case EX_RECS:
		return units_count(s->records, x, buf, len);
	case EX_LOST:
		return units_count(s->lost, x, buf, len);
	case EX_MALF:
		return units_count(s->malformed, x, buf, len);
	case EX_DROP:
		return units_count(s->dropped, x, buf, len);
	case EX_SAMPLING:
		snprintf(buf, len, "1:%u", s->sampling ? s->sampling : 1);
		return buf;
	case EX_TMPL:
		return exp_has_templates(s) ? units_count(s->templates, x, buf,
		    len) : "-";
	case EX_WAIT:
		return exp_has_templates(s) ? units_count(s->waiting -
		    s->waiting_decoded - s->waiting_expired, x, buf, len) :
		    "-";
	case EX_SAMPLES:
		return s->origin == FLOW_ORIGIN_SFLOW ? units_count(
		    s->flow_samples + s->counter_samples, x, buf, len) : "-";
	case EX_LAST:
		return exp_age(u, s->last_msec, buf, len);
	}
	return buf;
}

static void
exp_columns(struct table *t)
{
	table_init(t);
	table_add(t, "exporter", TABLE_LEFT, 0);
	table_add(t, "protocol", TABLE_LEFT, 9);
	table_add(t, "domain", TABLE_RIGHT, 2);
	table_add(t, "datagrams", TABLE_RIGHT, 8);
	table_add(t, "records", TABLE_RIGHT, 7);
	table_add(t, "lost", TABLE_RIGHT, 10);
	table_add(t, "malformed", TABLE_RIGHT, 10);
	table_add(t, "drops", TABLE_RIGHT, 6);
	table_add(t, "sampling", TABLE_RIGHT, 5);
	table_add(t, "templates", TABLE_RIGHT, 4);
	table_add(t, "waiting", TABLE_RIGHT, 3);
	table_add(t, "samples", TABLE_RIGHT, 3);
	table_add(t, "last seen", TABLE_RIGHT, 1);
}

static void
exp_seg(struct exp_text *l, int attr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
exp_seg(struct exp_text *l, int attr, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int w, gap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	w = text_width(buf);
	gap = l->n > 0 ? 2 : 0;
	if (l->x + gap + w > COLS - 1 && l->n > 0) {
		l->y++;
		l->x = 3;
		gap = 0;
	}
	if (l->y > l->last)
		return;
	attron(attr);
	l->x += gap + text_put(l->y, l->x + gap, COLS - l->x - gap, buf);
	attroff(attr);
	l->n++;
}

static void
exp_newline(struct exp_text *l, int x)
{
	if (l->n > 0)
		l->y++;
	l->x = x;
	l->n = 0;
}

/* Every counter of the selected source, in lines y..last. */
static void
exp_detail(struct ui *u, const struct source *s, int y, int last)
{
	struct exp_text l = { y, 1, last, 0 };
	char a[FLOW_ADDR_STRLEN], b[32], c[32];
	int r, any = 0;

	exp_seg(&l, A_BOLD, "%s", source_name(s, a, sizeof(a)));
	exp_seg(&l, A_NORMAL, "port %u  %s  domain %u", s->port,
	    flow_origin_name(s->origin), s->domain);
	exp_seg(&l, A_NORMAL, "first seen %s", exp_age(u, s->first_msec, b,
	    sizeof(b)));
	exp_seg(&l, A_NORMAL, "packets %s  bytes %s", units_count(s->pkts,
	    u->exact, b, sizeof(b)), units_count(s->bytes, u->exact, c,
	    sizeof(c)));
	exp_seg(&l, A_NORMAL, "sequence resets %llu  trailing bytes %llu"
	    "  implausible records %llu", (unsigned long long)s->seq_resets,
	    (unsigned long long)s->trailing,
	    (unsigned long long)s->implausible);
	exp_newline(&l, 3);
	exp_seg(&l, A_NORMAL, "malformed by reason:");
	for (r = 0; r < SOURCE_REASON_MAX; r++)
		if (s->malformed_by[r] > 0) {
			exp_seg(&l, u->attr[UI_ATTR_ERROR], "%s %llu",
			    source_reason_name(r),
			    (unsigned long long)s->malformed_by[r]);
			any = 1;
		}
	if (!any)
		exp_seg(&l, A_NORMAL, "none");
	exp_newline(&l, 3);
	if (exp_has_templates(s)) {
		exp_seg(&l, A_NORMAL, "templates %llu  rejected %llu  cache"
		    " full %llu  bad fields %llu  enterprise fields %llu",
		    (unsigned long long)s->templates,
		    (unsigned long long)s->tmpl_rejected,
		    (unsigned long long)s->tmpl_limit,
		    (unsigned long long)s->tmpl_bad_fields,
		    (unsigned long long)s->enterprise_fields);
		exp_seg(&l, A_NORMAL, "withdrawals %llu  options records %llu"
		    "  reserved sets %llu", (unsigned long long)s->withdrawals,
		    (unsigned long long)s->options_records,
		    (unsigned long long)s->reserved_sets);
		exp_seg(&l, A_NORMAL, "waiting for a template %llu (decoded"
		    " %llu, expired %llu)", (unsigned long long)s->waiting,
		    (unsigned long long)s->waiting_decoded,
		    (unsigned long long)s->waiting_expired);
	} else if (s->origin == FLOW_ORIGIN_SFLOW) {
		exp_seg(&l, A_NORMAL, "flow samples %llu  counter samples %llu"
		    "  samples lost %llu  agent drops %llu",
		    (unsigned long long)s->flow_samples,
		    (unsigned long long)s->counter_samples,
		    (unsigned long long)s->samples_lost,
		    (unsigned long long)s->sample_drops);
		exp_seg(&l, A_NORMAL, "bad samples %llu  unknown formats %llu"
		    "  no header %llu", (unsigned long long)s->bad_samples,
		    (unsigned long long)s->unknown_formats,
		    (unsigned long long)s->no_header);
	}
}

/* Listeners, then the decoder's outcomes; from line y to last. */
static void
exp_receivers(struct ui *u, int y, int last)
{
	const struct exp_state *es = exp_state(u);
	const struct exp_listener *l;
	struct exp_text t = { y, 1, last, 0 };
	char a[32], b[32], c[32];
	int i;

	for (i = 0; i < es->nl; i++) {
		l = &es->l[i];
		exp_newline(&t, 1);
		if (l->tcp) {
			exp_seg(&t, A_BOLD, "tcp %s", l->name);
			exp_seg(&t, A_NORMAL, "connections %u  accepted %llu"
			    "  refused %llu  broken %llu  messages %llu",
			    l->conns, (unsigned long long)l->accepted,
			    (unsigned long long)l->refused,
			    (unsigned long long)l->broken,
			    (unsigned long long)l->datagrams);
			continue;
		}
		exp_seg(&t, A_BOLD, "udp %s", l->name);
		exp_seg(&t, A_NORMAL, "receive buffer %d  datagrams %s  kernel"
		    " drops %s  truncated %s", l->rcvbuf, units_count(
		    l->datagrams, u->exact, a, sizeof(a)), units_count(l->drops,
		    u->exact, b, sizeof(b)), units_count(l->truncated, u->exact,
		    c, sizeof(c)));
	}
	exp_newline(&t, 1);
	exp_seg(&t, A_BOLD, "decoder");
	exp_seg(&t, A_NORMAL, "datagrams %s  ok %llu  malformed %llu"
	    "  unsupported %llu  denied %llu (allow list %llu)",
	    units_count(es->dec.datagrams, u->exact, a, sizeof(a)),
	    (unsigned long long)es->dec.outcome[DECODE_OK],
	    (unsigned long long)es->dec.outcome[DECODE_MALFORMED],
	    (unsigned long long)es->dec.outcome[DECODE_UNSUPPORTED],
	    (unsigned long long)es->dec.outcome[DECODE_DENIED],
	    (unsigned long long)es->dec.denied_acl);
	exp_seg(&t, A_NORMAL, "records %s  template data waiting %s bytes",
	    units_count(es->dec.records, u->exact, b, sizeof(b)),
	    units_count(es->pending, u->exact, c, sizeof(c)));
	/* Faults nftop survived (src/fault.h), when there were any. */
	if (fault_total() > 0)
		exp_seg(&t, A_BOLD, "faults survived %llu",
		    (unsigned long long)fault_total());
}

static void
exp_draw(struct ui *u, int y, int rows)
{
	const struct exp_state *es = exp_state(u);
	struct table t;
	const char *cell;
	char buf[EXP_CELL];
	int lines = rows + 1, recv = 1 + es->nl + 2, detail = EXP_DETAIL + 1,
	    trows, c, sel;
	size_t i, j, n;

	if (lines - recv - detail < 3)
		recv = 0;
	if (lines - recv - detail < 3)
		detail = 0;
	trows = lines - recv - detail - 1;
	if (trows < 1)
		return;
	/* The table takes the rows it has; the details follow it. */
	if (es->n > 0 && (size_t)trows > es->n)
		trows = (int)es->n;
	ui_scroll_keep(u, es->n, trows);
	n = es->n - u->scroll[UI_SCREEN_EXP];
	if (n > (size_t)trows)
		n = (size_t)trows;
	exp_columns(&t);
	for (j = 0; j < n; j++)
		for (c = 0; c < EX_NCOLS; c++)
			table_fit(&t, c, exp_cell(u, u->scroll[UI_SCREEN_EXP] +
			    j, c, buf, sizeof(buf)));
	table_layout(&t, COLS);
	table_header(u, &t, y);
	if (es->n == 0)
		text_put(y + 1, 1, COLS - 1, "no exporter has sent anything"
		    " yet");
	for (j = 0; j < n; j++) {
		i = u->scroll[UI_SCREEN_EXP] + j;
		sel = i == u->sel[UI_SCREEN_EXP];
		ui_line_row(u, y + 1 + (int)j, i);
		table_row_attr(u, y + 1 + (int)j, sel);
		for (c = 0; c < EX_NCOLS; c++) {
			cell = exp_cell(u, i, c, buf, sizeof(buf));
			if (!sel && ((c == EX_LOST && es->src[i].lost > 0) ||
			    (c == EX_MALF && es->src[i].malformed > 0) ||
			    (c == EX_DROP && es->src[i].dropped > 0)))
				attron(u->attr[UI_ATTR_ERROR]);
			table_cell(&t, c, y + 1 + (int)j, cell);
			if (!sel)
				attroff(u->attr[UI_ATTR_ERROR]);
		}
		table_row_end(u, sel);
	}
	/* Details under the table, the receivers at the bottom. */
	if (detail > 0 && es->n > 0)
		exp_detail(u, &es->src[u->sel[UI_SCREEN_EXP]], y + trows + 2,
		    y + lines - 1 - recv);
	if (recv > 0)
		exp_receivers(u, y + lines - recv + 1, y + lines - 1);
}

static int
exp_drill(struct ui *u, size_t row, struct ui_drill *d)
{
	const struct exp_state *es = exp_state(u);
	char a[FLOW_ADDR_STRLEN];

	if (row >= es->n)
		return -1;
	if (es->src[row].origin == FLOW_ORIGIN_PCAP) {
		ui_message(u, 1, "drill: the packet meter is not an exporter");
		return -1;
	}
	snprintf(d->filter, sizeof(d->filter), "router ip %s",
	    flow_addr_fmt(&es->src[row].addr, a, sizeof(a)));
	d->screen = UI_SCREEN_TOP;
	snprintf(d->aggregate, sizeof(d->aggregate), "srcip");
	return 0;
}

const struct ui_panel view_exp_panel = {
	.name = "exporters",
	.label = "Exporters",
	.short_label = "Exp",
	.create = exp_create,
	.destroy = exp_destroy,
	.enter = NULL,
	.leave = NULL,
	.snap = exp_snap,
	.count = exp_count,
	.draw = exp_draw,
	.drill = exp_drill,
	.click = NULL,
};
