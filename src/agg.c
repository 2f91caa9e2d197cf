/*
 * agg.c - the aggregate hash table: open addressing, linear probing,
 * backward-shift deletion (no tombstones, so a table that churns through
 * keys all day stays as fast as a fresh one).
 *
 * The probe runs over small slots (part of the hash and an entry's
 * index); the entries sit densely in their own array.  Top-N reads every
 * entry each frame, so it reads n entries, not the two to four times as
 * many slots a half-empty table of whole entries has, and a key costs
 * its entry and a few 8-byte slots of memory.  A deleted entry's place
 * is taken by the last one.
 *
 * While it holds fewer than `max` keys it is exact.  Once full it is a
 * Space-Saving summary (see agg.h for the guarantees): each new key
 * evicts the smallest entry, found at the root of a min-heap kept only
 * from that moment on (agg-minheap.c), and inherits the bound as error.
 *
 * Records leaving the window are the subtle part.  A record leaves by
 * its sequence number, oldest first; an entry remembers the sequence of
 * the first record it counted (since).  A record older than that was
 * counted before the key was evicted, so its counts are in `other`, and
 * they leave from there.  When the entry's own first record leaves,
 * every record older than it has left too, so nothing its error stood
 * for is in the window any more: the error is dropped and the entry is
 * exact again.  Evictions raise the bound; it falls once the records of
 * the evicted entries have all left (the two spans of agg.h).
 */
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "bigmem.h"
#include "hash.h"
#include "xmalloc.h"

#define AGG_MIN_SLOTS	1024
static void
agg_slots_alloc(struct agg_table *t, size_t n)
{
	t->slots = bigmem_alloc(n * sizeof(*t->slots));
	t->mask = n - 1;
}

/*
 * Entries are cache-line aligned (bigmem), as their layout wants.  Out of
 * memory the entries stay as they are: -1.
 */
static int
agg_ents_resize(struct agg_table *t, size_t cap)
{
	struct agg_entry *old = t->ents, *ents;

	if ((ents = bigmem_try_alloc(cap * sizeof(*ents))) == NULL)
		return -1;
	if (old != NULL)
		memcpy(ents, old, t->n * sizeof(*ents));
	bigmem_free(old, t->ents_cap * sizeof(*old));
	t->ents = ents;
	t->ents_cap = cap;
	return 0;
}

struct agg_table *
agg_create(size_t keylen, size_t max, uint64_t hash_key)
{
	struct agg_table *t = xcalloc(1, sizeof(*t));

	/* Whole words: see agg.h. */
	t->keylen = (keylen + 7) & ~(size_t)7;
	t->max = max > 0 ? max : 1;
	/* Slots and heap nodes name entries in 32 bits. */
	if (t->max > UINT32_MAX - 1)
		t->max = UINT32_MAX - 1;
	t->hash_key = hash_key;
	t->order = AGG_ORDER_BYTES;
	agg_slots_alloc(t, AGG_MIN_SLOTS);
	agg_ents_resize(t, AGG_MIN_SLOTS / 2);
	return t;
}

void
agg_free(struct agg_table *t)
{
	if (t == NULL)
		return;
	bigmem_free(t->slots, (t->mask + 1) * sizeof(*t->slots));
	bigmem_free(t->ents, t->ents_cap * sizeof(*t->ents));
	free(t->heap);
	free(t);
}

/*
 * Keeps the slots it has: the caller is about to fill the table again
 * (a rebuild, a refill), most often with as many keys, and growing back
 * to size costs more than the fill.  agg_fit() gives back what the new
 * keys leave unused.
 */
void
agg_clear(struct agg_table *t)
{
	memset(t->slots, 0, (t->mask + 1) * sizeof(*t->slots));
	free(t->heap);
	t->heap = NULL;
	t->n = 0;
	memset(&t->other, 0, sizeof(t->other));
	memset(&t->total, 0, sizeof(t->total));
	memset(&t->bound_prev, 0, sizeof(t->bound_prev));
	memset(&t->bound_cur, 0, sizeof(t->bound_cur));
	t->capped = 0;
	t->nerr = 0;
	t->turn_seq = 0;
	t->last_seq = 0;
}

/* Eviction picks the smallest in this metric (the view's order). */
void
agg_set_order(struct agg_table *t, enum agg_order o)
{
	if (t->order == o)
		return;
	t->order = o;
	if (t->heap != NULL)
		agg_minheap_build(t);
}

static void
counts_max(struct agg_counts *a, const struct agg_counts *b)
{
	if (b->flows > a->flows)
		a->flows = b->flows;
	if (b->pkts > a->pkts)
		a->pkts = b->pkts;
	if (b->bytes > a->bytes)
		a->bytes = b->bytes;
}

static int
counts_zero(const struct agg_counts *a)
{
	return (a->flows | a->pkts | a->bytes) == 0;
}

/* What a key not in the table may have at most, in each metric. */
void
agg_bound(const struct agg_table *t, struct agg_counts *b)
{
	*b = t->bound_prev;
	counts_max(b, &t->bound_cur);
}

/* Whether any count the table gives may be an estimate. */
int
agg_approximate(const struct agg_table *t)
{
	return t->nerr > 0 || !counts_zero(&t->bound_prev) ||
	    !counts_zero(&t->bound_cur);
}

/*
 * Whether the bound has grown past twice N / max, N the table's total in
 * the order's metric (it starts at most N / max when the table is filled
 * from scratch; records leaving shrink N, evictions raise the bound).
 */
int
agg_drifted(const struct agg_table *t)
{
	struct agg_counts b;
	uint64_t bound, total;

	if (t->heap == NULL)
		return 0;
	agg_bound(t, &b);
	bound = agg_metric(&b, t->order);
	total = agg_metric(&t->total, t->order);
	return bound > 0 && (double)bound * (double)t->max > 2.0 * total;
}

/*
 * Any value: a free slot is told by its entry index, so the hash keeps
 * all its bits (forcing one on, as a zero-means-empty hash must, would
 * start every probe at an odd slot and double the runs).
 */
static inline __attribute__((always_inline)) uint64_t
agg_hash(const struct agg_table *t, const uint8_t *key)
{
	/* An address, the usual key: its length known, the loop unrolls. */
	if (t->keylen == sizeof(struct flow_addr))
		return hash_bytes(key, sizeof(struct flow_addr), t->hash_key);
	return hash_bytes(key, t->keylen, t->hash_key);
}

uint64_t
agg_key_hash(const struct agg_table *t, const uint8_t *key)
{
	return agg_hash(t, key);
}

/*
 * Keys are a few whole words long (an address is two, a port one):
 * comparing words inline beats a call to memcmp, which the probe would
 * make for every record.
 */
static inline __attribute__((always_inline)) int
agg_key_eq(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint64_t x, y;

	for (; len > 0; a += 8, b += 8, len -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	return 1;
}

/* Whether entry key a is key b: an address key with its length known. */
static inline __attribute__((always_inline)) int
agg_key_same(const struct agg_table *t, const uint8_t *a, const uint8_t *b)
{
	if (t->keylen == sizeof(struct flow_addr))
		return agg_key_eq(a, b, sizeof(struct flow_addr));
	return agg_key_eq(a, b, t->keylen);
}

static struct agg_entry *
agg_slot_ent(const struct agg_table *t, size_t i)
{
	return &t->ents[t->slots[i].ent - 1];
}

/*
 * Finds the key's slot, or the empty slot where it would go.  Inline in
 * every caller, so that an address key's probe compares two words with
 * no call left on its path, and saves no registers for one.
 */
static inline __attribute__((always_inline)) size_t
agg_find(const struct agg_table *t, const uint8_t *key, uint64_t h)
{
	size_t i = h & t->mask;
	const struct agg_slot *sl;

	for (;; i = (i + 1) & t->mask) {
		sl = &t->slots[i];
		if (sl->ent == 0 || (sl->hash == (uint32_t)h &&
		    agg_key_same(t, t->ents[sl->ent - 1].key.b, key)))
			return i;
	}
}

/* The slot of entry d (which is in the table). */
static size_t
agg_slot_of(const struct agg_table *t, size_t d)
{
	size_t i = t->ents[d].hash & t->mask;

	while (t->slots[i].ent != d + 1)
		i = (i + 1) & t->mask;
	return i;
}

/*
 * Indexes every entry anew in nslots slots (a power of two > n).  Out of
 * memory the index stays as it is: -1.
 */
static int
agg_resize(struct agg_table *t, size_t nslots)
{
	struct agg_slot *slots;
	size_t d, i;

	if ((slots = bigmem_try_alloc(nslots * sizeof(*slots))) == NULL)
		return -1;
	bigmem_free(t->slots, (t->mask + 1) * sizeof(*t->slots));
	t->slots = slots;
	t->mask = nslots - 1;
	for (d = 0; d < t->n; d++) {
		for (i = t->ents[d].hash & t->mask; t->slots[i].ent != 0;
		    i = (i + 1) & t->mask)
			;
		t->slots[i].hash = (uint32_t)t->ents[d].hash;
		t->slots[i].ent = (uint32_t)(d + 1);
	}
	return 0;
}

/* Doubles the index; keeps the load at or below one half. */
static int
agg_grow(struct agg_table *t)
{
	return agg_resize(t, (t->mask + 1) * 2);
}

/*
 * Shrinks a table its keys fill to less than an eighth (after agg_clear
 * and a fill with fewer keys) back to a load of at most one half, and
 * its entries likewise: memory follows the keys.
 */
void
agg_fit(struct agg_table *t)
{
	size_t want = AGG_MIN_SLOTS;

	while (want < 2 * (t->n + 1))
		want *= 2;
	/* Out of memory a table simply keeps its size. */
	if (t->mask + 1 > 2 * want)
		(void)agg_resize(t, want);
	if (t->ents_cap > want)
		(void)agg_ents_resize(t, want / 2 > t->n ? want / 2 : t->n + 1);
}

/*
 * Removes the entry of slot i: shifts back the slots of its probe run,
 * then moves the last entry into its place.
 */
static void
agg_delete(struct agg_table *t, size_t i)
{
	size_t j = i, home, d = t->slots[i].ent - 1;

	if (t->heap != NULL)
		agg_minheap_remove(t, d);
	if (!counts_zero(&t->ents[d].err))
		t->nerr--;
	for (;;) {
		t->slots[i].ent = 0;
		for (;;) {
			j = (j + 1) & t->mask;
			if (t->slots[j].ent == 0)
				goto shifted;
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
shifted:
	t->n--;
	if (d == t->n)
		return;
	t->slots[agg_slot_of(t, t->n)].ent = (uint32_t)(d + 1);
	t->ents[d] = t->ents[t->n];
	if (t->heap != NULL)
		t->heap[t->ents[d].hpos].ent = (uint32_t)d;
}

/*
 * Makes room for a new key in a full table: the smallest entry goes, its
 * own records' counts to `other`, and all its counts (error included) to
 * the bound, since that key may have that much in the window.
 */
static void
agg_evict(struct agg_table *t)
{
	struct agg_entry *e;
	struct agg_counts own;

	if (t->heap == NULL)
		agg_minheap_build(t);
	e = &t->ents[t->heap[0].ent];
	own = e->c;
	agg_counts_sub(&own, &e->err);
	agg_counts_add(&t->other, &own);
	counts_max(&t->bound_cur, &e->c);
	t->capped++;
	agg_delete(t, agg_slot_of(t, t->heap[0].ent));
}

/*
 * Room for one more key below max: an entry, and an index at most half
 * full.  Out of memory the index may fill further while a slot stays
 * free (probing needs one); past that: -1.
 */
static int
agg_room(struct agg_table *t)
{
	if (t->n == t->ents_cap && agg_ents_resize(t, t->ents_cap * 2 <
	    t->max ? t->ents_cap * 2 : t->max) != 0)
		return -1;
	if ((t->n + 1) * 2 > t->mask + 1 && agg_grow(t) != 0 &&
	    t->n + 2 > t->mask + 1)
		return -1;
	return 0;
}

/* A new entry at slot i: exact, or from the bound if keys were evicted. */
static void
agg_admit(struct agg_table *t, size_t i, const uint8_t *key, uint64_t h,
    uint64_t seq)
{
	struct agg_entry *e;

	e = &t->ents[t->n];
	e->hash = h;
	e->refs = 0;
	e->since = seq;
	agg_bound(t, &e->err);
	e->c = e->err;
	memcpy(e->key.b, key, t->keylen);
	if (!counts_zero(&e->err))
		t->nerr++;
	t->slots[i].hash = (uint32_t)h;
	t->slots[i].ent = (uint32_t)(t->n + 1);
	t->n++;
	if (t->heap != NULL)
		agg_minheap_push(t, t->n - 1);
}

/*
 * The slot a new key takes, making room for it: evicting the smallest
 * key of a full table, or growing the table.  Out of memory: -1, and the
 * key's counts went to `other` and, for this record at least, to the
 * bound.  Kept out of line: most adds find their key.
 */
static __attribute__((noinline)) ptrdiff_t
agg_admit_new(struct agg_table *t, const uint8_t *key, uint64_t h,
    const struct agg_counts *c, uint64_t seq)
{
	size_t i;

	if (t->n >= t->max)
		agg_evict(t);
	else if (agg_room(t) != 0) {
		agg_counts_add(&t->other, c);
		counts_max(&t->bound_cur, c);
		t->capped++;
		return -1;
	}
	i = agg_find(t, key, h);
	agg_admit(t, i, key, h, seq);
	return (ptrdiff_t)i;
}

/*
 * agg_add and agg_add_hashed: one body, inline in both, since a view
 * adds every record it counts (one call, no saved registers, on the
 * path of a key already in the table).
 */
static inline __attribute__((always_inline)) void
agg_add_at(struct agg_table *t, const uint8_t *key, uint64_t h,
    const struct agg_counts *c, uint64_t seq)
{
	size_t i = agg_find(t, key, h);
	ptrdiff_t new;
	struct agg_entry *e;

	t->last_seq = seq;
	agg_counts_add(&t->total, c);
	if (t->slots[i].ent == 0) {
		if ((new = agg_admit_new(t, key, h, c, seq)) < 0)
			return;
		i = (size_t)new;
	}
	e = agg_slot_ent(t, i);
	e->refs++;
	agg_counts_add(&e->c, c);
	if (t->heap != NULL)
		agg_minheap_down(t, t->slots[i].ent - 1);
}

void
agg_add(struct agg_table *t, const uint8_t *key, const struct agg_counts *c,
    uint64_t seq)
{
	agg_add_at(t, key, agg_hash(t, key), c, seq);
}

/* agg_add with the key's hash already taken (agg_key_hash). */
void
agg_add_hashed(struct agg_table *t, const uint8_t *key, uint64_t h,
    const struct agg_counts *c, uint64_t seq)
{
	agg_add_at(t, key, h, c, seq);
}

void
agg_pipe_init(struct agg_pipe *p, struct agg_table *t)
{
	p->t = t;
	p->n = 0;
	p->next = 0;
}

/* Adds the oldest queued key. */
static void
agg_pipe_pop(struct agg_pipe *p)
{
	unsigned i = p->next;

	agg_add_hashed(p->t, p->q[i].k.b, p->q[i].hash, &p->q[i].c,
	    p->q[i].seq);
	p->next = (i + 1) % AGG_PIPE_DEPTH;
	p->n--;
}

void
agg_pipe_add(struct agg_pipe *p, const struct key *k,
    const struct agg_counts *c, uint64_t seq)
{
	const struct agg_slot *sl;
	unsigned i;

	if (p->n == AGG_PIPE_DEPTH)
		agg_pipe_pop(p);
	i = (p->next + p->n) % AGG_PIPE_DEPTH;
	/* A copy of fixed size: inline moves, not a call to memcpy. */
	p->q[i].k = *k;
	p->q[i].hash = agg_key_hash(p->t, k->b);
	p->q[i].seq = seq;
	p->q[i].c = *c;
	/* A hint: should the table grow meanwhile, the add still finds it. */
	__builtin_prefetch(&p->t->slots[p->q[i].hash & p->t->mask]);
	p->n++;
	/*
	 * Halfway down the queue, the slot prefetched then is in the cache
	 * now: prefetch the entry it leads to (the key's, most likely).
	 */
	if (p->n > AGG_PIPE_DEPTH / 2) {
		i = (p->next + p->n - 1 - AGG_PIPE_DEPTH / 2) % AGG_PIPE_DEPTH;
		sl = &p->t->slots[p->q[i].hash & p->t->mask];
		if (sl->ent != 0)
			__builtin_prefetch(&p->t->ents[sl->ent - 1], 1);
	}
}

void
agg_pipe_flush(struct agg_pipe *p)
{
	while (p->n > 0)
		agg_pipe_pop(p);
}

/*
 * The bound's older span is dropped once its last record leaves: seq
 * is leaving, and records leave oldest first.
 */
static void
agg_turn(struct agg_table *t, uint64_t seq)
{
	if (seq < t->turn_seq || (counts_zero(&t->bound_prev) &&
	    counts_zero(&t->bound_cur)))
		return;
	t->bound_prev = t->bound_cur;
	memset(&t->bound_cur, 0, sizeof(t->bound_cur));
	t->turn_seq = t->last_seq;
}

void
agg_sub(struct agg_table *t, const uint8_t *key, const struct agg_counts *c,
    uint64_t seq)
{
	uint64_t h = agg_key_hash(t, key);
	size_t i = agg_find(t, key, h);
	struct agg_entry *e = t->slots[i].ent != 0 ? agg_slot_ent(t, i) : NULL;

	agg_counts_sub(&t->total, c);
	agg_turn(t, seq);
	/* Counted before its key was evicted (or refused): in `other`. */
	if (e == NULL || seq < e->since) {
		agg_counts_sub(&t->other, c);
		return;
	}
	agg_counts_sub(&e->c, c);
	if (seq == e->since && !counts_zero(&e->err)) {
		agg_counts_sub(&e->c, &e->err);
		memset(&e->err, 0, sizeof(e->err));
		t->nerr--;
	}
	if (--e->refs == 0)
		agg_delete(t, i);
	else if (t->heap != NULL)
		agg_minheap_up(t, t->slots[i].ent - 1);
}

/* The entry of a key, or NULL if no record counts in it. */
const struct agg_entry *
agg_get(const struct agg_table *t, const struct key *k)
{
	size_t i = agg_find(t, k->b, agg_key_hash(t, k->b));

	return t->slots[i].ent != 0 ? agg_slot_ent(t, i) : NULL;
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
agg_top_down(struct agg_entry *h, size_t n, size_t i, enum agg_order o,
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

#define AGG_TOP_AHEAD	48	/* entries prefetched ahead (6 KiB) */

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
	uint64_t weakest = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < t->n; i++) {
		const struct agg_entry *e = &t->ents[i];

		/*
		 * The scan is bound by memory, not by the comparisons: a
		 * line asked for early enough arrives while others are used.
		 */
		if (i + AGG_TOP_AHEAD < t->n)
			__builtin_prefetch(&t->ents[i + AGG_TOP_AHEAD]);
		/*
		 * Most keys of a large table rank below the weakest kept:
		 * one comparison of the metric turns them away.
		 */
		if (have == n && agg_metric(&e->c, o) < weakest)
			continue;
		if (have < n) {
			out[have++] = *e;
			if (have == n)
				for (k = n / 2 + 1; k-- > 0;)
					agg_top_down(out, n, k, o,
					    t->keylen);
		} else if (agg_rank(e, &out[0], o, t->keylen) < 0) {
			out[0] = *e;
			agg_top_down(out, n, 0, o, t->keylen);
		} else
			continue;
		if (have == n)
			weakest = agg_metric(&out[0].c, o);
	}
	if (have < n)
		for (k = have / 2 + 1; k-- > 0;)
			agg_top_down(out, have, k, o, t->keylen);
	/* Heap sort: pop the weakest to the end. */
	for (k = have; k > 1; k--) {
		tmp = out[0];
		out[0] = out[k - 1];
		out[k - 1] = tmp;
		agg_top_down(out, k - 1, 0, o, t->keylen);
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
