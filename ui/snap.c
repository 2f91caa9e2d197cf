/*
 * snap.c - the numbers the header shows, and the recent history of table
 * rows (their sparklines and 2 s / 10 s / 40 s rates, as iftop has them).
 *
 * Both come from the retained records: a record that matched the active
 * view's filter has the view's bit set (flow_rec.views), and records sit
 * in the ring in arrival order, so the last seconds are a binary search
 * and a short walk away.  A rate over N seconds is what arrived in the
 * last N seconds over N, or over the time the retained history covers
 * when that is shorter (at start, or when the ring holds less than N
 * seconds of a busy network).  With the history cursor set, "now" is
 * its moment (ui_now) and later records are left out.  Called by
 * ui_snap() and the panels; the walks here are what recent.c keeps up
 * to date between frames, and how it starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "filter.h"
#include "hash.h"
#include "recent.h"
#include "store.h"
#include "ui-int.h"
#include "view.h"
#include "xmalloc.h"

#define SNAP_SEED	0x6e66746f70ULL	/* any: the keys are ours */

const unsigned snap_rate_secs[UI_RATES] = { 2, 10, 40 };

/* The first record that arrived after msec (a binary search). */
uint64_t
snap_first_after(const struct store *s, uint64_t msec)
{
	uint64_t lo = store_oldest(s), hi = s->head, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (store_get(s, mid)->recv_msec > msec)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static void
snap_add(struct agg_counts *a, const struct flow_rec *r)
{
	a->flows += r->flags & FLOW_F_CONT ? 0 : 1;
	a->pkts += r->pkts;
	a->bytes += r->bytes;
}

/*
 * Seconds each rate divides by: N, or the retained span up to the
 * moment shown if that is shorter.
 */
static void
snap_rate_div(const struct ui *u, const struct store *s, double *div)
{
	double span = store_span_msec(s) / 1000.0;
	uint64_t oldest;
	int i;

	if (u->e->pin_msec != 0 && s->head > s->evicted) {
		oldest = store_get(s, store_oldest(s))->recv_msec;
		span = u->e->pin_msec > oldest ?
		    (u->e->pin_msec - oldest) / 1000.0 : 0;
	}
	if (span < 1)
		span = 1;
	for (i = 0; i < UI_RATES; i++)
		div[i] = span < snap_rate_secs[i] ? span :
		    snap_rate_secs[i];
}

/* The header: totals of the window, rates, the per-second series. */
void
snap_header(struct ui *u, int force, int *changed)
{
	const struct view *v = u->e->view;
	const struct store *st = v->store;
	struct ui_hdr *h = &u->hdr;
	uint64_t now = ui_now(u), now_sec = now / 1000, back;
	size_t i;

	/* With no records, nothing shown depends on the clock. */
	if (!force && h->generation == v->generation && h->head == st->head &&
	    h->evicted == st->evicted && (st->head == 0 ||
	    h->now_msec / 1000 == now_sec))
		return;
	*changed = 1;
	h->generation = v->generation;
	h->head = st->head;
	h->evicted = st->evicted;
	h->now_msec = now;
	h->spec = v->spec;
	h->order = v->order;
	h->window_msec = v->window_msec;
	snprintf(h->filter, sizeof(h->filter), "%s", filter_text(v->filter));
	h->totals = v->totals;
	h->nkeys = v->tab->n;
	h->secs = view_seconds(v);
	h->partial = v->partial;
	/* spark[SERIES_SECS - 1] is the clock's second, the others before. */
	for (i = 0; i < SERIES_SECS; i++) {
		back = SERIES_SECS - 1 - i;
		if (back > now_sec)
			memset(&h->spark[i], 0, sizeof(h->spark[i]));
		else
			series_get(&v->series, now_sec - back, &h->spark[i]);
	}
	snap_rate_div(u, st, h->rate_div);
	recent_update(u->recent, v, now);
	memcpy(h->rate, recent_rates(u->recent), sizeof(h->rate));
}

/* The quantity the order ranks by, as the rates show it. */
uint64_t
snap_metric(const struct ui *u, const struct agg_counts *c)
{
	switch (u->order) {
	case UI_ORDER_PACKETS:
	case UI_ORDER_PPS:
		return c->pkts;
	case UI_ORDER_FLOWS:
		return c->flows;
	default:
		return u->bits ? c->bytes * 8 : c->bytes;
	}
}

/* Rate i (0: 2 s, 1: 10 s, 2: 40 s) of counts taken over that time. */
double
snap_rate(const struct ui *u, const struct agg_counts *c, int i)
{
	return snap_metric(u, c) / u->hdr.rate_div[i];
}

const char *
snap_rate_unit(const struct ui *u)
{
	switch (u->order) {
	case UI_ORDER_PACKETS:
	case UI_ORDER_PPS:
		return "packets/s";
	case UI_ORDER_FLOWS:
		return "flows/s";
	default:
		return u->bits ? "bits/s" : "bytes/s";
	}
}

/*
 * The rows' keys, for a walk that looks up every record of the last
 * minute: sparse (an eighth full) and with the hash beside the row, so
 * that the key of a record in no row, nearly all of them, meets an empty
 * slot or a different hash and is never compared.
 */
struct snap_slot {
	uint32_t	 hash;
	uint32_t	 row;		/* row + 1; 0 = empty */
};

struct snap_index {
	struct snap_slot *slot;
	size_t		 mask;
	const struct key *keys;
	size_t		 len;
	size_t		 hlen;		/* len in whole words */
};

/*
 * The hash runs over whole 8-byte words, the key's bytes past len being
 * zero (the caller sees to it): no partial word to gather per record.
 */
static size_t
snap_find(const struct snap_index *x, const struct key *k, uint32_t *hp)
{
	uint32_t h = (uint32_t)hash_bytes(k->b, x->hlen, SNAP_SEED);
	size_t i = h & x->mask;

	*hp = h;
	for (;; i = (i + 1) & x->mask)
		if (x->slot[i].row == 0 || (x->slot[i].hash == h &&
		    memcmp(x->keys[x->slot[i].row - 1].b, k->b, x->len) == 0))
			return i;
}

static void
snap_track_add(struct ui_track *t, const struct flow_rec *r, uint64_t now)
{
	uint64_t now_sec = now / 1000, sec = r->recv_msec / 1000, back;
	int i;

	back = sec >= now_sec ? 0 : now_sec - sec;
	if (back < UI_TRACK_SECS)
		snap_add(&t->sec[UI_TRACK_SECS - 1 - back], r);
	for (i = 0; i < UI_RATES; i++)
		if (r->recv_msec + snap_rate_secs[i] * 1000ULL > now)
			snap_add(&t->rate[i], r);
}

/*
 * The recent history of n keys of spec ks (records that match view v's
 * filter), into out[0..n-1].  One walk over the last UI_TRACK_SECS
 * seconds of retained records, whatever n is.
 */
void
snap_track(const struct ui *u, const struct view *v, const struct key_spec *ks,
    const struct key *keys, size_t n, struct ui_track *out)
{
	const struct store *st = v->store;
	const struct flow_rec *r;
	struct snap_index x;
	struct key k;
	uint64_t now = ui_now(u), from, seq, ri;
	unsigned bit = 1u << v->slot;
	size_t i, size = 16;
	uint32_t h;
	int side;

	memset(out, 0, n * sizeof(*out));
	if (n == 0 || st->head == 0)
		return;
	while (size < n * 8)
		size *= 2;
	x.slot = xcalloc(size, sizeof(*x.slot));
	x.mask = size - 1;
	x.keys = keys;
	x.len = ks->len;
	x.hlen = (x.len + 7) & ~(size_t)7;
	memset(&k, 0, sizeof(k));
	for (i = 0; i < n; i++) {
		size_t j;

		memcpy(k.b, keys[i].b, x.len);
		j = snap_find(&x, &k, &h);

		if (x.slot[j].row == 0) {
			x.slot[j].hash = h;
			x.slot[j].row = (uint32_t)i + 1;
		}
	}
	from = (now / 1000 + 1) * 1000;
	from = from > UI_TRACK_SECS * 1000ULL ? from - UI_TRACK_SECS * 1000ULL :
	    0;
	/* key_make writes the first len bytes: the rest stays zero. */
	seq = snap_first_after(st, from ? from - 1 : 0);
	for (ri = store_index(st, seq); seq < st->head; seq++,
	    ri = store_step(st, ri)) {
		store_poll(st, seq);
		r = &st->ring[ri];
		if (r->recv_msec > now)
			break;		/* after the history cursor */
		if (!(r->views & bit))
			continue;
		for (side = 0; side <= (ks->twoway ? 1 : 0); side++) {
			key_make(ks, r, side, &k);
			if ((i = x.slot[snap_find(&x, &k, &h)].row) != 0)
				snap_track_add(&out[i - 1], r, now);
		}
	}
	free(x.slot);
}
