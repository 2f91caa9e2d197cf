/*
 * store.c - the ring of retained flow records.
 *
 * The ring is allocated once at its full size; the kernel backs pages only
 * as records fill them, so a quiet collector stays small.  Sequence numbers
 * (the count of records ever added) name records: seq lives at
 * ring[seq % cap] while head - cap <= seq < head.
 */
#include <stdint.h>
#include <stdlib.h>

#include "bigmem.h"
#include "log.h"
#include "store.h"
#include "view.h"
#include "xmalloc.h"

/*
 * The ring is on huge pages (bigmem), because a fresh 4 KiB page costs a
 * fault every 20 records and faults dominate filling the ring on a
 * virtual machine.
 */
struct store *
store_create(uint64_t cap)
{
	struct store *s = xcalloc(1, sizeof(*s));

	if (cap == 0)
		cap = 1;
	if (cap > (SIZE_MAX >> 1) / sizeof(*s->ring))
		fatalx("--history %llu is too large", (unsigned long long)cap);
	s->ring = bigmem_alloc(cap * sizeof(*s->ring));
	s->cap = cap;
	return s;
}

/* Backs the whole ring now (see bigmem_prefault): for live collectors. */
void
store_prefault(struct store *s)
{
	bigmem_prefault(s->ring, s->cap * sizeof(*s->ring));
}

void
store_free(struct store *s)
{
	if (s == NULL)
		return;
	bigmem_free(s->ring, s->cap * sizeof(*s->ring));
	free(s);
}

int
store_attach(struct store *s, struct view *v)
{
	int i;

	for (i = 0; i < STORE_VIEWS_MAX; i++)
		if (s->views[i] == NULL) {
			s->views[i] = v;
			s->view_bits |= 1u << i;
			return i;
		}
	fatalx("more than %d views", STORE_VIEWS_MAX);
}

void
store_detach(struct store *s, struct view *v)
{
	int i;

	for (i = 0; i < STORE_VIEWS_MAX; i++)
		if (s->views[i] == v) {
			s->views[i] = NULL;
			s->view_bits &= ~(1u << i);
		}
}

uint64_t
store_oldest(const struct store *s)
{
	return s->head > s->cap ? s->head - s->cap : 0;
}

/* Time the retained history covers, oldest record to the clock. */
uint64_t
store_span_msec(const struct store *s)
{
	const struct flow_rec *r;

	if (s->head == 0)
		return 0;
	r = store_get(s, store_oldest(s));
	return s->now_msec > r->recv_msec ? s->now_msec - r->recv_msec : 0;
}

/* The lowest set bit's index, cleared: attached slots, in order. */
static int
store_next(unsigned *bits)
{
	int i = __builtin_ctz(*bits);

	*bits &= *bits - 1;
	return i;
}

/*
 * Visits only the attached views and observers (by their bits): a loop
 * over every place, twice per record, cost as much as a decoder.
 */
void
store_add(struct store *s, const struct flow_rec *r)
{
	struct flow_rec *slot = &s->ring[s->head_idx];
	unsigned m;
	int i;

	if (s->head >= s->cap) {
		for (m = s->view_bits; m != 0;)
			view_on_evict(s->views[store_next(&m)],
			    s->head - s->cap, slot);
		for (m = s->obs_evict_bits; m != 0;) {
			i = store_next(&m);
			s->obs[i].evict(s->obs[i].ctx, s->head - s->cap, slot);
		}
		s->evicted++;
	}
	*slot = *r;
	slot->views = 0;
	if (s->enrich != NULL)
		s->enrich(s->enrich_ctx, slot);
	if (s->head == 0)
		s->first_msec = r->recv_msec;
	if (r->recv_msec > s->now_msec)
		s->now_msec = r->recv_msec;
	s->head++;
	s->head_idx = store_step(s, s->head_idx);
	for (m = s->view_bits; m != 0;)
		view_on_add(s->views[store_next(&m)], slot);
	if (s->tap != NULL)
		s->tap(slot, s->tap_arg);
	for (m = s->obs_add_bits; m != 0;) {
		i = store_next(&m);
		s->obs[i].add(s->obs[i].ctx, s->head - 1, slot);
	}
}

void
store_sink(const struct flow_rec *r, void *ctx)
{
	store_add(ctx, r);
}

/* Moves the clock on (never back) and ages records out of the windows. */
void
store_set_now(struct store *s, uint64_t now_msec)
{
	int i;

	if (now_msec > s->now_msec)
		s->now_msec = now_msec;
	for (i = 0; i < STORE_VIEWS_MAX; i++)
		if (s->views[i] != NULL)
			view_expire(s->views[i]);
	for (i = 0; i < STORE_OBSERVERS_MAX; i++)
		if (s->obs[i].now != NULL)
			s->obs[i].now(s->obs[i].ctx);
}

/* Which observers have an add and an evict callback. */
static void
store_obs_bits(struct store *s)
{
	int i;

	s->obs_add_bits = s->obs_evict_bits = 0;
	for (i = 0; i < STORE_OBSERVERS_MAX; i++) {
		if (s->obs[i].add != NULL)
			s->obs_add_bits |= 1u << i;
		if (s->obs[i].evict != NULL)
			s->obs_evict_bits |= 1u << i;
	}
}

int
store_observe(struct store *s, const struct store_observer *o)
{
	int i;

	for (i = 0; i < STORE_OBSERVERS_MAX; i++)
		if (s->obs[i].add == NULL && s->obs[i].evict == NULL &&
		    s->obs[i].now == NULL) {
			s->obs[i] = *o;
			store_obs_bits(s);
			return i;
		}
	fatalx("more than %d store observers", STORE_OBSERVERS_MAX);
}

void
store_unobserve(struct store *s, void *ctx)
{
	int i;

	for (i = 0; i < STORE_OBSERVERS_MAX; i++)
		if (s->obs[i].ctx == ctx)
			s->obs[i] = (struct store_observer){ 0 };
	store_obs_bits(s);
}

void
store_set_enrich(struct store *s, store_enrich_cb cb, void *ctx)
{
	s->enrich = cb;
	s->enrich_ctx = ctx;
}

/*
 * The first retained record received after msec (head when there is
 * none).  Receive times rise along the ring (the clock never goes back
 * and a file's packets come in order), so a binary search finds it; a
 * record out of order only shifts the cut by its own place.
 */
uint64_t
store_seek(const struct store *s, uint64_t msec)
{
	uint64_t lo = store_oldest(s), hi = s->head, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (store_get(s, mid)->recv_msec <= msec)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
