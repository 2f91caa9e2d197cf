/*
 * test-agg-ss.c - the aggregate table past its key cap (Space-Saving with
 * records leaving the window), checked against brute force.
 *
 * Each case streams seeded records through a real store and view: a
 * stream of mostly new (or few, often repeated) source addresses and one
 * heavy talker, with the clock moving so that records age out of the
 * window and fall out of the ring.  At checkpoints the view's table is
 * compared with an exact table of the records in the window:
 *   - every entry: c - err <= true <= c, in all three metrics;
 *   - every key not in the table: true <= bound;
 *   - the entries' own counts plus `other` are the window's exact total;
 *   - the bound is at most N / max (window "all": the Space-Saving
 *     theorem) or 2 N / max (a window: the view refills past that);
 *   - the heap holds every entry in heap order; nerr counts the errors.
 * Then the heavy talker is first, and once every record has left, the
 * table is empty and exact again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agg.h"
#include "filter.h"
#include "keys.h"
#include "store.h"
#include "view.h"
#include "xorshift.h"

struct ss_case {
	const char	*name;
	const char	*key;
	enum agg_order	 order;
	uint64_t	 window_msec;	/* 0 = all */
	uint64_t	 history;	/* ring records */
	size_t		 max_keys;
	uint32_t	 hosts;		/* 0: each record a new source */
	unsigned	 heavy_pct;	/* records from the heavy talker */
	unsigned	 per_msec;	/* records per clock millisecond */
	unsigned	 records;
};

static const struct ss_case cases[] = {
	{ "flood, window 2s", "srcip", AGG_ORDER_BYTES, 2000, 100000, 64, 0,
	    5, 4, 30000 },
	{ "flood, ring shorter than the window", "srcip", AGG_ORDER_BYTES,
	    60000, 3000, 64, 0, 5, 4, 30000 },
	{ "few keys come back, window 1s", "srcip", AGG_ORDER_BYTES, 1000,
	    100000, 50, 300, 5, 2, 30000 },
	{ "two-way key by packets", "ip", AGG_ORDER_PACKETS, 1500, 100000,
	    80, 2000, 8, 3, 20000 },
	{ "window all (no record leaves)", "srcip", AGG_ORDER_BYTES, 0,
	    100000, 64, 0, 5, 4, 30000 },
	{ "flows order, pairs", "pair", AGG_ORDER_FLOWS, 800, 100000, 100,
	    400, 10, 2, 20000 },
};

static uint64_t rng;

static uint64_t
rnd(void)
{
	return xorshift64(&rng);
}

#define HEAVY_SRC	0x0afffe01u

static void
make_rec(const struct ss_case *tc, struct flow_rec *r, uint64_t msec,
    uint32_t *fresh)
{
	memset(r, 0, sizeof(*r));
	r->af = 4;
	r->recv_msec = msec;
	if (rnd() % 100 < tc->heavy_pct)
		flow_addr_set4(&r->src, HEAVY_SRC);
	else if (tc->hosts == 0)
		flow_addr_set4(&r->src, 0x0b000000u + (*fresh)++);
	else
		flow_addr_set4(&r->src, 0x0a000000u +
		    (uint32_t)(rnd() % tc->hosts));
	flow_addr_set4(&r->dst, 0xc0000200u + (uint32_t)(rnd() % 40));
	r->proto = 17;
	r->pkts = 1 + rnd() % 20;
	r->bytes = r->pkts * (40 + rnd() % 1400);
	/* Some metered updates: bytes, but no new flow. */
	if (rnd() % 10 == 0)
		r->flags = FLOW_F_CONT;
}

static int
counts_le(const struct agg_counts *a, const struct agg_counts *b)
{
	return a->flows <= b->flows && a->pkts <= b->pkts &&
	    a->bytes <= b->bytes;
}

/* The exact table of the records the view counts now. */
static struct agg_table *
brute(const struct view *v, const struct flow_rec *all, uint64_t n)
{
	const struct store *s = v->store;
	struct agg_table *b = agg_create(v->spec.len, 1 << 22, 7);
	const struct flow_rec *r;
	struct agg_counts c;
	struct key k;
	uint64_t seq, from = v->window_msec == 0 ? 0 : v->win_start;
	int dir;

	for (seq = from; seq < n; seq++) {
		r = v->window_msec == 0 ? &all[seq] : store_get(s, seq);
		if (v->window_msec != 0 && !(r->views & (1u << v->slot)))
			continue;
		c = (struct agg_counts){ r->flags & FLOW_F_CONT ? 0 : 1,
		    r->pkts, r->bytes };
		for (dir = 0; dir <= (v->spec.twoway ? 1 : 0); dir++) {
			key_make(&v->spec, r, dir, &k);
			agg_add(b, k.b, &c, seq);
		}
	}
	return b;
}

static void
check_heap(const struct agg_table *t)
{
	size_t i, hp;

	if (t->heap == NULL)
		return;
	for (i = 0; i < t->n; i++) {
		assert_true(t->ents[i].hpos < t->n);
		assert_int_equal(t->heap[t->ents[i].hpos].ent, i);
		assert_int_equal(t->heap[t->ents[i].hpos].key,
		    agg_metric(&t->ents[i].c, t->order));
	}
	for (hp = 1; hp < t->n; hp++)
		assert_true(t->heap[(hp - 1) / 4].key <= t->heap[hp].key);
}

static void
check_view(const struct view *v, const struct flow_rec *all, uint64_t n)
{
	const struct agg_table *t = v->tab;
	struct agg_table *b = brute(v, all, n);
	const struct agg_entry *e, *x;
	struct agg_counts bound, own, sum = { 0, 0, 0 }, zero = { 0, 0, 0 };
	uint64_t nerr = 0, bm, tm;
	size_t i, used;

	agg_bound(t, &bound);
	/* The index: one slot per entry, and it leads to that entry. */
	for (i = 0, used = 0; i <= t->mask; i++)
		if (t->slots[i].ent != 0)
			used++;
	assert_int_equal(used, t->n);
	for (i = 0; i < t->n; i++) {
		e = &t->ents[i];
		assert_ptr_equal(agg_get(t, &e->key), e);
		x = agg_get(b, &e->key);
		own = e->c;
		own.flows -= e->err.flows;
		own.pkts -= e->err.pkts;
		own.bytes -= e->err.bytes;
		/* c - err <= true <= c */
		assert_true(counts_le(&own, x != NULL ? &x->c : &zero));
		assert_true(x == NULL || counts_le(&x->c, &e->c));
		sum.flows += own.flows;
		sum.pkts += own.pkts;
		sum.bytes += own.bytes;
		if (e->err.flows | e->err.pkts | e->err.bytes)
			nerr++;
	}
	for (i = 0; i < b->n; i++) {
		e = &b->ents[i];
		if (agg_get(t, &e->key) == NULL)
			assert_true(counts_le(&e->c, &bound));
	}
	assert_int_equal(nerr, t->nerr);
	assert_int_equal(sum.flows + t->other.flows, b->total.flows);
	assert_int_equal(sum.pkts + t->other.pkts, b->total.pkts);
	assert_int_equal(sum.bytes + t->other.bytes, b->total.bytes);
	assert_int_equal(t->total.bytes, b->total.bytes);
	assert_true(t->n <= t->max);
	bm = agg_metric(&bound, t->order);
	tm = agg_metric(&t->total, t->order);
	if (v->window_msec == 0)
		assert_true(bm * t->max <= tm);
	else
		assert_true(bm * t->max <= 2 * tm);
	check_heap(t);
	agg_free(b);
}

static void
run_case(const struct ss_case *tc)
{
	struct store *s = store_create(tc->history);
	struct flow_rec *all = calloc(tc->records, sizeof(*all));
	struct agg_entry top[3];
	struct flow_rec heavy;
	struct key_spec ks;
	struct key k;
	struct view *v;
	uint64_t msec = 1000;
	uint32_t fresh = 0;
	char err[128];
	unsigned i;

	assert_non_null(all);
	rng = 0x9e3779b97f4a7c15ULL ^ tc->max_keys;
	assert_int_equal(key_spec_parse(&ks, tc->key, err, sizeof(err)), 0);
	v = view_create(s, filter_compile("any", err, sizeof(err)), &ks,
	    tc->order, tc->window_msec, tc->max_keys);
	for (i = 0; i < tc->records; i++) {
		if (i % tc->per_msec == 0)
			store_set_now(s, ++msec);
		make_rec(tc, &all[i], msec, &fresh);
		store_add(s, &all[i]);
		if (i % 97 == 0 || i + 1 == tc->records)
			check_view(v, all, s->head);
	}
	print_message("# %s: %llu evictions, %llu refills, %zu keys\n",
	    tc->name, (unsigned long long)v->tab->capped,
	    (unsigned long long)v->refills, v->tab->n);
	assert_true(v->tab->capped > 0);
	assert_true(agg_approximate(v->tab));
	/* The heavy talker (5-10 % of records) is first. */
	assert_true(agg_top(v->tab, tc->order, 1, top) == 1);
	memset(&heavy, 0, sizeof(heavy));
	heavy.af = 4;
	flow_addr_set4(&heavy.src, HEAVY_SRC);
	key_make(&v->spec, &heavy, 0, &k);
	assert_memory_equal(top[0].key.b + v->spec.offset[0],
	    k.b + v->spec.offset[0], sizeof(heavy.src));
	if (tc->window_msec != 0) {
		/* Everything leaves: empty and exact again. */
		store_set_now(s, msec + tc->window_msec + 1);
		check_view(v, all, s->head);
		assert_int_equal(v->tab->n, 0);
		assert_false(agg_approximate(v->tab));
		assert_int_equal(v->tab->other.bytes, 0);
	}
	view_free(v);
	store_free(s);
	free(all);
}

static void
test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* Below the cap nothing is estimated, whatever leaves and comes back. */
static void
test_exact_below_cap(void **state)
{
	static const struct ss_case tc = { "exact", "srcip",
	    AGG_ORDER_BYTES, 500, 100000, 1000, 900, 5, 2, 20000 };
	struct store *s = store_create(tc.history);
	struct flow_rec *all = calloc(tc.records, sizeof(*all));
	struct key_spec ks;
	struct view *v;
	uint64_t msec = 1000;
	uint32_t fresh = 0;
	char err[128];
	unsigned i;

	(void)state;
	assert_non_null(all);
	assert_int_equal(key_spec_parse(&ks, tc.key, err, sizeof(err)), 0);
	v = view_create(s, filter_compile("any", err, sizeof(err)), &ks,
	    tc.order, tc.window_msec, tc.max_keys);
	for (i = 0; i < tc.records; i++) {
		if (i % tc.per_msec == 0)
			store_set_now(s, ++msec);
		make_rec(&tc, &all[i], msec, &fresh);
		store_add(s, &all[i]);
		if (i % 251 == 0)
			check_view(v, all, s->head);
		assert_false(agg_approximate(v->tab));
	}
	assert_int_equal(v->tab->capped, 0);
	assert_null(v->tab->heap);
	view_free(v);
	store_free(s);
	free(all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_exact_below_cap),
	};

	return cmocka_run_group_tests_name("agg-ss", tests, NULL, NULL);
}
