/*
 * pkt.c - the L2-L4 parser behind the packet meter and sFlow headers.
 *
 * Every header is read through the bounded reader; a short capture stops
 * the walk and reports PKT_TRUNCATED with the fields read so far, which is
 * what softflowd's IPv6 walk got wrong (it read a byte past a 40-byte
 * capture; see reliability.md).  Chains of tags, labels and extension
 * headers are bounded, so no packet costs more than a few dozen reads.
 */
#include <string.h>

#include "pkt.h"
#include "rd.h"

static enum pkt_status
pkt_l4(struct rd *r, struct pkt_info *pi)
{
	const uint8_t *l4 = r->p;

	pi->l4 = l4;
	pi->l4_len = r->len;
	if (pi->fragment)
		return PKT_OK;		/* no transport header in this one */
	/* Ports come in pairs: half a pair is no port at all. */
	if ((pi->proto == 6 || pi->proto == 17 || pi->proto == 132) &&
	    r->len < 4)
		return PKT_TRUNCATED;
	switch (pi->proto) {
	case 6:
		pi->sport = rd_u16(r);
		pi->dport = rd_u16(r);
		rd_skip(r, 9);		/* seq, ack, data offset */
		pi->tcpflags = rd_u8(r);
		break;
	case 17:
	case 132:			/* SCTP: ports first as well */
		pi->sport = rd_u16(r);
		pi->dport = rd_u16(r);
		break;
	case 1:
	case 58:
		pi->icmp_type = rd_u8(r);
		pi->icmp_code = rd_u8(r);
		/* As nfdump and NetFlow v5 keep it: type.code in dport. */
		pi->dport = (uint16_t)(pi->icmp_type << 8 | pi->icmp_code);
		break;
	default:
		return PKT_OK;
	}
	return r->err ? PKT_TRUNCATED : PKT_OK;
}

static enum pkt_status
pkt_ipv4(struct rd *r, struct pkt_info *pi)
{
	const uint8_t *ip = r->p;
	size_t avail = r->len, ihl;
	uint8_t vihl;
	uint16_t frag;

	vihl = rd_u8(r);
	pi->tos = rd_u8(r);
	pi->ip_len = rd_u16(r);
	rd_skip(r, 2);			/* id */
	frag = rd_u16(r);
	rd_skip(r, 1);			/* ttl */
	pi->proto = rd_u8(r);
	rd_skip(r, 2);			/* checksum */
	flow_addr_set4(&pi->src, rd_u32(r));
	flow_addr_set4(&pi->dst, rd_u32(r));
	if (r->err)
		return PKT_TRUNCATED;
	pi->af = 4;
	ihl = (size_t)(vihl & 0x0f) * 4;
	if ((vihl >> 4) != 4 || ihl < 20 || pi->ip_len < ihl)
		return PKT_MALFORMED;
	if (ihl > avail)
		return PKT_TRUNCATED;
	pi->fragment = (frag & 0x1fff) != 0;
	rd_init(r, ip + ihl, avail - ihl);
	return pkt_l4(r, pi);
}

static enum pkt_status
pkt_ipv6(struct rd *r, struct pkt_info *pi)
{
	uint8_t nh, a[16];
	uint32_t vtc;
	size_t hl;
	int n;

	vtc = rd_u32(r);
	pi->ip_len = (uint32_t)rd_u16(r) + 40;
	nh = rd_u8(r);
	rd_skip(r, 1);			/* hop limit */
	rd_bytes(r, a, 16);
	flow_addr_set6(&pi->src, a);
	rd_bytes(r, a, 16);
	flow_addr_set6(&pi->dst, a);
	if (r->err)
		return PKT_TRUNCATED;
	if ((vtc >> 28) != 6)
		return PKT_MALFORMED;
	pi->af = 6;
	pi->tos = (uint8_t)(vtc >> 20);
	/* Hop-by-hop, routing, fragment, destination options, mobility. */
	for (n = 0; nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 135;
	    n++) {
		if (n >= PKT_EXT_MAX) {
			pi->ext_too_long = 1;
			pi->proto = nh;
			return PKT_MALFORMED;
		}
		if (nh == 44) {
			uint16_t off;

			nh = rd_u8(r);
			rd_skip(r, 1);
			off = rd_u16(r);
			rd_skip(r, 4);
			pi->fragment = (off & 0xfff8) != 0;
		} else {
			uint8_t next = rd_u8(r);

			hl = ((size_t)rd_u8(r) + 1) * 8;
			rd_skip(r, hl - 2);
			nh = next;
		}
		if (r->err) {
			pi->proto = nh;
			return PKT_TRUNCATED;
		}
	}
	pi->proto = nh;
	return pkt_l4(r, pi);
}

static enum pkt_status
pkt_mpls(struct rd *r, struct pkt_info *pi, uint16_t *ethertype)
{
	uint32_t e;
	int n;

	for (n = 0; n < PKT_MPLS_MAX; n++) {
		e = rd_u32(r);
		if (r->err)
			return PKT_TRUNCATED;
		if (n == 0)
			pi->mpls_label = e >> 8;	/* label, exp, bos */
		if (e & 0x100) {
			/* Bottom of stack: guess the payload by its nibble. */
			if (r->len == 0)
				return PKT_TRUNCATED;
			*ethertype = (r->p[0] >> 4) == 6 ? 0x86dd :
			    (r->p[0] >> 4) == 4 ? 0x0800 : 0;
			return PKT_OK;
		}
	}
	return PKT_MALFORMED;
}

static enum pkt_status
pkt_ether(struct rd *r, struct pkt_info *pi, uint16_t *ethertype)
{
	uint16_t t;
	int n = 0;

	rd_bytes(r, pi->dst_mac, 6);
	rd_bytes(r, pi->src_mac, 6);
	t = rd_u16(r);
	while ((t == 0x8100 || t == 0x88a8 || t == 0x9100) &&
	    n++ < PKT_VLAN_MAX) {
		uint16_t tci = rd_u16(r);

		if (n == 1)
			pi->vlan = tci & 0x0fff;
		t = rd_u16(r);
	}
	if (r->err)
		return PKT_TRUNCATED;
	if (t == 0x8847 || t == 0x8848)
		return pkt_mpls(r, pi, ethertype);
	*ethertype = t;
	return PKT_OK;
}

enum pkt_status
pkt_parse(enum pkt_link link, const uint8_t *p, size_t caplen,
    struct pkt_info *pi)
{
	struct rd r;
	uint16_t et = 0;
	uint32_t family;
	enum pkt_status st = PKT_OK;

	memset(pi, 0, sizeof(*pi));
	rd_init(&r, p, caplen);
	switch (link) {
	case PKT_LINK_ETHER:
		st = pkt_ether(&r, pi, &et);
		break;
	case PKT_LINK_IPV4:
		et = 0x0800;
		break;
	case PKT_LINK_IPV6:
		et = 0x86dd;
		break;
	case PKT_LINK_RAW:
		if (caplen == 0)
			return PKT_TRUNCATED;
		et = (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	case PKT_LINK_SLL:
		rd_skip(&r, 14);
		et = rd_u16(&r);
		break;
	case PKT_LINK_SLL2:
		et = rd_u16(&r);
		rd_skip(&r, 18);
		break;
	case PKT_LINK_NULL:
		rd_bytes(&r, &family, 4);
		/* Written in the capturing host's order; 2 is IPv4. */
		et = family == 2 || family == 0x02000000 ? 0x0800 : 0x86dd;
		break;
	}
	if (st != PKT_OK)
		return st;
	if (r.err)
		return PKT_TRUNCATED;
	if (et == 0x8847 || et == 0x8848) {
		if ((st = pkt_mpls(&r, pi, &et)) != PKT_OK)
			return st;
	}
	if (et == 0x0800)
		return pkt_ipv4(&r, pi);
	if (et == 0x86dd)
		return pkt_ipv6(&r, pi);
	return PKT_NOT_IP;
}
