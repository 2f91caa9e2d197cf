/*
 * dec-nf5.c - NetFlow v1, v5 and v7: a fixed header and fixed records.
 *
 * The three share one shape (Cisco, "NetFlow Export Datagram Format"):
 *
 *   ver  header  record  max   sequence  engine/sampling
 *    1     16      48     24      -            -
 *    5     24      48     30   flows seen   engine type/id, sampling
 *    7     24      52     28   flows seen        -
 *
 * Checks, in order, each a named malformed reason: the header fits; the
 * count is within the format's maximum; the records the count announces fit
 * in the datagram.  A header with count 0 is a valid, empty export.  Bytes
 * past the last record are ignored and counted as trailing: one datagram,
 * one export (nfcapd instead reads them as a further v5 header).
 *
 * Flow times are sysUptime-relative.  A record's age is the signed 32-bit
 * difference sysUptime - First, subtracted from the export time: this
 * survives the uptime wrapping during a flow, and a First a little after
 * sysUptime (seen from Juniper) lands just after the export time instead of
 * 49.7 days away.
 */
#include <stdint.h>

#include "dec-nf5.h"
#include "rd.h"

struct nf5_format {
	uint16_t	version;
	uint8_t		origin;
	uint8_t		hdr_len;
	uint8_t		rec_len;
	uint8_t		max_count;
};

static const struct nf5_format nf5_formats[] = {
	{ 1, FLOW_ORIGIN_NF1, 16, 48, 24 },
	{ 5, FLOW_ORIGIN_NF5, 24, 48, 30 },
	{ 7, FLOW_ORIGIN_NF7, 24, 52, 28 },
};

struct nf5_header {
	uint16_t	count;
	uint32_t	uptime_msec;
	uint64_t	export_msec;	/* unix_secs, unix_nsecs */
	uint32_t	sequence;
	uint32_t	domain;		/* engine type << 8 | engine id */
	uint32_t	sampling;	/* announced (0: none), then in force */
};

static const struct nf5_format *
nf5_format(uint16_t version)
{
	size_t i;

	for (i = 0; i < sizeof(nf5_formats) / sizeof(nf5_formats[0]); i++)
		if (nf5_formats[i].version == version)
			return &nf5_formats[i];
	return NULL;
}

static void
nf5_read_header(struct rd *r, uint16_t version, struct nf5_header *h)
{
	uint32_t secs, nsecs;
	uint16_t sampling;

	rd_skip(r, 2);				/* version */
	h->count = rd_u16(r);
	h->uptime_msec = rd_u32(r);
	secs = rd_u32(r);
	nsecs = rd_u32(r);
	h->export_msec = (uint64_t)secs * 1000 + nsecs / 1000000;
	h->sequence = 0;
	h->domain = 0;
	h->sampling = 0;
	if (version == 5) {
		h->sequence = rd_u32(r);
		h->domain = (uint32_t)rd_u8(r) << 8;	/* engine type */
		h->domain |= rd_u8(r);			/* engine id */
		/* Two mode bits, then a 14-bit interval; 0 or 1: none. */
		sampling = rd_u16(r) & 0x3fff;
		if (sampling > 1)
			h->sampling = sampling;
	} else if (version == 7) {
		h->sequence = rd_u32(r);
		rd_skip(r, 4);			/* reserved */
	}
}

/* The absolute time of an uptime stamp (see the comment at the top). */
static uint64_t
nf5_abs_msec(const struct nf5_header *h, uint32_t stamp)
{
	int32_t age = (int32_t)(h->uptime_msec - stamp);

	if (age < 0 && (uint64_t)-(int64_t)age > h->export_msec)
		return 0;
	return h->export_msec - (int64_t)age;
}

/*
 * Reads one record (p has f->rec_len bytes: the count was checked against
 * the datagram's length) into rec, with absolute times.  It sets every
 * field a record of this version has, so that rec, zeroed once per
 * datagram, serves all of its records.  The layouts
 * agree up to the ports; v1 then has pad, protocol, tos, flags; v5 and
 * v7 pad, flags, protocol, tos, the AS numbers and the masks.
 */
static void
nf5_read_record(const uint8_t *p, uint16_t version,
    const struct nf5_header *h, struct flow_rec *rec)
{
	flow_addr_set4(&rec->src, rd_be32(p));
	flow_addr_set4(&rec->dst, rd_be32(p + 4));
	flow_addr_set4(&rec->nexthop, rd_be32(p + 8));
	rec->inif = rd_be16(p + 12);
	rec->outif = rd_be16(p + 14);
	rec->pkts = rd_be32(p + 16);
	rec->bytes = rd_be32(p + 20);
	rec->first_msec = nf5_abs_msec(h, rd_be32(p + 24));
	rec->last_msec = nf5_abs_msec(h, rd_be32(p + 28));
	rec->srcport = rd_be16(p + 32);
	rec->dstport = rd_be16(p + 34);
	if (version == 1) {
		rec->proto = p[38];
		rec->tos = p[39];
		rec->tcpflags = p[40];
	} else {
		rec->tcpflags = p[37];
		rec->proto = p[38];
		rec->tos = p[39];
		rec->srcas = rd_be16(p + 40);
		rec->dstas = rd_be16(p + 42);
		rec->srcmask = p[44];
		rec->dstmask = p[45];
	}
	rec->icmp_type = rec->icmp_code = 0;
	if (rec->proto == 1 || rec->proto == 58) {
		/* ICMP type and code travel in the destination port. */
		rec->icmp_type = rec->dstport >> 8;
		rec->icmp_code = rec->dstport & 0xff;
	}
	rec->sampling = h->sampling;
	rec->pkts *= h->sampling;
	rec->bytes *= h->sampling;
	rec->af = 4;
}

enum decode_outcome
dec_nf5_input(struct decoder *d, const struct decode_input *in)
{
	const struct nf5_format *f;
	struct nf5_header h;
	struct flow_rec rec;
	struct source *s;
	struct rd r;
	uint16_t version, i;

	rd_init(&r, in->buf, in->len);
	version = (uint16_t)(in->buf[0] << 8 | in->buf[1]);
	if ((f = nf5_format(version)) == NULL)
		return DECODE_UNSUPPORTED;
	nf5_read_header(&r, version, &h);
	if (r.err) {
		/* Too short to name its engine: count it on domain 0. */
		if ((s = decode_source(d, in, f->origin, 0)) == NULL)
			return DECODE_DENIED;
		return decode_malformed(s, SOURCE_REASON_SHORT_HEADER);
	}
	if ((s = decode_source(d, in, f->origin, h.domain)) == NULL)
		return DECODE_DENIED;
	if (h.count > f->max_count)
		return decode_malformed(s, SOURCE_REASON_COUNT_TOO_LARGE);
	if ((size_t)h.count * f->rec_len > r.len)
		return decode_malformed(s, SOURCE_REASON_SHORT_RECORDS);

	if (r.len > (size_t)h.count * f->rec_len)
		s->trailing++;
	if (version != 1)
		source_seq_check(s, h.sequence, h.count);
	h.sampling = decode_rate(d, h.sampling);
	s->sampling = h.sampling;
	/* Zeroed once: a 200-byte fill per record took nearly half of
	 * the decoder's time. */
	rec = (struct flow_rec){ .recv_msec = in->now_msec,
	    .origin = f->origin, .source = (uint16_t)(s - d->sources->v) };
	for (i = 0; i < h.count; i++) {
		nf5_read_record(r.p + (size_t)i * f->rec_len, version, &h,
		    &rec);
		/* Kept, but a bogus counter is worth knowing about. */
		/* bytes / pkts > 65535, without a division per record. */
		if (rec.pkts == 0 || rec.bytes < rec.pkts ||
		    rec.bytes >> 16 >= rec.pkts)
			s->implausible++;
		s->records++;
		s->pkts += rec.pkts;
		s->bytes += rec.bytes;
		d->sink(&rec, d->sink_ctx);
	}
	d->stats.records += h.count;
	return DECODE_OK;
}
