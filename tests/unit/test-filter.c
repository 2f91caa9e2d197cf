/*
 * test-filter.c - the filter language's grammar: what is accepted and
 * what is refused (both nfdump grammars, FILTER.md sections 1, 2 and 8),
 * error messages with column and hints (section 6), the traps of section
 * 9, numbers, comments, includes, limits, completion and filter_text().
 * What filters mean on records is in test-filter-sem.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "filter.h"

struct accept_case {
	const char	*text;
	int		 ok;
};

/* One test record: TCP 10.1.1.1:1234 -> 192.0.2.1:80. */
static void
rec_init(struct flow_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->af = 4;
	r->origin = FLOW_ORIGIN_NF5;
	flow_addr_parse(&r->src, "10.1.1.1");
	flow_addr_parse(&r->dst, "192.0.2.1");
	flow_addr_parse(&r->nexthop, "0.0.0.0");
	r->srcport = 1234;
	r->dstport = 80;
	r->proto = 6;
	r->tcpflags = 0x12;
	r->pkts = 10;
	r->bytes = 5000;
	r->first_msec = 1000;
	r->last_msec = 2000;
	r->srcas = 64512;
	r->dstas = 13335;
	r->inif = 5;
	r->outif = 6;
}

static int
matches(const char *text, const struct flow_rec *r)
{
	struct filter_error e;
	struct filter *f;
	int m;

	f = filter_compile_ex(text, 0, &e);
	if (f == NULL) {
		print_error("filter '%s' did not compile: %s\n", text,
		    e.message);
		fail();
	}
	m = filter_match(f, r);
	filter_free(f);
	return m;
}

static void
check_accept(const struct accept_case *c, size_t n)
{
	struct filter_error e;
	struct filter *f;
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		f = filter_compile_ex(c[i].text, 0, &e);
		if ((f != NULL) != c[i].ok) {
			print_error("'%s': expected %s, got %s%s\n", c[i].text,
			    c[i].ok ? "accept" : "reject",
			    f != NULL ? "accept" : "reject: ",
			    f != NULL ? "" : e.message);
			bad++;
		}
		filter_free(f);
	}
	assert_int_equal(bad, 0);
}

/* The 1.7.5+ grammar (section 2) and the classic spellings (section 8). */
static void
test_accept(void **state)
{
	static const struct accept_case cases[] = {
		{ "", 1 }, { "   ", 1 }, { "any", 1 }, { "ANY", 1 },
		{ "# only a comment", 1 },
		{ "proto tcp # trailing comment", 1 },
		{ "proto tcp and (port 80 or port 443) # web", 1 },
		{ "Proto Tcp And Port 443", 1 }, { "SRC IP 10.1.1.1", 1 },
		{ "((proto tcp))", 1 }, { "not not proto tcp", 1 },
		{ "! proto icmp", 1 }, { "not proto udp and port 5353", 1 },
		{ "ipv4", 1 }, { "ipv6", 1 }, { "inet", 1 }, { "inet6", 1 },
		{ "ident router1", 1 }, { "ident router_1-a", 1 },
		{ "ident 'router-1'", 1 }, { "count < 100", 1 },
		{ "cnt 5", 1 }, { "engine-type 0", 1 },
		{ "engine-id > 1", 1 }, { "engine type 1", 1 },
		{ "engine id 1", 1 }, { "exporter id 1", 1 },
		{ "exporter sysid < 3", 1 }, { "exporter 1", 1 },
		{ "exporter ip 10.0.0.1", 1 }, { "sysid 1", 1 },
		{ "proto 6", 1 }, { "proto TCP", 1 }, { "proto esp", 1 },
		{ "proto icmp6", 1 }, { "proto ipv6", 1 }, { "proto icmp", 1 },
		{ "proto 'udp'", 1 }, { "tun proto gre", 1 },
		{ "port 80", 1 }, { "port = 80", 1 }, { "port == 80", 1 },
		{ "port=80", 1 }, { "port==80", 1 }, { "port =80", 1 },
		{ "port>1023", 1 }, { "port eq 80", 1 }, { "port gt 1023", 1 },
		{ "src port 65535", 1 }, { "src nat port 1024", 1 },
		{ "nat port 1024", 1 }, { "port in [80 443 8080]", 1 },
		{ "port in [80,443,8080]", 1 }, { "dst port in [ 22, 23 ]", 1 },
		{ "port in nat pblock", 1 }, { "port in pblock", 1 },
		{ "icmp-type 8", 1 }, { "icmp-type > 3", 1 },
		{ "icmp-code 0", 1 }, { "icmp type 8", 1 },
		{ "icmp code 0", 1 }, { "flags S", 1 }, { "flags SA", 1 },
		{ "flags AS", 1 }, { "flags X", 1 }, { "flags C", 1 },
		{ "flags E", 1 }, { "flags =S", 1 }, { "flags =SA", 1 },
		{ "flags 0x12", 1 }, { "flags > 2", 1 }, { "tos 46", 1 },
		{ "tos 0x10", 1 }, { "dst tos > 0", 1 }, { "src tos 0", 1 },
		{ "ttl 64", 1 }, { "min ttl > 10", 1 }, { "max ttl equal", 1 },
		{ "ttl equal", 1 }, { "fwdstat 2", 1 }, { "fwdstat drop", 1 },
		{ "fwdstat Forw", 1 }, { "fwdstat > 2", 1 },
		{ "duration > 60000", 1 }, { "pps > 10k", 1 },
		{ "bps > 100m", 1 }, { "bpp < 64", 1 }, { "bpp<=64", 1 },
		{ "flows > 10", 1 }, { "packets > 0x10", 1 },
		{ "in packets > 5", 1 }, { "out bytes > 100", 1 },
		{ "bytes 1k", 1 }, { "bytes > 1M", 1 }, { "bytes > 1g", 1 },
		{ "bytes > 1T", 1 }, { "ip 2001:db8::1", 1 }, { "ip ::1", 1 },
		{ "host 192.0.2.1", 1 }, { "next ip 10.0.0.1", 1 },
		{ "bgp next ip 10.0.0.1", 1 }, { "bgpnext ip 10.0.0.1", 1 },
		{ "router ip 10.0.0.1", 1 }, { "src nat ip 10.0.0.1", 1 },
		{ "nat ip 10.0.0.1", 1 }, { "xip 10.0.0.1", 1 },
		{ "nip 10.0.0.1", 1 }, { "src xip 10.0.0.1", 1 },
		{ "tun ip 10.0.0.1", 1 }, { "src tun ip 10.0.0.1", 1 },
		{ "tunip 10.0.0.1", 1 }, { "xport 80", 1 }, { "nport > 80", 1 },
		{ "xnet 10.0.0.0/8", 1 },
		{ "ip in [10.0.0.0/8 192.168.1.1]", 1 },
		{ "ip in [ 10.0.0.0/8, 192.168.0.0/16, 2001:db8::/32 ]", 1 },
		{ "next ip in [ 10.0.0.1 ]", 1 },
		{ "net 10.0.0.0/8", 1 }, { "net 10.0.0.0 255.0.0.0", 1 },
		{ "net 172.16/16", 1 }, { "net fe80::/10", 1 },
		{ "src nat net 10.0.0.0/8", 1 }, { "if 5", 1 },
		{ "in if 5", 1 }, { "out if 6", 1 }, { "vlan 4095", 1 },
		{ "src vlan 10", 1 }, { "mask 24", 1 }, { "src mask 0", 1 },
		{ "as 0", 1 }, { "as > 4294967295", 1 }, { "prev as 1", 1 },
		{ "next as 174", 1 }, { "as in [ 1 2 3 ]", 1 },
		{ "src as in [ 1, 2 3 ]", 1 }, { "prev as in [ 3356 ]", 1 },
		{ "etherType 0x86dd", 1 }, { "flowdir 1", 1 },
		{ "flowdir ingress", 1 }, { "dir 1", 1 }, { "dir egress", 1 },
		{ "mpls label1 100", 1 }, { "mpls exp1 3", 1 },
		{ "mpls eos 16", 1 }, { "mpls any 100", 1 },
		{ "mac 00:11:22:33:44:55", 1 },
		{ "in src mac 00:11:22:33:44:55", 1 },
		{ "out dst mac 0:1:2:3:4:5", 1 }, { "client latency > 10", 1 },
		{ "server latency > 5", 1 }, { "app latency 5", 1 },
		{ "asa event create", 1 }, { "asa event 5", 1 },
		{ "asa denied ingress", 1 }, { "asa xevent > 1000", 1 },
		{ "ingress acl 1", 1 }, { "ingress ACL 5", 1 },
		{ "egress acl > 5", 1 }, { "ingress vrf 5", 1 },
		{ "nat event add", 1 }, { "nat event 4", 1 },
		{ "nat pblock start > 1000", 1 }, { "pblock end < 5", 1 },
		{ "payload content 'GET'", 1 },
		{ "payload regex 'GET|POST' i", 1 },
		{ "payload ja3 defined", 1 },
		{ "payload dns name example", 1 },
		{ "payload tls sni example", 1 }, { "geo CH", 1 },
		{ "src geo DE", 1 }, { "geo IN", 1 }, { "src geo in", 1 },
		{ "src  geo  DE", 1 }, { "observation domain id 5", 1 },
		{ "observation point id > 7", 1 }, { "pf action block", 1 },
		{ "pf rule 5", 1 }, { "pf dir in", 1 },
		{ "first seen > 2024-07-11", 1 },
		{ "first seen > 2024-07-11T09:15", 1 },
		{ "last seen < 2025-01-01T12:30:00.500", 1 },
		{ "first seen > 2024", 1 }, { "nfversion 9", 1 },
		{ "flowlabel web", 1 }, { "%mylabel (proto tcp)", 1 },
		{ "(proto tcp) %mylabel", 1 },
		{ "src and dst ip 10.0.0.1", 1 }, { "src or dst port 80", 1 },
		{ "dst and src port 80", 1 }, { "src and dst tos 0", 1 },
		{ "src ip 10.1.1.1 && dst port 80", 1 },
		{ "src ip 10.1.1.1 || dst port 80", 1 },
		{ "proto tcp and (\n port 80\n or port 443)", 1 },
		{ "host localhost", 1 }, { "src ip in [ localhost ]", 1 },
	};

	(void)state;
	check_accept(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_reject(void **state)
{
	static const struct accept_case cases[] = {
		{ "()", 0 }, { "(src ip 10.0.0.1", 0 },
		{ "src ip 10.0.0.1 and", 0 }, { "not", 0 },
		{ "src ip 10.1.1.1 dst port 80", 0 }, { "port != 80", 0 },
		{ "ip 10.0.0.0/8", 0 }, { "net 10.0.0.0/255.0.0.0", 0 },
		{ "if > 5", 0 }, { "vlan > 10", 0 }, { "port in [80-90]", 0 },
		{ "port in []", 0 }, { "port in [ 1, 2, ]", 0 },
		{ "bps > 1.5m", 0 }, { "bytes > 10KB", 0 },
		{ "bytes > 10Kb", 0 }, { "proto foo", 0 },
		{ "proto ipv6-icmp", 0 }, { "proto a", 0 },
		{ "src port 65536", 0 }, { "port in [ 70000 ]", 0 },
		{ "proto 256", 0 }, { "net 10.0.0.0/33", 0 },
		{ "net 2001:db8::/129", 0 }, { "net 172.16/24", 0 },
		{ "src net 10/8", 0 }, { "flags s", 0 }, { "flags SS", 0 },
		{ "flags = SA", 0 }, { "flags ==S", 0 }, { "flags 256", 0 },
		{ "mac 00-11-22-33-44-55", 0 }, { "mac 0011.2233.4455", 0 },
		{ "mac 00:00:00:00:00:00", 0 }, { "flowdir 2", 0 },
		{ "ingress ACE 5", 0 }, { "egress xace 5", 0 },
		{ "geo 'IN'", 0 }, { "src geo 'IN'", 0 }, { "geo DEU", 0 },
		{ "mpls label0 5", 0 }, { "mpls label11 5", 0 },
		{ "mpls label 5", 0 }, { "mpls exp1 8", 0 },
		{ "mpls foo 1", 0 },
		{ "ident \"router 1\"", 0 }, { "ident any and", 0 },
		{ "host www.example.invalid", 0 }, { "proto tcp\r\n", 0 },
		{ "src ip 10.1.1.1 & dst port 80", 0 }, { "{ any }", 0 },
		{ "any;", 0 }, { "tos 256", 0 }, { "if 4294967296", 0 },
		{ "as 4294967296", 0 }, { "bytes 18446744073709551616", 0 },
		{ "bytes 20000000000000000k", 0 }, { "nfversion 11", 0 },
		{ "src duration 5", 0 }, { "src packets 5", 0 },
		{ "router ip localhost", 0 }, { "next ip localhost", 0 },
		{ "ip in [ 10.0.0.0/33 ]", 0 }, { "fwdstat bogus", 0 },
		{ "first seen > yesterday", 0 }, { "first > 5", 0 },
		{ "asa event foo", 0 }, { "pf action fly", 0 },
		{ "payload ja3 1234", 0 }, { "payload foo bar", 0 },
		{ "exporter foo 1", 0 }, { "engine foo 1", 0 },
		{ "bgp ip 10.0.0.1", 0 }, { "net 10.0.0.0 ffff::", 0 },
		{ "%averyveryverylonglabel (any)", 0 }, { "any any", 0 },
		{ "proto tcp and xyz 5", 0 }, { "'proto' tcp", 0 },
		{ "port '80'", 0 }, { "@include", 0 },
		{ "@include /nonexistent/filter.flt", 0 },
		{ "@include /dev/null", 0 }, { "\"unterminated", 0 },
	};

	(void)state;
	check_accept(cases, sizeof(cases) / sizeof(cases[0]));
}

struct error_case {
	const char	*text;
	const char	*nfdump;	/* nfdump's own part, exactly */
	int		 column;
	const char	*hint;		/* a substring of the rest */
};

/* Section 6: nfdump's text, then the column and what was valid there. */
static void
test_errors(void **state)
{
	static const struct error_case cases[] = {
		{ "src ip 10.1.1.1 dst port 80",
		    "Line 1: syntax error at 'dst'", 17,
		    "and, or, <end of filter>" },
		{ "src ip 10.0.0.1 and", "Line 1: syntax error at ''", 20,
		    "proto" },
		{ "(src ip 10.0.0.1", "Line 1: syntax error at ''", 17,
		    "')'" },
		{ "()", "Line 1: syntax error at ')'", 2, "proto" },
		{ "src port 65536",
		    "Line 1: Port number: 65536 out of range at '65536'", 10,
		    "0..65535" },
		{ "proto 256", "Line 1: Protocol 256 out of range at '256'", 7,
		    "0..255" },
		{ "proto foo", "Line 1: Unknown protocol: foo at 'foo'", 7,
		    "tcp, udp" },
		{ "flags s", "Line 1: Unknown flags at 's'", 7, "FSRPAUEC" },
		{ "net 10.0.0.0/33",
		    "Line 1: Prefix 33 out of range for IPv4 address at '33'",
		    14, "0..32" },
		{ "net 2001:db8::/129", "Line 1: Prefix 129 out of range for"
		    " IPv6 address at '129'", 16, "0..128" },
		{ "flowdir 2", "Line 1: Unknown flowdir: 2 at '2'", 9, "0" },
		{ "port != 80", "Line 1: syntax error at '!'", 6, "<number>" },
		{ "ip 10.0.0.0/8", "Line 1: syntax error at '/'", 12, "and" },
		{ "net 10.0.0.0/255.0.0.0",
		    "Line 1: syntax error at '255.0.0.0'", 14, "<number>" },
		{ "if > 5", "Line 1: syntax error at '>'", 4, "<number>" },
		{ "bps > 1.5m", "Line 1: syntax error at '1.5m'", 7,
		    "<number>" },
		{ "geo 'IN'", "Line 1: syntax error at ''IN''", 5, "country" },
		{ "mac 00-11-22-33-44-55",
		    "Line 1: Invalid MAC address format at"
		    " '00-11-22-33-44-55'", 5, "xx:xx" },
		{ "mpls label11 5",
		    "Line 1: MPLS label out of range 1..10 at '5'", 14,
		    "label1" },
		{ "ingress ACE 5", "Line 1: syntax error at 'ACE'", 9, "acl" },
		{ "src duration 5", "Line 1: syntax error at 'duration'", 5,
		    "ip" },
		{ "in port 80", "Line 1: Invalid direction for port at 'port'",
		    4, "valid qualifiers: none, src, dst" },
		{ "proto tcp and\n  xyz 5", "Line 2: syntax error at 'xyz'", 3,
		    "proto" },
		{ "proto tcp\r", "Line 1: syntax error at '\\r'", 10, "and" },
		{ "proto tcp & port 80", "Line 1: syntax error at '&'", 11,
		    "and" },
		{ "ident \"router 1\"", "Line 1: Invalid char in ident string:"
		    " router 1:   at '\"router 1\"'", 7, "A-Z" },
	};
	struct filter_error e;
	struct filter *f;
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = filter_compile_ex(cases[i].text, 0, &e);
		if (f != NULL) {
			print_error("'%s' compiled\n", cases[i].text);
			filter_free(f);
			bad++;
			continue;
		}
		if (strcmp(e.nfdump, cases[i].nfdump) != 0 ||
		    e.column != cases[i].column ||
		    strstr(e.expected, cases[i].hint) == NULL ||
		    strncmp(e.message, e.nfdump, strlen(e.nfdump)) != 0) {
			print_error("'%s':\n got  %s | col %d | %s\n want %s |"
			    " col %d | %s\n", cases[i].text, e.nfdump,
			    e.column, e.expected, cases[i].nfdump,
			    cases[i].column, cases[i].hint);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* filter_compile()'s one-line message and the caret picture. */
static void
test_error_text(void **state)
{
	const char *text = "src ip 10.1.1.1 dst port 80";
	struct filter_error e;
	char err[600], caret[200];

	(void)state;
	assert_null(filter_compile(text, err, sizeof(err)));
	assert_string_equal(err, "Line 1: syntax error at 'dst' (column 17;"
	    " expected and, or, <end of filter>)");
	/* nfdump's '' for a filter that stops short, said in words. */
	assert_null(filter_compile("proto tcp and (", err, sizeof(err)));
	assert_non_null(strstr(err, "at '' (column 16, the end; expected "));
	assert_null(filter_compile_ex(text, 0, &e));
	assert_int_equal(e.offset, 16);
	assert_int_equal(e.length, 3);
	filter_error_caret(text, &e, caret, sizeof(caret));
	assert_string_equal(caret, "src ip 10.1.1.1 dst port 80\n"
	    "                ^^^");
	/* A short buffer gets a truncated, terminated message. */
	assert_null(filter_compile(text, err, 12));
	assert_string_equal(err, "Line 1: syn");
	assert_null(filter_compile(text, NULL, 0));
}

/* Section 9, the traps, one by one. */
static void
test_traps(void **state)
{
	struct filter_error e;
	struct flow_rec r;
	struct filter *f;

	(void)state;
	rec_init(&r);
	/* 1. No implicit AND. */
	assert_null(filter_compile_ex("src ip 10.1.1.1 dst port 80", 0, &e));
	/* 2. "port=80" works as in nfdump 1.7.1 (1.7.5+ broke it). */
	assert_true(matches("port=80", &r));
	assert_true(matches("dst port==80", &r));
	assert_false(matches("port =81", &r));
	/* 3. "flags AS" is letters even though "as" is a keyword. */
	r.tcpflags = 0x12;
	assert_true(matches("flags AS", &r));
	assert_true(matches("flags SA", &r));
	r.tcpflags = 0x02;
	assert_false(matches("flags AS", &r));
	/* 4. Country codes that are keywords ("in", "lt") lex as codes;
	 * quoting them fails in both nfdump versions and here. */
	assert_non_null(f = filter_compile_ex("geo IN or src geo lt", 0,
	    &e));
	filter_free(f);
	assert_null(filter_compile_ex("geo 'IN'", 0, &e));
	/* 5. Removed classic spellings are kept. */
	assert_true(matches("inet and not inet6", &r));
	/* 6. "first seen" with a full timestamp (UTC). */
	r.first_msec = UINT64_C(1720689300000);	/* 2024-07-11T09:15 */
	r.last_msec = r.first_msec + 500;
	assert_true(matches("first seen = 2024-07-11T09:15", &r));
	assert_true(matches("first seen >= 2024-07-11T09:15:00.000", &r));
	assert_false(matches("first seen > 2024-07-11T09:15", &r));
	assert_true(matches("last seen > 2024-07-11T09:15:00.499", &r));
	assert_true(matches("first seen > 2024", &r));
	assert_true(matches("first seen < 2025", &r));
	/* 7. "flags S and not flags AFRPU" is not "SYN only": not flags
	 * AFRPU is true unless all five are set (1.7.5+ semantics). */
	r.tcpflags = 0x12;		/* SYN+ACK */
	assert_true(matches("flags S and not flags AFRPU", &r));
	assert_false(matches("flags =S", &r));
	r.tcpflags = 0x02;
	assert_true(matches("flags =S", &r));
	/* 8. Protocol names are whole names, not prefixes. */
	assert_null(filter_compile_ex("proto t", 0, &e));
	assert_string_equal(e.nfdump, "Line 1: Unknown protocol: t at 't'");
	assert_true(matches("proto TCP and proto Tcp", &r));
	/* 9. A CR (a CRLF file) is an error, not whitespace. */
	assert_null(filter_compile_ex("proto tcp\r\n", 0, &e));
	/* 10. bps, pps, bpp use the in counters; zero duration gives 0. */
	r.first_msec = r.last_msec = 5000;
	r.pkts = 1;
	r.bytes = 1500;
	assert_false(matches("bps > 0", &r));
	assert_false(matches("pps > 0", &r));
	assert_true(matches("bpp 1500", &r));
}

static void
test_numbers(void **state)
{
	struct flow_rec r;

	(void)state;
	rec_init(&r);
	r.bytes = 1000000;
	assert_true(matches("bytes 1m", &r));
	assert_true(matches("bytes 1M", &r));
	assert_true(matches("bytes 1000k", &r));
	assert_true(matches("bytes 0xf4240", &r));
	assert_true(matches("bytes 0XF4240", &r));
	assert_false(matches("bytes 1024k", &r));
	r.bytes = UINT64_C(3000000000);
	assert_true(matches("bytes 3g", &r));
	r.bytes = UINT64_C(2000000000000);
	assert_true(matches("bytes 2t", &r));
	r.bytes = UINT64_MAX;
	assert_true(matches("bytes 18446744073709551615", &r));
	assert_true(matches("bytes 0xffffffffffffffff", &r));
	/* Leading zeros are decimal, not octal. */
	r.dstport = 80;
	assert_true(matches("port 080", &r));
}

/* Precedence and associativity, section 2. */
static void
test_precedence(void **state)
{
	struct flow_rec r;

	(void)state;
	rec_init(&r);
	r.proto = 6;
	r.srcport = 1;
	r.dstport = 2;
	/* or binds weaker than and. */
	assert_true(matches("proto tcp or proto udp and port 5353", &r));
	assert_false(matches("(proto tcp or proto udp) and port 5353", &r));
	/* not binds tighter than and. */
	assert_false(matches("not proto tcp and port 5353", &r));
	assert_true(matches("not (proto tcp and port 5353)", &r));
	assert_true(matches("not not proto tcp", &r));
	assert_false(matches("! ! ! proto tcp", &r));
	assert_true(matches("port 1 and port 2 and proto tcp", &r));
	assert_true(matches("port 9 or port 8 or port 2", &r));
	assert_true(matches("any and any or not any", &r));
	assert_false(matches("not any", &r));
	assert_true(matches("port 9 and port 8 or port 2 and port 1", &r));
	assert_false(matches("port 9 and (port 8 or port 2) and port 1",
	    &r));
}

static void
test_text(void **state)
{
	struct filter *f;

	(void)state;
	f = filter_compile("  proto tcp and port 80  ", NULL, 0);
	assert_string_equal(filter_text(f), "proto tcp and port 80");
	filter_free(f);
	f = filter_compile("", NULL, 0);
	assert_string_equal(filter_text(f), "any");
	filter_free(f);
	f = filter_compile(" # nothing but a comment", NULL, 0);
	assert_string_equal(filter_text(f), "any");
	filter_free(f);
	f = filter_compile(NULL, NULL, 0);
	assert_string_equal(filter_text(f), "any");
	filter_free(f);
	filter_free(NULL);
}

static void
test_include(void **state)
{
	char dir[] = "/tmp/test-filter.======", a[64], b[64], text[128];
	struct filter_error e;
	struct flow_rec r;
	struct filter *f;
	FILE *fp;

	(void)state;
	/* mkdtemp's template: six capital X where the '=' are. */
	memset(strchr(dir, '='), 'X', 6);
	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.flt", dir);
	snprintf(b, sizeof(b), "%s/b.flt", dir);
	fp = fopen(a, "w");
	fprintf(fp, "port 22 # ssh\nor port 80\n");
	fclose(fp);
	fp = fopen(b, "w");
	fprintf(fp, "\n\nport 5 5\n");
	fclose(fp);
	rec_init(&r);
	snprintf(text, sizeof(text), "proto tcp and (\n@include %s\n)", a);
	assert_true(matches(text, &r));
	r.dstport = 81;
	assert_false(matches(text, &r));
	/* An error in an included file names the file and its line. */
	snprintf(text, sizeof(text), "@include %s", b);
	assert_null(filter_compile_ex(text, 0, &e));
	snprintf(text, sizeof(text), "File '%s' line 3: syntax error at '5'",
	    b);
	assert_string_equal(e.nfdump, text);
	/* Includes can be refused (the fuzzer and the prompt do). */
	snprintf(text, sizeof(text), "@include %s", a);
	assert_null(filter_compile_ex(text, FILTER_F_NOINCLUDE, &e));
	/* Including itself ends at the nesting limit, with an error. */
	fp = fopen(b, "w");
	fprintf(fp, "@include %s\n", b);
	fclose(fp);
	snprintf(text, sizeof(text), "@include %s", b);
	assert_null(f = filter_compile_ex(text, 0, &e));
	assert_non_null(strstr(e.nfdump, "Too many nested file includes"));
	unlink(a);
	unlink(b);
	rmdir(dir);
}

static void
test_hosts(void **state)
{
	struct filter_error e;
	struct flow_rec r;

	(void)state;
	rec_init(&r);
	flow_addr_parse(&r.src, "127.0.0.1");
	/* localhost is in every /etc/hosts; names come only from there. */
	assert_true(matches("host localhost", &r));
	assert_true(matches("src ip in [ localhost 10.0.0.9 ]", &r));
	assert_null(filter_compile_ex("host localhost", FILTER_F_NOHOSTS,
	    &e));
	assert_null(filter_compile_ex("host no-such-host.invalid", 0, &e));
	assert_string_equal(e.nfdump, "Line 1: Can not parse/lookup"
	    " no-such-host.invalid to an IP address at"
	    " 'no-such-host.invalid'");
}

#define BUFLEN	(1 << 20)

static void
test_limits(void **state)
{
	struct filter_error e;
	struct flow_rec r;
	struct filter *f;
	char *buf;
	size_t i, n;

	(void)state;
	rec_init(&r);
	/* Nesting beyond the limit is an error, not a crash. */
	buf = malloc(BUFLEN);
	for (i = 0, n = 0; i < 5000; i++)
		buf[n++] = '(';
	memcpy(buf + n, "any", 4);
	assert_null(filter_compile_ex(buf, 0, &e));
	assert_non_null(strstr(e.nfdump, "nested too deeply"));
	for (i = 0, n = 0; i < 5000; i++)
		n += (size_t)snprintf(buf + n, BUFLEN - n, "not ");
	snprintf(buf + n, BUFLEN - n, "any");
	assert_null(filter_compile_ex(buf, 0, &e));
	/* A long flat chain is fine: it compiles without recursion. */
	for (i = 0, n = 0; i < 4000; i++)
		n += (size_t)snprintf(buf + n, BUFLEN - n, "%sport %zu",
		    i ? " or " : "", i + 100);
	assert_non_null(f = filter_compile_ex(buf, 0, &e));
	r.dstport = 4099;
	assert_true(filter_match(f, &r));
	r.dstport = 4100;
	r.srcport = 4100;
	assert_false(filter_match(f, &r));
	filter_free(f);
	/* A string over 256 bytes. */
	memset(buf, 'a', 300);
	memcpy(buf, "ident ", 6);
	buf[300] = '\0';
	assert_null(filter_compile_ex(buf, 0, &e));
	assert_non_null(strstr(e.nfdump, "String length exceeds 256 bytes"));
	/* Too many terms for the program. */
	for (i = 0, n = 0; i < 20000; i++)
		n += (size_t)snprintf(buf + n, BUFLEN - n, "%sport 1 and"
		    " port 2 and port 3", i ? " or " : "");
	assert_null(filter_compile_ex(buf, 0, &e));
	assert_non_null(strstr(e.nfdump, "too complex"));
	free(buf);
}

static size_t
complete(const char *line, const char **out, size_t max)
{
	return filter_complete(line, strlen(line), out, max);
}

static int
has(const char **out, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(out[i], s) == 0)
			return 1;
	return 0;
}

static void
test_complete(void **state)
{
	const char *out[256];
	size_t n;

	(void)state;
	n = complete("", out, 256);
	assert_true(has(out, n, "proto"));
	assert_true(has(out, n, "not"));
	assert_true(has(out, n, "src"));
	assert_true(has(out, n, "("));
	n = complete("pro", out, 256);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "proto");
	n = complete("proto tcp an", out, 256);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "and");
	n = complete("proto tcp ", out, 256);
	assert_true(has(out, n, "and"));
	assert_true(has(out, n, "or"));
	assert_true(has(out, n, "<end of filter>"));
	assert_false(has(out, n, "proto"));
	/* After a qualifier: only what takes it. */
	n = complete("src ", out, 256);
	assert_true(has(out, n, "ip"));
	assert_true(has(out, n, "port"));
	assert_true(has(out, n, "net"));
	assert_false(has(out, n, "proto"));
	assert_false(has(out, n, "duration"));
	/* Values: names behind placeholders. */
	n = complete("proto t", out, 256);
	assert_true(has(out, n, "tcp"));
	assert_false(has(out, n, "udp"));
	assert_false(has(out, n, "<protocol>"));
	n = complete("proto ", out, 256);
	assert_true(has(out, n, "<number>"));
	assert_true(has(out, n, "udp"));
	n = complete("fwdstat fo", out, 256);
	assert_true(has(out, n, "Forw"));
	n = complete("port ", out, 256);
	assert_true(has(out, n, "in"));
	assert_true(has(out, n, ">"));
	assert_true(has(out, n, "<number>"));
	n = complete("port in [ 80 ", out, 256);
	assert_true(has(out, n, "]"));
	assert_true(has(out, n, ","));
	n = complete("(proto tcp or proto udp", out, 256);
	assert_true(has(out, n, "udp"));	/* the word being typed */
	assert_true(has(out, n, "udp-l"));
	n = complete("(proto tcp or proto udp ", out, 256);
	assert_true(has(out, n, ")"));
	assert_false(has(out, n, "<end of filter>"));
	/* Keywords complete without regard to case. */
	n = complete("PRO", out, 256);
	assert_true(has(out, n, "proto"));
	/* An error before the cursor: nothing to offer. */
	assert_int_equal(complete("port 99999 ", out, 256), 0);
	assert_int_equal(complete("src ip 10.0.0.1 dst ", out, 256), 0);
	/* Names are not looked up while completing. */
	n = complete("host somewhere.invalid ", out, 256);
	assert_true(has(out, n, "and"));
	/* max bounds what is written; the count is still the total. */
	n = filter_complete("", 0, out, 3);
	assert_true(n > 3);
	/* The cursor in the middle of the line. */
	n = filter_complete("prot tcp", 3, out, 256);
	assert_true(has(out, n, "proto"));
	assert_int_equal(filter_complete_start("proto tc", 8), 6);
	assert_int_equal(filter_complete_start("(", 1), 1);
	assert_int_equal(filter_complete_start("", 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_traps),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_complete),
	};

	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
