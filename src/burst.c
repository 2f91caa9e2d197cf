/*
 * burst.c - top keys by their busiest second, computed on demand from the
 * records a view counts.
 *
 * One pass over the window's retained records with a scratch hash table
 * sized from the view's own key count (so it never rehashes), then a
 * bounded min-heap picks the n keys with the largest peak.  Nothing is
 * kept between calls.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "burst.h"
#include "hash.h"
#include "store.h"
#include "view.h"
#include "xmalloc.h"

struct burst_slot {
	uint64_t		hash;		/* 0 = empty */
	uint64_t		cur_sec;
	struct agg_counts	cur;
	struct burst_entry	e;
};

struct burst_table {
	struct burst_slot	*v;
	size_t			 mask;
	size_t			 n;
	size_t			 max;
	size_t			 keylen;
	uint64_t		 hash_key;
};

static void
peak_close(struct burst_slot *s, enum agg_order o)
{
	if (agg_metric(&s->cur, o) > agg_metric(&s->e.peak, o)) {
		s->e.peak = s->cur;
		s->e.peak_sec = s->cur_sec;
	}
}

static void
burst_count(struct burst_table *t, const struct key *k,
    const struct agg_counts *c, uint64_t sec, enum agg_order o,
    struct burst_stats *st)
{
	uint64_t h = hash_bytes(k->b, t->keylen, t->hash_key);
	struct burst_slot *s;
	size_t i;

	if (h == 0)
		h = 1;
	for (i = h & t->mask;; i = (i + 1) & t->mask) {
		s = &t->v[i];
		if (s->hash == 0)
			break;
		if (s->hash == h && memcmp(s->e.key.b, k->b, t->keylen) == 0)
			goto found;
	}
	if (t->n >= t->max) {
		st->capped++;
		return;
	}
	t->n++;
	s->hash = h;
	memcpy(s->e.key.b, k->b, t->keylen);
	s->cur_sec = sec;
found:
	if (sec > s->cur_sec) {
		peak_close(s, o);
		memset(&s->cur, 0, sizeof(s->cur));
		s->cur_sec = sec;
	}
	s->cur.flows += c->flows;
	s->cur.pkts += c->pkts;
	s->cur.bytes += c->bytes;
	s->e.total.flows += c->flows;
	s->e.total.pkts += c->pkts;
	s->e.total.bytes += c->bytes;
}

/* Min-heap on the peak metric: heap[0] is the smallest of the best. */
static int
burst_less(const struct burst_entry *a, const struct burst_entry *b,
    enum agg_order o)
{
	uint64_t x = agg_metric(&a->peak, o), y = agg_metric(&b->peak, o);

	if (x != y)
		return x < y;
	return agg_metric(&a->total, o) < agg_metric(&b->total, o);
}

static void
heap_down(struct burst_entry *h, size_t n, size_t i, enum agg_order o)
{
	struct burst_entry tmp;
	size_t l, m;

	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < n && burst_less(&h[l], &h[m], o))
			m = l;
		if (l + 1 < n && burst_less(&h[l + 1], &h[m], o))
			m = l + 1;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

static void
heap_up(struct burst_entry *h, size_t i, enum agg_order o)
{
	struct burst_entry tmp;

	while (i > 0 && burst_less(&h[i], &h[(i - 1) / 2], o)) {
		tmp = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
}

static size_t
burst_select(struct burst_table *t, enum agg_order o, size_t n,
    struct burst_entry *out)
{
	struct burst_entry tmp;
	size_t i, k = 0;

	for (i = 0; i <= t->mask && n > 0; i++) {
		if (t->v[i].hash == 0)
			continue;
		peak_close(&t->v[i], o);
		if (k < n) {
			out[k] = t->v[i].e;
			heap_up(out, k++, o);
		} else if (burst_less(&out[0], &t->v[i].e, o)) {
			out[0] = t->v[i].e;
			heap_down(out, k, 0, o);
		}
	}
	/* Heap to descending order: pop the smallest to the end. */
	for (i = k; i > 1; i--) {
		tmp = out[0];
		out[0] = out[i - 1];
		out[i - 1] = tmp;
		heap_down(out, i - 1, 0, o);
	}
	return k;
}

size_t
burst_top(const struct view *v, size_t n, struct burst_entry *out,
    struct burst_stats *stp)
{
	const struct store *s = v->store;
	const struct flow_rec *r;
	struct burst_table t;
	struct burst_stats st;
	struct timespec t0, t1;
	struct agg_counts c;
	struct key k;
	uint64_t seq = v->win_start, bit = 1u << v->slot;
	size_t cap = 16, got;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&st, 0, sizeof(st));
	/* The view's key count bounds ours: a table that never fills. */
	while (cap < 2 * (v->tab->n + 1))
		cap *= 2;
	memset(&t, 0, sizeof(t));
	t.v = xcalloc(cap, sizeof(*t.v));
	t.mask = cap - 1;
	t.max = v->tab->n + 1;
	t.keylen = v->spec.len;
	t.hash_key = hash_random_key();
	if (seq < store_oldest(s))
		seq = store_oldest(s);
	for (; seq < s->head; seq++) {
		r = store_get(s, seq);
		if (!(r->views & bit))
			continue;
		st.records++;
		c = (struct agg_counts){ r->flags & FLOW_F_CONT ? 0 : 1,
		    r->pkts, r->bytes };
		key_make(&v->spec, r, 0, &k);
		burst_count(&t, &k, &c, r->recv_msec / 1000, v->order, &st);
		if (v->spec.twoway) {
			key_make(&v->spec, r, 1, &k);
			burst_count(&t, &k, &c, r->recv_msec / 1000, v->order,
			    &st);
		}
	}
	st.keys = t.n;
	got = burst_select(&t, v->order, n, out);
	free(t.v);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st.msec = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (stp != NULL)
		*stp = st;
	return got;
}
