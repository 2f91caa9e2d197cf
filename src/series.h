/*
 * series.h - per-second totals over the last SERIES_SECS seconds, for
 * sparklines and short-term rates.  A fixed ring indexed by the second,
 * each bucket tagged with its second so stale buckets read as zero.
 */
#ifndef NFTOP_SERIES_H
#define NFTOP_SERIES_H

#include <stdint.h>

#include "agg.h"

#define SERIES_SECS	600

struct series {
	uint64_t		sec[SERIES_SECS];
	struct agg_counts	c[SERIES_SECS];
	/* The bucket added to last, and the start of its second. */
	size_t			hot;
	uint64_t		hot_msec;
};

void	series_clear(struct series *);
void	series_add(struct series *, uint64_t msec, const struct agg_counts *);
void	series_get(const struct series *, uint64_t sec, struct agg_counts *);
void	series_sum(const struct series *, uint64_t from_sec, uint64_t to_sec,
	    struct agg_counts *);

#endif
