/*
 * test-channel.c - channels counted as records arrive and leave, checked
 * against filter_match over the same records; channels added and removed
 * while records keep coming.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "channel.h"
#include "filter.h"
#include "store.h"
#include "xorshift.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	return xorshift64(&rng);
}

/* Protocols that the default channels and the filters below tell apart. */
static const uint8_t protos[] = { 1, 6, 17, 47, 50, 58, 132, 255, 0 };

static void
random_rec(struct flow_rec *r, uint64_t recv_msec)
{
	memset(r, 0, sizeof(*r));
	flow_addr_set4(&r->src, 0x0a000000u + (uint32_t)(rnd() % 50));
	flow_addr_set4(&r->dst, 0xc0000200u + (uint32_t)(rnd() % 50));
	r->srcport = (uint16_t)(rnd() % 2 ? 53 : 1024 + rnd() % 5);
	r->dstport = (uint16_t)(rnd() % 3 ? 443 : 53);
	r->proto = protos[rnd() % sizeof(protos)];
	r->pkts = 1 + rnd() % 100;
	r->bytes = r->pkts * (40 + rnd() % 1400);
	r->recv_msec = recv_msec;
	r->af = 4;
}

/*
 * What a channel's totals must be: its filter over the retained records
 * received after `after` (the window's start; 0: all of them).
 */
static struct agg_counts
brute_after(const struct store *s, const char *text, uint64_t after)
{
	struct agg_counts c = { 0, 0, 0 };
	struct filter *f;
	const struct flow_rec *r;
	char err[128];
	uint64_t seq;

	f = filter_compile(text, err, sizeof(err));
	assert_non_null(f);
	for (seq = store_oldest(s); seq < s->head; seq++) {
		r = store_get(s, seq);
		if (r->recv_msec > after && filter_match(f, r)) {
			c.flows++;
			c.pkts += r->pkts;
			c.bytes += r->bytes;
		}
	}
	filter_free(f);
	return c;
}

static struct agg_counts
brute(const struct store *s, const char *text)
{
	return brute_after(s, text, 0);
}

static void
assert_counts(const struct channel_set *cs, const char *name,
    struct agg_counts want)
{
	int i = channel_find(cs, NULL, name);

	assert_true(i >= 0);
	assert_int_equal(cs->ch[i].totals.flows, want.flows);
	assert_int_equal(cs->ch[i].totals.pkts, want.pkts);
	assert_int_equal(cs->ch[i].totals.bytes, want.bytes);
}

static void
assert_channel(const struct channel_set *cs, const char *name,
    const char *text)
{
	assert_counts(cs, name, brute(cs->store, text));
}

static void
feed(struct store *s, int n, uint64_t *msec)
{
	struct flow_rec r;

	while (n-- > 0) {
		random_rec(&r, (*msec)++);
		store_add(s, &r);
	}
}

/*
 * Filters on the protocol alone are looked up by protocol, the others
 * run; both must give what filter_match gives.
 */
static void
test_channels_equal_filters(void **state)
{
	static const char *const ch[][2] = {
		{ "tcp", "proto tcp" },
		{ "udp", "proto udp" },
		{ "icmp", "proto icmp or proto icmp6" },
		{ "other", "not (proto tcp or proto udp or proto icmp or"
		    " proto icmp6)" },
		{ "gre", "proto 47" },
		{ "all", "any" },
		{ "dns", "proto udp and port 53" },
		{ "notdns", "not (proto udp and port 53)" },
		{ "web", "proto tcp and dst port 443 or proto 50" },
	};
	struct store *s = store_create(1000);
	struct channel_set *cs = channel_set_create(s, NULL, 0 /* all */);
	char err[256];
	uint64_t msec = 1700000000000ULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ch) / sizeof(ch[0]); i++)
		assert_true(channel_add(cs, "p", ch[i][0], ch[i][1], err,
		    sizeof(err)) >= 0);
	/* Fewer records than the ring holds: window "all" is the ring. */
	feed(s, 900, &msec);
	for (i = 0; i < sizeof(ch) / sizeof(ch[0]); i++)
		assert_channel(cs, ch[i][0], ch[i][1]);
	channel_set_free(cs);
	store_free(s);
}

/*
 * A channel removed while records arrive is forgotten: the next record
 * neither crashes on its freed filter nor counts in it, and a channel
 * added in its place counts the retained records and the new ones.
 */
static void
test_channel_removed_under_traffic(void **state)
{
	struct store *s = store_create(500);
	struct channel_set *cs = channel_set_create(s, NULL, 60000);
	char err[256];
	uint64_t msec = 1700000000000ULL;

	(void)state;
	channel_set_defaults(cs);
	feed(s, 300, &msec);
	assert_int_equal(channel_remove(cs, NULL, "tcp"), 0);
	assert_true(channel_find(cs, NULL, "tcp") < 0);
	feed(s, 300, &msec);		/* through evictions */
	assert_channel(cs, "udp", "proto udp");
	assert_channel(cs, "other", "not (proto tcp or proto udp or"
	    " proto icmp or proto icmp6)");
	assert_true(channel_add(cs, NULL, "dns", "proto udp and port 53",
	    err, sizeof(err)) >= 0);
	assert_true(channel_add(cs, NULL, "tcp", "proto tcp", err,
	    sizeof(err)) >= 0);
	feed(s, 400, &msec);
	assert_channel(cs, "dns", "proto udp and port 53");
	assert_channel(cs, "tcp", "proto tcp");
	assert_channel(cs, "icmp", "proto icmp or proto icmp6");
	assert_int_equal(channel_remove(cs, NULL, "dns"), 0);
	feed(s, 100, &msec);
	assert_channel(cs, "tcp", "proto tcp");
	channel_set_free(cs);
	store_free(s);
}

/*
 * A window of 60 s over records 10 ms apart: as the clock moves, records
 * age out of the channels by their ring places, through the ring's wrap.
 */
static void
test_channel_window_ages_out(void **state)
{
	struct store *s = store_create(10000);
	struct channel_set *cs = channel_set_create(s, NULL, 60000);
	uint64_t t0 = 1700000000000ULL, msec, now;
	struct flow_rec r;
	int i, step;

	(void)state;
	channel_set_defaults(cs);
	msec = t0;
	for (step = 0; step < 5; step++) {
		for (i = 0; i < 4000; i++, msec += 10) {
			random_rec(&r, msec);
			store_add(s, &r);
		}
		now = msec + (uint64_t)step * 7000;
		store_set_now(s, now);
		assert_counts(cs, "tcp", brute_after(s, "proto tcp",
		    now - 60000));
		assert_counts(cs, "udp", brute_after(s, "proto udp",
		    now - 60000));
		assert_counts(cs, "other", brute_after(s, "not (proto tcp or"
		    " proto udp or proto icmp or proto icmp6)", now - 60000));
	}
	channel_set_free(cs);
	store_free(s);
}

/* The protocol table of a filter is its answer for every protocol. */
static void
test_proto_only(void **state)
{
	static const char *const yes[] = {
		"proto tcp", "proto icmp or proto icmp6", "not proto udp",
		"any", "proto 47 or proto 50 or not proto 1",
	};
	static const char *const no[] = {
		"proto udp and port 53", "src ip 10.0.0.1", "flags S",
		"proto tcp and bytes > 10",
	};
	struct flow_rec r;
	struct filter *f;
	uint8_t map[32];
	char err[128];
	unsigned p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		f = filter_compile(yes[i], err, sizeof(err));
		assert_non_null(f);
		assert_int_equal(filter_proto_only(f, map), 1);
		for (p = 0; p < 256; p++) {
			random_rec(&r, 1);
			r.proto = (uint8_t)p;
			assert_int_equal(!!(map[p / 8] & (1u << (p % 8))),
			    filter_match(f, &r));
		}
		filter_free(f);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		f = filter_compile(no[i], err, sizeof(err));
		assert_non_null(f);
		assert_int_equal(filter_proto_only(f, map), 0);
		filter_free(f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_channels_equal_filters),
		cmocka_unit_test(test_channel_removed_under_traffic),
		cmocka_unit_test(test_channel_window_ages_out),
		cmocka_unit_test(test_proto_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
