/*
 * ch-sink.h - --clickhouse URL: every flow record the store takes is also
 * written into a ClickHouse table, in batches, without ever blocking.
 *
 * Records are encoded into a bounded ring of RowBinary rows as they
 * arrive (ch_sink_add, the store's tap).  A batch goes out when
 * CH_SINK_BATCH rows wait or CH_SINK_FLUSH_MSEC has passed, one request
 * at a time.  A batch the server did not take stays in the ring and is
 * sent again after a pause that doubles up to CH_SINK_BACKOFF_MAX_MSEC;
 * meanwhile new records queue behind it, and once the ring is full new
 * records are dropped and counted.  So a slow or stopped server costs
 * memory up to the ring's size and nothing else: the loop never waits,
 * and a server that comes back gets the backlog, oldest first.
 *
 * Delivery is at least once: a batch the server stored but whose answer
 * was lost (a timeout) is sent again.
 */
#ifndef NFTOP_CH_SINK_H
#define NFTOP_CH_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "ch-http.h"
#include "flow.h"

struct event_base;
struct event;
struct source_table;

#define CH_SINK_BATCH		65536	/* rows per INSERT at most */
#define CH_SINK_FLUSH_MSEC	1000	/* a partial batch waits this long */
#define CH_SINK_BACKOFF_MSEC	500	/* first pause after a failure */
#define CH_SINK_BACKOFF_MAX_MSEC 8000
#define CH_SINK_TIMEOUT_SEC	30
#define CH_SINK_DEFAULT_ROWS	(1u << 19)	/* ring: 512 Ki rows, 69 MB */

struct ch_sink_stats {
	uint64_t	queued;		/* rows waiting (in flight included) */
	uint64_t	sent;		/* rows the server took */
	uint64_t	dropped;	/* rows refused: the ring was full */
	uint64_t	requests;	/* INSERTs that succeeded */
	uint64_t	failed;		/* requests that failed */
	uint64_t	retries;	/* batches sent again */
	uint64_t	bytes;		/* RowBinary bytes the server took */
	int		connected;	/* the last request succeeded */
	char		error[CH_ERR_MAX + 16];	/* the last failure */
};

struct ch_sink;

struct ch_sink	*ch_sink_create(struct event_base *, const char *url,
		    const struct source_table *, uint64_t rows, char *err,
		    size_t errlen);
void		 ch_sink_free(struct ch_sink *);
void		 ch_sink_add(const struct flow_rec *, void *sink);
void		 ch_sink_drain(struct ch_sink *, uint64_t keep,
		    uint64_t timeout_msec);
uint64_t	 ch_sink_capacity(const struct ch_sink *);
void		 ch_sink_stats(const struct ch_sink *, struct ch_sink_stats *);
const char	*ch_sink_url(const struct ch_sink *);

#endif
