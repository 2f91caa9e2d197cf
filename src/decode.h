/*
 * decode.h - from one export datagram to flow records.
 *
 * decode_datagram() picks the decoder by the version in the first two bytes
 * (a table, as nfcapd does) and gives every datagram exactly one outcome,
 * counted both globally and on its source.  Decoders deliver records to the
 * sink and own nothing per datagram.
 */
#ifndef NFTOP_DECODE_H
#define NFTOP_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "source.h"

enum decode_outcome {
	DECODE_OK,		/* decoded; its records went to the sink */
	DECODE_MALFORMED,	/* rejected; reason counted on its source */
	DECODE_UNSUPPORTED,	/* a version nftop does not decode */
	DECODE_DENIED,		/* refused: not allowed, or table full */
	DECODE_OUTCOME_MAX
};

/* Every datagram lands in exactly one outcome: rx = sum of outcomes. */
struct decode_stats {
	uint64_t	datagrams;
	uint64_t	outcome[DECODE_OUTCOME_MAX];
	uint64_t	records;
	uint64_t	dropped;	/* kernel drops not tied to a source */
	uint64_t	denied_acl;	/* of the denied: not on --allow */
};

struct tmpl_cache;
struct sflow_state;
struct acl;

struct decoder {
	struct source_table	*sources;
	struct tmpl_cache	*tmpls;		/* v9 and IPFIX templates */
	struct sflow_state	*sflow;		/* sFlow sequences, counters */
	const struct acl	*allow;		/* --allow; NULL: everyone */
	uint32_t		 sampling;	/* --sampling N: default rate */
	uint8_t			 sampling_forced; /* --sampling -N */
	flow_sink_cb		 sink;
	void			*sink_ctx;
	struct decode_stats	 stats;
};

/* One datagram as a decoder sees it. */
struct decode_input {
	const uint8_t		*buf;
	size_t			 len;
	struct flow_addr	 exporter;
	uint16_t		 port;		/* exporter's source port */
	uint64_t		 now_msec;	/* receive time */
	uint64_t		 drops;		/* new kernel drops seen with it */
};

void	decoder_init(struct decoder *, struct source_table *, flow_sink_cb,
	    void *);
void	decoder_free(struct decoder *);
/*
 * The sampling rate a record's counts are scaled by, from the rate its
 * exporter announced for it (0: none): --sampling -N forces N for all,
 * --sampling N stands in where none was announced (as nfcapd -s), and
 * without either an unannounced rate is 1.  Every decoder goes through
 * this, so that the option means the same for every format.
 */
static inline uint32_t
decode_rate(const struct decoder *d, uint32_t announced)
{
	if (d->sampling_forced)
		return d->sampling;
	if (announced != 0)
		return announced;
	return d->sampling != 0 ? d->sampling : 1;
}

enum decode_outcome decode_datagram(struct decoder *,
	    const struct decode_input *);
const char *decode_outcome_name(enum decode_outcome);

/* Helpers for decoders: find the source and count the datagram on it. */
struct source *decode_source(struct decoder *, const struct decode_input *,
	    enum flow_origin, uint32_t domain);
enum decode_outcome decode_malformed(struct source *, enum source_reason);

#endif
