/*
 * agg.c - the aggregate hash table: open addressing, linear probing,
 * backward-shift deletion (no tombstones, so a table that churns through
 * keys all day stays as fast as a fresh one).
 */
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "hash.h"
#include "xmalloc.h"

#define AGG_MIN_SLOTS	1024

struct agg_table *
agg_create(size_t keylen, size_t max, uint64_t hash_key)
{
	struct agg_table *t = xcalloc(1, sizeof(*t));

	t->keylen = keylen;
	t->max = max;
	t->hash_key = hash_key;
	t->slots = xcalloc(AGG_MIN_SLOTS, sizeof(*t->slots));
	t->mask = AGG_MIN_SLOTS - 1;
	return t;
}

void
agg_free(struct agg_table *t)
{
	if (t == NULL)
		return;
	free(t->slots);
	free(t);
}

void
agg_clear(struct agg_table *t)
{
	if (t->mask + 1 > AGG_MIN_SLOTS) {
		free(t->slots);
		t->slots = xcalloc(AGG_MIN_SLOTS, sizeof(*t->slots));
		t->mask = AGG_MIN_SLOTS - 1;
	} else
		memset(t->slots, 0, (t->mask + 1) * sizeof(*t->slots));
	t->n = 0;
	memset(&t->other, 0, sizeof(t->other));
	t->capped = 0;
}

static uint64_t
agg_hash(const struct agg_table *t, const struct key *k)
{
	return hash_bytes(k->b, t->keylen, t->hash_key) | 1;
}

/* Finds the key's slot, or the empty slot where it would go. */
static size_t
agg_find(const struct agg_table *t, const struct key *k, uint64_t h)
{
	size_t i = h & t->mask;
	const struct agg_entry *e;

	for (;; i = (i + 1) & t->mask) {
		e = &t->slots[i];
		if (e->hash == 0 ||
		    (e->hash == h && memcmp(e->key.b, k->b, t->keylen) == 0))
			return i;
	}
}

/*
 * Doubles the table; keeps the load at or below one half.  Out of memory
 * it keeps the table as it is (counted in faults): -1.
 */
static int
agg_grow(struct agg_table *t)
{
	struct agg_entry *old = t->slots;
	size_t oldn = t->mask + 1, i, j;

	if ((t->slots = tryreallocarray(NULL, oldn * 2,
	    sizeof(*t->slots))) == NULL) {
		t->slots = old;
		return -1;
	}
	memset(t->slots, 0, oldn * 2 * sizeof(*t->slots));
	t->mask = oldn * 2 - 1;
	for (i = 0; i < oldn; i++) {
		if (old[i].hash == 0)
			continue;
		j = agg_find(t, &old[i].key, old[i].hash);
		t->slots[j] = old[i];
	}
	free(old);
	return 0;
}

void
agg_add(struct agg_table *t, const struct key *k, const struct agg_counts *c)
{
	uint64_t h = agg_hash(t, k);
	struct agg_entry *e;

	e = &t->slots[agg_find(t, k, h)];
	if (e->hash == 0) {
		/* A table that could not grow takes keys while a slot
		 * stays free (probing needs one); then it caps. */
		if (t->n >= t->max || ((t->n + 1) * 2 > t->mask + 1 &&
		    agg_grow(t) != 0 && t->n + 2 > t->mask + 1)) {
			t->other.flows += c->flows;
			t->other.pkts += c->pkts;
			t->other.bytes += c->bytes;
			t->capped++;
			return;
		}
		e = &t->slots[agg_find(t, k, h)];
		/* A slot freed by a delete keeps stale counts: reset them. */
		e->hash = h;
		e->refs = 0;
		memset(&e->c, 0, sizeof(e->c));
		memcpy(e->key.b, k->b, t->keylen);
		t->n++;
	}
	e->refs++;
	e->c.flows += c->flows;
	e->c.pkts += c->pkts;
	e->c.bytes += c->bytes;
}

/* Removes slot i and shifts back the entries of its probe run. */
static void
agg_delete(struct agg_table *t, size_t i)
{
	size_t j = i, home;

	for (;;) {
		t->slots[i].hash = 0;
		for (;;) {
			j = (j + 1) & t->mask;
			if (t->slots[j].hash == 0)
				return;
			home = t->slots[j].hash & t->mask;
			/* Move j back to i unless its home lies in (i, j]. */
			if (i <= j ? (i < home && home <= j) :
			    (i < home || home <= j))
				continue;
			break;
		}
		t->slots[i] = t->slots[j];
		i = j;
	}
}

void
agg_sub(struct agg_table *t, const struct key *k, const struct agg_counts *c)
{
	uint64_t h = agg_hash(t, k);
	size_t i = agg_find(t, k, h);
	struct agg_counts *d;

	/* A key refused when added was counted in `other`. */
	d = t->slots[i].hash != 0 ? &t->slots[i].c : &t->other;
	d->flows -= c->flows;
	d->pkts -= c->pkts;
	d->bytes -= c->bytes;
	if (t->slots[i].hash != 0 && --t->slots[i].refs == 0) {
		agg_delete(t, i);
		t->n--;
	}
}

/* The entry of a key, or NULL if no record counts in it. */
const struct agg_entry *
agg_get(const struct agg_table *t, const struct key *k)
{
	const struct agg_entry *e = &t->slots[agg_find(t, k, agg_hash(t, k))];

	return e->hash != 0 ? e : NULL;
}

uint64_t
agg_metric(const struct agg_counts *c, enum agg_order o)
{
	switch (o) {
	case AGG_ORDER_PACKETS:
		return c->pkts;
	case AGG_ORDER_FLOWS:
		return c->flows;
	default:
		return c->bytes;
	}
}

/*
 * Orders two entries: the larger metric first, then bytes, packets and
 * flows, then the key bytes, so that equal counts still print in one
 * stable order.  Returns < 0 when a ranks before b.
 */
static int
agg_rank(const struct agg_entry *a, const struct agg_entry *b,
    enum agg_order o, size_t keylen)
{
	enum agg_order tie[] = { o, AGG_ORDER_BYTES, AGG_ORDER_PACKETS,
	    AGG_ORDER_FLOWS };
	uint64_t x, y;
	size_t i;

	for (i = 0; i < sizeof(tie) / sizeof(tie[0]); i++) {
		x = agg_metric(&a->c, tie[i]);
		y = agg_metric(&b->c, tie[i]);
		if (x != y)
			return x > y ? -1 : 1;
	}
	return memcmp(a->key.b, b->key.b, keylen);
}

/* Heap helpers: out[0] is the weakest of the n best seen so far. */
static void
agg_heap_down(struct agg_entry *h, size_t n, size_t i, enum agg_order o,
    size_t keylen)
{
	struct agg_entry tmp;
	size_t c;

	for (; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && agg_rank(&h[c + 1], &h[c], o, keylen) > 0)
			c++;
		if (agg_rank(&h[c], &h[i], o, keylen) <= 0)
			break;
		tmp = h[i];
		h[i] = h[c];
		h[c] = tmp;
	}
}

/*
 * Writes the n highest-ranked entries to out, best first; returns how many.
 * One pass with a bounded heap: O(keys log n), no allocation.
 */
size_t
agg_top(const struct agg_table *t, enum agg_order o, size_t n,
    struct agg_entry *out)
{
	size_t i, have = 0, k;
	struct agg_entry tmp;

	if (n == 0)
		return 0;
	for (i = 0; i <= t->mask; i++) {
		const struct agg_entry *e = &t->slots[i];

		if (e->hash == 0)
			continue;
		if (have < n) {
			out[have++] = *e;
			if (have == n)
				for (k = n / 2 + 1; k-- > 0;)
					agg_heap_down(out, n, k, o,
					    t->keylen);
		} else if (agg_rank(e, &out[0], o, t->keylen) < 0) {
			out[0] = *e;
			agg_heap_down(out, n, 0, o, t->keylen);
		}
	}
	if (have < n)
		for (k = have / 2 + 1; k-- > 0;)
			agg_heap_down(out, have, k, o, t->keylen);
	/* Heap sort: pop the weakest to the end. */
	for (k = have; k > 1; k--) {
		tmp = out[0];
		out[0] = out[k - 1];
		out[k - 1] = tmp;
		agg_heap_down(out, k - 1, 0, o, t->keylen);
	}
	return have;
}

static const char *const order_names[AGG_ORDER_MAX] = {
	[AGG_ORDER_BYTES] = "bytes",
	[AGG_ORDER_PACKETS] = "packets",
	[AGG_ORDER_FLOWS] = "flows",
};

int
agg_order_parse(const char *s, enum agg_order *o)
{
	int i;

	for (i = 0; i < AGG_ORDER_MAX; i++)
		if (strcasecmp(s, order_names[i]) == 0) {
			*o = i;
			return 0;
		}
	if (strcasecmp(s, "pkts") == 0) {
		*o = AGG_ORDER_PACKETS;
		return 0;
	}
	return -1;
}

const char *
agg_order_name(enum agg_order o)
{
	if ((unsigned)o >= AGG_ORDER_MAX)
		return "bytes";
	return order_names[o];
}
