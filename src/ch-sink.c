/*
 * ch-sink.c - flow records into ClickHouse (see ch-sink.h).
 *
 * The ring holds rows [tail, head) in RowBinary; rows [tail, tail +
 * inflight) are in the request on the wire.  Only a success moves tail,
 * so a failed batch is simply sent again from the same place.  The ring
 * is mapped, not allocated, so its pages are only touched as the backlog
 * reaches them.
 */
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "ch-sink.h"
#include "clock.h"
#include "log.h"
#include "xmalloc.h"

#define CH_SINK_TIMER_MSEC	100
#define CH_SINK_MAX_BODY	(1 << 20)	/* an INSERT answers little */

struct ch_sink {
	struct ch_http		 http;
	const struct source_table *sources;
	uint8_t			*ring;
	uint64_t		 cap;		/* rows */
	uint64_t		 head;		/* rows ever queued */
	uint64_t		 tail;		/* rows ever taken by the server */
	uint64_t		 inflight;	/* rows in the request on the wire */
	uint64_t		 last_send_msec;
	uint64_t		 retry_msec;	/* no request before this */
	uint64_t		 backoff_msec;
	int			 busy;		/* a request is on the wire */
	int			 created;	/* the table is known to exist */
	int			 again;		/* the next batch is a retry */
	int			 draining;	/* send partial batches at once */
	struct event		*timer;
	char			*insert_query;	/* "query=INSERT..." encoded */
	struct ch_sink_stats	 st;
};

static void	ch_sink_kick(struct ch_sink *);

static void
ch_sink_failed(struct ch_sink *s, const char *err)
{
	uint64_t now = clock_now_msec();

	s->st.failed++;
	s->st.connected = 0;
	snprintf(s->st.error, sizeof(s->st.error), "%s", err);
	s->retry_msec = now + s->backoff_msec;
	s->backoff_msec = s->backoff_msec * 2 > CH_SINK_BACKOFF_MAX_MSEC ?
	    CH_SINK_BACKOFF_MAX_MSEC : s->backoff_msec * 2;
	/* The table may be what went away: creating it again is harmless. */
	s->created = 0;
	if (s->inflight > 0)
		s->again = 1;
	s->inflight = 0;
}

static void
ch_sink_ok(struct ch_sink *s)
{
	s->st.connected = 1;
	s->st.error[0] = '\0';
	s->backoff_msec = CH_SINK_BACKOFF_MSEC;
}

static void
ch_sink_created(int status, struct evbuffer *body, const char *err,
    void *arg)
{
	struct ch_sink *s = arg;

	s->busy = 0;
	if (status != 200) {
		ch_sink_failed(s, err);
		return;
	}
	s->created = 1;
	ch_sink_ok(s);
	ch_sink_kick(s);
}

static void
ch_sink_inserted(int status, struct evbuffer *body, const char *err,
    void *arg)
{
	struct ch_sink *s = arg;

	s->busy = 0;
	if (status != 200) {
		ch_sink_failed(s, err);
		return;
	}
	s->tail += s->inflight;
	s->st.sent += s->inflight;
	s->st.bytes += s->inflight * CH_ROW_BYTES;
	s->st.requests++;
	s->inflight = 0;
	s->again = 0;
	ch_sink_ok(s);
	/* Catching up: the next full batch goes at once. */
	ch_sink_kick(s);
}

static void
ch_sink_create_table(struct ch_sink *s)
{
	struct evbuffer *b = evbuffer_new();
	char sql[2048];

	if (b == NULL || ch_create_sql(sql, sizeof(sql), s->http.table) != 0)
		fatalx("clickhouse: cannot build CREATE TABLE");
	evbuffer_add(b, sql, strlen(sql));
	s->busy = 1;
	if (ch_http_post(&s->http, NULL, b, ch_sink_created, s) != 0) {
		s->busy = 0;
		ch_sink_failed(s, "cannot send a request");
	}
	evbuffer_free(b);
}

static void
ch_sink_send(struct ch_sink *s)
{
	struct evbuffer *b = evbuffer_new();
	uint64_t n = s->head - s->tail, at, first;

	if (b == NULL)
		fatalx("clickhouse: out of memory");
	if (n > CH_SINK_BATCH)
		n = CH_SINK_BATCH;
	/* The batch may wrap around the end of the ring: two pieces. */
	at = s->tail % s->cap;
	first = s->cap - at < n ? s->cap - at : n;
	evbuffer_add(b, s->ring + at * CH_ROW_BYTES, first * CH_ROW_BYTES);
	if (n > first)
		evbuffer_add(b, s->ring, (n - first) * CH_ROW_BYTES);
	if (s->again)
		s->st.retries++;
	s->inflight = n;
	s->busy = 1;
	s->last_send_msec = clock_now_msec();
	if (ch_http_post(&s->http, s->insert_query, b, ch_sink_inserted,
	    s) != 0) {
		s->busy = 0;
		ch_sink_failed(s, "cannot send a request");
	}
	evbuffer_free(b);
}

/* Starts the next request if one is due; never waits. */
static void
ch_sink_kick(struct ch_sink *s)
{
	uint64_t now, waiting = s->head - s->tail;

	if (s->busy)
		return;
	now = clock_now_msec();
	if (now < s->retry_msec)
		return;
	if (!s->created) {
		ch_sink_create_table(s);
		return;
	}
	if (waiting == 0)
		return;
	if (waiting >= CH_SINK_BATCH || s->draining || s->again ||
	    now >= s->last_send_msec + CH_SINK_FLUSH_MSEC)
		ch_sink_send(s);
}

static void
ch_sink_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	ch_sink_kick(arg);
}

struct ch_sink *
ch_sink_create(struct event_base *base, const char *url,
    const struct source_table *sources, uint64_t rows, char *err,
    size_t errlen)
{
	struct ch_sink *s = xcalloc(1, sizeof(*s));
	struct timeval tv = { 0, CH_SINK_TIMER_MSEC * 1000 };
	char sql[1024], *enc;

	if (ch_http_init(&s->http, base, url, CH_SINK_TIMEOUT_SEC,
	    CH_SINK_MAX_BODY, err, errlen) != 0) {
		free(s);
		return NULL;
	}
	s->sources = sources;
	s->cap = rows > 0 ? rows : 1;
	s->ring = mmap(NULL, s->cap * CH_ROW_BYTES, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->ring == MAP_FAILED)
		fatal("clickhouse: cannot map %llu rows",
		    (unsigned long long)s->cap);
	if (ch_insert_sql(sql, sizeof(sql), s->http.table) != 0 ||
	    (enc = evhttp_encode_uri(sql)) == NULL)
		fatalx("clickhouse: cannot build the INSERT");
	s->insert_query = xmalloc(strlen(enc) + 7);
	memcpy(s->insert_query, "query=", 6);
	memcpy(s->insert_query + 6, enc, strlen(enc) + 1);
	free(enc);
	s->backoff_msec = CH_SINK_BACKOFF_MSEC;
	s->last_send_msec = clock_now_msec();
	s->timer = event_new(base, -1, EV_PERSIST, ch_sink_timer, s);
	if (s->timer == NULL || event_add(s->timer, &tv) != 0)
		fatalx("clickhouse: cannot add a timer");
	/* The table first, so that the first batch finds it. */
	ch_sink_kick(s);
	return s;
}

void
ch_sink_free(struct ch_sink *s)
{
	if (s == NULL)
		return;
	if (s->timer != NULL)
		event_free(s->timer);
	ch_http_free(&s->http);
	munmap(s->ring, s->cap * CH_ROW_BYTES);
	free(s->insert_query);
	free(s);
}

/* The store's tap: one record into the ring, or counted as dropped. */
void
ch_sink_add(const struct flow_rec *r, void *arg)
{
	struct ch_sink *s = arg;

	if (s->head - s->tail >= s->cap) {
		s->st.dropped++;
		return;
	}
	ch_row_encode(s->ring + (s->head % s->cap) * CH_ROW_BYTES, r,
	    s->sources);
	s->head++;
	/* A full batch goes at once; the timer takes care of the rest. */
	if (!s->busy && s->head - s->tail == CH_SINK_BATCH)
		ch_sink_kick(s);
}

/*
 * Runs the loop until at most keep rows wait, the server fails twice in
 * a row, or timeout_msec passes.  For the end of a run (keep 0), and for
 * a file being read, which can wait for the server where live traffic
 * cannot.
 */
void
ch_sink_drain(struct ch_sink *s, uint64_t keep, uint64_t timeout_msec)
{
	uint64_t end = clock_now_msec() + timeout_msec, failed;

	if (s->head - s->tail <= keep && !(keep == 0 && s->busy))
		return;
	s->draining = 1;
	failed = s->st.failed;
	ch_sink_kick(s);
	while ((s->head - s->tail > keep || (keep == 0 && s->busy)) &&
	    clock_now_msec() < end && s->st.failed < failed + 2)
		event_base_loop(s->http.base, EVLOOP_ONCE);
	s->draining = 0;
}

uint64_t
ch_sink_capacity(const struct ch_sink *s)
{
	return s->cap;
}

void
ch_sink_stats(const struct ch_sink *s, struct ch_sink_stats *st)
{
	*st = s->st;
	st->queued = s->head - s->tail;
}

const char *
ch_sink_url(const struct ch_sink *s)
{
	return s->http.url;
}
