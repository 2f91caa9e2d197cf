/*
 * dec-ipfix.c - IPFIX messages (RFC 7011): the header and the template
 * records; dec-flowset.c walks the sets.
 *
 * Header (§3.1): version 10, the message length (which bounds everything
 * after it), export time (s), a sequence number counting data records per
 * observation domain, and the observation domain ID.  Template set ID 2,
 * options template set ID 3, data sets 256 and up.  A field ID with the
 * top bit set is enterprise-specific and carries a 4-byte enterprise
 * number (§3.2); nftop skips those by length.  A template record with no
 * fields is a withdrawal, which collectors over UDP must ignore (§8.4).
 */
#include "dec-flowset.h"
#include "dec-ipfix.h"

#define IPFIX_HEADER_LEN	16

static enum flowset_tmpl_rc
ipfix_read_template(struct rd *r, int options, struct tmpl_def *def)
{
	uint16_t nfields, scope = 0, i, id, len;

	def->id = rd_u16(r);
	nfields = rd_u16(r);
	def->options = (uint8_t)options;
	def->enterprise = 0;
	def->nfields = nfields > TMPL_FIELDS_MAX ? 0 : nfields;
	if (r->err)
		return FLOWSET_TMPL_OVERRUN;
	if (nfields == 0)
		return FLOWSET_TMPL_WITHDRAWAL;
	if (options)
		scope = rd_u16(r);
	for (i = 0; i < nfields && !r->err; i++) {
		id = rd_u16(r);
		len = rd_u16(r);
		if (id & 0x8000) {
			rd_skip(r, 4);		/* enterprise number */
			def->enterprise++;
			id = 0;
		}
		if (i < TMPL_FIELDS_MAX) {
			def->ids[i] = id;
			def->lens[i] = len;
		}
	}
	if (r->err)
		return FLOWSET_TMPL_OVERRUN;
	/* §3.4.2.2: the scope field count MUST NOT be zero. */
	if (nfields > TMPL_FIELDS_MAX || (options && (scope == 0 ||
	    scope > nfields)))
		return FLOWSET_TMPL_INVALID;
	return FLOWSET_TMPL_OK;
}

static const struct flowset_proto ipfix_proto = {
	.origin = FLOW_ORIGIN_IPFIX,
	.seq_counts_records = 1,
	.zero_tail_ok = 0,
	.tmpl_set = 2,
	.opt_set = 3,
	.read_template = ipfix_read_template,
};

enum decode_outcome
dec_ipfix_input(struct decoder *d, const struct decode_input *in)
{
	struct flowset_msg fm;
	struct source *s;
	struct rd r;
	uint16_t len;
	uint32_t secs, domain;

	rd_init(&r, in->buf, in->len);
	rd_skip(&r, 2);			/* version */
	len = rd_u16(&r);
	secs = rd_u32(&r);
	fm.sequence = rd_u32(&r);
	domain = rd_u32(&r);
	if (r.err) {
		if ((s = decode_source(d, in, FLOW_ORIGIN_IPFIX, 0)) == NULL)
			return DECODE_DENIED;
		return decode_malformed(s, SOURCE_REASON_SHORT_HEADER);
	}
	if ((s = decode_source(d, in, FLOW_ORIGIN_IPFIX, domain)) == NULL)
		return DECODE_DENIED;
	if (len < IPFIX_HEADER_LEN || len > in->len)
		return decode_malformed(s, SOURCE_REASON_MSG_LENGTH);
	if (len < in->len)
		s->trailing++;
	fm.m.recv_msec = in->now_msec;
	fm.m.export_msec = (uint64_t)secs * 1000;
	fm.m.uptime_msec = 0;
	fm.m.has_uptime = 0;
	fm.m.origin = FLOW_ORIGIN_IPFIX;
	return flowset_decode(d, s, &ipfix_proto, &fm,
	    in->buf + IPFIX_HEADER_LEN, len - IPFIX_HEADER_LEN);
}
