/*
 * test-recent.c - the header's rates and the rows' histories kept up to
 * date from frame to frame (ui/recent.c), checked at every step against
 * the walks they replace: a brute-force sum over the whole ring for the
 * rates, snap_track() for the histories.
 *
 * Seeded random records arrive at an uneven pace (quiet seconds, bursts,
 * jumps of more than a minute) into a ring small enough to evict records
 * still inside the windows, while the filter, the key, the window and
 * the history cursor change now and then and the rows asked for come
 * and go.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agg.h"
#include "engine.h"
#include "filter.h"
#include "keys.h"
#include "recent.h"
#include "store.h"
#include "ui-int.h"
#include "view.h"
#include "xorshift.h"

#define ROWS		40

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	return xorshift64(&rng);
}

static void
random_rec(struct flow_rec *r, uint64_t recv_msec)
{
	memset(r, 0, sizeof(*r));
	flow_addr_set4(&r->src, 0x0a000000u + (uint32_t)(rnd() % 30));
	flow_addr_set4(&r->dst, 0x0a000000u + (uint32_t)(rnd() % 30));
	r->srcport = (uint16_t)(rnd() % 3);
	r->dstport = (uint16_t)(rnd() % 3);
	r->proto = rnd() % 3 ? 6 : 17;
	r->pkts = 1 + rnd() % 50;
	r->bytes = r->pkts * (40 + rnd() % 1400);
	r->flags = rnd() % 5 == 0 ? FLOW_F_CONT : 0;
	r->recv_msec = recv_msec;
	r->af = 4;
}

/* The header's rates as their definition has them, over the whole ring. */
static void
brute_rates(const struct store *s, const struct view *v, uint64_t now,
    struct agg_counts *rate)
{
	const struct flow_rec *r;
	uint64_t seq;
	int i;

	memset(rate, 0, UI_RATES * sizeof(*rate));
	for (seq = store_oldest(s); seq < s->head; seq++) {
		r = store_get(s, seq);
		if (!(r->views & (1u << v->slot)) || r->recv_msec == 0 ||
		    r->recv_msec > now)
			continue;
		for (i = 0; i < UI_RATES; i++)
			if (r->recv_msec + snap_rate_secs[i] * 1000ULL > now) {
				rate[i].flows += r->flags & FLOW_F_CONT ? 0 : 1;
				rate[i].pkts += r->pkts;
				rate[i].bytes += r->bytes;
			}
	}
}

/* Rows: the view's largest keys and a few it may not have. */
static size_t
pick_rows(const struct view *v, struct key *keys)
{
	struct agg_entry top[ROWS];
	struct flow_rec r;
	size_t n, i;
	int side;

	n = agg_top(v->tab, v->order, ROWS - 4 - rnd() % 8, top);
	for (i = 0; i < n; i++)
		keys[i] = top[i].key;
	while (n < ROWS - 2 && rnd() % 2) {
		random_rec(&r, 1);
		side = v->spec.twoway ? (int)(rnd() % 2) : 0;
		memset(&keys[n], 0, sizeof(keys[n]));
		key_make(&v->spec, &r, side, &keys[n++]);
	}
	/* Shuffled, so that rows change places from frame to frame. */
	for (i = n; i > 1; i--) {
		struct key t = keys[i - 1];
		size_t j = rnd() % i;

		keys[i - 1] = keys[j];
		keys[j] = t;
	}
	return n;
}

static void
set_key(struct view *v, const char *name)
{
	struct key_spec ks;
	char err[128];

	assert_int_equal(key_spec_parse(&ks, name, err, sizeof(err)), 0);
	view_set_key(v, &ks);
}

/* Now and then: a new filter, key, window or history cursor. */
static void
change(struct engine *e, struct view *v)
{
	static const char *const filters[] = { "any", "proto tcp",
	    "port 1", "not proto udp" };
	static const char *const keys[] = { "srcip", "ip", "5tuple",
	    "port", "srcip,dstport" };
	char err[128];
	uint64_t now = e->store->now_msec;

	switch (rnd() % 5) {
	case 0:
		view_set_filter(v, filter_compile(filters[rnd() % 4], err,
		    sizeof(err)));
		break;
	case 1:
		set_key(v, keys[rnd() % 5]);
		break;
	case 2:
		view_set_window(v, rnd() % 2 ? 30000 : 0);
		break;
	case 3:
		e->pin_msec = now > 20000 ? now - rnd() % 20000 : 0;
		view_set_pin(v, e->pin_msec);
		break;
	default:
		e->pin_msec = 0;
		view_set_pin(v, 0);
		break;
	}
}

static void
check_frame(struct ui *u, struct view *v)
{
	struct ui_track got[ROWS], want[ROWS];
	struct agg_counts rate[UI_RATES];
	struct key keys[ROWS];
	uint64_t now = ui_now(u);
	size_t n;

	recent_update(u->recent, v, now);
	brute_rates(v->store, v, now, rate);
	assert_memory_equal(recent_rates(u->recent), rate, sizeof(rate));
	n = pick_rows(v, keys);
	memset(got, 0xa5, sizeof(got));
	recent_track(u->recent, u, v, keys, n, got);
	snap_track(u, v, &v->spec, keys, n, want);
	assert_memory_equal(got, want, n * sizeof(got[0]));
}

static void
run(uint64_t cap, int steps)
{
	struct engine e;
	struct ui u;
	struct flow_rec r;
	struct store *s = store_create(cap);
	struct view *v;
	char err[128];
	struct key_spec ks;
	uint64_t t = 1700000000000ULL;
	int step, i, n;

	memset(&e, 0, sizeof(e));
	memset(&u, 0, sizeof(u));
	e.store = s;
	u.e = &e;
	u.recent = recent_create();
	assert_int_equal(key_spec_parse(&ks, "ip", err, sizeof(err)), 0);
	v = view_create(s, filter_compile("any", err, sizeof(err)), &ks,
	    AGG_ORDER_BYTES, 60000, 1000);
	e.view = v;
	for (step = 0; step < steps; step++) {
		/* Mostly a second or less; sometimes quiet, rarely gone. */
		switch (rnd() % 20) {
		case 0:
			t += 70000 + rnd() % 10000;
			break;
		case 1:
		case 2:
			t += 3000 + rnd() % 20000;
			break;
		default:
			break;
		}
		n = (int)(rnd() % 4 == 0 ? rnd() % 400 : rnd() % 40);
		for (i = 0; i < n; i++) {
			t += rnd() % 40;
			random_rec(&r, t);
			store_add(s, &r);
		}
		/* The clock runs on; now and then a long way past them. */
		t += rnd() % 15 == 0 ? 30000 + rnd() % 60000 : rnd() % 300;
		store_set_now(s, t);
		view_expire(v);
		if (rnd() % 25 == 0)
			change(&e, v);
		check_frame(&u, v);
		if (rnd() % 10 == 0)
			check_frame(&u, v);	/* the same moment again */
		if (rnd() % 30 == 0)
			recent_untrack(u.recent);
	}
	view_free(v);
	store_free(s);
	recent_free(u.recent);
}

/* A ring that holds minutes: nearly every frame is kept up. */
static void
test_recent_roomy(void **state)
{
	(void)state;
	run(100000, 3000);
}

/* A ring of seconds: records leave it while still in the windows. */
static void
test_recent_evicting(void **state)
{
	(void)state;
	run(1500, 3000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recent_roomy),
		cmocka_unit_test(test_recent_evicting),
	};

	return cmocka_run_group_tests_name("recent", tests, NULL, NULL);
}
