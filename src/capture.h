/*
 * capture.h - live packet capture with libpcap (--interface), metered
 * into flows.
 *
 * Each interface is one pcap handle in non-blocking immediate mode whose
 * selectable descriptor sits in the event loop; a read event drains a
 * bounded batch of packets into the meter.  Immediate mode matters: with
 * TPACKET_V3 buffering, the last packets of a burst would otherwise wait
 * for a ring block to fill (softflowd loses them; see peers.md).
 */
#ifndef NFTOP_CAPTURE_H
#define NFTOP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct meter;
struct source_table;
struct capture;

struct capture_stats {
	uint64_t	packets;	/* handed to the meter */
	uint64_t	kernel_drops;	/* pcap_stats ps_drop */
	uint64_t	if_drops;	/* pcap_stats ps_ifdrop */
	uint64_t	errors;		/* read errors; the interface went? */
};

struct capture	*capture_open(struct event_base *, const char *ifname,
		    const char *bpf, struct meter *, struct source_table *,
		    char *err, size_t errlen);
void		 capture_close(struct capture *);
void		 capture_stats(struct capture *, struct capture_stats *);
const char	*capture_name(const struct capture *);

#endif
