/*
 * store.h - the retained history of flow records and the views over it.
 *
 * Records are kept in arrival order in a ring whose size is the memory
 * budget (--history records); when it is full the oldest record is evicted.
 * Every record added or evicted is passed to the attached views, which keep
 * their aggregates current incrementally; a view whose definition changes
 * recomputes itself from the ring at once.
 */
#ifndef NFTOP_STORE_H
#define NFTOP_STORE_H

#include <stdint.h>

#include "flow.h"

#define STORE_VIEWS_MAX	8
#define STORE_OBSERVERS_MAX	4

struct view;

/*
 * Modules that follow the history without being views (channels, alert
 * detectors) observe it: add is called after the views saw the record,
 * with its sequence number; evict before the ring slot is reused; now
 * when the clock moved (store_set_now), so they can age records out of
 * their windows.  Any callback may be NULL.
 */
struct store_observer {
	void	(*add)(void *ctx, uint64_t seq, const struct flow_rec *);
	void	(*evict)(void *ctx, uint64_t seq, const struct flow_rec *);
	void	(*now)(void *ctx);
	void	 *ctx;
};

/*
 * Called on the ring's copy of every record before anyone sees it: fills
 * fields the exporter left empty (AS numbers, countries; see geo.h).
 */
typedef void (*store_enrich_cb)(void *ctx, struct flow_rec *);

struct store {
	struct flow_rec	*ring;
	uint64_t	 cap;		/* records retained at most */
	uint64_t	 head;		/* records ever added; next sequence */
	uint64_t	 head_idx;	/* head % cap, kept without dividing */
	uint64_t	 evicted;	/* records pushed out of the ring */
	uint64_t	 now_msec;	/* the engine's clock */
	uint64_t	 first_msec;	/* receive time of the first record */
	struct view	*views[STORE_VIEWS_MAX];
	unsigned	 view_bits;	/* bit i: views[i] is attached */
	flow_sink_cb	 tap;		/* also gets every record; may be NULL */
	void		*tap_arg;	/* (the ClickHouse sink) */
	struct store_observer obs[STORE_OBSERVERS_MAX];
	unsigned	 obs_add_bits;	/* bit i: obs[i].add is set */
	unsigned	 obs_evict_bits;
	store_enrich_cb	 enrich;
	void		*enrich_ctx;
	void		(*poll)(void *);	/* see store_poll; may be NULL */
	void		*poll_ctx;
};

struct store	*store_create(uint64_t cap);
void		 store_free(struct store *);
void		 store_prefault(struct store *);
void		 store_add(struct store *, const struct flow_rec *);
void		 store_set_now(struct store *, uint64_t now_msec);
int		 store_attach(struct store *, struct view *);
void		 store_detach(struct store *, struct view *);
uint64_t	 store_oldest(const struct store *);
uint64_t	 store_span_msec(const struct store *);
int		 store_observe(struct store *, const struct store_observer *);
void		 store_unobserve(struct store *, void *ctx);
void		 store_set_enrich(struct store *, store_enrich_cb, void *ctx);
uint64_t	 store_seek(const struct store *, uint64_t msec);

/*
 * The record with sequence seq; the caller keeps oldest <= seq < head.
 * Inline, as are the two below, because views, burst mode and the
 * screen call them once per retained record.
 */
static inline const struct flow_rec *
store_get(const struct store *s, uint64_t seq)
{
	return &s->ring[seq % s->cap];
}

/*
 * A walk over many records steps a ring index instead of taking every
 * seq modulo cap: a 64-bit division costs more than the rest of a
 * record's visit.
 */
static inline uint64_t
store_index(const struct store *s, uint64_t seq)
{
	return seq % s->cap;
}

static inline uint64_t
store_step(const struct store *s, uint64_t i)
{
	return i + 1 == s->cap ? 0 : i + 1;
}

/*
 * A walk over many records calls this with each sequence number it
 * visits: every STORE_POLL_EVERY records, the collector reads its
 * sockets ahead (collector_poll), so that a walk of a million records
 * (tens of milliseconds) does not overflow them at a high rate.
 */
#define STORE_POLL_EVERY	8192

static inline void
store_poll(const struct store *s, uint64_t seq)
{
	if ((seq & (STORE_POLL_EVERY - 1)) == 0 && s->poll != NULL)
		s->poll(s->poll_ctx);
}

/* The sink callback decoders feed; ctx is the store. */
void		 store_sink(const struct flow_rec *, void *);

#endif
