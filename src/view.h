/*
 * view.h - a view is (filter, aggregate key, order, window) over the store.
 *
 * It keeps the aggregate table, totals, a per-protocol breakdown and a
 * per-second series for the records in its window, updated as records
 * arrive, age out of the window or are evicted from the ring.  Changing
 * the filter, key or window rebuilds it from the retained history.
 *
 * History cursor: a view can be pinned to an end time in the past
 * (view_set_pin); it then counts the retained records received in
 * (end - window, end] (with window "all": from the oldest retained record
 * to end), takes no new records and ages nothing out, until it is pinned
 * elsewhere or set back to live with view_set_pin(v, 0).  Records the
 * ring evicts still leave a pinned view (its "partial" flag says so).
 */
#ifndef NFTOP_VIEW_H
#define NFTOP_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "keys.h"
#include "series.h"

struct store;
struct filter;

struct view {
	struct store		*store;
	int			 slot;		/* bit in flow_rec.views */
	struct filter		*filter;	/* owned */
	struct key_spec		 spec;
	enum agg_order		 order;
	uint64_t		 window_msec;	/* 0 = all since start */
	struct agg_table	*tab;
	size_t			 key_max;
	struct agg_counts	 totals;
	struct agg_counts	 proto[256];
	struct series		 series;
	uint64_t		 win_start;	/* oldest record counted */
	uint64_t		 evicted_in_window;
	uint64_t		 refills;	/* full table filled anew */
	int			 partial;	/* built from incomplete history */
	uint64_t		 generation;	/* bumped on every change of counts
						 * or definition: redraw when it moved */
	uint64_t		 remote_span_msec; /* counts computed elsewhere
						 * (ClickHouse) cover this; 0: local */
	uint64_t		 pin_msec;	/* 0 = live; else the window's end */
	uint64_t		 epoch;		/* new at every rebuild, in any view:
						 * the records' bits were set anew */
};

struct view	*view_create(struct store *, struct filter *,
		    const struct key_spec *, enum agg_order,
		    uint64_t window_msec, size_t key_max);
void		 view_free(struct view *);
void		 view_set_filter(struct view *, struct filter *);
void		 view_set_key(struct view *, const struct key_spec *);
void		 view_set_window(struct view *, uint64_t window_msec);
void		 view_set_order(struct view *, enum agg_order);
void		 view_expire(struct view *);
void		 view_rebuild(struct view *);
double		 view_seconds(const struct view *);
void		 view_set_pin(struct view *, uint64_t end_msec);
uint64_t	 view_end_msec(const struct view *);

/* Called by the store only. */
void		 view_on_add(struct view *, struct flow_rec *);
void		 view_on_evict(struct view *, uint64_t seq,
		    const struct flow_rec *);

int		 view_window_parse(const char *, uint64_t *msec);
const char	*view_window_fmt(uint64_t msec, char *, size_t);

#endif
