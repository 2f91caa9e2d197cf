/*
 * agg.h - a bounded hash table of aggregate keys with flow, packet and
 * byte counters, and top-N selection over it.
 *
 * Counters go up as records enter a view and down as they leave it; a key
 * no record counts in any more is removed.  (Flows can be zero while
 * records remain: a metered flow's later updates add bytes, not flows.)
 * Every record is named by its sequence number in the store, and records
 * leave in the order they came (oldest first): that is what lets the
 * table tell, when a record leaves, whether its key's entry counts it.
 *
 * Below `max` keys every count is exact.  When a new key finds the table
 * full, the table turns into a Space-Saving summary (Metwally, Agrawal
 * and El Abbadi, 2005): the entry smallest in the order's metric is
 * evicted, its counts go to `other`, and the new key starts from `bound`
 * (at least the evicted counts) as its error.  An entry's counts are then
 * an upper bound, and the truth lies in [c - err, c]; a key not in the
 * table has at most `bound` in the window.  Right after the table is
 * filled from scratch (agg_clear and the window's records in order),
 * bound <= N / max, N being the table's total; agg_drifted() says when
 * records leaving the window have let it grow past twice that, and the
 * view then refills the table.  Totals are kept by the view, exactly.
 */
#ifndef NFTOP_AGG_H
#define NFTOP_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "keys.h"

struct agg_counts {
	uint64_t	flows;
	uint64_t	pkts;
	uint64_t	bytes;
};

/*
 * What a record counts: a flow (unless it continues one already
 * counted), its packets and its bytes.  Inline, as the two below: views,
 * channels and the table itself use them for every record.
 */
static inline struct agg_counts
agg_counts_of(const struct flow_rec *r)
{
	return (struct agg_counts){ r->flags & FLOW_F_CONT ? 0 : 1, r->pkts,
	    r->bytes };
}

static inline void
agg_counts_add(struct agg_counts *a, const struct agg_counts *b)
{
	a->flows += b->flows;
	a->pkts += b->pkts;
	a->bytes += b->bytes;
}

static inline void
agg_counts_sub(struct agg_counts *a, const struct agg_counts *b)
{
	a->flows -= b->flows;
	a->pkts -= b->pkts;
	a->bytes -= b->bytes;
}

/*
 * What a record's add reads and writes (hash, counts, refs and a key of
 * up to 24 bytes) comes first: entries are aligned to a cache line, so
 * an add touches one line of its entry, not two.
 */
struct agg_entry {
	uint64_t		hash;
	struct agg_counts	c;	/* counted records + err */
	uint64_t		refs;	/* records counted: 0 = remove */
	struct key		key;
	uint64_t		since;	/* sequence of the first of them */
	struct agg_counts	err;	/* over-count bound; 0 = exact */
	uint32_t		hpos;	/* place in the eviction heap */
};

enum agg_order {
	AGG_ORDER_BYTES,
	AGG_ORDER_PACKETS,
	AGG_ORDER_FLOWS,
	AGG_ORDER_MAX
};

/* A node of the eviction heap: an entry's index and its metric. */
struct agg_heap_node {
	uint64_t		key;
	uint32_t		ent;
};

/* The hash index: the hash's low half, the entry's index + 1 (0 = free). */
struct agg_slot {
	uint32_t		hash;
	uint32_t		ent;
};

struct agg_table {
	struct agg_slot		*slots;
	size_t			 mask;		/* slots - 1 */
	struct agg_entry	*ents;		/* [0, n), cache-line aligned */
	size_t			 ents_cap;
	size_t			 n;		/* keys in use */
	size_t			 max;		/* keys allowed */
	size_t			 keylen;
	uint64_t		 hash_key;
	enum agg_order		 order;		/* the metric eviction uses */
	struct agg_counts	 other;		/* counted in no entry */
	struct agg_counts	 total;		/* in the table: entries + other */
	uint64_t		 capped;	/* new keys that found it full */
	uint64_t		 nerr;		/* entries with an error */
	struct agg_heap_node	*heap;		/* entries by metric, min first;
						 * NULL until the table fills */
	/*
	 * The bound, as the largest counts evicted in two spans of records:
	 * `cur` since the last turn, `prev` before it.  prev's counts are
	 * all of records up to seq turn_seq; once such a record has left,
	 * they all have, and prev is dropped.
	 */
	struct agg_counts	 bound_prev, bound_cur;
	uint64_t		 turn_seq;
	uint64_t		 last_seq;	/* of the last record added */
};

struct agg_table *agg_create(size_t keylen, size_t max, uint64_t hash_key);
void		 agg_free(struct agg_table *);
void		 agg_clear(struct agg_table *);
void		 agg_fit(struct agg_table *);
void		 agg_set_order(struct agg_table *, enum agg_order);
/*
 * Adds and subtractions take the key's bytes (keylen of them), so that a
 * key which is a field of the record as it is (an address) is read where
 * it lies instead of being copied first (key_bytes).
 *
 * A table hashes and compares keys a word at a time: its keylen is the
 * one agg_create was given rounded up to a multiple of 8, and the bytes
 * of a key past its own length, up to there, must be zero (key_make and
 * key_bytes leave them so).  A port key is then one word, not a call to
 * memcmp and a hash of a ragged tail.
 */
void		 agg_add(struct agg_table *, const uint8_t *key,
		    const struct agg_counts *, uint64_t seq);
uint64_t	 agg_key_hash(const struct agg_table *, const uint8_t *key);
void		 agg_add_hashed(struct agg_table *, const uint8_t *key,
		    uint64_t hash, const struct agg_counts *, uint64_t seq);
void		 agg_sub(struct agg_table *, const uint8_t *key,
		    const struct agg_counts *, uint64_t seq);
const struct agg_entry *agg_get(const struct agg_table *, const struct key *);
size_t		 agg_top(const struct agg_table *, enum agg_order, size_t n,
		    struct agg_entry *out);
void		 agg_bound(const struct agg_table *, struct agg_counts *);
int		 agg_approximate(const struct agg_table *);
int		 agg_drifted(const struct agg_table *);
int		 agg_order_parse(const char *, enum agg_order *);
const char	*agg_order_name(enum agg_order);

/* The counter an order ranks by (inline: the eviction heap's hot path). */
static inline uint64_t
agg_metric(const struct agg_counts *c, enum agg_order o)
{
	return o == AGG_ORDER_PACKETS ? c->pkts : o == AGG_ORDER_FLOWS ?
	    c->flows : c->bytes;
}

/*
 * Adding many records at once (a view's rebuild): each key's slot is
 * prefetched AGG_PIPE_DEPTH adds before it is used, and its entry half
 * as many, so that the cache misses of a table larger than the cache
 * overlap instead of queueing.  Adds happen in the order given;
 * agg_pipe_flush() finishes them.
 */
#define AGG_PIPE_DEPTH	16

struct agg_pipe {
	struct agg_table	*t;
	unsigned		 n;		/* queued */
	unsigned		 next;		/* oldest queued */
	struct {
		struct key		k;
		uint64_t		hash;
		uint64_t		seq;
		struct agg_counts	c;
	}			 q[AGG_PIPE_DEPTH];
};

void		 agg_pipe_init(struct agg_pipe *, struct agg_table *);
void		 agg_pipe_add(struct agg_pipe *, const struct key *,
		    const struct agg_counts *, uint64_t seq);
void		 agg_pipe_flush(struct agg_pipe *);

/* The eviction heap (agg-minheap.c), for agg.c only; ent: in ents. */
void		 agg_minheap_build(struct agg_table *);
void		 agg_minheap_push(struct agg_table *, size_t ent);
void		 agg_minheap_remove(struct agg_table *, size_t ent);
void		 agg_minheap_up(struct agg_table *, size_t ent);
void		 agg_minheap_down(struct agg_table *, size_t ent);

#endif
