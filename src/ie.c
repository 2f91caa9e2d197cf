/*
 * ie.c - the information element table (RFC 7012, IANA "IPFIX Information
 * Elements"; NetFlow v9 field types from RFC 3954 §8 and Cisco's list).
 *
 * Elements absent here are skipped by their length, as RFC 7011 §9 allows.
 * Where several elements can carry the same thing (ICMP type and code in
 * three places, counters as delta or total), the record decoder decides
 * which wins; this table only says what each one is.
 */
#include <stddef.h>

#include "ie.h"

static const struct ie_def ie_table[] = {
	{ 1, IE_BYTES, IE_KIND_UINT, "octetDeltaCount" },
	{ 2, IE_PKTS, IE_KIND_UINT, "packetDeltaCount" },
	{ 4, IE_PROTO, IE_KIND_UINT, "protocolIdentifier" },
	{ 5, IE_TOS, IE_KIND_UINT, "ipClassOfService" },
	{ 6, IE_TCPFLAGS, IE_KIND_UINT, "tcpControlBits" },
	{ 7, IE_SRCPORT, IE_KIND_UINT, "sourceTransportPort" },
	{ 8, IE_SRC4, IE_KIND_ADDR4, "sourceIPv4Address" },
	{ 9, IE_SRCMASK, IE_KIND_UINT, "sourceIPv4PrefixLength" },
	{ 10, IE_INIF, IE_KIND_UINT, "ingressInterface" },
	{ 11, IE_DSTPORT, IE_KIND_UINT, "destinationTransportPort" },
	{ 12, IE_DST4, IE_KIND_ADDR4, "destinationIPv4Address" },
	{ 13, IE_DSTMASK, IE_KIND_UINT, "destinationIPv4PrefixLength" },
	{ 14, IE_OUTIF, IE_KIND_UINT, "egressInterface" },
	{ 15, IE_NH4, IE_KIND_ADDR4, "ipNextHopIPv4Address" },
	{ 16, IE_SRCAS, IE_KIND_UINT, "bgpSourceAsNumber" },
	{ 17, IE_DSTAS, IE_KIND_UINT, "bgpDestinationAsNumber" },
	{ 18, IE_BGPNH4, IE_KIND_ADDR4, "bgpNextHopIPv4Address" },
	{ 21, IE_LAST_UPTIME, IE_KIND_UINT, "flowEndSysUpTime" },
	{ 22, IE_FIRST_UPTIME, IE_KIND_UINT, "flowStartSysUpTime" },
	{ 23, IE_BYTES_OUT, IE_KIND_UINT, "postOctetDeltaCount" },
	{ 24, IE_PKTS_OUT, IE_KIND_UINT, "postPacketDeltaCount" },
	{ 27, IE_SRC6, IE_KIND_ADDR6, "sourceIPv6Address" },
	{ 28, IE_DST6, IE_KIND_ADDR6, "destinationIPv6Address" },
	{ 29, IE_SRCMASK, IE_KIND_UINT, "sourceIPv6PrefixLength" },
	{ 30, IE_DSTMASK, IE_KIND_UINT, "destinationIPv6PrefixLength" },
	{ 32, IE_ICMP_TC, IE_KIND_UINT, "icmpTypeCodeIPv4" },
	{ 34, IE_SAMPLING_INTERVAL, IE_KIND_UINT, "samplingInterval" },
	{ 35, IE_SAMPLING_ALGO, IE_KIND_UINT, "samplingAlgorithm" },
	{ 48, IE_SAMPLER_ID, IE_KIND_UINT, "samplerId" },
	{ 50, IE_SAMPLER_INTERVAL, IE_KIND_UINT, "samplerRandomInterval" },
	{ 56, IE_SRCMAC, IE_KIND_MAC, "sourceMacAddress" },
	{ 57, IE_DSTMAC, IE_KIND_MAC, "postDestinationMacAddress" },
	{ 58, IE_VLAN, IE_KIND_UINT, "vlanId" },
	{ 61, IE_DIRECTION, IE_KIND_UINT, "flowDirection" },
	{ 62, IE_NH6, IE_KIND_ADDR6, "ipNextHopIPv6Address" },
	{ 63, IE_BGPNH6, IE_KIND_ADDR6, "bgpNextHopIPv6Address" },
	{ 70, IE_MPLS1, IE_KIND_MPLS, "mplsTopLabelStackSection" },
	{ 80, IE_DSTMAC, IE_KIND_MAC, "destinationMacAddress" },
	{ 81, IE_SRCMAC, IE_KIND_MAC, "postSourceMacAddress" },
	{ 82, IE_IFNAME, IE_KIND_STRING, "interfaceName" },
	{ 83, IE_IFDESC, IE_KIND_STRING, "interfaceDescription" },
	{ 85, IE_BYTES_TOTAL, IE_KIND_UINT, "octetTotalCount" },
	{ 86, IE_PKTS_TOTAL, IE_KIND_UINT, "packetTotalCount" },
	{ 89, IE_FWD_STATUS, IE_KIND_UINT, "forwardingStatus" },
	{ 136, IE_END_REASON, IE_KIND_UINT, "flowEndReason" },
	{ 139, IE_ICMP_TC, IE_KIND_UINT, "icmpTypeCodeIPv6" },
	{ 150, IE_FIRST_SEC, IE_KIND_UINT, "flowStartSeconds" },
	{ 151, IE_LAST_SEC, IE_KIND_UINT, "flowEndSeconds" },
	/* dateTimeMilliseconds: 8 bytes, never reduced (RFC 7011 §6.2) */
	{ 152, IE_FIRST_MSEC, IE_KIND_TIME64, "flowStartMilliseconds" },
	{ 153, IE_LAST_MSEC, IE_KIND_TIME64, "flowEndMilliseconds" },
	{ 154, IE_FIRST_USEC, IE_KIND_TIME64, "flowStartMicroseconds" },
	{ 155, IE_LAST_USEC, IE_KIND_TIME64, "flowEndMicroseconds" },
	{ 156, IE_FIRST_NSEC, IE_KIND_TIME64, "flowStartNanoseconds" },
	{ 157, IE_LAST_NSEC, IE_KIND_TIME64, "flowEndNanoseconds" },
	{ 158, IE_FIRST_DELTA_USEC, IE_KIND_UINT,
	    "flowStartDeltaMicroseconds" },
	{ 159, IE_LAST_DELTA_USEC, IE_KIND_UINT, "flowEndDeltaMicroseconds" },
	{ 160, IE_SYSINIT_MSEC, IE_KIND_UINT, "systemInitTimeMilliseconds" },
	{ 176, IE_ICMP_TYPE, IE_KIND_UINT, "icmpTypeIPv4" },
	{ 177, IE_ICMP_CODE, IE_KIND_UINT, "icmpCodeIPv4" },
	{ 178, IE_ICMP_TYPE, IE_KIND_UINT, "icmpTypeIPv6" },
	{ 179, IE_ICMP_CODE, IE_KIND_UINT, "icmpCodeIPv6" },
	{ 225, IE_XSRC4, IE_KIND_ADDR4, "postNATSourceIPv4Address" },
	{ 226, IE_XDST4, IE_KIND_ADDR4, "postNATDestinationIPv4Address" },
	{ 227, IE_XSRCPORT, IE_KIND_UINT, "postNAPTSourceTransportPort" },
	{ 228, IE_XDSTPORT, IE_KIND_UINT,
	    "postNAPTDestinationTransportPort" },
	/* Cisco ASA (NSEL) counts bytes as initiator/responder octets. */
	{ 231, IE_BYTES, IE_KIND_UINT, "initiatorOctets" },
	{ 232, IE_BYTES_OUT, IE_KIND_UINT, "responderOctets" },
	{ 243, IE_VLAN, IE_KIND_UINT, "dot1qVlanId" },
	{ 281, IE_XSRC6, IE_KIND_ADDR6, "postNATSourceIPv6Address" },
	{ 282, IE_XDST6, IE_KIND_ADDR6, "postNATDestinationIPv6Address" },
	{ 298, IE_PKTS, IE_KIND_UINT, "initiatorPackets" },
	{ 299, IE_PKTS_OUT, IE_KIND_UINT, "responderPackets" },
	{ 302, IE_SELECTOR_ID, IE_KIND_UINT, "selectorId" },
	{ 305, IE_PKT_INTERVAL, IE_KIND_UINT, "samplingPacketInterval" },
	{ 306, IE_PKT_SPACE, IE_KIND_UINT, "samplingPacketSpace" },
	{ 309, IE_SAMPLE_SIZE, IE_KIND_UINT, "samplingSize" },
	{ 310, IE_SAMPLE_POP, IE_KIND_UINT, "samplingPopulation" },
	{ 323, IE_OBS_MSEC, IE_KIND_UINT, "observationTimeMilliseconds" },
	/*
	 * Cisco ASA NSEL's NetFlow v9 types for the translated (NAT)
	 * addresses and ports, before IANA's 225-228 existed.  Types of
	 * 32768 and up reach this table from v9 only: dec-ipfix.c turns
	 * enterprise-specific IPFIX fields into 0 before the lookup.
	 */
	{ 40001, IE_XSRC4, IE_KIND_ADDR4, "NF_F_XLATE_SRC_ADDR_IPV4" },
	{ 40002, IE_XDST4, IE_KIND_ADDR4, "NF_F_XLATE_DST_ADDR_IPV4" },
	{ 40003, IE_XSRCPORT, IE_KIND_UINT, "NF_F_XLATE_SRC_PORT" },
	{ 40004, IE_XDSTPORT, IE_KIND_UINT, "NF_F_XLATE_DST_PORT" },
};

/* Direct index for the ids below IE_INDEX_MAX; built on first use. */
#define IE_INDEX_MAX	512
static const struct ie_def *ie_index[IE_INDEX_MAX];
static int ie_index_ready;

const struct ie_def *
ie_lookup(uint16_t id)
{
	size_t i;

	if (!ie_index_ready) {
		for (i = 0; i < sizeof(ie_table) / sizeof(ie_table[0]); i++)
			if (ie_table[i].id < IE_INDEX_MAX)
				ie_index[ie_table[i].id] = &ie_table[i];
		ie_index_ready = 1;
	}
	if (id < IE_INDEX_MAX)
		return ie_index[id];
	/* The few vendor types above the index: only at compile time. */
	for (i = 0; i < sizeof(ie_table) / sizeof(ie_table[0]); i++)
		if (ie_table[i].id == id)
			return &ie_table[i];
	return NULL;
}

/*
 * Whether a template may give this element this length.  Integers may be
 * sent in fewer bytes (RFC 7011 §6.2, reduced-size encoding) but never in
 * more than 8; addresses and timestamps have exactly one size.
 */
int
ie_length_ok(const struct ie_def *d, uint16_t len)
{
	switch (d->kind) {
	case IE_KIND_UINT:
		return len >= 1 && len <= 8;
	case IE_KIND_ADDR4:
		return len == 4;
	case IE_KIND_ADDR6:
		return len == 16;
	case IE_KIND_MAC:
		return len == 6;
	case IE_KIND_MPLS:
		return len == 3;
	case IE_KIND_TIME64:
		return len == 8;
	case IE_KIND_STRING:
		return 1;
	}
	return 0;
}
