/*
 * ch-source.c - views computed by ClickHouse (see ch-source.h).
 *
 * A round is one span query (how much time the table covers, for rates)
 * and, for each view, a top query and a protocol query.  Queries go in
 * the request body and answers come back as RowBinary: fixed-width
 * little-endian rows whose layout the query itself fixed, so an answer is
 * checked by its length alone before a byte of it is used.  Addresses
 * come back as two UInt64 halves (big-endian order inside), masked by the
 * key's prefix on the server exactly as key_make() masks them here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "agg.h"
#include "ch-source.h"
#include "clock.h"
#include "engine.h"
#include "filter.h"
#include "filter-sql.h"
#include "keys.h"
#include "log.h"
#include "source.h"
#include "store.h"
#include "view.h"
#include "xmalloc.h"

#define CH_SLOTS	(1 + ENGINE_EXTRA_MAX)	/* active view, extras */
#define V4MAPPED	"unhex('00000000000000000000FFFF')"
#define COUNTS_BYTES	24			/* flows, packets, bytes */
#define PROTO_ROW	(1 + COUNTS_BYTES)
#define SPAN_ROW	24			/* rows, min and max time */

enum ch_ask_what { ASK_SPAN, ASK_TOP, ASK_PROTO };

struct ch_ask {
	struct ch_source *s;
	int		 slot;
	int		 what;		/* enum ch_ask_what */
};

struct ch_slot {
	char		*sig;		/* the view's definition when asked */
	struct evbuffer	*top;
	struct evbuffer	*proto;
	int		 bad;		/* a query failed: pour nothing */
	int		 asked;
};

struct ch_source {
	struct ch_http	 http;
	struct engine	*e;
	struct ch_slot	 slot[CH_SLOTS];
	struct ch_ask	 ask[1 + 2 * CH_SLOTS];
	struct evbuffer	*span;
	int		 outstanding;	/* answers still to come this round */
	uint64_t	 started_msec;
	uint64_t	 first_msec;	/* the table's oldest receive time */
	int		 span_ok;
	ch_source_cb	 cb;
	void		*cbarg;
	struct ch_source_stats st;
};

static struct view *
ch_slot_view(const struct ch_source *s, int i)
{
	return i == 0 ? s->e->view : s->e->extra[i - 1];
}

/* What a view's answer depends on; an answer for another is stale. */
static char *
ch_view_sig(const struct view *v)
{
	const char *f = filter_text(v->filter);
	size_t len = strlen(f) + strlen(v->spec.name) + 64;
	char *sig = xmalloc(len);

	snprintf(sig, len, "%s\037%s\037%llu\037%d", f, v->spec.name,
	    (unsigned long long)v->window_msec, (int)v->order);
	return sig;
}

static size_t
ch_key_row(const struct key_spec *ks)
{
	size_t n = COUNTS_BYTES;
	int i;

	for (i = 0; i < ks->n; i++) {
		switch (ks->field[i]) {
		case KEY_SRCIP: case KEY_DSTIP: case KEY_IP: case KEY_NEXTHOP:
		case KEY_EXPORTER:
			n += 16;
			break;
		case KEY_SRCPORT: case KEY_DSTPORT: case KEY_PORT:
			n += 2;
			break;
		case KEY_PROTO: case KEY_TOS:
			n += 1;
			break;
		default:
			n += 4;
			break;
		}
	}
	return n;
}

/* The first `bits` bits set, as two big-endian halves. */
static void
ch_mask(unsigned bits, unsigned long long m[2])
{
	int h;

	for (h = 0; h < 2; h++) {
		unsigned b = bits > 64u * h ? bits - 64u * h : 0;

		m[h] = b >= 64 ? ~0ULL : b == 0 ? 0 : ~0ULL << (64 - b);
	}
}

static void
ch_key_addr(struct evbuffer *b, const char *a, const struct key_spec *ks,
    int i)
{
	unsigned long long m4[2], m6[2];
	int h;

	ch_mask(96 + ks->prefix4[i], m4);
	ch_mask(ks->prefix6[i], m6);
	for (h = 0; h < 2; h++) {
		if (ks->prefix4[i] == 32 && ks->prefix6[i] == 128)
			evbuffer_add_printf(b, "reinterpretAsUInt64(reverse("
			    "substring(%s, %d, 8))) AS k%d%c, ", a, 1 + 8 * h,
			    i, "hl"[h]);
		else
			evbuffer_add_printf(b, "bitAnd(reinterpretAsUInt64("
			    "reverse(substring(%s, %d, 8))), if(substring(%s,"
			    " 1, 12) = " V4MAPPED ", %llu, %llu)) AS k%d%c, ",
			    a, 1 + 8 * h, a, m4[h], m6[h], i, "hl"[h]);
	}
}

/* SELECT keys...: each field of the aggregate as a column k<i>. */
static void
ch_key_select(struct evbuffer *b, const struct key_spec *ks)
{
	static const char *const expr[KEY_FIELD_MAX] = {
		[KEY_SRCIP] = "srcip", [KEY_DSTIP] = "dstip",
		[KEY_IP] = "if(side = 0, srcip, dstip)",
		[KEY_NEXTHOP] = "nexthop",
		[KEY_SRCPORT] = "srcport", [KEY_DSTPORT] = "dstport",
		[KEY_PORT] = "toUInt16(if(side = 0, srcport, dstport))",
		[KEY_PROTO] = "proto", [KEY_TOS] = "tos",
		[KEY_SRCAS] = "srcas", [KEY_DSTAS] = "dstas",
		[KEY_AS] = "toUInt32(if(side = 0, srcas, dstas))",
		[KEY_INIF] = "inif", [KEY_OUTIF] = "outif",
		[KEY_IF] = "toUInt32(if(side = 0, inif, outif))",
		[KEY_EXPORTER] = "exporter",
	};
	int i, f;

	for (i = 0; i < ks->n; i++) {
		f = ks->field[i];
		if (f == KEY_SRCIP || f == KEY_DSTIP || f == KEY_IP ||
		    f == KEY_NEXTHOP)
			ch_key_addr(b, expr[f], ks, i);
		else
			evbuffer_add_printf(b, "%s AS k%d, ", expr[f], i);
	}
}

/* The key columns' names, lead before the first. */
static void
ch_key_list(struct evbuffer *b, const struct key_spec *ks, const char *lead)
{
	int i, f;

	for (i = 0; i < ks->n; i++) {
		f = ks->field[i];
		if (f == KEY_SRCIP || f == KEY_DSTIP || f == KEY_IP ||
		    f == KEY_NEXTHOP)
			evbuffer_add_printf(b, "%sk%dh, k%dl", i > 0 ? ", " :
			    lead, i, i);
		else
			evbuffer_add_printf(b, "%sk%d", i > 0 ? ", " : lead, i);
	}
}

static void
ch_where(struct evbuffer *b, const struct ch_source *s,
    const struct view *v, const char *cond)
{
	uint64_t now = s->e->store->now_msec, from;

	evbuffer_add_printf(b, " WHERE ");
	if (v->window_msec != 0) {
		from = now > v->window_msec ? now - v->window_msec : 0;
		evbuffer_add_printf(b, "received > %llu AND date >= toDate("
		    "intDiv(%llu, 1000)) AND ", (unsigned long long)from,
		    (unsigned long long)from);
	}
	evbuffer_add_printf(b, "(%s)", cond);
}

static struct evbuffer *
ch_sql_top(const struct ch_source *s, const struct view *v,
    const char *cond)
{
	static const char *const metric[AGG_ORDER_MAX] = { "b", "p", "f" };
	const struct key_spec *ks = &v->spec;
	struct evbuffer *b = evbuffer_new();
	size_t limit = s->e->top > CH_SOURCE_ROWS ? s->e->top : CH_SOURCE_ROWS;

	if (b == NULL)
		fatalx("clickhouse: out of memory");
	if (limit > v->key_max)
		limit = v->key_max;
	evbuffer_add_printf(b, "SELECT ");
	ch_key_select(b, ks);
	evbuffer_add_printf(b, "toUInt64(sum(flows)) AS f, toUInt64(sum("
	    "packets)) AS p, toUInt64(sum(bytes)) AS b FROM %s%s",
	    s->http.table, ks->twoway ? " ARRAY JOIN [0, 1] AS side" : "");
	ch_where(b, s, v, cond);
	ch_key_list(b, ks, " GROUP BY ");
	evbuffer_add_printf(b, " ORDER BY %s DESC", metric[v->order <
	    AGG_ORDER_MAX ? v->order : 0]);
	ch_key_list(b, ks, ", ");
	evbuffer_add_printf(b, " LIMIT %zu FORMAT RowBinary", limit);
	return b;
}

static struct evbuffer *
ch_sql_proto(const struct ch_source *s, const struct view *v,
    const char *cond)
{
	struct evbuffer *b = evbuffer_new();

	if (b == NULL)
		fatalx("clickhouse: out of memory");
	evbuffer_add_printf(b, "SELECT proto, toUInt64(sum(flows)),"
	    " toUInt64(sum(packets)), toUInt64(sum(bytes)) FROM %s",
	    s->http.table);
	ch_where(b, s, v, cond);
	evbuffer_add_printf(b, " GROUP BY proto FORMAT RowBinary");
	return b;
}

static uint64_t
get_le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static const uint8_t *
get_addr(const uint8_t *p, struct flow_addr *a)
{
	uint64_t h[2];
	int i, k;

	h[0] = get_le(p, 8);
	h[1] = get_le(p + 8, 8);
	for (k = 0; k < 2; k++)
		for (i = 0; i < 8; i++)
			a->b[8 * k + i] = (uint8_t)(h[k] >> (56 - 8 * i));
	return p + 16;
}

/*
 * One answer row into a record that carries the key's values on the
 * source side, so key_make() builds the same key a local record would.
 */
static const uint8_t *
ch_row_rec(struct ch_source *s, const struct key_spec *ks, const uint8_t *p,
    struct flow_rec *r)
{
	struct flow_addr a;
	struct source *src;
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < ks->n; i++) {
		switch (ks->field[i]) {
		case KEY_SRCIP: case KEY_IP:
			p = get_addr(p, &r->src);
			break;
		case KEY_DSTIP:
			p = get_addr(p, &r->dst);
			break;
		case KEY_NEXTHOP:
			p = get_addr(p, &r->nexthop);
			break;
		case KEY_EXPORTER:
			memcpy(a.b, p, 16);
			p += 16;
			/* Exporters are known by address; the table names them. */
			src = source_get(s->e->sources, &a, 0,
			    FLOW_ORIGIN_UNKNOWN, 0, s->e->store->now_msec);
			r->source = src != NULL ? (uint16_t)(src -
			    s->e->sources->v) : UINT16_MAX;
			break;
		case KEY_SRCPORT: case KEY_PORT:
			r->srcport = (uint16_t)get_le(p, 2);
			p += 2;
			break;
		case KEY_DSTPORT:
			r->dstport = (uint16_t)get_le(p, 2);
			p += 2;
			break;
		case KEY_PROTO:
			r->proto = *p++;
			break;
		case KEY_TOS:
			r->tos = *p++;
			break;
		case KEY_SRCAS: case KEY_AS:
			r->srcas = (uint32_t)get_le(p, 4);
			p += 4;
			break;
		case KEY_DSTAS:
			r->dstas = (uint32_t)get_le(p, 4);
			p += 4;
			break;
		case KEY_INIF: case KEY_IF:
			r->inif = (uint32_t)get_le(p, 4);
			p += 4;
			break;
		case KEY_OUTIF:
			r->outif = (uint32_t)get_le(p, 4);
			p += 4;
			break;
		}
	}
	return p;
}

static const uint8_t *
get_counts(const uint8_t *p, struct agg_counts *c)
{
	c->flows = get_le(p, 8);
	c->pkts = get_le(p + 8, 8);
	c->bytes = get_le(p + 16, 8);
	return p + COUNTS_BYTES;
}

/* Both answers of a view, checked by length, then poured in. */
static int
ch_pour(struct ch_source *s, struct view *v, struct ch_slot *sl)
{
	size_t rl = ch_key_row(&v->spec), tl = evbuffer_get_length(sl->top),
	    pl = evbuffer_get_length(sl->proto), i;
	const uint8_t *p;
	struct agg_counts c;
	struct flow_rec r;
	struct key k;
	uint8_t proto;

	if (tl % rl != 0 || pl % PROTO_ROW != 0 || pl / PROTO_ROW > 256)
		return -1;
	agg_clear(v->tab);
	p = evbuffer_pullup(sl->top, -1);
	for (i = 0; i < tl / rl; i++) {
		p = ch_row_rec(s, &v->spec, p, &r);
		p = get_counts(p, &c);
		key_make(&v->spec, &r, 0, &k);
		agg_add(v->tab, k.b, &c, i + 1);	/* rows, never subtracted */
	}
	memset(v->proto, 0, sizeof(v->proto));
	memset(&v->totals, 0, sizeof(v->totals));
	p = evbuffer_pullup(sl->proto, -1);
	for (i = 0; i < pl / PROTO_ROW; i++) {
		proto = *p++;
		p = get_counts(p, &c);
		agg_counts_add(&v->proto[proto], &c);
		agg_counts_add(&v->totals, &c);
	}
	v->generation++;
	return 0;
}

/* The time the counts cover, for rates: as view_seconds() has it. */
static uint64_t
ch_span(const struct ch_source *s, const struct view *v)
{
	uint64_t now = s->e->store->now_msec, span;

	span = s->first_msec != 0 && now > s->first_msec ?
	    now - s->first_msec : 0;
	if (v->window_msec != 0 && v->window_msec < span)
		span = v->window_msec;
	return span < 1000 ? 1000 : span;
}

static void
ch_round_end(struct ch_source *s)
{
	struct ch_slot *sl;
	struct view *v;
	char *sig;
	int i;

	for (i = 0; i < CH_SLOTS; i++) {
		sl = &s->slot[i];
		v = ch_slot_view(s, i);
		if (sl->asked && !sl->bad && v != NULL) {
			sig = ch_view_sig(v);
			if (strcmp(sig, sl->sig) == 0 && ch_pour(s, v, sl) != 0) {
				s->st.failed++;
				snprintf(s->st.error, sizeof(s->st.error),
				    "malformed answer");
			}
			free(sig);
		}
		if (v != NULL && s->span_ok)
			v->remote_span_msec = ch_span(s, v);
		evbuffer_drain(sl->top, evbuffer_get_length(sl->top));
		evbuffer_drain(sl->proto, evbuffer_get_length(sl->proto));
		free(sl->sig);
		sl->sig = NULL;
		sl->asked = sl->bad = 0;
	}
	s->st.rounds++;
	s->st.round_msec = clock_now_msec() - s->started_msec;
	if (s->cb != NULL)
		s->cb(s->cbarg);
}

static void
ch_answer(int status, struct evbuffer *body, const char *err, void *arg)
{
	struct ch_ask *a = arg;
	struct ch_source *s = a->s;
	struct ch_slot *sl = &s->slot[a->slot];

	if (status != 200) {
		s->st.failed++;
		s->st.connected = 0;
		snprintf(s->st.error, sizeof(s->st.error), "%s", err);
		sl->bad = 1;
	} else {
		s->st.queries++;
		s->st.connected = 1;
		switch (a->what) {
		case ASK_SPAN:
			if (evbuffer_get_length(body) == SPAN_ROW) {
				uint8_t row[SPAN_ROW];

				evbuffer_remove(body, row, sizeof(row));
				s->st.rows = get_le(row, 8);
				s->first_msec = get_le(row + 8, 8);
				s->span_ok = 1;
			}
			break;
		case ASK_TOP:
			evbuffer_add_buffer(sl->top, body);
			break;
		case ASK_PROTO:
			evbuffer_add_buffer(sl->proto, body);
			break;
		}
	}
	if (--s->outstanding == 0)
		ch_round_end(s);
}

static void
ch_ask(struct ch_source *s, int k, int slot, int what, struct evbuffer *q)
{
	s->ask[k] = (struct ch_ask){ s, slot, what };
	s->outstanding++;
	if (ch_http_post(&s->http, NULL, q, ch_answer, &s->ask[k]) != 0) {
		s->outstanding--;
		s->slot[slot].bad = 1;
		s->st.failed++;
		snprintf(s->st.error, sizeof(s->st.error), "cannot send a"
		    " request");
	}
	evbuffer_free(q);
}

/* Starts a round, unless the last one is still out. */
void
ch_source_tick(struct ch_source *s)
{
	struct evbuffer *q;
	struct view *v;
	char err[512], *cond;
	int i, k = 0;

	if (s->outstanding > 0)
		return;
	s->started_msec = clock_now_msec();
	s->span_ok = 0;
	/* Counted until every request is sent: no round ends early. */
	s->outstanding = 1;
	if ((q = evbuffer_new()) == NULL)
		fatalx("clickhouse: out of memory");
	evbuffer_add_printf(q, "SELECT toUInt64(count()), toUInt64(min("
	    "received)), toUInt64(max(received)) FROM %s FORMAT RowBinary",
	    s->http.table);
	ch_ask(s, k++, 0, ASK_SPAN, q);
	for (i = 0; i < CH_SLOTS; i++) {
		if ((v = ch_slot_view(s, i)) == NULL)
			continue;
		if ((cond = filter_sql(filter_text(v->filter), err,
		    sizeof(err))) == NULL) {
			/* Refused at the prompt already; a view made some
			 * other way keeps its old numbers. */
			snprintf(s->st.error, sizeof(s->st.error), "%s", err);
			continue;
		}
		s->slot[i].sig = ch_view_sig(v);
		s->slot[i].asked = 1;
		ch_ask(s, k++, i, ASK_TOP, ch_sql_top(s, v, cond));
		ch_ask(s, k++, i, ASK_PROTO, ch_sql_proto(s, v, cond));
		free(cond);
	}
	if (--s->outstanding == 0)
		ch_round_end(s);
}

struct ch_source *
ch_source_create(struct engine *e, const char *url, char *err,
    size_t errlen)
{
	struct ch_source *s = xcalloc(1, sizeof(*s));
	int i;

	if (ch_http_init(&s->http, e->base, url, CH_SOURCE_TIMEOUT_SEC,
	    CH_SOURCE_MAX_BODY, err, errlen) != 0) {
		free(s);
		return NULL;
	}
	s->e = e;
	for (i = 0; i < CH_SLOTS; i++) {
		s->slot[i].top = evbuffer_new();
		s->slot[i].proto = evbuffer_new();
		if (s->slot[i].top == NULL || s->slot[i].proto == NULL)
			fatalx("clickhouse: out of memory");
	}
	return s;
}

void
ch_source_free(struct ch_source *s)
{
	int i;

	if (s == NULL)
		return;
	ch_http_free(&s->http);
	for (i = 0; i < CH_SLOTS; i++) {
		evbuffer_free(s->slot[i].top);
		evbuffer_free(s->slot[i].proto);
		free(s->slot[i].sig);
	}
	free(s);
}

void
ch_source_on_round(struct ch_source *s, ch_source_cb cb, void *arg)
{
	s->cb = cb;
	s->cbarg = arg;
}

/* The engine's filter check: a filter SQL cannot express is refused. */
int
ch_source_check(void *arg, const char *text, char *err, size_t errlen)
{
	char *cond;

	(void)arg;
	if ((cond = filter_sql(text, err, errlen)) == NULL)
		return -1;
	free(cond);
	return 0;
}

void
ch_source_stats(const struct ch_source *s, struct ch_source_stats *st)
{
	*st = s->st;
}

const char *
ch_source_url(const struct ch_source *s)
{
	return s->http.url;
}
