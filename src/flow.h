/*
 * flow.h - the normalized flow record every source produces.
 *
 * Decoders (NetFlow v5 now; v9, IPFIX, sFlow and the packet meter later)
 * fill a struct flow_rec and hand it to a sink; everything downstream
 * (store, views, printers, UI) sees only this record.  Addresses are kept
 * in 16 bytes, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d), so that keys of
 * both families hash and compare the same way.
 */
#ifndef NFTOP_FLOW_H
#define NFTOP_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>

#define FLOW_ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

struct flow_addr {
	uint8_t	b[16];
};

/* Which wire protocol a record or a source came from. */
enum flow_origin {
	FLOW_ORIGIN_UNKNOWN = 0,
	FLOW_ORIGIN_NF1,
	FLOW_ORIGIN_NF5,
	FLOW_ORIGIN_NF7,
	FLOW_ORIGIN_NF9,
	FLOW_ORIGIN_IPFIX,
	FLOW_ORIGIN_SFLOW,
	FLOW_ORIGIN_PCAP,
	FLOW_ORIGIN_MAX
};

/*
 * Field order keeps the struct free of holes (largest members first): the
 * retained history is an array of these, so its size is the memory
 * budget's unit (200 bytes).  Fields an exporter did not send are zero.
 */
struct flow_rec {
	uint64_t	recv_msec;	/* when nftop received it (UTC ms) */
	uint64_t	first_msec;	/* flow start (UTC ms) */
	uint64_t	last_msec;	/* flow end (UTC ms) */
	uint64_t	pkts;		/* scaled by the sampling rate */
	uint64_t	bytes;		/* scaled by the sampling rate */
	struct flow_addr src;
	struct flow_addr dst;
	struct flow_addr nexthop;
	struct flow_addr bgp_nexthop;
	struct flow_addr xlate_src;	/* post-NAT source */
	struct flow_addr xlate_dst;	/* post-NAT destination */
	uint32_t	inif;
	uint32_t	outif;
	uint32_t	srcas;
	uint32_t	dstas;
	uint32_t	sampling;	/* rate applied to pkts/bytes; 1 = none */
	uint32_t	mpls_label;	/* top label entry: label<<4|exp<<1|bos */
	uint16_t	srcport;
	uint16_t	dstport;
	uint16_t	xlate_srcport;
	uint16_t	xlate_dstport;
	uint16_t	vlan;
	uint16_t	source;		/* index into the source table */
	uint8_t		src_mac[6];
	uint8_t		dst_mac[6];
	uint8_t		proto;
	uint8_t		tos;
	uint8_t		tcpflags;	/* OR of all packets' flags */
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint8_t		srcmask;
	uint8_t		dstmask;
	uint8_t		af;		/* 4 or 6 */
	uint8_t		origin;		/* enum flow_origin */
	uint8_t		direction;	/* 0 ingress, 1 egress */
	uint8_t		end_reason;	/* IPFIX flowEndReason */
	uint8_t		fwd_status;	/* forwardingStatus */
	uint8_t		views;		/* bit i: matched the store's view i */
	uint8_t		flags;		/* FLOW_F_* */
	uint8_t		src_cc;		/* country of src: geo_country_code() */
	uint8_t		dst_cc;		/* country of dst; 0 = unknown */
};

/*
 * A later update of a flow already counted (the packet meter reports long
 * flows as they go): its packets and bytes count, it adds no flow.
 */
#define FLOW_F_CONT	0x01

/*
 * An IPv4 address as ::ffff:a.b.c.d.  Inline: decoders call it for every
 * address of every record.  The address goes in as one network-order
 * word: a decoder's rd_be32 and this htonl then cancel out, and the
 * four bytes are copied from the datagram as they are.
 */
static inline void
flow_addr_set4(struct flow_addr *a, uint32_t v4)
{
	static const uint8_t v4mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	uint32_t be = htonl(v4);

	memcpy(a->b, v4mapped, 12);
	memcpy(a->b + 12, &be, 4);
}

/*
 * An address an IPv4 record did not carry reads 0.0.0.0, as nfdump shows
 * it, not :: (all zero): so keys, filters and output agree with its af.
 */
static inline void
flow_addr_absent4(struct flow_addr *a)
{
	static const struct flow_addr zero;

	if (memcmp(a, &zero, sizeof(zero)) == 0)
		flow_addr_set4(a, 0);
}

/*
 * Zeroes a record by copying a blank one.  Decoders clear one for every
 * record they read, and a 200-byte memset compiles to `rep stos`, whose
 * start-up alone took a sixth of the template decoder's time; the copy
 * is a dozen vector moves.
 */
extern const struct flow_rec flow_rec_blank;

static inline void
flow_rec_clear(struct flow_rec *r)
{
	*r = flow_rec_blank;
}

/* Where decoders deliver records; ctx is the sink's own state. */
typedef void (*flow_sink_cb)(const struct flow_rec *, void *ctx);

void		 flow_addr_set6(struct flow_addr *, const uint8_t[16]);
int		 flow_addr_is4(const struct flow_addr *);
uint32_t	 flow_addr_get4(const struct flow_addr *);
const char	*flow_addr_fmt(const struct flow_addr *, char *, size_t);
int		 flow_addr_parse(struct flow_addr *, const char *);
const char	*flow_origin_name(enum flow_origin);
const char	*flow_proto_name(uint8_t, char *, size_t);

#endif
