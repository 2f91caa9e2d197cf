/*
 * flow.c - helpers for flow records: addresses and protocol names.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

const struct flow_rec flow_rec_blank;

void
flow_addr_set6(struct flow_addr *a, const uint8_t v6[16])
{
	memcpy(a->b, v6, 16);
}

int
flow_addr_is4(const struct flow_addr *a)
{
	return memcmp(a->b, v4mapped_prefix, 12) == 0;
}

uint32_t
flow_addr_get4(const struct flow_addr *a)
{
	return (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 |
	    (uint32_t)a->b[14] << 8 | a->b[15];
}

/* IPv4-mapped addresses print as dotted quads; IPv6 in RFC 5952 form. */
const char *
flow_addr_fmt(const struct flow_addr *a, char *buf, size_t len)
{
	if (flow_addr_is4(a)) {
		if (inet_ntop(AF_INET, a->b + 12, buf, len) == NULL)
			snprintf(buf, len, "?");
	} else if (inet_ntop(AF_INET6, a->b, buf, len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

/* Returns 0 on success, -1 if s is neither an IPv4 nor an IPv6 address. */
int
flow_addr_parse(struct flow_addr *a, const char *s)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, s, b) == 1) {
		flow_addr_set4(a, (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | b[3]);
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) == 1) {
		flow_addr_set6(a, b);
		return 0;
	}
	return -1;
}

static const char *const origin_names[FLOW_ORIGIN_MAX] = {
	[FLOW_ORIGIN_UNKNOWN] = "unknown",
	[FLOW_ORIGIN_NF1] = "netflow-v1",
	[FLOW_ORIGIN_NF5] = "netflow-v5",
	[FLOW_ORIGIN_NF7] = "netflow-v7",
	[FLOW_ORIGIN_NF9] = "netflow-v9",
	[FLOW_ORIGIN_IPFIX] = "ipfix",
	[FLOW_ORIGIN_SFLOW] = "sflow-v5",
	[FLOW_ORIGIN_PCAP] = "pcap",
};

const char *
flow_origin_name(enum flow_origin o)
{
	if ((unsigned)o >= FLOW_ORIGIN_MAX)
		return "unknown";
	return origin_names[o];
}

/* Lower-case names as nfdump prints them (upper-cased there). */
static const char *const proto_names[256] = {
	[1] = "icmp", [2] = "igmp", [4] = "ipip", [6] = "tcp", [8] = "egp",
	[17] = "udp", [41] = "ipv6", [46] = "rsvp", [47] = "gre",
	[50] = "esp", [51] = "ah", [58] = "icmp6", [88] = "eigrp",
	[89] = "ospf", [103] = "pim", [112] = "vrrp", [132] = "sctp",
};

const char *
flow_proto_name(uint8_t proto, char *buf, size_t len)
{
	if (proto_names[proto] != NULL)
		return proto_names[proto];
	snprintf(buf, len, "%u", proto);
	return buf;
}
