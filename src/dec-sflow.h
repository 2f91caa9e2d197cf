/*
 * dec-sflow.h - sFlow version 5 (sflow.org, sflow_version_5.txt).
 *
 * Flow samples become flow records scaled by their sampling rate; counter
 * samples (generic interface counters) are kept per agent and ifIndex for
 * the interfaces view, where they stand beside the flow-based totals.
 */
#ifndef NFTOP_DEC_SFLOW_H
#define NFTOP_DEC_SFLOW_H

#include <stdint.h>

#include "decode.h"

#define SFLOW_IFACES_MAX	4096

/* The latest generic interface counters of one agent's interface. */
struct sflow_iface {
	uint16_t	source;		/* agent (source table index) */
	uint8_t		in_use;
	uint8_t		status;		/* ifAdminStatus | ifOperStatus << 1 */
	uint32_t	ifindex;
	uint32_t	iftype;
	uint64_t	speed;		/* bits/s */
	uint64_t	in_octets, out_octets;
	uint64_t	in_pkts, out_pkts;	/* unicast+multicast+broadcast */
	uint64_t	in_errors, out_errors, in_discards, out_discards;
	uint64_t	msec;		/* when these counters arrived */
	double		in_bps, out_bps;	/* from the last two samples */
	uint64_t	samples;
};

struct sflow_state;

struct sflow_state *sflow_state_create(void);
void		 sflow_state_free(struct sflow_state *);
enum decode_outcome dec_sflow_input(struct decoder *,
		    const struct decode_input *);
const struct sflow_iface *sflow_ifaces(const struct sflow_state *,
		    uint32_t *n);

#endif
