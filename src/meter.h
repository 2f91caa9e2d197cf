/*
 * meter.h - metering captured packets into flow records, as a NetFlow
 * probe (softflowd, nfpcapd) does.
 *
 * A flow is NetFlow's: (addresses, ports, protocol, ToS, input interface).
 * Flows end on an inactive timeout, an active timeout, TCP FIN or RST, a
 * full cache (the least recently used flow goes, counted), or the end of
 * a file.  In live mode a flow's packets also reach the views as they
 * happen: every second each flow that moved reports what is new, so a long
 * download shows up at once, as in iftop, not when it ends.
 */
#ifndef NFTOP_METER_H
#define NFTOP_METER_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "pkt.h"

struct meter_stats {
	uint64_t	packets;	/* metered */
	uint64_t	not_ip;
	uint64_t	truncated;	/* keyed on what could be read */
	uint64_t	malformed;	/* headers that contradict themselves */
	uint64_t	fragments;	/* later fragments: ports unknown */
	uint64_t	flows;		/* created */
	uint64_t	end_inactive, end_active, end_tcp, end_full, end_flush;
	uint64_t	updates;	/* live partial reports */
};

struct meter;
struct source_table;

struct meter	*meter_create(size_t max_flows, int live, uint64_t inactive_msec,
		    uint64_t active_msec, flow_sink_cb, void *ctx);
void		 meter_free(struct meter *);
void		 meter_packet(struct meter *, enum pkt_link, const uint8_t *,
		    size_t caplen, size_t wirelen, uint64_t msec, uint32_t inif,
		    uint16_t source);
void		 meter_tick(struct meter *, uint64_t now_msec);
void		 meter_flush(struct meter *, uint64_t now_msec);
const struct meter_stats *meter_stats(const struct meter *);
void		 meter_count_on(struct meter *, struct source_table *);
size_t		 meter_active(const struct meter *);

#endif
