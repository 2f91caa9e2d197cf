/*
 * pcapread.h - reading pcap and pcapng files (--read).
 *
 * Each packet is taken apart down to UDP; a payload that is a NetFlow,
 * IPFIX or sFlow export goes to the decoder with the packet's source
 * address as exporter and its capture time as receive time.  Other packets
 * go to the packet meter, so a file may hold exports, traffic, or both.
 * Reading is done in steps so that the event loop stays responsive.
 *
 * A file whose link type the reader cannot take apart still opens: a
 * warning names the link type, and its packets are counted, not read.
 * Every packet has one outcome: packets = exports + other + truncated +
 * filtered + unsupported_link.
 */
#ifndef NFTOP_PCAPREAD_H
#define NFTOP_PCAPREAD_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "pkt.h"

struct pcapread_stats {
	uint64_t	packets;	/* read from the file */
	uint64_t	exports;	/* UDP payloads given to the decoder */
	uint64_t	other;		/* packets that carry no export */
	uint64_t	truncated;	/* captured too short to take apart */
	uint64_t	fragments;	/* IP fragments (not reassembled) */
	uint64_t	errors;		/* damaged file: libpcap gave up */
	uint64_t	filtered;	/* left out by the BPF expression */
	uint64_t	unsupported_link; /* of a link type not taken apart */
};

struct pcapread;
struct store;
struct meter;

struct pcapread	*pcapread_open(const char *path, struct decoder *,
		    struct store *, struct meter *, char *err, size_t errlen);
int		 pcapread_set_bpf(struct pcapread *, const char *expr,
		    char *err, size_t errlen);
int		 pcapread_is_export(const uint8_t *, size_t, uint16_t dport);
int		 pcapread_link_type(int dlt, enum pkt_link *);
int		 pcapread_step(struct pcapread *, int max_packets);
void		 pcapread_close(struct pcapread *);
const struct pcapread_stats *pcapread_stats(const struct pcapread *);
const char	*pcapread_error(const struct pcapread *);
int		 pcapread_udp_payload(int linktype, const uint8_t *pkt,
		    size_t caplen, struct flow_addr *src, uint16_t *sport,
		    uint16_t *dport, const uint8_t **pl, size_t *pllen,
		    int *is_fragment);

#endif
