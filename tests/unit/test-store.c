/*
 * test-store.c - the retained ring, incremental views and top-N, checked
 * against brute-force recomputation on seeded random records.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agg.h"
#include "filter.h"
#include "keys.h"
#include "store.h"
#include "view.h"
#include "xorshift.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	return xorshift64(&rng);
}

static void
random_rec(struct flow_rec *r, uint64_t recv_msec, int hosts)
{
	memset(r, 0, sizeof(*r));
	flow_addr_set4(&r->src, 0x0a000000u + (uint32_t)(rnd() % hosts));
	flow_addr_set4(&r->dst, 0xc0000200u + (uint32_t)(rnd() % hosts));
	r->srcport = (uint16_t)(rnd() % 5);
	r->dstport = (uint16_t)(rnd() % 7);
	r->proto = rnd() % 2 ? 6 : 17;
	r->pkts = 1 + rnd() % 100;
	r->bytes = r->pkts * (40 + rnd() % 1400);
	r->recv_msec = recv_msec;
	r->af = 4;
}

static struct view *
make_view(struct store *s, const char *key, uint64_t window, size_t maxkeys)
{
	struct key_spec ks;
	char err[128];

	assert_int_equal(key_spec_parse(&ks, key, err, sizeof(err)), 0);
	return view_create(s, filter_compile("any", err, sizeof(err)), &ks,
	    AGG_ORDER_BYTES, window, maxkeys);
}

/* Brute force: aggregate records [from, to) of the ring by the view key. */
static struct agg_table *
brute(const struct store *s, const struct view *v, uint64_t from,
    uint64_t to, struct agg_counts *tot)
{
	struct agg_table *t = agg_create(v->spec.len, 1 << 20, 7);
	struct agg_counts c;
	struct key k;
	uint64_t i;

	memset(tot, 0, sizeof(*tot));
	for (i = from; i < to; i++) {
		const struct flow_rec *r = store_get(s, i);

		c = (struct agg_counts){ 1, r->pkts, r->bytes };
		key_make(&v->spec, r, 0, &k);
		agg_add(t, k.b, &c, i);
		if (v->spec.twoway) {
			key_make(&v->spec, r, 1, &k);
			agg_add(t, k.b, &c, i);
		}
		tot->flows++;
		tot->pkts += r->pkts;
		tot->bytes += r->bytes;
	}
	return t;
}

static void
assert_same_top(const struct view *v, const struct agg_table *b, size_t n)
{
	struct agg_entry x[64], y[64];
	size_t nx, ny, i;

	nx = agg_top(v->tab, v->order, n, x);
	ny = agg_top(b, v->order, n, y);
	assert_int_equal(nx, ny);
	assert_int_equal(v->tab->n, b->n);
	for (i = 0; i < nx; i++) {
		assert_memory_equal(x[i].key.b, y[i].key.b, v->spec.len);
		assert_int_equal(x[i].c.bytes, y[i].c.bytes);
		assert_int_equal(x[i].c.pkts, y[i].c.pkts);
		assert_int_equal(x[i].c.flows, y[i].c.flows);
	}
}

static void
test_top_sorted(void **state)
{
	struct store *s = store_create(5000);
	struct view *v = make_view(s, "srcip", 0, 1 << 20);
	struct agg_entry top[20];
	struct flow_rec r;
	size_t n, i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		random_rec(&r, 1000 + i, 300);
		store_add(s, &r);
	}
	n = agg_top(v->tab, AGG_ORDER_BYTES, 20, top);
	assert_int_equal(n, 20);
	for (i = 1; i < n; i++)
		assert_true(top[i - 1].c.bytes >= top[i].c.bytes);
	n = agg_top(v->tab, AGG_ORDER_PACKETS, 20, top);
	for (i = 1; i < n; i++)
		assert_true(top[i - 1].c.pkts >= top[i].c.pkts);
	/* Asking for more rows than keys returns every key. */
	view_free(v);
	v = make_view(s, "proto", 0, 1 << 20);
	assert_int_equal(agg_top(v->tab, AGG_ORDER_FLOWS, 20, top), 2);
	assert_int_equal(top[0].c.flows + top[1].c.flows, 5000);
	view_free(v);
	store_free(s);
}

static void
test_window_expiry(void **state)
{
	struct store *s = store_create(100000);
	struct view *v = make_view(s, "pair", 10000, 1 << 20);
	struct agg_table *b;
	struct agg_counts tot;
	struct flow_rec r;
	uint64_t i, t, first;

	(void)state;
	/* 10 records per second for 60 seconds. */
	for (i = 0; i < 600; i++) {
		t = 1000000 + i * 100;
		random_rec(&r, t, 50);
		store_add(s, &r);
		store_set_now(s, t);
	}
	store_set_now(s, 1000000 + 600 * 100);
	/* The window holds records received after now - 10 s. */
	for (first = 0; store_get(s, first)->recv_msec <= 1060000 - 10000;
	    first++)
		;
	b = brute(s, v, first, s->head, &tot);
	assert_int_equal(v->totals.flows, tot.flows);
	assert_int_equal(v->totals.bytes, tot.bytes);
	assert_int_equal(v->totals.flows, 99);
	assert_same_top(v, b, 64);
	/* A rebuild from history gives the same view. */
	view_rebuild(v);
	assert_int_equal(v->totals.bytes, tot.bytes);
	assert_same_top(v, b, 64);
	agg_free(b);
	/* Everything ages out. */
	store_set_now(s, 2000000);
	assert_int_equal(v->totals.flows, 0);
	assert_int_equal(v->totals.bytes, 0);
	assert_int_equal(v->tab->n, 0);
	view_free(v);
	store_free(s);
}

static void
test_ring_eviction(void **state)
{
	struct store *s = store_create(100);
	struct view *win = make_view(s, "srcip", 3600000, 1 << 20);
	struct view *all = make_view(s, "srcip", 0, 1 << 20);
	struct agg_table *b;
	struct agg_counts tot, sum = { 0, 0, 0 };
	struct flow_rec r;
	uint64_t i;

	(void)state;
	for (i = 0; i < 250; i++) {
		random_rec(&r, 5000 + i, 20);
		sum.flows++;
		sum.bytes += r.bytes;
		store_add(s, &r);
	}
	assert_int_equal(s->evicted, 150);
	assert_int_equal(store_oldest(s), 150);
	/* A window view holds what the ring still has. */
	b = brute(s, win, 150, 250, &tot);
	assert_int_equal(win->totals.flows, 100);
	assert_int_equal(win->totals.bytes, tot.bytes);
	assert_int_equal(win->evicted_in_window, 150);
	assert_same_top(win, b, 20);
	agg_free(b);
	/* "all" keeps counting what the ring forgot. */
	assert_int_equal(all->totals.flows, 250);
	assert_int_equal(all->totals.bytes, sum.bytes);
	/* Rebuilding "all" can only see the ring, and says so. */
	view_rebuild(all);
	assert_int_equal(all->totals.flows, 100);
	assert_true(all->partial);
	view_free(win);
	view_free(all);
	store_free(s);
}

static void
test_twoway_and_prefix(void **state)
{
	struct store *s = store_create(1000);
	struct view *v = make_view(s, "ip", 0, 1 << 20);
	struct view *p = make_view(s, "srcip/24", 0, 1 << 20);
	struct agg_entry top[4];
	struct flow_rec r;
	char buf[64];

	(void)state;
	random_rec(&r, 1, 10);
	flow_addr_set4(&r.src, 0x0a000001);
	flow_addr_set4(&r.dst, 0x0a000002);
	r.bytes = 100;
	store_add(s, &r);
	flow_addr_set4(&r.src, 0x0a000002);
	flow_addr_set4(&r.dst, 0x0a0001ff);
	r.bytes = 50;
	store_add(s, &r);
	/* 10.0.0.2 appears on both sides: 150 bytes, two flows. */
	assert_int_equal(agg_top(v->tab, AGG_ORDER_BYTES, 4, top), 3);
	assert_string_equal(key_format_field(&v->spec, &top[0].key, 0, NULL,
	    buf, sizeof(buf)), "10.0.0.2");
	assert_int_equal(top[0].c.bytes, 150);
	assert_int_equal(top[0].c.flows, 2);
	assert_int_equal(v->totals.bytes, 150);
	/* Both sources fall in 10.0.0.0/24. */
	assert_int_equal(agg_top(p->tab, AGG_ORDER_BYTES, 4, top), 1);
	assert_string_equal(key_format_field(&p->spec, &top[0].key, 0, NULL,
	    buf, sizeof(buf)), "10.0.0.0/24");
	view_free(v);
	view_free(p);
	store_free(s);
}

static void
test_key_cap(void **state)
{
	struct store *s = store_create(1000);
	struct view *v = make_view(s, "srcip", 1000, 10);
	struct flow_rec r;
	int i;

	(void)state;
	for (i = 0; i < 30; i++) {
		random_rec(&r, 100, 10);
		flow_addr_set4(&r.src, 0x0a000000u + (uint32_t)i);
		store_add(s, &r);
	}
	assert_int_equal(v->tab->n, 10);
	assert_int_equal(v->tab->capped, 20);
	assert_int_equal(v->tab->other.flows, 20);
	assert_int_equal(v->totals.flows, 30);
	/* Leaving the window empties `other` too. */
	store_set_now(s, 5000);
	assert_int_equal(v->tab->other.flows, 0);
	assert_int_equal(v->tab->n, 0);
	view_free(v);
	store_free(s);
}

/* Deleting from the middle of probe runs keeps every key findable. */
static void
test_agg_churn(void **state)
{
	struct agg_table *t = agg_create(4, 1 << 20, 3);
	struct agg_counts one = { 1, 1, 1 };
	struct agg_entry top[1];
	struct key k;
	uint32_t i, j;

	(void)state;
	memset(&k, 0, sizeof(k));
	/* Key i's records are sequences i and 20000 + i. */
	for (i = 0; i < 20000; i++) {
		memcpy(k.b, &i, 4);
		agg_add(t, k.b, &one, i);
	}
	for (i = 0; i < 20000; i += 2) {
		memcpy(k.b, &i, 4);
		agg_sub(t, k.b, &one, i);
	}
	assert_int_equal(t->n, 10000);
	for (i = 1; i < 20000; i += 2) {
		memcpy(k.b, &i, 4);
		agg_add(t, k.b, &one, 20000 + i);
	}
	/* Every odd key now counts 2 and is found, not duplicated. */
	assert_int_equal(t->n, 10000);
	assert_int_equal(agg_top(t, AGG_ORDER_FLOWS, 1, top), 1);
	assert_int_equal(top[0].c.flows, 2);
	for (i = 1; i < 20000; i += 2) {
		memcpy(k.b, &i, 4);
		for (j = 0; j < 2; j++)
			agg_sub(t, k.b, &one, i + 20000 * j);
	}
	assert_int_equal(t->n, 0);
	assert_int_equal(t->other.flows, 0);
	agg_free(t);
}

static void
test_key_spec_parse(void **state)
{
	struct key_spec ks;
	char err[128];

	(void)state;
	assert_int_equal(key_spec_parse(&ks, "pair", err, sizeof(err)), 0);
	assert_string_equal(ks.name, "srcip,dstip");
	assert_int_equal(key_spec_parse(&ks, "5tuple", err, sizeof(err)), 0);
	assert_int_equal(ks.n, 5);
	assert_int_equal(key_spec_parse(&ks, "srcip/24/64,dstport", err,
	    sizeof(err)), 0);
	assert_string_equal(ks.name, "srcip/24/64,dstport");
	assert_int_equal(key_spec_parse(&ks, "bogus", err, sizeof(err)), -1);
	assert_string_equal(err, "unknown aggregate key 'bogus'");
	assert_int_equal(key_spec_parse(&ks, "ip,port", err, sizeof(err)),
	    -1);
	assert_int_equal(key_spec_parse(&ks, "srcport/24", err,
	    sizeof(err)), -1);
	assert_int_equal(key_spec_parse(&ks, "", err, sizeof(err)), -1);
}

/*
 * key_bytes gives the bytes key_make builds, for every kind of key; for
 * a key that is one whole address it reads them in the record itself.
 */
static void
test_key_bytes(void **state)
{
	static const char *const specs[] = {
		"srcip", "dstip", "ip", "srcip/24", "ip/16", "srcip,dstport",
		"proto", "port", "srcip,dstip",
	};
	struct key_spec ks;
	struct flow_rec r;
	struct key made, scratch;
	const uint8_t *b;
	char err[128];
	size_t i;
	int side, n;

	(void)state;
	for (n = 0; n < 50; n++) {
		random_rec(&r, 1000, 1 << 20);
		if (n % 5 == 0) {
			uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

			a6[15] = (uint8_t)n;
			flow_addr_set6(&r.src, a6);
			r.af = 6;
		}
		for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
			assert_int_equal(key_spec_parse(&ks, specs[i], err,
			    sizeof(err)), 0);
			for (side = 0; side <= (ks.twoway ? 1 : 0); side++) {
				memset(&made, 0, sizeof(made));
				memset(&scratch, 0, sizeof(scratch));
				key_make(&ks, &r, side, &made);
				b = key_bytes(&ks, &r, side, &scratch);
				assert_memory_equal(b, made.b, ks.len);
			}
		}
	}
	assert_int_equal(key_spec_parse(&ks, "srcip", err, sizeof(err)), 0);
	assert_ptr_equal(key_bytes(&ks, &r, 0, &scratch), r.src.b);
	assert_int_equal(key_spec_parse(&ks, "ip", err, sizeof(err)), 0);
	assert_ptr_equal(key_bytes(&ks, &r, 1, &scratch), r.dst.b);
	assert_int_equal(key_spec_parse(&ks, "srcip/24", err, sizeof(err)), 0);
	assert_ptr_equal(key_bytes(&ks, &r, 0, &scratch), scratch.b);
}

/*
 * A key shorter than a whole number of words is zero past its end, up to
 * the next word, however dirty the buffer it is built in: a table hashes
 * and compares whole words (agg.h), so a byte left over there would make
 * one key two.
 */
static void
test_key_pad(void **state)
{
	static const char *const specs[] = {
		"proto", "dstport", "proto,port", "srcip,dstport", "5tuple",
		"dstas,proto",
	};
	struct agg_counts one = { 1, 1, 1 };
	struct agg_table *t;
	struct key_spec ks;
	struct flow_rec r;
	struct key k;
	char err[128];
	size_t i, pad;
	int fill;

	(void)state;
	random_rec(&r, 1000, 1 << 20);
	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		assert_int_equal(key_spec_parse(&ks, specs[i], err,
		    sizeof(err)), 0);
		pad = (ks.len + 7u) & ~7u;
		assert_true(ks.len % 8 != 0);
		t = agg_create(ks.len, 1 << 10, 5);
		for (fill = 0; fill <= 0xff; fill += 0x55) {
			memset(&k, fill, sizeof(k));
			key_make(&ks, &r, 0, &k);
			for (size_t b = ks.len; b < pad; b++)
				assert_int_equal(k.b[b], 0);
			memset(&k, fill, sizeof(k));
			agg_add(t, key_bytes(&ks, &r, 0, &k), &one, 1);
		}
		/* Four adds from four dirty buffers: one key. */
		assert_int_equal(t->n, 1);
		agg_free(t);
	}
}

static void
test_window_parse(void **state)
{
	uint64_t ms;

	(void)state;
	assert_int_equal(view_window_parse("10s", &ms), 0);
	assert_int_equal(ms, 10000);
	assert_int_equal(view_window_parse("5m", &ms), 0);
	assert_int_equal(ms, 300000);
	assert_int_equal(view_window_parse("all", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(view_window_parse("42", &ms), 0);
	assert_int_equal(ms, 42000);
	assert_int_equal(view_window_parse("5x", &ms), -1);
	assert_int_equal(view_window_parse("0s", &ms), -1);
	assert_int_equal(view_window_parse("", &ms), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_sorted),
		cmocka_unit_test(test_window_expiry),
		cmocka_unit_test(test_ring_eviction),
		cmocka_unit_test(test_twoway_and_prefix),
		cmocka_unit_test(test_key_cap),
		cmocka_unit_test(test_agg_churn),
		cmocka_unit_test(test_key_spec_parse),
		cmocka_unit_test(test_key_bytes),
		cmocka_unit_test(test_key_pad),
		cmocka_unit_test(test_window_parse),
	};

	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
