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

/*
 * A slot is its counts and then the key's bytes, no more of them than
 * the key has: for keys up to 32 bytes (an address, a port, a pair of
 * addresses) a slot is two cache lines, aligned, which is all a record
 * waits for.  Slots are t->stride bytes apart.
 */
struct burst_slot {
	uint64_t		hash;		/* 0 = empty */
	uint64_t		cur_sec;
	uint64_t		peak_sec;
	struct agg_counts	cur;
	struct agg_counts	peak;
	struct agg_counts	total;
	uint64_t		key[];		/* keywords of them */
};

#define BURST_SLOT_MIN	128

struct burst_table {
	char			*v;
	size_t			 stride;
	size_t			 mask;
	size_t			 n;
	size_t			 max;
	size_t			 keylen;
	size_t			 keywords;	/* keylen in 8-byte words */
	uint64_t		 hash_key;
};

/*
 * Keys wait a few records between their hash and their count, their slot
 * prefetched meanwhile: the table is larger than the cache, and misses
 * that overlap cost a fraction of misses taken one after another.
 */
#define BURST_PIPE	8

struct burst_pending {
	struct key		k;		/* zero past keylen */
	uint64_t		hash;
	uint64_t		sec;
	struct agg_counts	c;
};

static struct burst_slot *
burst_slot(const struct burst_table *t, size_t i)
{
	return (struct burst_slot *)(t->v + i * t->stride);
}

/* Keys are compared a word at a time: both are zero past keylen. */
static int
burst_key_eq(const struct burst_table *t, const struct burst_slot *s,
    const struct key *k)
{
	uint64_t w;
	size_t i;

	for (i = 0; i < t->keywords; i++) {
		memcpy(&w, k->b + 8 * i, 8);
		if (s->key[i] != w)
			return 0;
	}
	return 1;
}

static void
peak_close(struct burst_slot *s, enum agg_order o)
{
	if (agg_metric(&s->cur, o) > agg_metric(&s->peak, o)) {
		s->peak = s->cur;
		s->peak_sec = s->cur_sec;
	}
}

static void
burst_count(struct burst_table *t, const struct burst_pending *p,
    enum agg_order o, struct burst_stats *st)
{
	struct burst_slot *s;
	size_t i;

	for (i = p->hash & t->mask;; i = (i + 1) & t->mask) {
		s = burst_slot(t, i);
		if (s->hash == 0)
			break;
		if (s->hash == p->hash && burst_key_eq(t, s, &p->k))
			goto found;
	}
	if (t->n >= t->max) {
		st->capped++;
		return;
	}
	t->n++;
	s->hash = p->hash;
	memcpy(s->key, p->k.b, 8 * t->keywords);
	s->cur_sec = p->sec;
found:
	if (p->sec > s->cur_sec) {
		peak_close(s, o);
		memset(&s->cur, 0, sizeof(s->cur));
		s->cur_sec = p->sec;
	}
	agg_counts_add(&s->cur, &p->c);
	agg_counts_add(&s->total, &p->c);
}

/* Queues a key; counts the one queued BURST_PIPE keys ago. */
static void
burst_push(struct burst_table *t, struct burst_pending *q, uint64_t *nq,
    const struct key *k, const struct agg_counts *c, uint64_t sec,
    enum agg_order o, struct burst_stats *st)
{
	struct burst_pending *p = &q[*nq % BURST_PIPE];
	const char *slot;
	size_t off;

	if (*nq >= BURST_PIPE)
		burst_count(t, p, o, st);
	p->k = *k;
	p->hash = hash_bytes(k->b, t->keylen, t->hash_key);
	if (p->hash == 0)
		p->hash = 1;
	p->sec = sec;
	p->c = *c;
	slot = (const char *)burst_slot(t, p->hash & t->mask);
	for (off = 0; off < t->stride; off += 64)
		__builtin_prefetch(slot + off, 1);
	(*nq)++;
}

/* Counts what is still queued, oldest first. */
static void
burst_drain(struct burst_table *t, struct burst_pending *q, uint64_t nq,
    enum agg_order o, struct burst_stats *st)
{
	uint64_t i = nq > BURST_PIPE ? nq - BURST_PIPE : 0;

	for (; i < nq; i++)
		burst_count(t, &q[i % BURST_PIPE], o, st);
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

/* The entry a slot stands for. */
static void
burst_entry_of(const struct burst_table *t, const struct burst_slot *s,
    struct burst_entry *e)
{
	memset(&e->key, 0, sizeof(e->key));
	memcpy(e->key.b, s->key, t->keylen);
	e->peak = s->peak;
	e->peak_sec = s->peak_sec;
	e->total = s->total;
}

static size_t
burst_select(struct burst_table *t, enum agg_order o, size_t n,
    struct burst_entry *out)
{
	struct burst_entry tmp, e;
	struct burst_slot *s;
	size_t i, k = 0;

	for (i = 0; i <= t->mask && n > 0; i++) {
		s = burst_slot(t, i);
		if (s->hash == 0)
			continue;
		peak_close(s, o);
		burst_entry_of(t, s, &e);
		if (k < n) {
			out[k] = e;
			heap_up(out, k++, o);
		} else if (burst_less(&out[0], &e, o)) {
			out[0] = e;
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
	t.keylen = v->spec.len;
	t.keywords = (t.keylen + 7) / 8;
	t.stride = sizeof(struct burst_slot) + 8 * t.keywords;
	if (t.stride < BURST_SLOT_MIN)
		t.stride = BURST_SLOT_MIN;
	t.v = bigmem_alloc(cap * t.stride);
	t.mask = cap - 1;
	t.max = v->tab->n + 1;
	t.hash_key = hash_random_key();
	memset(&k, 0, sizeof(k));	/* key_make writes keylen bytes */
	if (seq < store_oldest(s))
		seq = store_oldest(s);
	for (i = store_index(s, seq); seq < s->head; seq++,
	    i = store_step(s, i)) {
		store_poll(s, seq);
		r = &s->ring[i];
		if (!(r->views & bit))
			continue;
		st.records++;
		c = agg_counts_of(r);
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
	bigmem_free(t.v, cap * t.stride);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st.msec = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (stp != NULL)
		*stp = st;
	return got;
}
