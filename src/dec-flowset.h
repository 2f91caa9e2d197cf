/*
 * dec-flowset.h - the set walker NetFlow v9 and IPFIX share.
 *
 * Both protocols are a header followed by sets (v9 "FlowSets"), each a
 * 16-bit ID and a 16-bit length: template sets, options template sets and
 * data sets named by their template ID.  They differ in their IDs, in how a
 * template record is written and in what the sequence number counts; each
 * decoder describes itself with a struct flowset_proto and hands the sets
 * to flowset_decode().
 */
#ifndef NFTOP_DEC_FLOWSET_H
#define NFTOP_DEC_FLOWSET_H

#include "decode.h"
#include "rd.h"
#include "tmpl.h"

enum flowset_tmpl_rc {
	FLOWSET_TMPL_OK,
	FLOWSET_TMPL_OVERRUN,		/* does not fit its set: malformed */
	FLOWSET_TMPL_WITHDRAWAL,	/* IPFIX field count 0 */
	FLOWSET_TMPL_INVALID,		/* well-formed but refused */
};

struct flowset_proto {
	uint8_t		origin;
	uint8_t		seq_counts_records;	/* IPFIX; v9 counts packets */
	uint8_t		zero_tail_ok;		/* v9: zero padding at end */
	uint16_t	tmpl_set;
	uint16_t	opt_set;
	/* Reads one (options) template record; r is bounded by the set. */
	enum flowset_tmpl_rc (*read_template)(struct rd *, int options,
	    struct tmpl_def *);
};

struct flowset_msg {
	struct tmpl_msg	 m;
	uint32_t	 sequence;
};

enum decode_outcome flowset_decode(struct decoder *, struct source *,
	    const struct flowset_proto *, const struct flowset_msg *,
	    const uint8_t *sets, size_t len);

#endif
