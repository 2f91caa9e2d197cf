/*
 * test-dec-nf5.c - NetFlow v1/v5/v7 decoding from byte fixtures: fields,
 * times, sampling, sequence accounting, and every malformed reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"
#include "source.h"
#include "nf5-build.h"

#define MAXREC	64

struct sinkbuf {
	struct flow_rec	r[MAXREC];
	int		n;
};

struct fixture {
	struct source_table	*t;
	struct decoder		 d;
	struct sinkbuf		 out;
	struct nf5b		 b;
};

static void
sink(const struct flow_rec *r, void *ctx)
{
	struct sinkbuf *s = ctx;

	if (s->n < MAXREC)
		s->r[s->n] = *r;
	s->n++;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->t = source_table_create(16, 42);
	decoder_init(&f->d, f->t, sink, &f->out);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	decoder_free(&f->d);
	source_table_free(f->t);
	free(f);
	return 0;
}

static enum decode_outcome
feed(struct fixture *f, uint32_t from)
{
	struct decode_input in = { .buf = f->b.buf, .len = f->b.len,
	    .now_msec = 1700000000000ULL };

	flow_addr_set4(&in.exporter, from);
	return decode_datagram(&f->d, &in);
}

static void
test_v5_fields(void **state)
{
	struct fixture *f = *state;
	const struct flow_rec *r;
	char buf[64];

	/* Exported at 1700000000.250 s with 10 s of uptime. */
	nf5b_header(&f->b, 5, 2, 10000, 1700000000, 250000000, 0, 1, 7, 0);
	nf5b_record(&f->b, 5, 0x0a000001, 0xc0000201, 40000, 443, 6, 10,
	    5000, 4000, 9000);
	nf5b_record(&f->b, 5, 0x0a000002, 0xc0000202, 0, 0x0303, 1, 1, 84,
	    9500, 9500);
	assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
	assert_int_equal(f->out.n, 2);
	r = &f->out.r[0];
	assert_string_equal(flow_addr_fmt(&r->src, buf, sizeof(buf)),
	    "10.0.0.1");
	assert_string_equal(flow_addr_fmt(&r->dst, buf, sizeof(buf)),
	    "192.0.2.1");
	assert_string_equal(flow_addr_fmt(&r->nexthop, buf, sizeof(buf)),
	    "10.0.0.254");
	assert_int_equal(r->srcport, 40000);
	assert_int_equal(r->dstport, 443);
	assert_int_equal(r->proto, 6);
	assert_int_equal(r->tos, 0x10);
	assert_int_equal(r->tcpflags, 0x1b);
	assert_int_equal(r->inif, 3);
	assert_int_equal(r->outif, 4);
	assert_int_equal(r->srcas, 64500);
	assert_int_equal(r->dstas, 64501);
	assert_int_equal(r->srcmask, 24);
	assert_int_equal(r->dstmask, 16);
	assert_int_equal(r->pkts, 10);
	assert_int_equal(r->bytes, 5000);
	assert_int_equal(r->sampling, 1);
	assert_int_equal(r->af, 4);
	/* boot = 1700000000250 - 10000; first = boot + 4000. */
	assert_int_equal(r->first_msec, 1699999994250ULL);
	assert_int_equal(r->last_msec, 1699999999250ULL);
	assert_int_equal(r->origin, FLOW_ORIGIN_NF5);
	/* ICMP type 3 code 3 travels in the destination port. */
	assert_int_equal(f->out.r[1].icmp_type, 3);
	assert_int_equal(f->out.r[1].icmp_code, 3);
	assert_int_equal(f->t->n, 1);
	assert_int_equal(f->t->v[0].domain, 1 << 8 | 7);
	assert_int_equal(f->t->v[0].records, 2);
	assert_int_equal(f->t->v[0].bytes, 5084);
}

static void
test_v5_uptime_wrap(void **state)
{
	struct fixture *f = *state;

	/* First above Last: the 32-bit ms uptime wrapped during the flow. */
	nf5b_header(&f->b, 5, 2, 1000, 1700000000, 0, 0, 0, 0, 0);
	nf5b_record(&f->b, 5, 1, 2, 1, 2, 17, 1, 100, 0xfffffc18, 500);
	/* First after sysUptime (Juniper): just after the export time. */
	nf5b_record(&f->b, 5, 1, 2, 1, 2, 17, 1, 100, 1200, 1300);
	assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
	assert_int_equal(f->out.r[0].last_msec, 1700000000000ULL - 500);
	assert_int_equal(f->out.r[0].first_msec,
	    1700000000000ULL - 1000 - 1000);
	assert_int_equal(f->out.r[1].first_msec, 1700000000000ULL + 200);
	assert_int_equal(f->out.r[1].last_msec, 1700000000000ULL + 300);
	/* An uptime of 0 with stamps of 2^32 - 1: one ms before export. */
	nf5b_header(&f->b, 5, 1, 0, 1700000000, 0, 0, 0, 0, 0);
	nf5b_record(&f->b, 5, 1, 2, 1, 2, 17, 1, 100, 0xffffffff,
	    0xffffffff);
	assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
	assert_int_equal(f->out.r[2].first_msec, 1700000000000ULL - 1);
}

static void
test_v5_sampling(void **state)
{
	struct fixture *f = *state;

	/* Mode bits 01, interval 100. */
	nf5b_header(&f->b, 5, 1, 1000, 1700000000, 0, 0, 0, 0,
	    0x4000 | 100);
	nf5b_record(&f->b, 5, 1, 2, 1, 2, 17, 3, 300, 0, 500);
	assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
	assert_int_equal(f->out.r[0].pkts, 300);
	assert_int_equal(f->out.r[0].bytes, 30000);
	assert_int_equal(f->out.r[0].sampling, 100);
	assert_int_equal(f->t->v[0].sampling, 100);
}

/*
 * --sampling N stands in for a rate the header does not announce;
 * --sampling -N replaces any, as nfcapd -s does (v5 ignored both once).
 */
static void
test_v5_sampling_option(void **state)
{
	static const struct {
		uint32_t	option;
		uint8_t		forced;
		uint16_t	header;		/* mode bits and interval */
		uint32_t	rate;
	} cases[] = {
		{ 10, 0, 0x4000 | 100, 100 },	/* announced wins */
		{ 10, 0, 0, 10 },		/* none: the option's */
		{ 10, 0, 1, 10 },		/* 1:1 is none */
		{ 10, 1, 0x4000 | 100, 10 },	/* forced over announced */
		{ 10, 1, 0, 10 },
		{ 0, 0, 0, 1 },			/* neither */
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f->d.sampling = cases[i].option;
		f->d.sampling_forced = cases[i].forced;
		f->out.n = 0;
		nf5b_header(&f->b, 5, 1, 1000, 1700000000, 0, (uint32_t)i,
		    0, 0, cases[i].header);
		nf5b_record(&f->b, 5, 1, 2, 1, 2, 17, 3, 300, 0, 500);
		assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
		assert_int_equal(f->out.n, 1);
		assert_int_equal(f->out.r[0].sampling, cases[i].rate);
		assert_int_equal(f->out.r[0].pkts, 3 * cases[i].rate);
		assert_int_equal(f->out.r[0].bytes, 300 * cases[i].rate);
		assert_int_equal(f->t->v[0].sampling, cases[i].rate);
	}
}

/* The one rule every decoder's rate goes through (decode.h). */
static void
test_decode_rate(void **state)
{
	static const struct {
		uint32_t	option;
		uint8_t		forced;
		uint32_t	announced, rate;
	} cases[] = {
		{ 0, 0, 0, 1 }, { 0, 0, 512, 512 },
		{ 10, 0, 0, 10 }, { 10, 0, 512, 512 },
		{ 10, 1, 0, 10 }, { 10, 1, 512, 10 },
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f->d.sampling = cases[i].option;
		f->d.sampling_forced = cases[i].forced;
		assert_int_equal(decode_rate(&f->d, cases[i].announced),
		    cases[i].rate);
	}
}

static void
test_v1_v7(void **state)
{
	struct fixture *f = *state;

	nf5b_header(&f->b, 1, 1, 1000, 1700000000, 0, 0, 0, 0, 0);
	nf5b_record(&f->b, 1, 1, 2, 53, 5353, 17, 2, 150, 0, 500);
	assert_int_equal(f->b.len, 16 + 48);
	assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
	assert_int_equal(f->out.r[0].proto, 17);
	assert_int_equal(f->out.r[0].tos, 0x10);
	assert_int_equal(f->out.r[0].tcpflags, 0x1b);
	assert_int_equal(f->out.r[0].origin, FLOW_ORIGIN_NF1);

	nf5b_header(&f->b, 7, 1, 1000, 1700000000, 0, 5, 0, 0, 0);
	nf5b_record(&f->b, 7, 1, 2, 53, 5353, 17, 2, 150, 0, 500);
	assert_int_equal(f->b.len, 24 + 52);
	assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
	assert_int_equal(f->out.r[1].srcas, 64500);
	assert_int_equal(f->out.r[1].origin, FLOW_ORIGIN_NF7);
	assert_int_equal(f->t->n, 2);
}

static void
test_malformed(void **state)
{
	struct fixture *f = *state;
	const struct source *s;
	int i;

	/* Truncated header. */
	nf5b_header(&f->b, 5, 1, 1000, 1700000000, 0, 0, 0, 0, 0);
	f->b.len = 20;
	assert_int_equal(feed(f, 0x7f000001), DECODE_MALFORMED);
	/* More than 30 records. */
	nf5b_header(&f->b, 5, 31, 1000, 1700000000, 0, 0, 0, 0, 0);
	for (i = 0; i < 31; i++)
		nf5b_record(&f->b, 5, 1, 2, 1, 2, 6, 1, 40, 0, 0);
	assert_int_equal(feed(f, 0x7f000001), DECODE_MALFORMED);
	/* Count says 3, two records present. */
	nf5b_header(&f->b, 5, 3, 1000, 1700000000, 0, 0, 0, 0, 0);
	nf5b_record(&f->b, 5, 1, 2, 1, 2, 6, 1, 40, 0, 0);
	nf5b_record(&f->b, 5, 1, 2, 1, 2, 6, 1, 40, 0, 0);
	assert_int_equal(feed(f, 0x7f000001), DECODE_MALFORMED);
	/* Unknown version, and a one-byte datagram. */
	nf5b_header(&f->b, 3, 1, 1000, 1700000000, 0, 0, 0, 0, 0);
	assert_int_equal(feed(f, 0x7f000001), DECODE_UNSUPPORTED);
	f->b.len = 1;
	assert_int_equal(feed(f, 0x7f000001), DECODE_UNSUPPORTED);

	assert_int_equal(f->out.n, 0);
	s = &f->t->v[0];
	assert_int_equal(s->malformed, 3);
	assert_int_equal(s->malformed_by[SOURCE_REASON_SHORT_HEADER], 1);
	assert_int_equal(s->malformed_by[SOURCE_REASON_COUNT_TOO_LARGE], 1);
	assert_int_equal(s->malformed_by[SOURCE_REASON_SHORT_RECORDS], 1);
	assert_int_equal(s->records, 0);
	/* Conservation: every datagram has exactly one outcome. */
	assert_int_equal(f->d.stats.datagrams, 5);
	assert_int_equal(f->d.stats.outcome[DECODE_MALFORMED], 3);
	assert_int_equal(f->d.stats.outcome[DECODE_UNSUPPORTED], 2);
}

static void
test_empty_and_trailing(void **state)
{
	struct fixture *f = *state;
	const struct source *s;

	/* A header-only export (count 0) is valid and moves the sequence. */
	nf5b_header(&f->b, 5, 0, 1000, 1700000000, 0, 500, 0, 0, 0);
	assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
	/* One record and 5 bytes of padding: decoded, padding counted. */
	nf5b_header(&f->b, 5, 1, 1000, 1700000000, 0, 500, 0, 0, 0);
	nf5b_record(&f->b, 5, 1, 2, 1, 2, 6, 0, 40, 0, 0);
	nf5b_put(&f->b, 0, 5);
	assert_int_equal(feed(f, 0x7f000001), DECODE_OK);
	s = &f->t->v[0];
	assert_int_equal(f->out.n, 1);
	assert_int_equal(s->trailing, 1);
	assert_int_equal(s->lost, 0);
	/* Zero packets with bytes: kept, and flagged as implausible. */
	assert_int_equal(s->implausible, 1);
	assert_int_equal(f->d.stats.outcome[DECODE_OK], 2);
}

static void
send_seq(struct fixture *f, uint32_t seq, int count, uint32_t from)
{
	int i;

	nf5b_header(&f->b, 5, (uint16_t)count, 1000, 1700000000, 0, seq, 0,
	    0, 0);
	for (i = 0; i < count; i++)
		nf5b_record(&f->b, 5, 1, 2, 1, 2, 6, 1, 40, 0, 0);
	assert_int_equal(feed(f, from), DECODE_OK);
}

static void
test_sequence(void **state)
{
	struct fixture *f = *state;
	const struct source *a, *b;

	send_seq(f, 1000, 30, 0x7f000001);
	send_seq(f, 1030, 30, 0x7f000001);	/* in order */
	send_seq(f, 1160, 30, 0x7f000001);	/* 100 records lost */
	a = &f->t->v[0];
	assert_int_equal(a->lost, 100);
	/* Wrap-around: 2^32 - 10 plus 30 is 20. */
	send_seq(f, 0xfffffff6u, 30, 0x7f000002);
	send_seq(f, 20, 30, 0x7f000002);
	b = &f->t->v[1];
	assert_int_equal(b->lost, 0);
	assert_int_equal(b->seq_resets, 0);
	/* A restart (sequence goes back) is not loss. */
	send_seq(f, 0, 30, 0x7f000002);
	assert_int_equal(b->lost, 0);
	assert_int_equal(b->seq_resets, 1);
	/* The other exporter's numbers did not move. */
	assert_int_equal(a->lost, 100);
	assert_int_equal(a->records, 90);
}

static void
test_source_table_full(void **state)
{
	struct source_table *t = source_table_create(2, 1);
	struct decoder d;
	struct sinkbuf out = { .n = 0 };
	struct nf5b b;
	struct decode_input in;
	uint32_t i;

	(void)state;
	decoder_init(&d, t, sink, &out);
	nf5b_header(&b, 5, 1, 1000, 1700000000, 0, 0, 0, 0, 0);
	nf5b_record(&b, 5, 1, 2, 1, 2, 6, 1, 40, 0, 0);
	in = (struct decode_input){ .buf = b.buf, .len = b.len };
	for (i = 0; i < 3; i++) {
		flow_addr_set4(&in.exporter, 0x7f000001 + i);
		decode_datagram(&d, &in);
	}
	assert_int_equal(t->n, 2);
	assert_int_equal(t->full, 1);
	assert_int_equal(d.stats.outcome[DECODE_DENIED], 1);
	assert_int_equal(out.n, 2);
	decoder_free(&d);
	source_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v5_fields, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_v5_uptime_wrap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_v5_sampling_option, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_decode_rate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_v5_sampling, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_v1_v7, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty_and_trailing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sequence, setup,
		    teardown),
		cmocka_unit_test(test_source_table_full),
	};

	return cmocka_run_group_tests_name("dec-nf5", tests, NULL, NULL);
}
