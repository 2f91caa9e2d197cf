/*
 * burst.h - burst mode: the keys with the highest peak per-second rate in
 * a view's window ("who spiked"), beside the usual top by total.
 *
 * Computed on demand from the retained records the view counts (the view
 * bit in each ring copy), in one pass: each key keeps its current second's
 * counts and its best second so far, so the cost is one hash lookup per
 * record and no per-second table.  A record received out of order (older
 * than its key's current second) counts in that current second.  Keys are
 * the view's (two-way keys count a record on both sides, as the view
 * does), the order is the view's order applied to the peak second.
 *
 * How a front end uses it (e.g. when burst mode is toggled on, and then
 * once per tick while it stays on):
 *
 *	struct burst_entry top[N];
 *	struct burst_stats st;
 *	n = burst_top(e->view, N, top, &st);
 *	top[i].key (format with key_format_field(&e->view->spec, ...)),
 *	top[i].peak = counts in its busiest second = its peak rate per
 *	second (bytes * 8 = bps), top[i].peak_sec = that second (UTC),
 *	top[i].total = its counts over the window; st.msec = the time the
 *	computation took, st.records = records scanned.
 *
 * Returns how many entries were filled (<= n).  NULL stats are fine.
 */
#ifndef NFTOP_BURST_H
#define NFTOP_BURST_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "keys.h"

struct view;

struct burst_entry {
	struct key		key;
	struct agg_counts	peak;		/* its busiest second */
	uint64_t		peak_sec;	/* UTC seconds */
	struct agg_counts	total;		/* over the window */
};

struct burst_stats {
	uint64_t	records;	/* retained records scanned */
	uint64_t	keys;		/* distinct keys seen */
	uint64_t	capped;		/* records of keys that did not fit */
	double		msec;		/* time taken */
};

size_t	burst_top(const struct view *, size_t n, struct burst_entry *out,
	    struct burst_stats *);

#endif
