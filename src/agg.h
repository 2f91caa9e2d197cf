/*
 * agg.h - a bounded hash table of aggregate keys with flow, packet and
 * byte counters, and top-N selection over it.
 *
 * Counters go up as records enter a view and down as they leave it; a key
 * no record counts in any more is removed.  (Flows can be zero while
 * records remain: a metered flow's later updates add bytes, not flows.)  When the table holds its
 * maximum, records of new keys are counted in `other` (shown as a line of
 * their own) and `capped` says how often that happened.
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

struct agg_entry {
	uint64_t		hash;	/* 0 = empty slot */
	uint64_t		refs;	/* records counted: 0 = remove */
	struct agg_counts	c;
	struct key		key;
};

enum agg_order {
	AGG_ORDER_BYTES,
	AGG_ORDER_PACKETS,
	AGG_ORDER_FLOWS,
	AGG_ORDER_MAX
};

struct agg_table {
	struct agg_entry	*slots;
	size_t			 mask;		/* slots - 1 */
	size_t			 n;		/* keys in use */
	size_t			 max;		/* keys allowed */
	size_t			 keylen;
	uint64_t		 hash_key;
	struct agg_counts	 other;		/* records of refused keys */
	uint64_t		 capped;	/* refusals */
};

struct agg_table *agg_create(size_t keylen, size_t max, uint64_t hash_key);
void		 agg_free(struct agg_table *);
void		 agg_clear(struct agg_table *);
void		 agg_add(struct agg_table *, const struct key *,
		    const struct agg_counts *);
void		 agg_sub(struct agg_table *, const struct key *,
		    const struct agg_counts *);
const struct agg_entry *agg_get(const struct agg_table *, const struct key *);
size_t		 agg_top(const struct agg_table *, enum agg_order, size_t n,
		    struct agg_entry *out);
int		 agg_order_parse(const char *, enum agg_order *);
const char	*agg_order_name(enum agg_order);
uint64_t	 agg_metric(const struct agg_counts *, enum agg_order);

#endif
