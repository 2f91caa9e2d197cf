/*
 * test-filter-sem.c - what filters mean: FILTER.md section 11's examples,
 * each checked against its meaning written out in C, on seeded random
 * records; spellings that must mean the same (classic and 1.7.5+ forms,
 * De Morgan, lists and or-chains); address and port sets against brute
 * force; fields a record's protocol lacks; the exporter primitives.
 * On a mismatch the seed, filter and record are printed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "filter.h"
#include "source.h"
#include "xorshift.h"

#define NREC	6000

static uint64_t seed = 0x9e3779b97f4a7c15ULL;
static struct flow_rec recs[NREC];
static struct source_table *sources;

static uint64_t
rnd(void)
{
	return xorshift64(&seed);
}

#define PICK(a)		((a)[rnd() % (sizeof(a) / sizeof((a)[0]))])

static const char *const v4pool[] = { "192.0.2.1", "192.0.2.77",
	"192.0.2.253", "192.0.2.254", "172.16.17.18", "172.16.17.19",
	"10.1.1.1", "10.0.0.1", "10.0.0.2", "10.200.3.4", "192.168.5.5",
	"192.168.0.1", "8.8.8.8", "11.0.0.1", "0.0.0.0" };
static const char *const v6pool[] = { "2001:db8::1", "2001:db8:1::5",
	"2001:db8:2::9", "2001:db8::ff", "fe80::1", "::1", "2001:db9::1",
	"::ffff:10.0.0.1" };
static const uint16_t ports[] = { 0, 22, 23, 53, 80, 443, 1023, 1024,
	1025, 1500, 1999, 2000, 3389, 5353, 8080, 65535 };
static const uint8_t protos[] = { 1, 6, 6, 6, 17, 17, 58, 47, 50 };
static const uint8_t toses[] = { 0, 0, 46, 184, 1, 255, 2 };
static const uint64_t pktss[] = { 0, 1, 1, 2, 3, 4, 5, 100, 1000,
	1000000 };
static const uint64_t bpps[] = { 40, 63, 64, 65, 1000, 1499, 1500 };
static const uint64_t durs[] = { 0, 0, 1, 999, 1000, 60000, 60001,
	3600000 };
static const uint32_t asns[] = { 0, 13335, 15169, 8075, 32934, 3356,
	65000 };
static const uint8_t masks[] = { 0, 8, 24, 32 };
static const uint16_t vlans[] = { 0, 100, 4095 };
static const uint8_t fwds[] = { 0, 1, 2, 16 };
static const uint8_t origins[] = { FLOW_ORIGIN_NF5, FLOW_ORIGIN_NF5,
	FLOW_ORIGIN_NF9, FLOW_ORIGIN_UNKNOWN };
static const uint8_t mac1[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };

static void
addr(struct flow_addr *a, const char *s)
{
	assert_int_equal(flow_addr_parse(a, s), 0);
}

static void
random_rec(struct flow_rec *r)
{
	uint64_t d;

	memset(r, 0, sizeof(*r));
	r->origin = PICK(origins);
	r->af = (r->origin != FLOW_ORIGIN_NF5 && rnd() % 3 == 0) ? 6 : 4;
	if (r->af == 6) {
		addr(&r->src, PICK(v6pool));
		addr(&r->dst, PICK(v6pool));
		addr(&r->nexthop, PICK(v6pool));
	} else {
		addr(&r->src, PICK(v4pool));
		addr(&r->dst, PICK(v4pool));
		addr(&r->nexthop, PICK(v4pool));
	}
	addr(&r->bgp_nexthop, PICK(v4pool));
	addr(&r->xlate_src, PICK(v4pool));
	addr(&r->xlate_dst, PICK(v4pool));
	r->srcport = PICK(ports);
	r->dstport = PICK(ports);
	r->xlate_srcport = PICK(ports);
	r->xlate_dstport = PICK(ports);
	r->proto = PICK(protos);
	r->tcpflags = (uint8_t)rnd();
	if (rnd() % 4 == 0)
		r->tcpflags = (uint8_t)(rnd() % 2 ? 0x02 : 0x12);
	r->icmp_type = (uint8_t)(rnd() % 4 ? 8 : 3);
	r->icmp_code = (uint8_t)(rnd() % 4);
	r->tos = PICK(toses);
	r->pkts = PICK(pktss);
	r->bytes = r->pkts * PICK(bpps);
	if (rnd() % 8 == 0)
		r->bytes = rnd() % 2 ? 1000000 : 1000001;
	d = PICK(durs);
	r->first_msec = 1700000000000ULL + rnd() % 100000;
	r->last_msec = r->first_msec + d;
	r->inif = (uint32_t)(rnd() % 8);
	r->outif = (uint32_t)(rnd() % 8);
	r->srcas = PICK(asns);
	r->dstas = PICK(asns);
	r->srcmask = PICK(masks);
	r->dstmask = PICK(masks);
	r->vlan = PICK(vlans);
	if (rnd() % 3 == 0)
		memcpy(r->src_mac, mac1, 6);
	else
		r->src_mac[5] = (uint8_t)rnd();
	r->dst_mac[4] = (uint8_t)rnd();
	r->mpls_label = rnd() % 2 ? 100u << 4 | 3u << 1 | (rnd() % 2) :
	    (uint32_t)(rnd() % 1000) << 4;
	r->fwd_status = PICK(fwds);
	r->direction = (uint8_t)(rnd() % 2);
	r->source = (uint16_t)(rnd() % 4);	/* 3 is not in the table */
	r->sampling = 1;
}

static int
setup(void **state)
{
	struct flow_addr a;
	size_t i;

	(void)state;
	/* Three exporters: 192.0.2.253 engine 0/1 and 1/2, 10.0.0.9 0/0. */
	sources = source_table_create(16, 1);
	addr(&a, "192.0.2.253");
	source_get(sources, &a, 9995, FLOW_ORIGIN_NF5, 0 << 8 | 1, 0);
	addr(&a, "10.0.0.9");
	source_get(sources, &a, 9995, FLOW_ORIGIN_NF5, 0 << 8 | 0, 0);
	addr(&a, "192.0.2.253");
	source_get(sources, &a, 9995, FLOW_ORIGIN_NF5, 1 << 8 | 2, 0);
	for (i = 0; i < NREC; i++)
		random_rec(&recs[i]);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	source_table_free(sources);
	return 0;
}

/* ---- the meanings, written out ---- */

enum { H_AS, H_MASK, H_NEXTHOP, H_ENGINE, H_VLAN, H_MAC, H_MPLS, H_DIR,
	H_FWD };

/* What a NetFlow v5 record carries (filter-eval.c's table). */
static int
has(const struct flow_rec *r, int what)
{
	if (r->origin != FLOW_ORIGIN_NF5)
		return 1;
	return what == H_AS || what == H_MASK || what == H_NEXTHOP ||
	    what == H_ENGINE;
}

static int
ip_is(const struct flow_addr *a, const char *s)
{
	struct flow_addr b;

	addr(&b, s);
	return memcmp(a, &b, sizeof(b)) == 0;
}

/* a in net/plen, same family; IPv4 lengths count from 0. */
static int
in_net(const struct flow_addr *a, const char *net, int plen)
{
	struct flow_addr n;
	int bits, i, v4;

	addr(&n, net);
	v4 = flow_addr_is4(&n);
	if (v4 != flow_addr_is4(a))
		return 0;
	bits = v4 ? 96 + plen : plen;
	for (i = 0; i < bits; i++) {
		int m = 0x80 >> (i % 8);

		if ((a->b[i / 8] & m) != (n.b[i / 8] & m))
			return 0;
	}
	return 1;
}

static int
port(const struct flow_rec *r, int p)
{
	return r->srcport == p || r->dstport == p;
}

static uint64_t
dur(const struct flow_rec *r)
{
	return r->last_msec - r->first_msec;
}

static uint64_t
pps(const struct flow_rec *r)
{
	return dur(r) ? 1000 * r->pkts / dur(r) : 0;
}

static uint64_t
bps(const struct flow_rec *r)
{
	return dur(r) ? 8000 * r->bytes / dur(r) : 0;
}

static const struct source *
src_of(const struct flow_rec *r)
{
	return r->source < sources->n ? &sources->v[r->source] : NULL;
}

static int
tcpf(const struct flow_rec *r, int all)
{
	return r->proto == 6 && (r->tcpflags & all) == all;
}

#define EX(n, body) \
	static int ex##n(const struct flow_rec *r) { (void)r; return (body); }

EX(1, 1)
EX(2, r->proto == 6)
EX(3, r->proto == 17 && port(r, 53))
EX(4, r->proto != 1)
EX(5, ip_is(&r->src, "192.0.2.1") || ip_is(&r->dst, "192.0.2.1"))
EX(6, ip_is(&r->src, "192.0.2.1") && r->dstport == 443)
EX(7, r->proto == 6 && (ip_is(&r->src, "172.16.17.18") ||
    ip_is(&r->dst, "172.16.17.19")))
EX(8, ip_is(&r->src, "2001:db8::1") || ip_is(&r->dst, "2001:db8::1"))
EX(9, in_net(&r->src, "10.0.0.0", 8))
EX(10, in_net(&r->dst, "192.168.0.0", 16))
EX(11, (in_net(&r->src, "2001:db8::", 32) || in_net(&r->dst, "2001:db8::",
    32)) && !(in_net(&r->src, "2001:db8:1::", 48) ||
    in_net(&r->dst, "2001:db8:1::", 48)))
EX(12, r->af == 6 && r->proto == 6 && r->srcport > 1024 &&
    r->dstport == 80)
EX(13, r->af == 4)
EX(14, ip_is(&r->src, "10.0.0.1") || ip_is(&r->src, "10.0.0.2") ||
    in_net(&r->src, "192.0.2.0", 24))
EX(15, r->dstport == 22 || r->dstport == 23 || r->dstport == 3389)
EX(16, (r->srcport > 1023 || r->dstport > 1023) &&
    (r->srcport < 2000 || r->dstport < 2000))
EX(17, port(r, 53))
EX(18, !(port(r, 80) || port(r, 443)))
EX(19, r->proto == 6 && tcpf(r, 2) && !tcpf(r, 16))
EX(20, tcpf(r, 0x12))
EX(21, r->proto == 6 && r->tcpflags == 2)
EX(22, r->proto == 1 && r->icmp_type == 8)
EX(23, (r->proto == 1 || r->proto == 58) && r->icmp_type == 3 &&
    r->icmp_code == 3)
EX(24, r->tos == 46)
EX(25, 0)		/* nftop keeps no post-ToS */
EX(26, r->pkts < 4)
EX(27, r->bytes > 1000000)
EX(28, r->bytes >= 1500 && r->pkts == 1)
EX(29, 0)		/* every record is one flow */
EX(30, dur(r) > 60000)
EX(31, pps(r) > 10000)
EX(32, bps(r) > 100000000)
EX(33, (r->pkts ? r->bytes / r->pkts : 0) < 64)
EX(34, r->inif == 5 && bps(r) > 10000)
EX(35, r->inif == 5 || r->outif == 5)
EX(36, r->outif == 6 && r->inif != 6)
EX(37, has(r, H_AS) && r->srcas == 13335)
EX(38, has(r, H_AS) && (r->dstas == 15169 || r->dstas == 8075 ||
    r->dstas == 32934))
EX(39, has(r, H_AS) && (r->srcas == 0 || r->dstas == 0))
EX(40, 0)		/* adjacent ASes are not carried */
EX(41, has(r, H_MASK) && r->srcmask == 24)
EX(42, has(r, H_VLAN) && r->vlan == 100)
EX(43, has(r, H_MAC) && memcmp(r->src_mac, mac1, 6) == 0)
EX(44, has(r, H_MPLS) && r->mpls_label >> 4 == 100)
EX(45, has(r, H_ENGINE) && src_of(r) != NULL &&
    src_of(r)->domain == (0 << 8 | 1))
EX(46, has(r, H_NEXTHOP) && ip_is(&r->nexthop, "192.0.2.254"))
EX(47, src_of(r) != NULL && ip_is(&src_of(r)->addr, "192.0.2.253"))
EX(48, has(r, H_FWD) && r->fwd_status == 2)
EX(49, has(r, H_DIR) && r->direction == 0)
EX(50, 0)		/* sources have no ident */
EX(51, 0)		/* no read order */
EX(52, 0)		/* no geo database */
EX(53, r->proto == 6 && (r->dstport == 22 || r->dstport == 3389) &&
    !in_net(&r->src, "10.0.0.0", 8))

struct example {
	const char	*filter;
	int		(*meaning)(const struct flow_rec *);
};

static const struct example examples[] = {
	{ "any", ex1 },
	{ "proto tcp", ex2 },
	{ "proto udp and port 53", ex3 },
	{ "not proto icmp", ex4 },
	{ "host 192.0.2.1", ex5 },
	{ "src ip 192.0.2.1 and dst port 443", ex6 },
	{ "proto tcp and ( src ip 172.16.17.18 or dst ip 172.16.17.19 )",
	    ex7 },
	{ "ip 2001:db8::1", ex8 },
	{ "src net 10.0.0.0/8", ex9 },
	{ "dst net 192.168.0.0 255.255.0.0", ex10 },
	{ "net 2001:db8::/32 and not net 2001:db8:1::/48", ex11 },
	{ "ipv6 and proto tcp and ( src port > 1024 and dst port 80 )",
	    ex12 },
	{ "ipv4 and not ipv6", ex13 },
	{ "src ip in [ 10.0.0.1 10.0.0.2 192.0.2.0/24 ]", ex14 },
	{ "dst port in [ 22, 23, 3389 ]", ex15 },
	{ "port > 1023 and port < 2000", ex16 },
	{ "src port 53 or dst port 53", ex17 },
	{ "not (port 80 or port 443)", ex18 },
	{ "proto tcp and flags S and not flags A", ex19 },
	{ "flags SA", ex20 },
	{ "flags =S", ex21 },
	{ "proto icmp and icmp-type 8", ex22 },
	{ "icmp-type 3 and icmp-code 3", ex23 },
	{ "tos 46", ex24 },
	{ "dst tos > 0", ex25 },
	{ "packets < 4", ex26 },
	{ "bytes > 1M", ex27 },
	{ "bytes >= 1500 and packets 1", ex28 },
	{ "flows > 10", ex29 },
	{ "duration > 60000", ex30 },
	{ "pps > 10k", ex31 },
	{ "bps > 100m", ex32 },
	{ "bpp < 64", ex33 },
	{ "in if 5 and bps > 10k", ex34 },
	{ "if 5", ex35 },
	{ "out if 6 and not in if 6", ex36 },
	{ "src as 13335", ex37 },
	{ "dst as in [ 15169 8075 32934 ]", ex38 },
	{ "as 0", ex39 },
	{ "prev as 3356 or next as 3356", ex40 },
	{ "src mask 24", ex41 },
	{ "vlan 100", ex42 },
	{ "in src mac 00:11:22:33:44:55", ex43 },
	{ "mpls label1 100", ex44 },
	{ "engine-type 0 and engine-id 1", ex45 },
	{ "next ip 192.0.2.254", ex46 },
	{ "router ip 192.0.2.253", ex47 },
	{ "fwdstat 2", ex48 },
	{ "flowdir ingress", ex49 },
	{ "ident router1", ex50 },
	{ "count < 100", ex51 },
	{ "src geo DE", ex52 },
	{ "proto tcp and (dst port 22 or dst port 3389) and not src net"
	    " 10.0.0.0/8", ex53 },
};

static struct filter *
compile(const char *text)
{
	struct filter_error e;
	struct filter *f;

	if ((f = filter_compile_ex(text, 0, &e)) == NULL) {
		print_error("'%s': %s\n", text, e.message);
		fail();
	}
	filter_set_sources(f, sources);
	return f;
}

static void
print_rec(const struct flow_rec *r)
{
	char s[64], d[64];

	print_error("  record: origin %u af %u %s:%u -> %s:%u proto %u flags"
	    " 0x%02x tos %u pkts %llu bytes %llu dur %llu if %u/%u as %u/%u"
	    " source %u\n", r->origin, r->af,
	    flow_addr_fmt(&r->src, s, sizeof(s)), r->srcport,
	    flow_addr_fmt(&r->dst, d, sizeof(d)), r->dstport, r->proto,
	    r->tcpflags, r->tos, (unsigned long long)r->pkts,
	    (unsigned long long)r->bytes, (unsigned long long)dur(r),
	    r->inif, r->outif, r->srcas, r->dstas, r->source);
}

/* Section 11: every example means what the table beside it says. */
static void
test_examples(void **state)
{
	struct filter *f;
	size_t i, j, hits;
	int want, got, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		f = compile(examples[i].filter);
		for (j = 0, hits = 0; j < NREC; j++) {
			want = examples[i].meaning(&recs[j]);
			got = filter_match(f, &recs[j]);
			hits += (size_t)got;
			if (want != got && bad++ < 5) {
				print_error("#%zu '%s' on record %zu: want %d,"
				    " got %d\n", i + 1, examples[i].filter, j,
				    want, got);
				print_rec(&recs[j]);
			}
		}
		filter_free(f);
	}
	assert_int_equal(bad, 0);
}

/* Spellings that must select the same records. */
static void
test_equivalent(void **state)
{
	static const char *const same[][4] = {
		{ "port 80", "src port 80 or dst port 80",
		    "src or dst port 80", "dst or src port 80" },
		{ "src and dst port 80", "src port 80 and dst port 80",
		    "dst and src port 80", NULL },
		{ "not (port 80 or proto udp)", "not port 80 and not proto"
		    " udp", "!(port 80 || proto udp)", NULL },
		{ "port in [1023 1024 80]", "port 1023 or port 1024 or port"
		    " 80", "port in [80, 1023,1024, 80]", NULL },
		{ "ip in [ 10.0.0.0/8 192.0.2.1 ]", "net 10.0.0.0/8 or host"
		    " 192.0.2.1", "ip in [192.0.2.1,10.0.0.0/8]", NULL },
		{ "net 10.0.0.0/8", "net 10.0.0.0 255.0.0.0", "net 10.0/8",
		    "net 10.1.2.3/8" },
		{ "net 192.0.2.0/24", "net 192.0.2/24", "net 192.0.2.99/24",
		    "net 192.0.2.0 255.255.255.0" },
		{ "flags X", "flags FSRPAU", "flags UAPRSF", NULL },
		{ "flags =SA", "flags 18", "flags = 0x12", NULL },
		{ "flags > 2", "flags gt 2", "proto tcp and flags >2", NULL },
		{ "as in [ 0 ]", "as 0", "src as 0 or dst as 0", NULL },
		{ "xip 10.0.0.1", "nat ip 10.0.0.1", "xlate ip 10.0.0.1",
		    "src nat ip 10.0.0.1 or dst nat ip 10.0.0.1" },
		{ "src xip 10.0.0.1", "src nat ip 10.0.0.1", NULL, NULL },
		{ "xport 80", "nat port 80", "nport 80", NULL },
		{ "xnet 10.0.0.0/8", "nat net 10.0.0.0/8", NULL, NULL },
		{ "bgpnext ip 10.0.0.1", "bgp next ip 10.0.0.1", NULL, NULL },
		{ "inet", "ipv4", "not ipv6", NULL },
		{ "dir 1", "flowdir egress", "flowdir 1", NULL },
		{ "sysid 2", "exporter id 2", "exporter sysid 2",
		    "exporter 2" },
		{ "port > 1023", "port gt 1023", "port>1023", "not (src"
		    " port <= 1023 and dst port <= 1023)" },
		{ "packets >= 5", "not packets < 5", "packets ge 5", NULL },
		{ "%lbl (port 80)", "(port 80) %lbl", "port 80", NULL },
		{ "icmp type 8", "icmp-type 8", "icmp-type = 8", NULL },
		{ "engine type 1", "engine-type 1", NULL, NULL },
		{ "tos 46", "src tos 46", "src or dst tos 46", NULL },
		{ "if 3", "in if 3 or out if 3", NULL, NULL },
		{ "mac 00:11:22:33:44:55", "in mac 0:11:22:33:44:55",
		    "src mac 00:11:22:33:44:55 or dst mac 00:11:22:33:44:55",
		    NULL },
		{ "vlan 100", "src vlan 100", "src or dst vlan 100", NULL },
		{ "any", "not not any", "port 80 or not port 80", "" },
		{ "not any", "port 80 and not port 80", "ipv4 and ipv6",
		    NULL },
		{ "proto 6", "proto tcp", "proto TCP", "proto 0x6" },
		{ "flowlabel x and port 80", "port 80", NULL, NULL },
	};
	struct filter *f[4];
	size_t i, j, k;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		for (k = 0; k < 4 && same[i][k] != NULL; k++)
			f[k] = compile(same[i][k]);
		for (j = 0; j < NREC; j++)
			for (k = 1; k < 4 && same[i][k] != NULL; k++)
				if (filter_match(f[0], &recs[j]) !=
				    filter_match(f[k], &recs[j]) &&
				    bad++ < 5) {
					print_error("'%s' and '%s' differ on"
					    " record %zu\n", same[i][0],
					    same[i][k], j);
					print_rec(&recs[j]);
				}
		for (k = 0; k < 4 && same[i][k] != NULL; k++)
			filter_free(f[k]);
	}
	assert_int_equal(bad, 0);
}

/* Large random lists against a linear search. */
static void
test_sets(void **state)
{
	struct flow_addr list[300];
	int plen[300], nport[2000];
	struct filter *f;
	char *text;
	size_t i, j, n, o, round;
	int want, got, bad = 0;

	(void)state;
	text = malloc(1 << 16);
	for (round = 0; round < 4; round++) {
		/* Ports. */
		n = 1 + rnd() % 2000;
		o = (size_t)snprintf(text, 1 << 16, "port in [");
		for (i = 0; i < n; i++) {
			nport[i] = (int)(rnd() % 2 ? PICK(ports) :
			    rnd() % 65536);
			o += (size_t)snprintf(text + o, (1 << 16) - o, "%s%d",
			    i == 0 || rnd() % 2 ? " " : ", ", nport[i]);
		}
		snprintf(text + o, (1 << 16) - o, " ]");
		if (i == 0)
			continue;
		f = compile(text);
		for (j = 0; j < NREC; j++) {
			for (i = 0, want = 0; i < n && !want; i++)
				want = port(&recs[j], nport[i]);
			got = filter_match(f, &recs[j]);
			if (want != got && bad++ < 5)
				print_error("port list round %zu, record"
				    " %zu\n", round, j);
		}
		filter_free(f);
		/* Addresses, mixed families and prefix lengths. */
		n = 1 + rnd() % 300;
		o = (size_t)snprintf(text, 1 << 16, "src ip in [");
		for (i = 0; i < n; i++) {
			char s[64];
			int v6 = rnd() % 3 == 0, k;

			addr(&list[i], v6 ? PICK(v6pool) : PICK(v4pool));
			if (!v6)
				list[i].b[15] = (uint8_t)(rnd() % 4 ?
				    list[i].b[15] : rnd());
			v6 = !flow_addr_is4(&list[i]);
			plen[i] = rnd() % 2 ? -1 : (int)(rnd() %
			    (v6 ? 129 : 33));
			flow_addr_fmt(&list[i], s, sizeof(s));
			k = snprintf(text + o, (1 << 16) - o, "%s%s", i ?
			    (rnd() % 2 ? " " : ", ") : " ", s);
			o += (size_t)k;
			if (plen[i] >= 0)
				o += (size_t)snprintf(text + o, (1 << 16) - o,
				    "/%d", plen[i]);
		}
		snprintf(text + o, (1 << 16) - o, " ]");
		f = compile(text);
		for (j = 0; j < NREC; j++) {
			for (i = 0, want = 0; i < n && !want; i++) {
				char s[64];

				if (plen[i] < 0) {
					want = memcmp(&recs[j].src, &list[i],
					    16) == 0;
					continue;
				}
				flow_addr_fmt(&list[i], s, sizeof(s));
				want = in_net(&recs[j].src, s, plen[i]);
			}
			got = filter_match(f, &recs[j]);
			if (want != got && bad++ < 5) {
				print_error("address list round %zu, record"
				    " %zu: want %d got %d; %s\n", round, j,
				    want, got, text);
				print_rec(&recs[j]);
			}
		}
		filter_free(f);
	}
	free(text);
	assert_int_equal(bad, 0);
}

/* Fields a protocol does not carry: false, and true when negated. */
static void
test_absent(void **state)
{
	struct flow_rec r;
	struct filter *f;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.af = 4;
	r.origin = FLOW_ORIGIN_NF5;
	addr(&r.src, "10.0.0.1");
	addr(&r.dst, "10.0.0.2");
	f = compile("vlan 0");
	assert_false(filter_match(f, &r));
	r.origin = FLOW_ORIGIN_NF9;	/* may carry it: compares 0 */
	assert_true(filter_match(f, &r));
	filter_free(f);
	r.origin = FLOW_ORIGIN_NF5;
	f = compile("not vlan 5 and not mpls label1 0 and not fwdstat 0"
	    " and not flowdir 0 and not out packets 0 and not dst tos 0"
	    " and not tun ip 10.0.0.1 and not ttl 0 and not server latency 0"
	    " or client latency 0");
	assert_true(filter_match(f, &r));
	filter_free(f);
	f = compile("as 0 and src mask 0 and next ip 0.0.0.0");
	assert_false(filter_match(f, &r));	/* nexthop is all zero */
	addr(&r.nexthop, "0.0.0.0");
	assert_true(filter_match(f, &r));
	r.origin = FLOW_ORIGIN_NF1;		/* v1 has no AS, no masks */
	assert_false(filter_match(f, &r));
	filter_free(f);
	f = compile("nfversion 1");
	assert_true(filter_match(f, &r));
	r.origin = FLOW_ORIGIN_SFLOW;
	assert_false(filter_match(f, &r));	/* sFlow is no NetFlow */
	filter_free(f);
	f = compile("nfversion > 4");
	r.origin = FLOW_ORIGIN_IPFIX;
	assert_true(filter_match(f, &r));
	filter_free(f);
}

/* Exporter primitives need the source table; without it they fail. */
static void
test_exporter(void **state)
{
	struct filter_error e;
	struct flow_rec r;
	struct filter *f;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.af = 4;
	r.origin = FLOW_ORIGIN_NF5;
	r.source = 2;			/* 192.0.2.253, engine 1/2 */
	f = filter_compile_ex("router ip 192.0.2.253 and engine-type 1 and"
	    " engine-id 2 and exporter id 3 and exporter ip 192.0.2.253 and"
	    " router net 192.0.2.0/24", 0, &e);
	assert_non_null(f);
	assert_false(filter_match(f, &r));
	filter_set_sources(f, sources);
	assert_true(filter_match(f, &r));
	r.source = 7;			/* beyond the table */
	assert_false(filter_match(f, &r));
	filter_free(f);
}

/* The same filter text gives the same program whatever came before. */
static void
test_reentrant(void **state)
{
	struct filter_error e;
	struct filter *a, *c;
	size_t j;

	(void)state;
	a = compile("proto tcp and port in [ 80 443 ] or net 10.0.0.0/8");
	assert_null(filter_compile_ex("((((( port", 0, &e));
	c = compile("proto tcp and port in [ 80 443 ] or net 10.0.0.0/8");
	for (j = 0; j < NREC; j++)
		assert_int_equal(filter_match(a, &recs[j]),
		    filter_match(c, &recs[j]));
	filter_free(a);
	filter_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_equivalent),
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_exporter),
		cmocka_unit_test(test_reentrant),
	};
	const char *s;

	if ((s = getenv("FILTER_SEED")) != NULL)
		seed = strtoull(s, NULL, 0);
	if (seed == 0)
		seed = 1;
	printf("# seed %llu (FILTER_SEED to repeat)\n",
	    (unsigned long long)seed);
	return cmocka_run_group_tests_name("filter-sem", tests, setup,
	    teardown);
}
