/*
 * dec-sflow.c - sFlow version 5 datagrams (sflow_version_5.txt, XDR).
 *
 * Datagram: version 5, agent address (type 1 IPv4 or 2 IPv6), sub-agent
 * ID, a datagram sequence number per (agent, sub-agent), uptime, and
 * samples.  Each sample and each record inside it is (format, opaque
 * length, data): the length is always used to find the next one, so
 * formats nftop does not know, or known ones grown longer, are skipped
 * cleanly (the spec requires it).  The unit of loss is the sample: one
 * whose records contradict its length is dropped and its siblings kept;
 * a sample overrunning the datagram ends the walk, keeping what came
 * before it.
 *
 * A flow sample becomes one flow record: its packet header (or sampled
 * IPv4/IPv6 record) gives the key, packets = the sampling rate and bytes
 * = frame length x rate, as sfcapd counts them (frame length includes the
 * link header and FCS).
 */
#include <stdlib.h>
#include <string.h>

#include "dec-sflow.h"
#include "pkt.h"
#include "rd.h"
#include "xmalloc.h"

#define SFLOW_DS_MAX	4096	/* data sources tracked for sequences */
#define SFLOW_IF_COUNTERS_LEN 88 /* generic interface counters record */

/* Per (agent, data source): where its sample sequence and drops were. */
struct sflow_ds {
	uint16_t	source;
	uint8_t		in_use;
	uint32_t	ds;		/* source_id: type << 24 | index */
	uint32_t	seq_next;
	uint32_t	drops;
};

struct sflow_state {
	struct sflow_ds		ds[SFLOW_DS_MAX];
	struct sflow_iface	ifc[SFLOW_IFACES_MAX];
	uint32_t		nifc;
};

/* What one flow sample's records said. */
struct sflow_sample {
	struct flow_rec	r;
	uint32_t	frame_len;
	uint32_t	rate;
	int		have_key;
	int		implausible;	/* sizes that contradict each other */
};

struct sflow_state *
sflow_state_create(void)
{
	return xcalloc(1, sizeof(struct sflow_state));
}

void
sflow_state_free(struct sflow_state *st)
{
	free(st);
}

const struct sflow_iface *
sflow_ifaces(const struct sflow_state *st, uint32_t *n)
{
	*n = st->nifc;
	return st->ifc;
}

/* Open addressing on (source, key) over a fixed table; NULL when full. */
static struct sflow_ds *
sflow_ds_get(struct sflow_state *st, uint16_t source, uint32_t ds)
{
	uint32_t h = (ds * 2654435761u) ^ source, i, n;
	struct sflow_ds *e;

	for (n = 0, i = h % SFLOW_DS_MAX; n < SFLOW_DS_MAX;
	    n++, i = (i + 1) % SFLOW_DS_MAX) {
		e = &st->ds[i];
		if (!e->in_use) {
			e->in_use = 1;
			e->source = source;
			e->ds = ds;
			return e;
		}
		if (e->source == source && e->ds == ds)
			return e;
	}
	return NULL;
}

static struct sflow_iface *
sflow_iface_get(struct sflow_state *st, uint16_t source, uint32_t ifindex)
{
	uint32_t h = (ifindex * 2654435761u) ^ source, i, n;
	struct sflow_iface *e;

	for (n = 0, i = h % SFLOW_IFACES_MAX; n < SFLOW_IFACES_MAX;
	    n++, i = (i + 1) % SFLOW_IFACES_MAX) {
		e = &st->ifc[i];
		if (!e->in_use) {
			memset(e, 0, sizeof(*e));
			e->in_use = 1;
			e->source = source;
			e->ifindex = ifindex;
			st->nifc++;
			return e;
		}
		if (e->source == source && e->ifindex == ifindex)
			return e;
	}
	return NULL;
}

/* An XDR address union: type 1 IPv4, 2 IPv6; anything else fails. */
static int
sflow_addr(struct rd *r, struct flow_addr *a)
{
	uint8_t b[16];

	switch (rd_u32(r)) {
	case 1:
		flow_addr_set4(a, rd_u32(r));
		return r->err ? -1 : 4;
	case 2:
		rd_bytes(r, b, 16);
		flow_addr_set6(a, b);
		return r->err ? -1 : 6;
	default:
		return -1;
	}
}

/*
 * Steps over an opaque of len bytes and its XDR padding; a record that
 * ends the sample may come without the padding.
 */
static void
sflow_skip_padded(struct rd *r, uint32_t len)
{
	size_t padded = ((size_t)len + 3) & ~(size_t)3;

	rd_skip(r, padded <= r->len ? padded : r->len);
}

/* Sampled header (format 1): link header onwards, as the switch saw it. */
static void
sflow_raw_header(struct rd *r, struct sflow_sample *ss)
{
	struct pkt_info pi;
	enum pkt_link link;
	uint32_t proto, hlen, stripped;
	const uint8_t *h;

	proto = rd_u32(r);
	ss->frame_len = rd_u32(r);
	stripped = rd_u32(r);
	hlen = rd_u32(r);
	h = r->p;
	if (r->err || hlen > r->len)
		return;
	switch (proto) {
	case 1:
		link = PKT_LINK_ETHER;
		break;
	case 11:
		link = PKT_LINK_IPV4;
		break;
	case 12:
		link = PKT_LINK_IPV6;
		break;
	default:
		return;			/* counted as no_header by the caller */
	}
	(void)pkt_parse(link, h, hlen, &pi);
	if (pi.af == 0)
		return;
	/*
	 * The header is a prefix of the frame and the IP packet lies inside
	 * it; agents that say otherwise (Juniper's frame length shorter than
	 * the IP length) are counted.  Bytes stay frame length x rate, with
	 * no subtraction that could wrap.
	 */
	if (hlen > ss->frame_len || stripped > ss->frame_len ||
	    pi.ip_len > ss->frame_len)
		ss->implausible = 1;
	ss->r.src = pi.src;
	ss->r.dst = pi.dst;
	ss->r.af = pi.af;
	ss->r.proto = pi.proto;
	ss->r.tos = pi.tos;
	ss->r.srcport = pi.sport;
	ss->r.dstport = pi.dport;
	ss->r.tcpflags = pi.tcpflags;
	ss->r.icmp_type = pi.icmp_type;
	ss->r.icmp_code = pi.icmp_code;
	ss->r.mpls_label = pi.mpls_label;
	memcpy(ss->r.src_mac, pi.src_mac, 6);
	memcpy(ss->r.dst_mac, pi.dst_mac, 6);
	if (pi.vlan != 0)
		ss->r.vlan = pi.vlan;
	ss->have_key = 1;
}

/* Sampled IPv4 (3) or IPv6 (4): the key without a header. */
static void
sflow_sampled_ip(struct rd *r, struct sflow_sample *ss, int v6)
{
	uint8_t a[16];

	if (ss->have_key) {
		return;			/* the raw header said more */
	}
	ss->frame_len = rd_u32(r);
	ss->r.proto = (uint8_t)rd_u32(r);
	if (v6) {
		rd_bytes(r, a, 16);
		flow_addr_set6(&ss->r.src, a);
		rd_bytes(r, a, 16);
		flow_addr_set6(&ss->r.dst, a);
	} else {
		flow_addr_set4(&ss->r.src, rd_u32(r));
		flow_addr_set4(&ss->r.dst, rd_u32(r));
	}
	ss->r.srcport = (uint16_t)rd_u32(r);
	ss->r.dstport = (uint16_t)rd_u32(r);
	ss->r.tcpflags = (uint8_t)rd_u32(r);
	ss->r.tos = (uint8_t)rd_u32(r);
	ss->r.af = v6 ? 6 : 4;
	ss->have_key = !r->err;
}

/*
 * Extended gateway (1003): the BGP view.  The destination AS ends the AS
 * path; with an empty path the traffic stays in the router's own AS, and
 * a source AS of 0 likewise means a source in the router's own AS (as
 * goflow2 and akvorado read it; sflowtool and sfcapd leave both 0).
 */
static void
sflow_gateway(struct rd *r, struct sflow_sample *ss)
{
	uint32_t segs, n, i, as, own;

	if (sflow_addr(r, &ss->r.bgp_nexthop) < 0)
		return;
	own = as = rd_u32(r);		/* router's own AS */
	ss->r.srcas = rd_u32(r);
	if (ss->r.srcas == 0)
		ss->r.srcas = own;
	rd_skip(r, 4);			/* source peer AS */
	segs = rd_u32(r);
	/* Counts are checked against the bytes left before any use. */
	for (i = 0; i < segs && !r->err; i++) {
		rd_skip(r, 4);		/* segment type */
		n = rd_u32(r);
		if (r->err || (uint64_t)n * 4 > r->len)
			return;
		if (n > 0) {
			rd_skip(r, ((size_t)n - 1) * 4);
			as = rd_u32(r);
		}
	}
	if (!r->err)
		ss->r.dstas = as;
}

/* One flow record inside a flow sample; r is bounded by its length. */
static void
sflow_flow_record(struct rd *r, uint32_t format, struct sflow_sample *ss,
    struct source *s)
{
	uint32_t vlan;

	switch (format) {
	case 1:
		sflow_raw_header(r, ss);
		break;
	case 3:
	case 4:
		sflow_sampled_ip(r, ss, format == 4);
		break;
	case 1001:			/* extended switch */
		/* Source VLAN, or the destination's when that is unknown. */
		vlan = rd_u32(r);
		rd_skip(r, 4);
		if (vlan == 0 || vlan > 4094)
			vlan = rd_u32(r);
		if (!r->err && vlan > 0 && vlan <= 4094)
			ss->r.vlan = (uint16_t)vlan;
		break;
	case 1002:			/* extended router */
		if (sflow_addr(r, &ss->r.nexthop) < 0)
			break;
		ss->r.srcmask = (uint8_t)rd_u32(r);
		ss->r.dstmask = (uint8_t)rd_u32(r);
		break;
	case 1003:
		sflow_gateway(r, ss);
		break;
	default:
		s->unknown_formats++;
		break;
	}
}

/* Sequence and drop accounting per (agent, data source). */
static void
sflow_ds_account(struct decoder *d, struct source *s, uint32_t ds,
    uint32_t seq, uint32_t drops)
{
	struct sflow_ds *e = sflow_ds_get(d->sflow,
	    (uint16_t)(s - d->sources->v), ds);
	uint32_t gap;

	if (e == NULL)
		return;
	if (e->seq_next != 0) {
		gap = seq - e->seq_next;
		if (gap < 0x80000000u)
			s->samples_lost += gap;
		/* The drops counter is cumulative; a reset starts over. */
		if (drops >= e->drops)
			s->sample_drops += drops - e->drops;
	}
	e->seq_next = seq + 1;
	e->drops = drops;
}

/*
 * Flow sample (1) or expanded flow sample (3).  Returns -1 when its
 * records contradict its length: the sample is dropped.
 */
static int
sflow_flow_sample(struct decoder *d, const struct decode_input *in,
    struct source *s, struct rd *r, int expanded)
{
	struct sflow_sample ss;
	uint32_t seq, ds, pool, drops, nrec, i, fmt, len, inif, outif;
	struct rd rr;

	memset(&ss, 0, sizeof(ss));
	seq = rd_u32(r);
	if (expanded) {
		ds = rd_u32(r) << 24;
		ds |= rd_u32(r) & 0x00ffffff;
	} else
		ds = rd_u32(r);
	ss.rate = rd_u32(r);
	pool = rd_u32(r);
	drops = rd_u32(r);
	if (expanded) {
		/* (format, value) pairs: format 0 is an ifIndex. */
		fmt = rd_u32(r);
		inif = rd_u32(r);
		inif = fmt == 0 ? inif : 0;
		fmt = rd_u32(r);
		outif = rd_u32(r);
		outif = fmt == 0 ? outif : 0;
	} else {
		/* Two format bits, then 30 bits of ifIndex (format 0). */
		inif = rd_u32(r);
		outif = rd_u32(r);
		inif = inif >> 30 == 0 ? inif : 0;
		outif = outif >> 30 == 0 ? outif : 0;
	}
	nrec = rd_u32(r);
	(void)pool;
	if (r->err)
		return -1;
	for (i = 0; i < nrec; i++) {
		fmt = rd_u32(r);
		len = rd_u32(r);
		if (r->err || len > r->len)
			return -1;
		rd_init(&rr, r->p, len);
		/* Enterprise 0 only; others are skipped by length. */
		if (fmt >> 12 == 0)
			sflow_flow_record(&rr, fmt, &ss, s);
		else
			s->unknown_formats++;
		sflow_skip_padded(r, len);
	}
	sflow_ds_account(d, s, ds, seq, drops);
	s->flow_samples++;
	if (!ss.have_key) {
		s->no_header++;
		return 0;
	}
	/* A rate of 0 means unknown: count the packet once (unless
	 * --sampling says otherwise), and say so. */
	if (ss.rate == 0)
		ss.implausible = 1;
	ss.rate = decode_rate(d, ss.rate);
	if (ss.implausible)
		s->implausible++;
	ss.r.inif = inif;
	ss.r.outif = outif;
	ss.r.pkts = ss.rate;
	ss.r.bytes = (uint64_t)ss.frame_len * ss.rate;
	ss.r.sampling = ss.rate;
	ss.r.first_msec = ss.r.last_msec = ss.r.recv_msec = in->now_msec;
	ss.r.origin = FLOW_ORIGIN_SFLOW;
	if (ss.r.af == 4)
		flow_addr_absent4(&ss.r.nexthop);
	ss.r.source = (uint16_t)(s - d->sources->v);
	s->sampling = ss.rate;
	s->records++;
	s->pkts += ss.r.pkts;
	s->bytes += ss.r.bytes;
	d->stats.records++;
	d->sink(&ss.r, d->sink_ctx);
	return 0;
}

/* A counter the agent does not know is all ones (sFlow sends -1). */
static uint64_t
sflow_known32(uint32_t v)
{
	return v == UINT32_MAX ? 0 : v;
}

static uint64_t
sflow_known64(uint64_t v)
{
	return v == UINT64_MAX ? 0 : v;
}

/* Generic interface counters (counter record format 1, 88 bytes). */
static void
sflow_if_counters(struct decoder *d, struct source *s, struct rd *r,
    uint64_t now_msec)
{
	struct sflow_iface *ifc, prev;
	uint32_t ifindex;
	double secs;

	/* A short record must not leave an empty interface behind. */
	if (r->len < SFLOW_IF_COUNTERS_LEN) {
		s->bad_samples++;
		return;
	}
	ifindex = rd_u32(r);
	if (r->err || (ifc = sflow_iface_get(d->sflow,
	    (uint16_t)(s - d->sources->v), ifindex)) == NULL)
		return;
	prev = *ifc;
	ifc->iftype = rd_u32(r);
	ifc->speed = rd_u64(r);
	rd_skip(r, 4);			/* direction */
	ifc->status = (uint8_t)rd_u32(r);
	/* Unknown counters (-1) count as 0, in sums too. */
	ifc->in_octets = sflow_known64(rd_u64(r));
	ifc->in_pkts = sflow_known32(rd_u32(r));	/* unicast */
	ifc->in_pkts += sflow_known32(rd_u32(r));	/* multicast */
	ifc->in_pkts += sflow_known32(rd_u32(r));	/* broadcast */
	ifc->in_discards = sflow_known32(rd_u32(r));
	ifc->in_errors = sflow_known32(rd_u32(r));
	rd_skip(r, 4);			/* unknown protos */
	ifc->out_octets = sflow_known64(rd_u64(r));
	ifc->out_pkts = sflow_known32(rd_u32(r));
	ifc->out_pkts += sflow_known32(rd_u32(r));
	ifc->out_pkts += sflow_known32(rd_u32(r));
	ifc->out_discards = sflow_known32(rd_u32(r));
	ifc->out_errors = sflow_known32(rd_u32(r));
	if (r->err) {
		*ifc = prev;
		s->bad_samples++;
		return;
	}
	ifc->msec = now_msec;
	ifc->samples++;
	/* A rate needs two samples and counters that went forward. */
	if (prev.samples > 0 && now_msec > prev.msec) {
		secs = (now_msec - prev.msec) / 1000.0;
		ifc->in_bps = ifc->in_octets >= prev.in_octets ?
		    (ifc->in_octets - prev.in_octets) * 8 / secs : 0;
		ifc->out_bps = ifc->out_octets >= prev.out_octets ?
		    (ifc->out_octets - prev.out_octets) * 8 / secs : 0;
	}
}

static int
sflow_counter_sample(struct decoder *d, const struct decode_input *in,
    struct source *s, struct rd *r, int expanded)
{
	uint32_t nrec, i, fmt, len;
	struct rd rr;

	rd_skip(r, expanded ? 12 : 8);	/* sequence, source id */
	nrec = rd_u32(r);
	if (r->err)
		return -1;
	for (i = 0; i < nrec; i++) {
		fmt = rd_u32(r);
		len = rd_u32(r);
		if (r->err || len > r->len)
			return -1;
		rd_init(&rr, r->p, len);
		if (fmt == 1)
			sflow_if_counters(d, s, &rr, in->now_msec);
		else
			s->unknown_formats++;
		sflow_skip_padded(r, len);
	}
	s->counter_samples++;
	return 0;
}

enum decode_outcome
dec_sflow_input(struct decoder *d, const struct decode_input *in)
{
	struct decode_input din = *in;
	struct flow_addr agent;
	struct source *s;
	struct rd r, sr;
	uint32_t sub, seq, n, i, fmt, len;
	int af, rc;

	rd_init(&r, in->buf, in->len);
	rd_skip(&r, 4);			/* version */
	af = sflow_addr(&r, &agent);
	sub = rd_u32(&r);
	seq = rd_u32(&r);
	rd_skip(&r, 4);			/* uptime */
	n = rd_u32(&r);
	/* Sources are agents, not UDP senders: the agent names itself. */
	if (af > 0 && !r.err) {
		din.exporter = agent;
		din.port = 0;
	}
	if ((s = decode_source(d, &din, FLOW_ORIGIN_SFLOW,
	    af > 0 ? sub : 0)) == NULL)
		return DECODE_DENIED;
	if (af < 0 && !r.err)
		return decode_malformed(s, SOURCE_REASON_AGENT);
	if (r.err)
		return decode_malformed(s, SOURCE_REASON_SHORT_HEADER);
	source_seq_check(s, seq, 1);
	/* The count is not trusted: the bytes end the walk. */
	for (i = 0; i < n && r.len >= 8; i++) {
		fmt = rd_u32(&r);
		len = rd_u32(&r);
		if (len > r.len) {
			s->bad_samples++;
			break;
		}
		rd_init(&sr, r.p, len);
		rc = 0;
		switch (fmt) {
		case 1:
		case 3:
			rc = sflow_flow_sample(d, in, s, &sr, fmt == 3);
			break;
		case 2:
		case 4:
			rc = sflow_counter_sample(d, in, s, &sr, fmt == 4);
			break;
		default:
			s->unknown_formats++;
			break;
		}
		if (rc != 0)
			s->bad_samples++;
		rd_skip(&r, len);
	}
	return DECODE_OK;
}
