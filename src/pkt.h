/*
 * pkt.h - taking a captured packet apart, from its link header to its
 * transport ports, for the packet meter and for sFlow's sampled headers.
 *
 * The parser follows Ethernet, 802.1Q/802.1ad tags, MPLS label stacks,
 * IPv4 and IPv6 (extension headers walked, with a bound on the chain),
 * and reads TCP/UDP ports and flags or ICMP/ICMPv6 type and code.  A
 * packet cut short yields what could be read and says so; nothing is
 * read past the captured length.
 */
#ifndef NFTOP_PKT_H
#define NFTOP_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define PKT_VLAN_MAX	4	/* tags followed */
#define PKT_MPLS_MAX	8	/* labels followed */
#define PKT_EXT_MAX	8	/* IPv6 extension headers followed */

/* Where the bytes start. */
enum pkt_link {
	PKT_LINK_ETHER,
	PKT_LINK_IPV4,
	PKT_LINK_IPV6,
	PKT_LINK_RAW,		/* IPv4 or IPv6 by the version nibble */
	PKT_LINK_SLL,		/* Linux cooked v1 */
	PKT_LINK_SLL2,		/* Linux cooked v2 */
	PKT_LINK_NULL,		/* BSD loopback: 4-byte family */
};

enum pkt_status {
	PKT_OK,			/* parsed through the transport header */
	PKT_NOT_IP,		/* not IPv4 or IPv6 */
	PKT_TRUNCATED,		/* cut short: fields so far are valid */
	PKT_MALFORMED,		/* a header contradicts itself */
};

struct pkt_info {
	struct flow_addr src;
	struct flow_addr dst;
	uint32_t	ip_len;		/* IP total length (v6: + 40) */
	uint32_t	mpls_label;	/* top label entry */
	uint16_t	sport;
	uint16_t	dport;
	uint16_t	vlan;		/* outer VLAN ID */
	uint8_t		src_mac[6];
	uint8_t		dst_mac[6];
	uint8_t		af;		/* 0 until an IP header is read */
	uint8_t		proto;
	uint8_t		tos;
	uint8_t		tcpflags;
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint8_t		fragment;	/* not the first fragment */
	uint8_t		ext_too_long;	/* IPv6 chain past PKT_EXT_MAX */
	const uint8_t	*l4;		/* transport header, if reached */
	size_t		 l4_len;	/* captured bytes from l4 on */
};

enum pkt_status	pkt_parse(enum pkt_link, const uint8_t *, size_t caplen,
		    struct pkt_info *);

#endif
