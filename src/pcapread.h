/*
 * pcapread.h - reading pcap and pcapng files (--read).
 *
 * Each packet is taken apart down to UDP; a payload that starts like a
 * NetFlow/IPFIX header goes to the decoder with the packet's source address
 * as exporter and its capture time as receive time.  Other packets are
 * counted (metering them into flows is the packet meter's job).  Reading
 * is done in steps so that the event loop stays responsive.
 */
#ifndef NFTOP_PCAPREAD_H
#define NFTOP_PCAPREAD_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

struct pcapread_stats {
	uint64_t	packets;	/* read from the file */
	uint64_t	exports;	/* UDP payloads given to the decoder */
	uint64_t	other;		/* packets that carry no export */
	uint64_t	truncated;	/* captured too short to take apart */
	uint64_t	fragments;	/* IP fragments (not reassembled) */
};

struct pcapread;
struct store;

struct pcapread	*pcapread_open(const char *path, struct decoder *,
		    struct store *, char *err, size_t errlen);
int		 pcapread_step(struct pcapread *, int max_packets);
void		 pcapread_close(struct pcapread *);
const struct pcapread_stats *pcapread_stats(const struct pcapread *);
int		 pcapread_udp_payload(int linktype, const uint8_t *pkt,
		    size_t caplen, struct flow_addr *src, uint16_t *sport,
		    const uint8_t **pl, size_t *pllen, int *is_fragment);

#endif
