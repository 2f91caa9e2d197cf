/*
 * ie.h - the information elements nftop understands, and what each does
 * to a flow record.
 *
 * NetFlow v9 field types and IPFIX information element IDs share their
 * numbers below 128 (RFC 3954 §8, RFC 7012 and IANA's registry), so one
 * table serves both.  Each known element maps to an action; the template
 * compiler turns a template's fields into a list of (length, action).
 */
#ifndef NFTOP_IE_H
#define NFTOP_IE_H

#include <stdint.h>

enum ie_action {
	IE_SKIP = 0,		/* not understood: skipped by length */
	IE_BYTES, IE_PKTS,			/* delta counters */
	IE_BYTES_TOTAL, IE_PKTS_TOTAL,		/* total counters */
	IE_BYTES_OUT, IE_PKTS_OUT,		/* egress/responder counters */
	IE_PROTO, IE_TOS, IE_TCPFLAGS,
	IE_SRCPORT, IE_DSTPORT,
	IE_SRC4, IE_DST4, IE_SRC6, IE_DST6,
	IE_NH4, IE_NH6, IE_BGPNH4, IE_BGPNH6,
	IE_SRCMASK, IE_DSTMASK,
	IE_INIF, IE_OUTIF, IE_SRCAS, IE_DSTAS,
	IE_ICMP_TC, IE_ICMP_TYPE, IE_ICMP_CODE,
	IE_FIRST_UPTIME, IE_LAST_UPTIME,	/* ms of sysUptime */
	IE_FIRST_SEC, IE_LAST_SEC,
	IE_FIRST_MSEC, IE_LAST_MSEC,
	IE_FIRST_USEC, IE_LAST_USEC,		/* NTP 64-bit format */
	IE_FIRST_NSEC, IE_LAST_NSEC,		/* NTP 64-bit format */
	IE_FIRST_DELTA_USEC, IE_LAST_DELTA_USEC, /* before export time */
	IE_OBS_MSEC,				/* one observation time */
	IE_SRCMAC, IE_DSTMAC, IE_VLAN, IE_MPLS1, IE_DIRECTION,
	IE_XSRC4, IE_XDST4, IE_XSRC6, IE_XDST6, IE_XSRCPORT, IE_XDSTPORT,
	IE_END_REASON, IE_FWD_STATUS,
	/* options data: sampling, interface names, time base */
	IE_SAMPLING_INTERVAL, IE_SAMPLING_ALGO, IE_SAMPLER_ID,
	IE_SAMPLER_INTERVAL, IE_PKT_INTERVAL, IE_PKT_SPACE, IE_SELECTOR_ID,
	IE_SAMPLE_SIZE, IE_SAMPLE_POP,		/* n-out-of-N: N / n */
	IE_IFNAME, IE_IFDESC, IE_SYSINIT_MSEC,
	IE_ACTION_MAX
};

/* How the wire length of an element is checked at template compile time. */
enum ie_kind {
	IE_KIND_UINT,		/* 1..8 bytes, big-endian (reduced size ok) */
	IE_KIND_ADDR4,		/* exactly 4 */
	IE_KIND_ADDR6,		/* exactly 16 */
	IE_KIND_MAC,		/* exactly 6 */
	IE_KIND_MPLS,		/* exactly 3 */
	IE_KIND_TIME64,		/* exactly 8 */
	IE_KIND_STRING,		/* any length, variable allowed */
};

struct ie_def {
	uint16_t	id;
	uint8_t		action;		/* enum ie_action */
	uint8_t		kind;		/* enum ie_kind */
	const char	*name;
};

const struct ie_def *ie_lookup(uint16_t id);
int		 ie_length_ok(const struct ie_def *, uint16_t len);

#endif
