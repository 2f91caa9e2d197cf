/*
 * ch-source.h - --from-clickhouse URL: the views show what ClickHouse
 * computes over its rows (every nftop writing there, on every shard of a
 * Distributed table) instead of what this process received.
 *
 * Each tick starts a round of queries, one pair per view (the active one
 * and the extra views the UI keeps): the view's filter becomes the WHERE
 * condition (filter-sql.c), its aggregate key the GROUP BY, its order the
 * ORDER BY, its window a range of receive times.  The answers are poured
 * into the view's aggregate table, totals and protocol breakdown when the
 * whole pair is in, so the batch printers and the screen read them as
 * they read local counts.  A round still running when the next tick comes
 * is left to finish; an answer for a view whose definition changed in the
 * meantime is thrown away.  Nothing waits: requests are libevent events.
 */
#ifndef NFTOP_CH_SOURCE_H
#define NFTOP_CH_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "ch-http.h"

struct engine;
struct ch_source;

#define CH_SOURCE_ROWS		1000	/* keys fetched per view at least */
#define CH_SOURCE_TIMEOUT_SEC	10
#define CH_SOURCE_MAX_BODY	(16 << 20)

struct ch_source_stats {
	uint64_t	rounds;		/* rounds that completed */
	uint64_t	queries;	/* queries answered */
	uint64_t	failed;		/* queries that failed */
	uint64_t	rows;		/* table rows, all time (last round) */
	uint64_t	round_msec;	/* how long the last round took */
	int		connected;
	char		error[512];
};

typedef void (*ch_source_cb)(void *arg);

struct ch_source *ch_source_create(struct engine *, const char *url,
		    char *err, size_t errlen);
void		 ch_source_free(struct ch_source *);
void		 ch_source_tick(struct ch_source *);
void		 ch_source_on_round(struct ch_source *, ch_source_cb, void *);
int		 ch_source_check(void *src, const char *filter, char *err,
		    size_t errlen);
void		 ch_source_stats(const struct ch_source *,
		    struct ch_source_stats *);
const char	*ch_source_url(const struct ch_source *);

#endif
