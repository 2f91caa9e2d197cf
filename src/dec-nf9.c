/*
 * dec-nf9.c - NetFlow v9 (RFC 3954): the header and the template records;
 * dec-flowset.c walks the sets.
 *
 * Header (§5.1): version 9, count (records of all kinds; not a length, and
 * not trusted), sysUptime (ms), unix_secs, a sequence number counting
 * export packets per source ID, and the source ID.  Template FlowSet ID 0,
 * options template FlowSet ID 1, data FlowSets 256 and up.  Field types
 * are plain 16-bit numbers: there is no enterprise bit in v9 (vendors use
 * types from 32768; the few nftop knows, such as Cisco ASA's NAT fields,
 * are in ie.c, the rest are skipped by length).
 */

#include "dec-flowset.h"
#include "dec-nf9.h"

#define NF9_HEADER_LEN	20

/*
 * Options scope types (§6.1) are not field types: System 1, Interface 2,
 * Line Card 3, Cache 4, Template 5.  An Interface scope names an ifIndex,
 * which the decoder reads as ingressInterface (10) so that interface
 * names find their interface; the others carry nothing nftop uses.
 */
static uint16_t
nf9_scope_type(uint16_t scope)
{
	return scope == 2 ? 10 : 0;
}

/*
 * A template record (§5.2) or an options template record (§6.1: scope
 * and option lengths in bytes, four per field).  Fields past
 * TMPL_FIELDS_MAX are read over and the template refused.
 */
static enum flowset_tmpl_rc
nf9_read_template(struct rd *r, int options, struct tmpl_def *def)
{
	uint32_t nfields, i;
	uint16_t scope_len = 0, type, len;

	def->id = rd_u16(r);
	def->options = (uint8_t)options;
	def->enterprise = 0;
	if (options) {
		scope_len = rd_u16(r);
		len = rd_u16(r);
		if (scope_len % 4 != 0 || len % 4 != 0)
			return FLOWSET_TMPL_OVERRUN;
		nfields = (uint32_t)(scope_len + len) / 4;
	} else
		nfields = rd_u16(r);
	if (r->err || (size_t)nfields * 4 > r->len)
		return FLOWSET_TMPL_OVERRUN;
	def->nfields = nfields > TMPL_FIELDS_MAX ? 0 : (uint16_t)nfields;
	for (i = 0; i < nfields; i++) {
		type = rd_u16(r);
		len = rd_u16(r);
		if (options && i < (uint32_t)scope_len / 4)
			type = nf9_scope_type(type);
		if (i < TMPL_FIELDS_MAX) {
			def->ids[i] = type;
			def->lens[i] = len;
		}
	}
	if (nfields == 0 || nfields > TMPL_FIELDS_MAX ||
	    (options && scope_len == 0))
		return FLOWSET_TMPL_INVALID;
	return FLOWSET_TMPL_OK;
}

static const struct flowset_proto nf9_proto = {
	.origin = FLOW_ORIGIN_NF9,
	.seq_counts_records = 0,
	.zero_tail_ok = 1,
	.tmpl_set = 0,
	.opt_set = 1,
	.read_template = nf9_read_template,
};

enum decode_outcome
dec_nf9_input(struct decoder *d, const struct decode_input *in)
{
	struct flowset_msg fm;
	struct source *s;
	struct rd r;
	uint32_t secs, domain;

	rd_init(&r, in->buf, in->len);
	rd_skip(&r, 4);			/* version, count */
	fm.m.uptime_msec = rd_u32(&r);
	secs = rd_u32(&r);
	fm.sequence = rd_u32(&r);
	domain = rd_u32(&r);
	if (r.err) {
		if ((s = decode_source(d, in, FLOW_ORIGIN_NF9, 0)) == NULL)
			return DECODE_DENIED;
		return decode_malformed(s, SOURCE_REASON_SHORT_HEADER);
	}
	if ((s = decode_source(d, in, FLOW_ORIGIN_NF9, domain)) == NULL)
		return DECODE_DENIED;
	fm.m.recv_msec = in->now_msec;
	fm.m.export_msec = (uint64_t)secs * 1000;
	fm.m.has_uptime = 1;
	fm.m.origin = FLOW_ORIGIN_NF9;
	return flowset_decode(d, s, &nf9_proto, &fm, in->buf + NF9_HEADER_LEN,
	    in->len - NF9_HEADER_LEN);
}
