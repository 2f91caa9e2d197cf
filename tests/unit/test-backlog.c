/*
 * test-backlog.c - datagrams read ahead during a walk (backlog.h): the
 * queue itself, then a real listener on loopback.  A walk's poll moves
 * the socket's datagrams into the backlog without decoding them; the loop
 * decodes them afterwards, oldest first and before anything that stayed
 * in the socket, each counted once.  The v5 sequence numbers prove the
 * order: a datagram out of place would count records as lost.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <event2/event.h>

#include "backlog.h"
#include "collector.h"
#include "source.h"
#include "store.h"
#include "nf5-build.h"
#include "xorshift.h"

/* ------------------------------------------------------------ the queue */

static void
fill(uint8_t *p, size_t len, uint32_t tag)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(tag * 31 + i);
}

static int
filled(const uint8_t *p, size_t len, uint32_t tag)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (uint8_t)(tag * 31 + i))
			return 0;
	return 1;
}

/* Pushes and pops in random turns: always first in, first out, intact. */
static void
test_queue_fifo(void **state)
{
	struct backlog b;
	struct backlog_dgram *d;
	const struct backlog_dgram *p;
	uint64_t x = 7;
	uint32_t pushed = 0, popped = 0, refused = 0;
	size_t len;
	int i;

	(void)state;
	backlog_init(&b, 64 * 1024);
	assert_null(backlog_peek(&b));
	for (i = 0; i < 200000; i++) {
		if (xorshift64(&x) % 3 != 0) {
			len = (size_t)(xorshift64(&x) % 3000);
			if ((d = backlog_push(&b, len)) == NULL) {
				/* Refused only when it does not fit. */
				assert_true(len > backlog_room(&b) ||
				    backlog_room(&b) == 0);
				refused++;
				continue;
			}
			d->drops = pushed;
			fill((uint8_t *)(d + 1), len, pushed++);
		} else if ((p = backlog_peek(&b)) != NULL) {
			assert_int_equal(p->drops, popped);
			assert_true(filled(backlog_data(p), p->len, popped));
			popped++;
			backlog_pop(&b);
		}
		assert_int_equal(b.n, pushed - popped);
	}
	assert_true(refused > 0);		/* it did fill up */
	assert_true(b.peak > 20);
	assert_int_equal(b.pushed, pushed);
	while ((p = backlog_peek(&b)) != NULL) {
		assert_true(filled(backlog_data(p), p->len, popped++));
		backlog_pop(&b);
	}
	assert_int_equal(popped, pushed);
	assert_int_equal(b.head, 0);
	assert_int_equal(b.tail, 0);
	backlog_free(&b);
}

/* Exactly full: the last byte is usable, one more is not. */
static void
test_queue_full(void **state)
{
	struct backlog b;
	size_t hdr = sizeof(struct backlog_dgram);

	(void)state;
	backlog_init(&b, 4 * (hdr + 1000));
	assert_non_null(backlog_push(&b, 1000));
	assert_non_null(backlog_push(&b, 1000));
	assert_non_null(backlog_push(&b, 1000));
	assert_int_equal(backlog_room(&b), 1000);
	assert_null(backlog_push(&b, 1001));
	assert_non_null(backlog_push(&b, 1000));
	assert_int_equal(backlog_room(&b), 0);
	assert_null(backlog_push(&b, 0));
	/* Room at the front: the next push moves the queue there. */
	backlog_pop(&b);
	assert_non_null(backlog_push(&b, 999));
	assert_int_equal(b.head, 0);
	assert_int_equal(b.n, 4);
	backlog_free(&b);
}

/* ------------------------------------------------ a listener on loopback */

#define RECS	2		/* records per datagram */

struct rig {
	struct event_base	*base;
	struct source_table	*sources;
	struct decoder		 dec;
	struct store		*store;
	struct collector	*coll;
	int			 out;		/* the exporter's socket */
	struct sockaddr_in	 to;
};

static int
rig_setup(void **state)
{
	struct rig *g = calloc(1, sizeof(*g));
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	char err[256];

	assert_non_null(g->base = event_base_new());
	g->sources = source_table_create(16, 42);
	g->store = store_create(1 << 16);
	decoder_init(&g->dec, g->sources, store_sink, g->store);
	g->coll = collector_create(g->base, &g->dec, g->store, 1 << 22);
	g->store->poll = collector_poll;
	g->store->poll_ctx = g->coll;
	assert_int_equal(collector_listen_udp(g->coll, "127.0.0.1:0", 0,
	    err, sizeof(err)), 0);
	assert_int_equal(getsockname(g->coll->l[0].fd,
	    (struct sockaddr *)&me, &len), 0);
	g->to = me;
	assert_true((g->out = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	*state = g;
	return 0;
}

static int
rig_teardown(void **state)
{
	struct rig *g = *state;

	close(g->out);
	collector_free(g->coll);
	decoder_free(&g->dec);
	store_free(g->store);
	source_table_free(g->sources);
	event_base_free(g->base);
	free(g);
	return 0;
}

/* Datagram k: sequence k * RECS, its records from 10.0.k/16 hosts. */
static void
rig_send(struct rig *g, uint32_t from, uint32_t n)
{
	struct nf5b b;
	uint32_t k, i;

	for (k = from; k < from + n; k++) {
		nf5b_header(&b, 5, RECS, 100000, 1700000000, 0, k * RECS, 0,
		    0, 0);
		for (i = 0; i < RECS; i++)
			nf5b_record(&b, 5, 0x0a000000 | k << 8 | i,
			    0xc0000201, 1000, 53, 17, 1, 100, 90000, 99000);
		assert_int_equal(sendto(g->out, b.buf, b.len, 0,
		    (struct sockaddr *)&g->to, sizeof(g->to)), (ssize_t)b.len);
	}
}

/* Polls as a walk does until n datagrams wait, or 2 s pass. */
static void
rig_poll_until(struct rig *g, size_t n)
{
	struct timespec pause = { 0, 1000000 };
	int tries;

	for (tries = 0; tries < 2000 && g->coll->backlog.n < n; tries++) {
		collector_poll(g->coll);
		nanosleep(&pause, NULL);
	}
}

/* Runs the loop until the socket and the backlog are empty. */
static void
rig_settle(struct rig *g, uint64_t records)
{
	struct timespec pause = { 0, 1000000 };
	int tries;

	for (tries = 0; tries < 2000 && (g->store->head < records ||
	    g->coll->backlog.n > 0); tries++) {
		event_base_loop(g->base, EVLOOP_NONBLOCK);
		nanosleep(&pause, NULL);
	}
}

/* Every record, in the order sent, and no sequence gap. */
static void
rig_check(struct rig *g, uint32_t datagrams)
{
	const struct flow_rec *r;
	uint32_t k, i;

	assert_int_equal(g->store->head, (uint64_t)datagrams * RECS);
	for (k = 0; k < datagrams; k++)
		for (i = 0; i < RECS; i++) {
			r = store_get(g->store, (uint64_t)k * RECS + i);
			assert_int_equal(flow_addr_get4(&r->src),
			    0x0a000000 | k << 8 | i);
		}
	assert_int_equal(g->sources->n, 1);
	assert_int_equal(g->sources->v[0].lost, 0);
	assert_int_equal(g->sources->v[0].seq_resets, 0);
	assert_int_equal(g->coll->l[0].datagrams, datagrams);
	assert_int_equal(g->dec.stats.datagrams, datagrams);
}

/*
 * What a walk polls waits, undecoded; the loop then decodes it before
 * the datagrams that came after the walk.
 */
static void
test_walk_then_loop(void **state)
{
	struct rig *g = *state;

	rig_send(g, 0, 50);
	rig_poll_until(g, 50);
	assert_int_equal(g->coll->backlog.n, 50);
	assert_int_equal(g->store->head, 0);		/* nothing decoded */
	assert_int_equal(g->dec.stats.datagrams, 0);
	assert_int_equal(g->coll->l[0].datagrams, 50);	/* but counted */
	rig_send(g, 50, 30);				/* left in the socket */
	rig_settle(g, 80 * RECS);
	assert_int_equal(g->coll->backlog.n, 0);
	assert_int_equal(g->coll->backlog.pushed, 50);
	rig_check(g, 80);
}

/*
 * A backlog with room for a few datagrams of the largest size only: the
 * rest stays in the kernel and still comes in order.
 */
static void
test_backlog_full(void **state)
{
	struct rig *g = *state;
	uint32_t sent = 0;
	size_t waiting;

	backlog_free(&g->coll->backlog);
	backlog_init(&g->coll->backlog, 4 * 65536 + 1000);
	/* In steps a small socket buffer holds, until one stays behind. */
	do {
		waiting = g->coll->backlog.n;
		rig_send(g, sent, 50);
		sent += 50;
		rig_poll_until(g, waiting + 50);
	} while (g->coll->backlog.n == waiting + 50 && sent < 20000);
	waiting = g->coll->backlog.n;
	assert_true(waiting < sent);
	/* Full means less room than one datagram of the largest size. */
	assert_true(backlog_room(&g->coll->backlog) < 65536 + 48);
	rig_send(g, sent, 50);
	sent += 50;
	collector_poll(g->coll);
	assert_int_equal(g->coll->backlog.n, waiting);
	rig_settle(g, (uint64_t)sent * RECS);
	rig_check(g, sent);
}

/* The last report's drain: everything read ahead is decoded. */
static void
test_drain_all(void **state)
{
	struct rig *g = *state;

	uint32_t k;

	/* More than one drain's worth (COLLECTOR_READ_CAP). */
	for (k = 0; k < 1500; k += 50) {
		rig_send(g, k, 50);
		rig_poll_until(g, k + 50);
	}
	assert_int_equal(g->coll->backlog.n, 1500);
	collector_drain_all(g->coll);
	assert_int_equal(g->coll->backlog.n, 0);
	rig_check(g, 1500);
}

/* A walk during a store_add (a refill under ingest) reads nothing. */
static void
test_no_poll_while_decoding(void **state)
{
	struct rig *g = *state;

	rig_send(g, 0, 5);
	g->coll->in_input = 1;
	collector_poll(g->coll);
	assert_int_equal(g->coll->backlog.n, 0);
	g->coll->in_input = 0;
	rig_settle(g, 5 * RECS);
	rig_check(g, 5);
	assert_int_equal(g->coll->backlog.pushed, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_fifo),
		cmocka_unit_test(test_queue_full),
		cmocka_unit_test_setup_teardown(test_walk_then_loop,
		    rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(test_backlog_full,
		    rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(test_drain_all,
		    rig_setup, rig_teardown),
		cmocka_unit_test_setup_teardown(test_no_poll_while_decoding,
		    rig_setup, rig_teardown),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
