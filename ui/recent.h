/*
 * recent.h - the active view's last minute, kept from one snapshot to
 * the next: the header's 2 s / 10 s / 40 s totals and the table rows'
 * histories (struct ui_track), each the same numbers the walks of snap.c
 * give, for the cost of the records that came or left since the last
 * call instead of a walk over the whole minute.
 *
 * recent_update() brings the totals to the moment now; recent_track()
 * does that and then fills out[i] for keys[i] as snap_track() would.
 */
#ifndef NFTOP_UI_RECENT_H
#define NFTOP_UI_RECENT_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "keys.h"

struct recent;
struct ui;
struct ui_track;
struct view;

struct recent	*recent_create(void);
void		 recent_free(struct recent *);
void		 recent_update(struct recent *, const struct view *,
		    uint64_t now_msec);
const struct agg_counts *recent_rates(const struct recent *);
void		 recent_track(struct recent *, const struct ui *,
		    const struct view *, const struct key *, size_t n,
		    struct ui_track *out);
void		 recent_untrack(struct recent *);

#endif
