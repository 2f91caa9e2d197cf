/*
 * filter-bench.c - how fast filters run: records/s through filter_match()
 * for a ten-term filter over 10 M records, and the time to recompute a
 * view of 1 M retained records under a new filter (view_set_filter(),
 * which re-runs the filter on every record and re-aggregates the ones
 * that pass).  Not a test: it prints figures, as make bench does.
 *
 * Build:  cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o build/filter-bench \
 *             tests/bench/filter-bench.c build/libnftop.a \
 *             $(pkg-config --libs libevent libpcap) -lm
 * Run:    build/filter-bench [RECORDS]      (default 1000000)
 *
 * Records are seeded random v5-like flows: 10,000 sources in 10/8,
 * destinations in 198.18/15, 70% TCP, the ports and sizes flowblast uses.
 * The view aggregates by source address, so a rebuild that passes every
 * record builds a table of 10,000 keys.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg.h"
#include "filter.h"
#include "keys.h"
#include "store.h"
#include "view.h"
#include "../unit/xorshift.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rnd(void)
{
	return xorshift64(&rng);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
make_rec(struct flow_rec *r, uint64_t i)
{
	static const uint16_t tcp_ports[] = { 443, 443, 443, 80, 80, 22, 25,
	    993, 3306, 5432, 8080, 8443, 179, 445 };
	static const uint16_t udp_ports[] = { 53, 53, 53, 443, 123, 161, 514,
	    500, 4500, 1194, 5353, 3478 };
	uint64_t x = rnd();

	memset(r, 0, sizeof(*r));
	/* 10,000 source hosts, skewed (flowblast's default is 1,000). */
	flow_addr_set4(&r->src, 0x0a000000u | (uint32_t)((x & 0xffff) *
	    (x >> 16 & 0xffff) % 10000) * 2654435761u % 0xffffff);
	flow_addr_set4(&r->dst, 0xc6120000u | (uint32_t)(rnd() & 0x1ffff));
	r->af = 4;
	r->origin = FLOW_ORIGIN_NF5;
	x = rnd();
	r->proto = x % 100 < 70 ? 6 : x % 100 < 95 ? 17 : 1;
	if (r->proto == 6) {
		r->dstport = tcp_ports[x % 14];
		r->srcport = (uint16_t)(32768 + rnd() % 28232);
		r->tcpflags = x % 3 ? 0x1b : 0x02;
	} else if (r->proto == 17) {
		r->dstport = udp_ports[x % 12];
		r->srcport = (uint16_t)(1024 + rnd() % 64511);
	}
	r->pkts = 1 + rnd() % 100;
	r->bytes = r->pkts * (40 + rnd() % 1400);
	r->recv_msec = 1764000000000ULL + i / 100;
	r->last_msec = r->recv_msec - rnd() % 30000;
	r->first_msec = r->last_msec - rnd() % 120000;
	r->tos = rnd() % 10 == 0 ? 0xb8 : 0;
	r->inif = 1 + (uint32_t)(rnd() % 4);
	r->outif = 5 + (uint32_t)(rnd() % 4);
	r->srcas = 64512 + (uint32_t)(rnd() % 100);
	r->dstas = 65000 + (uint32_t)(rnd() % 500);
	r->srcmask = 24;
	r->dstmask = 15;
	r->sampling = 1;
}

static struct filter *
compile(const char *text)
{
	char err[600];
	struct filter *f;

	if ((f = filter_compile(text, err, sizeof(err))) == NULL) {
		fprintf(stderr, "filter-bench: %s: %s\n", text, err);
		exit(1);
	}
	return f;
}

/* filter_match() over n records, 10 passes of the array. */
static void
bench_match(const char *name, const char *text, const struct flow_rec *r,
    size_t n)
{
	struct filter *f = compile(text);
	uint64_t hits = 0;
	double t0, t;
	size_t i, pass;

	t0 = now();
	for (pass = 0; pass < 10; pass++)
		for (i = 0; i < n; i++)
			hits += (uint64_t)filter_match(f, &r[i]);
	t = now() - t0;
	printf("  %-34s %6.1f M records/s  %5.1f ns/record  (%.1f%% match)\n",
	    name, 10.0 * n / t / 1e6, t * 1e9 / (10.0 * n),
	    100.0 * hits / (10.0 * n));
	filter_free(f);
}

static void
bench_view(const char *name, const char *text, struct view *v, size_t n)
{
	double t0, t;

	t0 = now();
	view_set_filter(v, compile(text));
	t = now() - t0;
	printf("  %-34s %7.1f ms  (%.1f M records/s; %llu flows pass)\n", name,
	    t * 1e3, n / t / 1e6, (unsigned long long)v->totals.flows);
}

int
main(int argc, char **argv)
{
	/* Ten terms: a realistic "web traffic from outside, big" filter. */
	const char *ten = "proto tcp and (dst port 80 or dst port 443 or"
	    " dst port 8080) and not dst net 198.19.0.0/16 and bytes > 1000"
	    " and packets < 1000 and (src as > 64550 or dst as > 65200) and"
	    " flags S";
	/* Ten terms that all run for every record: nothing short-cuts. */
	const char *ten_all = "not (port 1 or port 2 or port 3 or port 4 or"
	    " port 5 or port 6 or port 7 or port 8 or port 9 or port 10)";
	const char *ten_pass = "proto tcp and dst port in [ 80 443 8080 ] and"
	    " src net 10.0.0.0/8 and bytes > 100 and packets < 1000 and"
	    " tos 0 and src as > 64000 and dst as > 64000 and flags S and"
	    " duration >= 0";
	size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000, i;
	struct flow_rec *r, rec;
	struct key_spec ks;
	struct store *s;
	struct view *v;
	char err[256];
	double t0;

	if (n == 0)
		n = 1000000;
	r = malloc(n * sizeof(*r));
	for (i = 0; i < n; i++)
		make_rec(&r[i], i);
	printf("filter-bench: %zu records (struct flow_rec: %zu bytes)\n", n,
	    sizeof(struct flow_rec));
	printf("filter_match(), 10 x %zu records:\n", n);
	bench_match("any", "any", r, n);
	bench_match("proto tcp", "proto tcp", r, n);
	bench_match("ten terms (short-circuits)", ten, r, n);
	bench_match("ten terms, all evaluated", ten_all, r, n);
	bench_match("ten terms, most records pass", ten_pass, r, n);
	bench_match("port in [ 20 ports ]", "port in [ 1 2 3 4 5 6 7 8 9"
	    " 10 11 12 13 14 15 16 17 18 19 20 ]", r, n);
	bench_match("src ip in [ 6 hosts and nets ]", "src ip in [ 10.0.0.1"
	    " 10.1.0.0/16 10.2.3.4 10.9.0.0/24 192.0.2.0/24 2001:db8::/32 ]",
	    r, n);

	/* A store of n records under one view aggregated by srcip. */
	s = store_create(n);
	if (key_spec_parse(&ks, "srcip", err, sizeof(err)) != 0) {
		fprintf(stderr, "filter-bench: %s\n", err);
		return 1;
	}
	v = view_create(s, compile("not any"), &ks, AGG_ORDER_BYTES, 0,
	    1 << 20);
	t0 = now();
	for (i = 0; i < n; i++) {
		rec = r[i];
		store_add(s, &rec);
	}
	printf("store: %zu records added in %.0f ms\n", n,
	    (now() - t0) * 1e3);
	printf("view_set_filter() on %zu retained records (aggregate"
	    " srcip):\n", n);
	bench_view("not any (filter only)", "not any", v, n);
	bench_view("ten terms", ten, v, n);
	bench_view("ten terms, most records pass", ten_pass, v, n);
	bench_view("any (everything aggregated)", "any", v, n);
	view_free(v);
	store_free(s);
	free(r);
	return 0;
}
