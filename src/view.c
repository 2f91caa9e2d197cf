/*
 * view.c - incremental aggregates for one (filter, key, order, window).
 *
 * A record enters a view when it arrives and matches the filter; it leaves
 * when it ages past the window or is evicted from the ring.  Which records
 * matched is remembered in a bit of the ring copy (flow_rec.views), so
 * leaving never re-runs the filter.  With window "all" records never leave:
 * the view counts everything since start even after the ring evicts them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "hash.h"
#include "store.h"
#include "view.h"
#include "xmalloc.h"

struct view *
view_create(struct store *s, struct filter *f, const struct key_spec *ks,
    enum agg_order order, uint64_t window_msec, size_t key_max)
{
	struct view *v = xcalloc(1, sizeof(*v));

	v->store = s;
	v->filter = f;
	v->spec = *ks;
	v->order = order;
	v->window_msec = window_msec;
	v->key_max = key_max;
	v->tab = agg_create(ks->len, key_max, hash_random_key());
	agg_set_order(v->tab, order);
	v->slot = store_attach(s, v);
	view_rebuild(v);
	return v;
}

void
view_free(struct view *v)
{
	if (v == NULL)
		return;
	store_detach(v->store, v);
	agg_free(v->tab);
	filter_free(v->filter);
	free(v);
}

/* The record's key (both, for a two-way key) in the aggregate table. */
static void
view_keys(struct view *v, const struct flow_rec *r, const struct agg_counts *c,
    uint64_t seq, int sign)
{
	const uint8_t *key;
	struct key k;
	int dir;

	for (dir = 0; dir <= (v->spec.twoway ? 1 : 0); dir++) {
		key = key_bytes(&v->spec, r, dir, &k);
		if (sign > 0)
			agg_add(v->tab, key, c, seq);
		else
			agg_sub(v->tab, key, c, seq);
	}
}

/* view_keys(+1) for a walk over many records: through the pipe. */
static void
view_keys_pipe(struct view *v, struct agg_pipe *pp, const struct flow_rec *r,
    const struct agg_counts *c, uint64_t seq)
{
	struct key k;
	int dir;

	for (dir = 0; dir <= (v->spec.twoway ? 1 : 0); dir++) {
		key_make(&v->spec, r, dir, &k);
		agg_pipe_add(pp, &k, c, seq);
	}
}

/* The totals and the protocol breakdown. */
static void
view_totals(struct view *v, const struct flow_rec *r,
    const struct agg_counts *c, int sign)
{
	if (sign > 0) {
		agg_counts_add(&v->totals, c);
		agg_counts_add(&v->proto[r->proto], c);
	} else {
		agg_counts_sub(&v->totals, c);
		agg_counts_sub(&v->proto[r->proto], c);
	}
}

static void
view_count(struct view *v, const struct flow_rec *r, uint64_t seq, int sign)
{
	struct agg_counts c = agg_counts_of(r);

	view_keys(v, r, &c, seq, sign);
	view_totals(v, r, &c, sign);
}

/*
 * Fills a full table again from the window's records, in order, so that
 * its bound is back under N / max (agg.h); totals, protocols and series
 * are exact and stay.  A window of "all" has no records leaving, so its
 * bound never drifts and its records are not all retained anyway.
 */
static void
view_refill(struct view *v)
{
	const struct store *s = v->store;
	uint64_t seq, i, capped = v->tab->capped;
	const struct flow_rec *r;
	struct agg_counts c;
	struct agg_pipe pp;

	if (v->window_msec == 0)
		return;
	agg_clear(v->tab);
	agg_pipe_init(&pp, v->tab);
	i = store_index(s, v->win_start);
	for (seq = v->win_start; seq < s->head; seq++, i = store_step(s, i)) {
		store_poll(s, seq);
		r = &s->ring[i];
		if (r->views & (1u << v->slot)) {
			c = agg_counts_of(r);
			view_keys_pipe(v, &pp, r, &c, seq);
		}
	}
	agg_pipe_flush(&pp);
	agg_fit(v->tab);
	v->tab->capped = capped;
	v->refills++;
}

static void
view_check_drift(struct view *v)
{
	if (v->window_msec != 0 && agg_drifted(v->tab))
		view_refill(v);
}

void
view_on_add(struct view *v, struct flow_rec *r)
{
	struct agg_counts c;

	/* A pinned view shows the past: what arrives now is after its end. */
	if (v->pin_msec != 0 || !filter_match(v->filter, r))
		return;
	r->views |= (uint8_t)(1u << v->slot);
	c = agg_counts_of(r);
	series_add(&v->series, r->recv_msec, &c);
	view_keys(v, r, &c, v->store->head - 1, +1);
	view_totals(v, r, &c, +1);
	view_check_drift(v);
	v->generation++;
}

void
view_on_evict(struct view *v, uint64_t seq, const struct flow_rec *r)
{
	if (seq < v->win_start)
		return;			/* already aged out of the window */
	v->win_start = seq + 1;
	if (v->window_msec == 0 || !(r->views & (1u << v->slot)))
		return;
	view_count(v, r, seq, -1);
	view_check_drift(v);
	v->evicted_in_window++;
	v->generation++;
}

void
view_expire(struct view *v)
{
	const struct store *s = v->store;
	const struct flow_rec *r;
	uint64_t limit, i;

	if (v->pin_msec != 0 || v->window_msec == 0 ||
	    s->now_msec < v->window_msec)
		return;
	limit = s->now_msec - v->window_msec;
	i = store_index(s, v->win_start);
	for (; v->win_start < s->head; v->win_start++, i = store_step(s, i)) {
		r = &s->ring[i];
		if (r->recv_msec > limit)
			break;
		if (r->views & (1u << v->slot)) {
			view_count(v, r, v->win_start, -1);
			v->generation++;
		}
	}
	view_check_drift(v);
}

/*
 * Recomputes everything from the retained records.  The epoch tells a
 * cache of counts taken from the records' bits (ui/recent.c) that they
 * were set anew; no two rebuilds of any views share one.
 */
void
view_rebuild(struct view *v)
{
	static uint64_t epochs;
	const struct store *s = v->store;
	uint8_t bit = (uint8_t)(1u << v->slot), views;
	struct agg_counts c;
	struct agg_pipe pp;
	struct flow_rec *r;
	uint64_t seq, i, limit = 0, end = view_end_msec(v);

	agg_clear(v->tab);
	memset(&v->totals, 0, sizeof(v->totals));
	memset(v->proto, 0, sizeof(v->proto));
	series_clear(&v->series);
	v->partial = s->evicted > 0;
	if (v->window_msec != 0 && end > v->window_msec)
		limit = end - v->window_msec;
	v->win_start = s->head;
	agg_pipe_init(&pp, v->tab);
	seq = store_oldest(s);
	for (i = store_index(s, seq); seq < s->head; seq++,
	    i = store_step(s, i)) {
		store_poll(s, seq);
		r = &s->ring[i];
		views = r->views & (uint8_t)~bit;
		if ((v->pin_msec == 0 || r->recv_msec <= v->pin_msec) &&
		    filter_match(v->filter, r))
			views |= bit;
		/* Only lines that change are written back to memory. */
		if (r->views != views)
			r->views = views;
		if (!(views & bit))
			continue;
		c = agg_counts_of(r);
		series_add(&v->series, r->recv_msec, &c);
		if (v->window_msec != 0 && r->recv_msec <= limit)
			continue;
		if (v->win_start == s->head)
			v->win_start = seq;
		view_totals(v, r, &c, +1);
		view_keys_pipe(v, &pp, r, &c, seq);
	}
	agg_pipe_flush(&pp);
	agg_fit(v->tab);
	v->epoch = ++epochs;
	v->generation++;
}

void
view_set_filter(struct view *v, struct filter *f)
{
	filter_free(v->filter);
	v->filter = f;
	view_rebuild(v);
}

void
view_set_key(struct view *v, const struct key_spec *ks)
{
	agg_free(v->tab);
	v->spec = *ks;
	v->tab = agg_create(ks->len, v->key_max, hash_random_key());
	agg_set_order(v->tab, v->order);
	view_rebuild(v);
}

void
view_set_window(struct view *v, uint64_t window_msec)
{
	v->window_msec = window_msec;
	view_rebuild(v);
}

void
view_set_order(struct view *v, enum agg_order o)
{
	v->order = o;
	agg_set_order(v->tab, o);
	/* Estimates made evicting by another metric: make them anew. */
	if (agg_approximate(v->tab))
		view_refill(v);
	v->generation++;
}

/*
 * The seconds the view's counts cover, for rates: the window, or less when
 * nftop has not yet run that long; at least one.
 */
double
view_seconds(const struct view *v)
{
	const struct store *s = v->store;
	uint64_t end = view_end_msec(v);
	uint64_t span = end > s->first_msec ? end - s->first_msec : 0;

	if (s->head == 0)
		span = 0;
	if (v->remote_span_msec != 0)
		span = v->remote_span_msec;
	if (v->window_msec != 0 && v->window_msec < span)
		span = v->window_msec;
	return span < 1000 ? 1.0 : span / 1000.0;
}

/*
 * Pins the window's end at end_msec (0 = back to live) and recounts from
 * the retained history.
 */
void
view_set_pin(struct view *v, uint64_t end_msec)
{
	v->pin_msec = end_msec;
	view_rebuild(v);
}

/* Where the window ends: the cursor, or the engine's clock when live. */
uint64_t
view_end_msec(const struct view *v)
{
	return v->pin_msec != 0 ? v->pin_msec : v->store->now_msec;
}

/* "30s", "5m", "1h", "2d", a plain number of seconds, or "all" (0). */
int
view_window_parse(const char *s, uint64_t *msec)
{
	char *end;
	unsigned long long n;
	uint64_t unit = 1000;

	if (strcasecmp(s, "all") == 0) {
		*msec = 0;
		return 0;
	}
	n = strtoull(s, &end, 10);
	if (end == s || n == 0)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		unit = 60000;
		break;
	case 'h':
		unit = 3600000;
		break;
	case 'd':
		unit = 86400000;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	if (n > UINT64_MAX / unit / 2)
		return -1;
	*msec = n * unit;
	return 0;
}

const char *
view_window_fmt(uint64_t msec, char *buf, size_t len)
{
	uint64_t s = msec / 1000;

	if (msec == 0)
		snprintf(buf, len, "all");
	else if (s % 86400 == 0)
		snprintf(buf, len, "%llud", (unsigned long long)(s / 86400));
	else if (s % 3600 == 0)
		snprintf(buf, len, "%lluh", (unsigned long long)(s / 3600));
	else if (s % 60 == 0)
		snprintf(buf, len, "%llum", (unsigned long long)(s / 60));
	else
		snprintf(buf, len, "%llus", (unsigned long long)s);
	return buf;
}
