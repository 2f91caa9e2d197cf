/*
 * recent.c - the last minute of the active view, kept up to date instead
 * of walked anew each frame (recent.h).
 *
 * At a million keys the walks of snap.c cost most of a frame: the last
 * minute is hundreds of thousands of ring copies, read from memory, not
 * cache.  Records sit in the ring in arrival order, so each of the 2 s,
 * 10 s and 40 s windows is a range of sequence numbers, [lo[i], end):
 * an update walks the records that arrived since the last one (adding
 * them) and those that have left a window since (taking them out).  A
 * row's per-second history lives in buckets indexed by the second, which
 * the clock clears as it moves on; its rates follow the same cursors.
 * Keys met for the first time get their history from one snap_track()
 * walk, all of them together; a key stays tracked while rows show it
 * and until room is needed (RECENT_KEYS_MAX), so a key that drops off
 * the table and comes back costs nothing.
 *
 * Everything is taken anew, as snap.c takes it, when the view's records
 * were matched anew (view.epoch: a rebuild), the clock went back, the
 * ring evicted a record still counted in a window (its counts can no
 * longer be taken out), or receive times went backwards (the ranges
 * above assume they do not, as the binary searches of snap.c do).
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "recent.h"
#include "store.h"
#include "ui-int.h"
#include "view.h"
#include "xmalloc.h"

#define RECENT_KEYS_MAX	(2 * UI_ROWS_MAX)	/* the rows, and rows lately */
#define RECENT_SLOTS	8192			/* a power of two, > 2 x that */
#define RECENT_SEED	0x726563656e74ULL	/* any: the keys are ours */

/*
 * What a lookup reads, the key and its marks, is a line of its own in
 * a packed array (a frame looks every row up); the counts are apart.
 */
struct recent_tag {
	struct key		 key;
	uint64_t		 asked;		/* the last request for it */
	uint64_t		 given;		/* ... that it was output for */
};

struct recent_hist {
	struct agg_counts	 rate[UI_RATES];
	struct agg_counts	 sec[UI_TRACK_SECS];	/* [second % SECS] */
};

#define RECENT_NONE	((size_t)-1)

struct recent {
	/* What the counts are of: the records with this view bit. */
	const struct store	*store;
	uint64_t		 epoch;
	int			 slot;
	int			 valid;
	uint64_t		 now_msec;	/* the moment they are for */
	uint64_t		 end;		/* those before it are walked */
	uint64_t		 last_msec;	/* receive time of end - 1 */
	uint64_t		 lo[UI_RATES];	/* first record in window i */
	struct agg_counts	 rate[UI_RATES];	/* window i, all keys */
	/* Tracked keys; sec_lo: the first record their buckets may count. */
	struct key_spec		 spec;
	struct recent_tag	*tags;		/* RECENT_KEYS_MAX of each */
	struct recent_hist	*hist;
	size_t			 nkeys;
	uint32_t		*slots;		/* index + 1; 0 = free */
	uint64_t		 sec_lo;
	uint64_t		 asked;		/* requests so far */
};

struct recent *
recent_create(void)
{
	struct recent *rc = xcalloc(1, sizeof(*rc));

	rc->tags = xcalloc(RECENT_KEYS_MAX, sizeof(*rc->tags));
	rc->hist = xcalloc(RECENT_KEYS_MAX, sizeof(*rc->hist));
	rc->slots = xcalloc(RECENT_SLOTS, sizeof(*rc->slots));
	return rc;
}

void
recent_free(struct recent *rc)
{
	if (rc == NULL)
		return;
	free(rc->tags);
	free(rc->hist);
	free(rc->slots);
	free(rc);
}

/* Forgets the tracked keys (when the table is not shown, none is asked for). */
void
recent_untrack(struct recent *rc)
{
	rc->nkeys = 0;
	memset(rc->slots, 0, RECENT_SLOTS * sizeof(*rc->slots));
}

const struct agg_counts *
recent_rates(const struct recent *rc)
{
	return rc->rate;
}

/* The slot of key k: its entry's, or the free one where it would go. */
static size_t
recent_slot(const struct recent *rc, const struct key *k)
{
	size_t i = hash_bytes(k->b, rc->spec.len, RECENT_SEED) &
	    (RECENT_SLOTS - 1);

	for (;; i = (i + 1) & (RECENT_SLOTS - 1))
		if (rc->slots[i] == 0 || memcmp(rc->tags[rc->slots[i] -
		    1].key.b, k->b, rc->spec.len) == 0)
			return i;
}

/* The index of key k, or RECENT_NONE. */
static size_t
recent_find(const struct recent *rc, const struct key *k)
{
	uint32_t e = rc->slots[recent_slot(rc, k)];

	return e != 0 ? e - 1 : RECENT_NONE;
}

static void
recent_add(struct agg_counts *a, const struct flow_rec *r, int sign)
{
	uint64_t flows = r->flags & FLOW_F_CONT ? 0 : 1;

	if (sign > 0) {
		a->flows += flows;
		a->pkts += r->pkts;
		a->bytes += r->bytes;
	} else {
		a->flows -= flows;
		a->pkts -= r->pkts;
		a->bytes -= r->bytes;
	}
}

/*
 * Record r counted (sign +1, in every window and its second's bucket)
 * or taken out of window i (sign -1), for all keys and its own ones.
 * Each side of a two-way key counts, as in snap_track().
 */
static void
recent_count(struct recent *rc, const struct view *v, const struct flow_rec *r,
    int sign, int i)
{
	struct recent_hist *e;
	struct key k;
	uint64_t sec = r->recv_msec / 1000;
	size_t x;
	int side, j;

	if (sign > 0)
		for (j = 0; j < UI_RATES; j++)
			recent_add(&rc->rate[j], r, +1);
	else
		recent_add(&rc->rate[i], r, -1);
	if (rc->nkeys == 0)
		return;
	memset(&k, 0, sizeof(k));
	for (side = 0; side <= (v->spec.twoway ? 1 : 0); side++) {
		key_make(&v->spec, r, side, &k);
		if ((x = recent_find(rc, &k)) == RECENT_NONE)
			continue;
		e = &rc->hist[x];
		if (sign < 0) {
			recent_add(&e->rate[i], r, -1);
			continue;
		}
		for (j = 0; j < UI_RATES; j++)
			recent_add(&e->rate[j], r, +1);
		if (sec + UI_TRACK_SECS > rc->now_msec / 1000)
			recent_add(&e->sec[sec % UI_TRACK_SECS], r, +1);
	}
}

/*
 * Counts anew, as snap_header() did: one walk over the longest window.
 * The records in it are also checked to come in time order, without
 * which the cursors would not follow the windows.
 */
static void
recent_cold(struct recent *rc, const struct view *v, uint64_t now)
{
	const struct store *st = v->store;
	const struct flow_rec *r;
	uint64_t back, seq, ri, prev = 0;
	unsigned bit = 1u << v->slot;
	int i;

	recent_untrack(rc);
	memset(rc->rate, 0, sizeof(rc->rate));
	rc->store = st;
	rc->epoch = v->epoch;
	rc->slot = v->slot;
	rc->now_msec = now;
	rc->valid = 1;
	for (i = 0; i < UI_RATES; i++) {
		back = snap_rate_secs[i] * 1000ULL;
		rc->lo[i] = snap_first_after(st, now > back ? now - back : 0);
	}
	seq = rc->lo[UI_RATES - 1];
	for (ri = store_index(st, seq); seq < st->head; seq++,
	    ri = store_step(st, ri)) {
		store_poll(st, seq);
		r = &st->ring[ri];
		if (r->recv_msec > now)
			break;		/* after the history cursor */
		if (r->recv_msec < prev)
			rc->valid = 0;
		prev = r->recv_msec;
		if (!(r->views & bit))
			continue;
		for (i = 0; i < UI_RATES; i++)
			if (r->recv_msec + snap_rate_secs[i] * 1000ULL > now)
				recent_add(&rc->rate[i], r, +1);
	}
	rc->end = seq;
	rc->last_msec = prev;
}

/*
 * Whether the ring kept what the counts need: a record counted in a
 * window must still be there to be taken out of it, and the buckets
 * must not hold a record evicted while its second is still shown.
 * When only the buckets lost one, the keys are dropped.
 */
static int
recent_kept(struct recent *rc, const struct store *st, uint64_t now)
{
	uint64_t oldest = store_oldest(st), newest;
	int i;

	for (i = 0; i < UI_RATES; i++)
		if (rc->lo[i] < oldest && rc->lo[i] < rc->end)
			return 0;
	if (rc->nkeys > 0 && rc->sec_lo < oldest && rc->sec_lo < rc->end) {
		/* Times rise along the ring: the evicted are older. */
		newest = oldest < st->head ? store_get(st, oldest)->recv_msec :
		    rc->last_msec;
		if (newest / 1000 + UI_TRACK_SECS > now / 1000)
			recent_untrack(rc);
	}
	for (i = 0; i < UI_RATES; i++)
		if (rc->lo[i] < oldest)
			rc->lo[i] = oldest;
	if (rc->sec_lo < oldest)
		rc->sec_lo = oldest;
	if (rc->end < oldest)
		rc->end = oldest;
	return 1;
}

/* The clock moved to now: the seconds it left behind empty their buckets. */
static void
recent_rotate(struct recent *rc, uint64_t now)
{
	uint64_t s = rc->now_msec / 1000, to = now / 1000;
	size_t i;

	if (to - s >= UI_TRACK_SECS) {
		for (i = 0; i < rc->nkeys; i++)
			memset(rc->hist[i].sec, 0, sizeof(rc->hist[i].sec));
		return;
	}
	for (s++; s <= to; s++)
		for (i = 0; i < rc->nkeys; i++)
			memset(&rc->hist[i].sec[s % UI_TRACK_SECS], 0,
			    sizeof(rc->hist[i].sec[0]));
}

/* Brings the counts to the moment now (ui_now()) and the ring's head. */
void
recent_update(struct recent *rc, const struct view *v, uint64_t now)
{
	const struct store *st = v->store;
	const struct flow_rec *r;
	uint64_t seq, ri, back;
	unsigned bit = 1u << v->slot;
	int i;

	if (!rc->valid || rc->store != st || rc->epoch != v->epoch ||
	    rc->slot != v->slot || now < rc->now_msec ||
	    !recent_kept(rc, st, now)) {
		recent_cold(rc, v, now);
		return;
	}
	recent_rotate(rc, now);
	rc->now_msec = now;
	seq = rc->end;
	for (ri = store_index(st, seq); seq < st->head; seq++,
	    ri = store_step(st, ri)) {
		store_poll(st, seq);
		r = &st->ring[ri];
		if (r->recv_msec > now)
			break;		/* after the history cursor */
		if (r->recv_msec < rc->last_msec) {
			recent_cold(rc, v, now);
			return;
		}
		rc->last_msec = r->recv_msec;
		/* The walks of snap.c never reach a record of time 0. */
		if ((r->views & bit) && r->recv_msec != 0)
			recent_count(rc, v, r, +1, 0);
	}
	rc->end = seq;
	for (i = 0; i < UI_RATES; i++) {
		back = snap_rate_secs[i] * 1000ULL;
		for (; rc->lo[i] < rc->end; rc->lo[i]++) {
			r = store_get(st, rc->lo[i]);
			if (r->recv_msec + back > now)
				break;
			if ((r->views & bit) && r->recv_msec != 0)
				recent_count(rc, v, r, -1, i);
		}
	}
	for (; rc->sec_lo < rc->end; rc->sec_lo++)
		if (store_get(st, rc->sec_lo)->recv_msec / 1000 +
		    UI_TRACK_SECS > now / 1000)
			break;
}

/*
 * Starts tracking the n keys not tracked yet: their history from one
 * walk, laid into the buckets by second.  Keys no request asked for
 * this time go first when room is short.
 */
static void
recent_learn(struct recent *rc, const struct ui *u, const struct view *v,
    const struct key *keys, size_t n)
{
	struct ui_track *t = xcalloc(n, sizeof(*t));
	struct recent_hist *h;
	uint64_t now_sec = rc->now_msec / 1000, from;
	size_t i, j, keep = 0;

	if (rc->nkeys + n > RECENT_KEYS_MAX) {
		for (i = 0; i < rc->nkeys; i++)
			if (rc->tags[i].asked == rc->asked) {
				rc->tags[keep] = rc->tags[i];
				rc->hist[keep++] = rc->hist[i];
			}
		rc->nkeys = keep;
		memset(rc->slots, 0, RECENT_SLOTS * sizeof(*rc->slots));
		for (i = 0; i < rc->nkeys; i++)
			rc->slots[recent_slot(rc, &rc->tags[i].key)] =
			    (uint32_t)i + 1;
	}
	if (rc->nkeys == 0) {
		from = (now_sec + 1) * 1000;
		from = from > UI_TRACK_SECS * 1000ULL ? from -
		    UI_TRACK_SECS * 1000ULL : 0;
		rc->sec_lo = snap_first_after(v->store, from ? from - 1 : 0);
	}
	snap_track(u, v, &v->spec, keys, n, t);
	for (i = 0; i < n && rc->nkeys < RECENT_KEYS_MAX; i++) {
		j = recent_slot(rc, &keys[i]);
		if (rc->slots[j] != 0)
			continue;	/* twice in the list */
		rc->slots[j] = (uint32_t)rc->nkeys + 1;
		rc->tags[rc->nkeys].key = keys[i];
		rc->tags[rc->nkeys].asked = rc->asked;
		rc->tags[rc->nkeys].given = 0;
		h = &rc->hist[rc->nkeys++];
		memcpy(h->rate, t[i].rate, sizeof(h->rate));
		for (j = 0; j < UI_TRACK_SECS; j++)
			h->sec[(now_sec + 1 + j) % UI_TRACK_SECS] = t[i].sec[j];
	}
	free(t);
}

/*
 * The recent history of n keys of the view's spec (records that match
 * its filter) at ui_now(), into out[0..n-1]; a key listed twice gets it
 * once, the later rows zero, as from snap_track().
 */
void
recent_track(struct recent *rc, const struct ui *u, const struct view *v,
    const struct key *keys, size_t n, struct ui_track *out)
{
	const struct recent_hist *h;
	struct key *miss = NULL;
	uint64_t now_sec;
	size_t i, j, x, nmiss = 0;

	if (n > RECENT_KEYS_MAX) {
		snap_track(u, v, &v->spec, keys, n, out);	/* no room */
		return;
	}
	recent_update(rc, v, ui_now(u));
	if (memcmp(&rc->spec, &v->spec, sizeof(rc->spec)) != 0) {
		recent_untrack(rc);
		rc->spec = v->spec;
	}
	rc->asked++;
	for (i = 0; i < n; i++) {
		if ((x = recent_find(rc, &keys[i])) != RECENT_NONE)
			rc->tags[x].asked = rc->asked;
		else {
			if (miss == NULL)
				miss = xcalloc(n, sizeof(*miss));
			miss[nmiss++] = keys[i];
		}
	}
	if (nmiss > 0)
		recent_learn(rc, u, v, miss, nmiss);
	free(miss);
	now_sec = rc->now_msec / 1000;
	for (i = 0; i < n; i++) {
		x = recent_find(rc, &keys[i]);
		if (x == RECENT_NONE || rc->tags[x].given == rc->asked) {
			memset(&out[i], 0, sizeof(out[i]));
			continue;
		}
		rc->tags[x].given = rc->asked;
		h = &rc->hist[x];
		memcpy(out[i].rate, h->rate, sizeof(out[i].rate));
		for (j = 0; j < UI_TRACK_SECS; j++)
			out[i].sec[j] = h->sec[(now_sec + 1 + j) %
			    UI_TRACK_SECS];
	}
}
