/*
 * test-dec-tmpl.c - NetFlow v9 and IPFIX from byte fixtures: templates and
 * data, reduced-size and variable-length fields, enterprise elements,
 * withdrawals, options (sampling, interface names), data before its
 * template, atomic rejection of malformed messages, template scoping.
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
#include "tmpl.h"

#define MAXREC	64

struct msg {
	uint8_t	b[4096];
	size_t	len;
	size_t	set;		/* offset of the open set's header */
};

struct fixture {
	struct source_table	*t;
	struct decoder		 d;
	struct flow_rec		 r[MAXREC];
	int			 n;
};

static void
sink(const struct flow_rec *r, void *ctx)
{
	struct fixture *f = ctx;

	if (f->n < MAXREC)
		f->r[f->n] = *r;
	f->n++;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->t = source_table_create(16, 1);
	decoder_init(&f->d, f->t, sink, f);
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

/* n big-endian bytes of v; bytes beyond v's 8 are zero (padding). */
static void
put(struct msg *m, uint64_t v, int n)
{
	while (n-- > 0)
		m->b[m->len++] = n >= 8 ? 0 : (uint8_t)(v >> (8 * n));
}

static void
ipfix_header(struct msg *m, uint32_t secs, uint32_t seq, uint32_t domain)
{
	m->len = 0;
	put(m, 10, 2);
	put(m, 0, 2);			/* length, patched by msg_end */
	put(m, secs, 4);
	put(m, seq, 4);
	put(m, domain, 4);
}

static void
nf9_header(struct msg *m, uint32_t uptime, uint32_t secs, uint32_t seq,
    uint32_t source_id)
{
	m->len = 0;
	put(m, 9, 2);
	put(m, 0, 2);			/* count: not trusted, not checked */
	put(m, uptime, 4);
	put(m, secs, 4);
	put(m, seq, 4);
	put(m, source_id, 4);
}

static void
set_open(struct msg *m, uint16_t id)
{
	m->set = m->len;
	put(m, id, 2);
	put(m, 0, 2);
}

static void
set_close(struct msg *m)
{
	size_t len = m->len - m->set;

	m->b[m->set + 2] = (uint8_t)(len >> 8);
	m->b[m->set + 3] = (uint8_t)len;
}

static void
ipfix_end(struct msg *m)
{
	m->b[2] = (uint8_t)(m->len >> 8);
	m->b[3] = (uint8_t)m->len;
}

static enum decode_outcome
feed(struct fixture *f, const struct msg *m, uint32_t from, uint16_t port)
{
	struct decode_input in = { .buf = m->b, .len = m->len,
	    .now_msec = 1700000000500ULL, .port = port };

	flow_addr_set4(&in.exporter, from);
	return decode_datagram(&f->d, &in);
}

/* Template 256: src4, dst4, ports, proto, bytes(4), pkts(8), ms times. */
static void
ipfix_tmpl256(struct msg *m)
{
	set_open(m, 2);
	put(m, 256, 2);
	put(m, 9, 2);
	put(m, 8, 2); put(m, 4, 2);
	put(m, 12, 2); put(m, 4, 2);
	put(m, 7, 2); put(m, 2, 2);
	put(m, 11, 2); put(m, 2, 2);
	put(m, 4, 2); put(m, 1, 2);
	put(m, 1, 2); put(m, 4, 2);	/* octets in 4 bytes: reduced size */
	put(m, 2, 2); put(m, 8, 2);
	put(m, 152, 2); put(m, 8, 2);
	put(m, 153, 2); put(m, 8, 2);
	set_close(m);
}

static void
ipfix_rec256(struct msg *m, uint32_t src, uint32_t bytes)
{
	put(m, src, 4);
	put(m, 0xc0000201, 4);
	put(m, 5000, 2);
	put(m, 443, 2);
	put(m, 6, 1);
	put(m, bytes, 4);
	put(m, 3, 8);
	put(m, 1700000000000ULL, 8);
	put(m, 1700000000400ULL, 8);
}

static void
test_ipfix_basic(void **state)
{
	struct fixture *f = *state;
	struct msg m;
	char buf[64];

	ipfix_header(&m, 1700000001, 0, 7);
	ipfix_tmpl256(&m);
	set_open(&m, 256);
	ipfix_rec256(&m, 0x0a000001, 1000);
	ipfix_rec256(&m, 0x0a000002, 2000);
	put(&m, 0, 3);			/* set padding */
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 4739), DECODE_OK);
	assert_int_equal(f->n, 2);
	assert_string_equal(flow_addr_fmt(&f->r[1].src, buf, sizeof(buf)),
	    "10.0.0.2");
	assert_int_equal(f->r[1].bytes, 2000);
	assert_int_equal(f->r[1].pkts, 3);
	assert_int_equal(f->r[1].dstport, 443);
	assert_int_equal(f->r[1].first_msec, 1700000000000ULL);
	assert_int_equal(f->r[1].last_msec, 1700000000400ULL);
	assert_int_equal(f->r[1].origin, FLOW_ORIGIN_IPFIX);
	/* No next hop in the template: an IPv4 record's is 0.0.0.0. */
	assert_string_equal(flow_addr_fmt(&f->r[1].nexthop, buf, sizeof(buf)),
	    "0.0.0.0");
	assert_int_equal(f->t->v[0].domain, 7);
	assert_int_equal(f->t->v[0].templates, 1);
	/* Data only, sequence 2: continues without loss. */
	ipfix_header(&m, 1700000002, 2, 7);
	set_open(&m, 256);
	ipfix_rec256(&m, 0x0a000003, 10);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 4739), DECODE_OK);
	assert_int_equal(f->n, 3);
	assert_int_equal(f->t->v[0].lost, 0);
	/* Sequence 10: 7 records lost (3 were seen). */
	ipfix_header(&m, 1700000003, 10, 7);
	set_open(&m, 256);
	ipfix_rec256(&m, 0x0a000003, 10);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 4739), DECODE_OK);
	assert_int_equal(f->t->v[0].lost, 7);
}

/* Variable-length string, enterprise field, and ICMP in field 32. */
static void
test_ipfix_varlen_enterprise(void **state)
{
	struct fixture *f = *state;
	struct msg m;

	ipfix_header(&m, 1700000001, 0, 1);
	set_open(&m, 2);
	put(&m, 300, 2);
	put(&m, 5, 2);
	put(&m, 8, 2); put(&m, 4, 2);
	put(&m, 96, 2); put(&m, 0xffff, 2);	/* applicationName, varlen */
	put(&m, 0x8000 | 100, 2); put(&m, 2, 2);
	put(&m, 29305, 4);			/* enterprise number */
	put(&m, 4, 2); put(&m, 1, 2);
	put(&m, 32, 2); put(&m, 2, 2);
	set_close(&m);
	set_open(&m, 300);
	put(&m, 0x0a000009, 4);
	put(&m, 3, 1); put(&m, 'd', 1); put(&m, 'n', 1); put(&m, 's', 1);
	put(&m, 0xbeef, 2);
	put(&m, 1, 1);
	put(&m, 0x0303, 2);
	/* 3-byte length form carrying a short value. */
	put(&m, 0x0a00000a, 4);
	put(&m, 255, 1); put(&m, 2, 2); put(&m, 'h', 1); put(&m, 'i', 1);
	put(&m, 0, 2);
	put(&m, 1, 1);
	put(&m, 0x0800, 2);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->r[0].proto, 1);
	assert_int_equal(f->r[0].icmp_type, 3);
	assert_int_equal(f->r[0].icmp_code, 3);
	assert_int_equal(f->r[0].dstport, 0x0303);
	assert_int_equal(f->r[1].icmp_type, 8);
	assert_int_equal(f->t->v[0].enterprise_fields, 1);
}

/* A malformed set after a valid template: nothing is installed. */
static void
test_ipfix_atomic(void **state)
{
	struct fixture *f = *state;
	struct msg m;

	ipfix_header(&m, 1700000001, 0, 1);
	ipfix_tmpl256(&m);
	set_open(&m, 256);
	ipfix_rec256(&m, 1, 1);
	set_close(&m);
	m.b[m.set + 2] = 0x0f;		/* this set overruns the message */
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_MALFORMED);
	assert_int_equal(f->t->v[0].templates, 0);
	assert_int_equal(f->t->v[0].malformed_by[SOURCE_REASON_SET_LENGTH], 1);
	assert_null(tmpl_find(f->d.tmpls, 0, 256));
	/* Message length beyond the datagram. */
	ipfix_header(&m, 1700000001, 0, 1);
	ipfix_tmpl256(&m);
	ipfix_end(&m);
	m.b[3] += 1;
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_MALFORMED);
	assert_int_equal(f->t->v[0].malformed_by[SOURCE_REASON_MSG_LENGTH], 1);
	/* A varlen field longer than its set. */
	ipfix_header(&m, 1700000001, 0, 1);
	set_open(&m, 2);
	put(&m, 301, 2); put(&m, 2, 2);
	put(&m, 8, 2); put(&m, 4, 2);
	put(&m, 96, 2); put(&m, 0xffff, 2);
	set_close(&m);
	set_open(&m, 301);
	put(&m, 1, 4);
	put(&m, 200, 1); put(&m, 'x', 1);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_MALFORMED);
	assert_int_equal(f->t->v[0].malformed_by[SOURCE_REASON_RECORD], 1);
	assert_null(tmpl_find(f->d.tmpls, 0, 301));
	assert_int_equal(f->n, 0);
	assert_int_equal(f->d.stats.outcome[DECODE_MALFORMED], 3);
}

/* Withdrawals over UDP are ignored; invalid templates are refused. */
static void
test_ipfix_withdrawal_invalid(void **state)
{
	struct fixture *f = *state;
	struct msg m;

	ipfix_header(&m, 1700000001, 0, 1);
	ipfix_tmpl256(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	ipfix_header(&m, 1700000001, 0, 1);
	set_open(&m, 2);
	put(&m, 256, 2); put(&m, 0, 2);		/* withdrawal */
	put(&m, 100, 2); put(&m, 1, 2);		/* template ID below 256 */
	put(&m, 8, 2); put(&m, 4, 2);
	set_close(&m);
	set_open(&m, 3);			/* options, scope count 0 */
	put(&m, 400, 2); put(&m, 1, 2); put(&m, 0, 2);
	put(&m, 34, 2); put(&m, 4, 2);
	set_close(&m);
	set_open(&m, 256);
	ipfix_rec256(&m, 5, 5);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->t->v[0].withdrawals, 1);
	assert_int_equal(f->t->v[0].tmpl_rejected, 2);
	assert_int_equal(f->n, 1);		/* 256 still decodes */
}

/* Data before its template waits, then decodes. */
static void
test_data_before_template(void **state)
{
	struct fixture *f = *state;
	struct msg m;

	ipfix_header(&m, 1700000001, 0, 1);
	set_open(&m, 256);
	ipfix_rec256(&m, 1, 100);
	ipfix_rec256(&m, 2, 200);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->n, 0);
	assert_int_equal(f->t->v[0].waiting, 1);
	assert_true(tmpl_pending_bytes(f->d.tmpls) > 0);
	ipfix_header(&m, 1700000002, 2, 1);
	ipfix_tmpl256(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->r[1].bytes, 200);
	assert_int_equal(f->t->v[0].waiting_decoded, 1);
	assert_int_equal(tmpl_pending_bytes(f->d.tmpls), 0);
	/* Waiting data of another source expires with time. */
	ipfix_header(&m, 1700000001, 0, 2);
	set_open(&m, 256);
	ipfix_rec256(&m, 1, 100);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	tmpl_expire(f->d.tmpls, &f->d, 1700000000500ULL +
	    TMPL_PENDING_MSEC + 1);
	assert_int_equal(f->t->v[1].waiting_expired, 1);
	assert_int_equal(tmpl_pending_bytes(f->d.tmpls), 0);
}

/* Same template ID, different layouts: per domain and per exporter. */
static void
test_template_scope(void **state)
{
	struct fixture *f = *state;
	struct msg m;

	ipfix_header(&m, 1700000001, 0, 1);
	ipfix_tmpl256(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	/* Domain 2 of the same exporter defines 256 as just a source. */
	ipfix_header(&m, 1700000001, 0, 2);
	set_open(&m, 2);
	put(&m, 256, 2); put(&m, 1, 2);
	put(&m, 8, 2); put(&m, 4, 2);
	set_close(&m);
	set_open(&m, 256);
	put(&m, 0x0a0a0a0a, 4);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	/* Domain 1 still uses its own layout. */
	ipfix_header(&m, 1700000001, 0, 1);
	set_open(&m, 256);
	ipfix_rec256(&m, 7, 77);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->r[1].bytes, 77);
	/* Another exporter port with no template: it waits. */
	assert_int_equal(feed(f, &m, 0x7f000001, 2), DECODE_OK);
	assert_int_equal(f->n, 2);
	/* Redefinition replaces the template. */
	ipfix_header(&m, 1700000001, 0, 2);
	ipfix_tmpl256(&m);
	set_open(&m, 256);
	ipfix_rec256(&m, 8, 88);
	set_close(&m);
	ipfix_end(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->r[2].bytes, 88);
}

/* NetFlow v9: uptime-relative times, options sampling per sampler. */
static void
test_nf9_sampling(void **state)
{
	struct fixture *f = *state;
	struct msg m;

	nf9_header(&m, 100000, 1700000000, 0, 5);
	set_open(&m, 0);
	put(&m, 260, 2); put(&m, 6, 2);
	put(&m, 8, 2); put(&m, 4, 2);
	put(&m, 1, 2); put(&m, 4, 2);
	put(&m, 2, 2); put(&m, 4, 2);
	put(&m, 22, 2); put(&m, 4, 2);
	put(&m, 21, 2); put(&m, 4, 2);
	put(&m, 48, 2); put(&m, 1, 2);		/* sampler ID */
	set_close(&m);
	set_open(&m, 1);			/* options template */
	put(&m, 261, 2); put(&m, 4, 2); put(&m, 8, 2);
	put(&m, 1, 2); put(&m, 4, 2);		/* scope: system */
	put(&m, 48, 2); put(&m, 1, 2);
	put(&m, 50, 2); put(&m, 4, 2);
	set_close(&m);
	set_open(&m, 261);
	put(&m, 0, 4); put(&m, 2, 1); put(&m, 100, 4);
	put(&m, 0, 3);				/* padding */
	set_close(&m);
	set_open(&m, 260);
	put(&m, 0x0a000001, 4); put(&m, 1000, 4); put(&m, 2, 4);
	put(&m, 90000, 4); put(&m, 99000, 4); put(&m, 2, 1);
	put(&m, 0x0a000002, 4); put(&m, 500, 4); put(&m, 1, 4);
	put(&m, 90000, 4); put(&m, 99000, 4); put(&m, 9, 1); /* unknown */
	set_close(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->n, 2);
	assert_int_equal(f->r[0].bytes, 100000);
	assert_int_equal(f->r[0].pkts, 200);
	assert_int_equal(f->r[0].sampling, 100);
	assert_int_equal(f->r[1].bytes, 500);	/* sampler 9 unknown */
	/* export 1700000000.000 s at uptime 100 s: first 10 s earlier. */
	assert_int_equal(f->r[0].first_msec, 1700000000000ULL - 10000);
	assert_int_equal(f->r[0].last_msec, 1700000000000ULL - 1000);
	assert_int_equal(f->t->v[0].options_records, 1);
	/* v9 sequence counts packets: 1 then 3 means one lost. */
	nf9_header(&m, 100000, 1700000000, 2, 5);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->t->v[0].lost, 1);
}

/* v9 zero padding after the last set is fine; a zero-length set is not. */
static void
test_nf9_padding(void **state)
{
	struct fixture *f = *state;
	struct msg m;

	nf9_header(&m, 1000, 1700000000, 0, 1);
	set_open(&m, 0);
	put(&m, 256, 2); put(&m, 1, 2);
	put(&m, 8, 2); put(&m, 4, 2);
	set_close(&m);
	put(&m, 0, 40);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	nf9_header(&m, 1000, 1700000000, 1, 1);
	put(&m, 256, 2); put(&m, 0, 2);		/* length 0 */
	put(&m, 1, 4);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_MALFORMED);
	/* A template with a zero-length-only field list is refused. */
	nf9_header(&m, 1000, 1700000000, 1, 1);
	set_open(&m, 0);
	put(&m, 257, 2); put(&m, 1, 2);
	put(&m, 8, 2); put(&m, 0, 2);
	set_close(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->t->v[0].tmpl_rejected, 1);
	/* IPv4 address in 5 bytes: the field is skipped and counted. */
	nf9_header(&m, 1000, 1700000000, 2, 1);
	set_open(&m, 0);
	put(&m, 258, 2); put(&m, 2, 2);
	put(&m, 8, 2); put(&m, 5, 2);
	put(&m, 1, 2); put(&m, 4, 2);
	set_close(&m);
	set_open(&m, 258);
	put(&m, 0xffffffffffULL, 5); put(&m, 1234, 4);
	set_close(&m);
	assert_int_equal(feed(f, &m, 0x7f000001, 1), DECODE_OK);
	assert_int_equal(f->t->v[0].tmpl_bad_fields, 1);
	assert_int_equal(f->n, 1);
	assert_int_equal(f->r[0].bytes, 1234);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ipfix_basic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_varlen_enterprise,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_atomic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ipfix_withdrawal_invalid,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_before_template,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_template_scope, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nf9_sampling, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nf9_padding, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("dec-tmpl", tests, NULL, NULL);
}
