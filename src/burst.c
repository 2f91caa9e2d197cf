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

#include "bigmem.h"
#include "burst.h"
#include "hash.h"
#include "store.h"
#include "view.h"

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

/*
 * Keys wait a few records between their hash and their count, their slot
 * prefetched meanwhile: the table is larger than the cache, and misses
 * that overlap cost a fraction of misses taken one after another.
 */
#define BURST_PIPE	8

struct burst_pending {
	struct key		k;
	uint64_t		hash;
	uint64_t		sec;
	struct agg_counts	c;
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
burst_count(struct burst_table *t, const struct key *k, uint64_t h,
    const struct agg_counts *c, uint64_t sec, enum agg_order o,
    struct burst_stats *st)
{
	struct burst_slot *s;
	size_t i;

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

/* Queues a key; counts the one queued BURST_PIPE keys ago. */
static void
burst_push(struct burst_table *t, struct burst_pending *q, uint64_t *nq,
    const struct key *k, const struct agg_counts *c, uint64_t sec,
    enum agg_order o, struct burst_stats *st)
{
	struct burst_pending *p = &q[*nq % BURST_PIPE];
	const char *slot;

	if (*nq >= BURST_PIPE)
		burst_count(t, &p->k, p->hash, &p->c, p->sec, o, st);
	memcpy(p->k.b, k->b, t->keylen);
	p->hash = hash_bytes(k->b, t->keylen, t->hash_key);
	if (p->hash == 0)
		p->hash = 1;
	p->sec = sec;
	p->c = *c;
	slot = (const char *)&t->v[p->hash & t->mask];
	__builtin_prefetch(slot, 1);
	__builtin_prefetch(slot + 64, 1);
	(*nq)++;
}

/* Counts what is still queued, oldest first. */
static void
burst_drain(struct burst_table *t, struct burst_pending *q, uint64_t nq,
    enum agg_order o, struct burst_stats *st)
{
	uint64_t i = nq > BURST_PIPE ? nq - BURST_PIPE : 0;
	struct burst_pending *p;

	for (; i < nq; i++) {
		p = &q[i % BURST_PIPE];
		burst_count(t, &p->k, p->hash, &p->c, p->sec, o, st);
	}
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
	struct burst_pending q[BURST_PIPE];
	struct agg_counts c;
	struct key k;
	uint64_t seq = v->win_start, bit = 1u << v->slot, i, nq = 0;
	size_t cap = 16, got;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&st, 0, sizeof(st));
	/* The view's key count bounds ours: a table that never fills. */
	while (cap < 2 * (v->tab->n + 1))
		cap *= 2;
	memset(&t, 0, sizeof(t));
	t.v = bigmem_alloc(cap * sizeof(*t.v));
	t.mask = cap - 1;
	t.max = v->tab->n + 1;
	t.keylen = v->spec.len;
	t.hash_key = hash_random_key();
	if (seq < store_oldest(s))
		seq = store_oldest(s);
	for (i = store_index(s, seq); seq < s->head; seq++,
	    i = store_step(s, i)) {
		r = &s->ring[i];
		if (!(r->views & bit))
			continue;
		st.records++;
		c = (struct agg_counts){ r->flags & FLOW_F_CONT ? 0 : 1,
		    r->pkts, r->bytes };
		key_make(&v->spec, r, 0, &k);
		burst_push(&t, q, &nq, &k, &c, r->recv_msec / 1000, v->order,
		    &st);
		if (v->spec.twoway) {
			key_make(&v->spec, r, 1, &k);
			burst_push(&t, q, &nq, &k, &c, r->recv_msec / 1000,
			    v->order, &st);
		}
	}
	burst_drain(&t, q, nq, v->order, &st);
	st.keys = t.n;
	got = burst_select(&t, v->order, n, out);
	bigmem_free(t.v, cap * sizeof(*t.v));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st.msec = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (stp != NULL)
		*stp = st;
	return got;
}
