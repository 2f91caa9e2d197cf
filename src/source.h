/*
 * source.h - the table of flow sources: one entry per exporter address,
 * wire protocol and domain (v5 engine, v9 source ID, IPFIX observation
 * domain), with the health counters the batch "sources" member and the
 * status line show.
 *
 * The table is bounded; a source that does not fit is refused and counted
 * in source_table.full, never grown without limit.
 */
#ifndef NFTOP_SOURCE_H
#define NFTOP_SOURCE_H

#include <stdint.h>

#include "flow.h"

/* Why a datagram was rejected as malformed; names in source_reason_name(). */
enum source_reason {
	SOURCE_REASON_SHORT_HEADER,	/* shorter than its header */
	SOURCE_REASON_COUNT_TOO_LARGE,	/* more records than the format allows */
	SOURCE_REASON_SHORT_RECORDS,	/* count * record size > length */
	SOURCE_REASON_MSG_LENGTH,	/* IPFIX length outside the datagram */
	SOURCE_REASON_SET_LENGTH,	/* a set shorter than 4 or overrunning */
	SOURCE_REASON_TEMPLATE,		/* a template record that does not fit */
	SOURCE_REASON_RECORD,		/* a record overruns its set */
	SOURCE_REASON_AGENT,		/* sFlow agent address of no known type */
	SOURCE_REASON_MAX
};

struct source {
	struct flow_addr addr;
	uint32_t	domain;		/* engine type << 8 | engine id for v5 */
	uint16_t	port;		/* exporter's UDP source port */
	uint8_t		origin;		/* enum flow_origin */
	uint8_t		seq_valid;	/* seq_next holds an expectation */
	uint32_t	seq_next;	/* next sequence number expected */
	uint32_t	sampling;	/* rate in force (1 = unsampled) */
	uint64_t	datagrams;	/* received, whatever their outcome */
	uint64_t	records;	/* flow records decoded */
	uint64_t	lost;		/* records the sequence says never came */
	uint64_t	seq_resets;	/* sequence went backwards: restart */
	uint64_t	malformed;	/* datagrams rejected */
	uint64_t	malformed_by[SOURCE_REASON_MAX];
	uint64_t	dropped;	/* kernel drops seen with its datagrams */
	uint64_t	trailing;	/* datagrams with bytes past the records */
	uint64_t	implausible;	/* records with 0 packets or odd sizes */
	uint64_t	pkts;		/* sum over decoded records */
	uint64_t	bytes;
	/* NetFlow v9 and IPFIX */
	uint64_t	templates;	/* template records installed */
	uint64_t	tmpl_rejected;	/* invalid templates (RFC rules) */
	uint64_t	tmpl_limit;	/* refused: template cache full */
	uint64_t	tmpl_bad_fields; /* fields with a length we cannot use */
	uint64_t	enterprise_fields; /* skipped by length, RFC 7011 §3.2 */
	uint64_t	withdrawals;	/* ignored over UDP, RFC 7011 §8.4 */
	uint64_t	options_records; /* options data records read */
	uint64_t	waiting;	/* data sets queued for a template */
	uint64_t	waiting_decoded; /* ...decoded when it came */
	uint64_t	waiting_expired; /* ...dropped: too old, no room, or
					  * does not fit its template */
	uint64_t	reserved_sets;	/* set IDs 2..255 (v9), 4..255 */
	/* sFlow */
	uint64_t	flow_samples;
	uint64_t	counter_samples;
	uint64_t	samples_lost;	/* sample sequence gaps, per data source */
	uint64_t	sample_drops;	/* packets the agent could not sample */
	uint64_t	bad_samples;	/* dropped: inconsistent lengths */
	uint64_t	unknown_formats; /* skipped by their opaque length */
	uint64_t	no_header;	/* flow samples with nothing to key on */
	uint64_t	first_msec;	/* first and latest datagram */
	uint64_t	last_msec;
};

struct source_table {
	struct source	*v;		/* v[0..n-1] in order of arrival */
	uint32_t	 n;
	uint32_t	 max;		/* capacity; at most UINT16_MAX */
	uint32_t	*index;		/* open addressing: slot -> i + 1 */
	uint32_t	 index_mask;
	uint64_t	 hash_key;
	uint64_t	 full;		/* lookups refused: table full */
};

struct source_table *source_table_create(uint32_t max, uint64_t hash_key);
void		 source_table_free(struct source_table *);
struct source	*source_get(struct source_table *, const struct flow_addr *,
		    uint16_t port, enum flow_origin, uint32_t domain,
		    uint64_t now_msec);
void		 source_seq_check(struct source *, uint32_t seq,
		    uint32_t advance);
const char	*source_reason_name(enum source_reason);
const char	*source_name(const struct source *, char *, size_t);
void		 source_totals(const struct source_table *, struct source *);

#endif
