/*
 * pcapread.c - pcap/pcapng files to export datagrams, through libpcap.
 *
 * Link layers handled: Ethernet (with any number of 802.1Q/802.1ad tags),
 * Linux cooked v1 and v2, raw IP, BSD loopback, PPP and Cisco HDLC.  Every
 * header length is checked against the captured length before it is used.
 * The packet meter (pkt.c) knows the first five; of a PPP or HDLC frame it
 * is given the IP packet inside.  A --bpf expression is applied here, not
 * by libpcap, so that what it leaves out can be counted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "log.h"
#include "meter.h"
#include "pcapread.h"
#include "source.h"
#include "rd.h"
#include "store.h"
#include "fault.h"
#include "xmalloc.h"

#define PCAPREAD_BUFSIZE	((size_t)1 << 17)

struct pcapread {
	pcap_t			*p;
	char			*fbuf;		/* its stdio buffer */
	int			 linktype;
	enum pkt_link		 link;
	int			 link_ok;	/* the meter knows it */
	int			 link_read;	/* we know it (or its IP) */
	struct bpf_program	 bpf;		/* --bpf; no insns: none */
	struct decoder		*dec;
	struct store		*store;
	struct meter		*meter;		/* NULL: count, don't meter */
	uint16_t		 source;	/* the meter's source entry */
	uint64_t		 last_msec;
	struct pcapread_stats	 st;
	char			 error[PCAP_ERRBUF_SIZE]; /* "" if none */
};

/* libpcap link types the packet parser takes. */
int
pcapread_link_type(int dlt, enum pkt_link *link)
{
	switch (dlt) {
	case DLT_EN10MB:
		*link = PKT_LINK_ETHER;
		return 0;
	case DLT_RAW:
	case 228:	/* DLT_IPV4 */
	case 229:	/* DLT_IPV6 */
		*link = PKT_LINK_RAW;
		return 0;
	case DLT_LINUX_SLL:
		*link = PKT_LINK_SLL;
		return 0;
	case DLT_LINUX_SLL2:
		*link = PKT_LINK_SLL2;
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		*link = PKT_LINK_NULL;
		return 0;
	}
	return -1;
}

/* The link types pcapread_ppp takes apart; the meter knows none. */
static int
pcapread_is_ppp(int dlt)
{
	return dlt == DLT_PPP || dlt == DLT_PPP_SERIAL || dlt == DLT_C_HDLC;
}

/* Whether packets of a link type are taken apart at all. */
static int
pcapread_link_read(int dlt)
{
	enum pkt_link link;

	return pcapread_link_type(dlt, &link) == 0 || pcapread_is_ppp(dlt);
}

/*
 * Said once per file, so that an empty report is not taken for an empty
 * file.  Per packet, the count says the same (unsupported_link).
 */
static void
pcapread_warn_link(const char *path, int dlt)
{
	const char *name = pcap_datalink_val_to_name(dlt);

	log_warnx("--read %s: link type %s (DLT %d) is not supported: its"
	    " packets are not read", path, name != NULL ? name : "unknown",
	    dlt);
}

struct pcapread *
pcapread_open(const char *path, struct decoder *dec, struct store *store,
    struct meter *meter, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcapread *r;
	pcap_t *p;
	FILE *fp;
	char *fbuf;

	/*
	 * libpcap reads a savefile through stdio, whose buffer is a page:
	 * a read(2) every three datagrams.  A larger buffer, set before
	 * libpcap's first read, makes that one every ninety.  (glibc
	 * ignores the size unless it is given the buffer.)  Not larger:
	 * each refill streams the buffer through the cache, and at 1 MiB,
	 * the size of the L2, it pushed out the views' tables (5 % slower).
	 */
	fbuf = NULL;
	if (strcmp(path, "-") == 0)
		fp = stdin;	/* stdin outlives us: it keeps its own buffer */
	else if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	} else {
		fbuf = xmalloc(PCAPREAD_BUFSIZE);
		(void)setvbuf(fp, fbuf, _IOFBF, PCAPREAD_BUFSIZE);
	}
	if ((p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_MICRO, ebuf)) == NULL) {
		if (fp != stdin)
			fclose(fp);
		free(fbuf);
		snprintf(err, errlen, "%s", ebuf);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->p = p;
	r->fbuf = fbuf;
	r->linktype = pcap_datalink(p);
	r->link_ok = pcapread_link_type(r->linktype, &r->link) == 0;
	r->link_read = pcapread_link_read(r->linktype);
	if (!r->link_read)
		pcapread_warn_link(path, r->linktype);
	r->dec = dec;
	r->store = store;
	r->meter = meter;
	r->source = UINT16_MAX;
	return r;
}

/*
 * Compiles a capture filter (pcap-filter(7)) for the file's link type.
 * Packets it does not match are counted and go nowhere else.  -1 with
 * libpcap's message in err when the expression does not compile.
 */
int
pcapread_set_bpf(struct pcapread *r, const char *expr, char *err,
    size_t errlen)
{
	struct bpf_program prog;

	if (pcap_compile(r->p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "%s", pcap_geterr(r->p));
		return -1;
	}
	pcap_freecode(&r->bpf);
	r->bpf = prog;
	return 0;
}

void
pcapread_close(struct pcapread *r)
{
	if (r == NULL)
		return;
	pcap_close(r->p);	/* closes the file, then the buffer can go */
	pcap_freecode(&r->bpf);
	free(r->fbuf);
	free(r);
}

const struct pcapread_stats *
pcapread_stats(const struct pcapread *r)
{
	return &r->st;
}

/* Why reading stopped early, or NULL when the file read to its end. */
const char *
pcapread_error(const struct pcapread *r)
{
	return r->error[0] != '\0' ? r->error : NULL;
}

/*
 * PPP (RFC 1661), bare or after HDLC-like framing's address 0xff and
 * control 0x03 (RFC 1662 3.1), or Cisco HDLC: an address (0x0f, 0x8f), a
 * control byte, then an ethertype.  DLT_PPP_SERIAL holds either, told
 * apart by the address.  A PPP protocol whose first byte is odd is that
 * one byte (RFC 1661 6.5, protocol field compression).  Not IP: 0.
 */
static void
pcapread_ppp(int linktype, struct rd *r, uint16_t *ethertype)
{
	uint16_t proto;

	if (linktype == DLT_C_HDLC || (linktype == DLT_PPP_SERIAL &&
	    r->len > 0 && r->p[0] != 0xff)) {
		rd_skip(r, 2);
		*ethertype = rd_u16(r);
		return;
	}
	if (r->len >= 2 && r->p[0] == 0xff && r->p[1] == 0x03)
		rd_skip(r, 2);
	proto = rd_u8(r);
	if ((proto & 1) == 0)
		proto = (uint16_t)(proto << 8 | rd_u8(r));
	*ethertype = proto == 0x0021 ? 0x0800 : proto == 0x0057 ? 0x86dd : 0;
}

/* Finds the network-layer ethertype and its offset for a link type. */
static int
pcapread_link(int linktype, struct rd *r, uint16_t *ethertype)
{
	uint32_t family;
	uint16_t t;

	switch (linktype) {
	case DLT_EN10MB:
		rd_skip(r, 12);
		t = rd_u16(r);
		while (t == 0x8100 || t == 0x88a8 || t == 0x9100) {
			rd_skip(r, 2);
			t = rd_u16(r);
		}
		*ethertype = t;
		break;
	case DLT_LINUX_SLL:
		rd_skip(r, 14);
		*ethertype = rd_u16(r);
		break;
	case DLT_LINUX_SLL2:
		*ethertype = rd_u16(r);
		rd_skip(r, 18);
		break;
	case DLT_RAW:
	case 228:	/* DLT_IPV4 */
	case 229:	/* DLT_IPV6 */
		if (r->len == 0)
			return -1;
		*ethertype = (r->p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	case DLT_NULL:
	case DLT_LOOP:
		rd_bytes(r, &family, 4);
		/* Host or network order, per file; 2 is IPv4 either way. */
		*ethertype = (family == 2 || family == 0x02000000) ?
		    0x0800 : 0x86dd;
		break;
	default:
		if (!pcapread_is_ppp(linktype))
			return -1;
		pcapread_ppp(linktype, r, ethertype);
		break;
	}
	return r->err ? -1 : 0;
}

/*
 * Takes a captured packet apart to its UDP payload.  Returns 0 with the
 * payload, 1 for a packet that is not UDP, -1 when truncated.
 */
int
pcapread_udp_payload(int linktype, const uint8_t *pkt, size_t caplen,
    struct flow_addr *src, uint16_t *sport, uint16_t *dport,
    const uint8_t **pl, size_t *pllen, int *is_fragment)
{
	struct rd r;
	uint16_t et, frag, udplen;
	uint8_t vihl, proto, a6[16], nh;
	size_t ihl, hl;

	*is_fragment = 0;
	rd_init(&r, pkt, caplen);
	if (pcapread_link(linktype, &r, &et) != 0)
		return r.err ? -1 : 1;
	if (et == 0x0800) {
		const uint8_t *ip = r.p;

		vihl = rd_u8(&r);
		ihl = (size_t)(vihl & 0x0f) * 4;
		if (r.err || (vihl >> 4) != 4 || ihl < 20)
			return r.err ? -1 : 1;
		rd_skip(&r, 5);
		frag = rd_u16(&r);
		rd_skip(&r, 1);
		proto = rd_u8(&r);
		rd_skip(&r, 2);
		flow_addr_set4(src, rd_u32(&r));
		if (r.err)
			return -1;
		rd_init(&r, ip, caplen - (size_t)(ip - pkt));
		rd_skip(&r, ihl);
		if ((frag & 0x3fff) != 0) {
			*is_fragment = 1;
			return 1;
		}
	} else if (et == 0x86dd) {
		rd_skip(&r, 6);
		nh = rd_u8(&r);
		rd_skip(&r, 1);
		rd_bytes(&r, a6, 16);
		flow_addr_set6(src, a6);
		rd_skip(&r, 16);
		/* Walk extension headers; each says its own length. */
		while (!r.err && (nh == 0 || nh == 43 || nh == 60 ||
		    nh == 44)) {
			if (nh == 44) {
				*is_fragment = 1;
				return 1;
			}
			nh = rd_u8(&r);
			hl = ((size_t)rd_u8(&r) + 1) * 8;
			rd_skip(&r, hl - 2);
		}
		proto = nh;
	} else
		return 1;
	if (r.err)
		return -1;
	if (proto != 17)
		return 1;
	*sport = rd_u16(&r);
	*dport = rd_u16(&r);
	udplen = rd_u16(&r);
	rd_skip(&r, 2);
	if (r.err || udplen < 8)
		return -1;
	if ((size_t)udplen - 8 > r.len)
		return -1;
	*pl = r.p;
	*pllen = (size_t)udplen - 8;
	return 0;
}

/* Ports exporters send to: what arrives there is an export, good or bad. */
static int
pcapread_export_port(uint16_t port)
{
	static const uint16_t ports[] = { 2055, 2056, 2057, 4739, 6343, 9555,
	    9991, 9992, 9995, 9996 };
	size_t i;

	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

/*
 * Whether a UDP payload is a flow export rather than ordinary traffic that
 * happens to start with the same two bytes (a DNS ID of 5, say).  To a
 * well-known export port, a known version is enough: a malformed export is
 * still an export, for the decoder to count.  Elsewhere the version must
 * come with a length or count that agrees with it.
 */
int
pcapread_is_export(const uint8_t *pl, size_t len, uint16_t dport)
{
	uint16_t v, n;

	if (len < 2)
		return 0;
	v = (uint16_t)(pl[0] << 8 | pl[1]);
	if (pcapread_export_port(dport))
		return v == 1 || v == 5 || v == 7 || v == 9 || v == 10 ||
		    (v == 0 && len >= 4 && pl[2] == 0 && pl[3] == 5);
	if (len < 4)
		return 0;
	n = (uint16_t)(pl[2] << 8 | pl[3]);
	switch (v) {
	case 0:				/* sFlow: a 32-bit version 5 */
		return n == 5 && len >= 8 && pl[4] == 0 && pl[5] == 0 &&
		    pl[6] == 0 && (pl[7] == 1 || pl[7] == 2);
	case 1:
		return n >= 1 && n <= 24 && len >= 16 + (size_t)n * 48;
	case 5:
		return n <= 30 && len >= 24 + (size_t)n * 48;
	case 7:
		return n >= 1 && n <= 28 && len >= 24 + (size_t)n * 52;
	case 9:
		/* The first FlowSet must make sense: a template, options
		 * template or data set ID and a length that fits. */
		if (len < 24)
			return 0;
		n = (uint16_t)(pl[20] << 8 | pl[21]);
		return (n == 0 || n == 1 || n >= 256) &&
		    (size_t)(pl[22] << 8 | pl[23]) >= 4 &&
		    (size_t)(pl[22] << 8 | pl[23]) <= len - 20;
	case 10:
		/* The message length: the whole payload, or followed by zero
		 * padding or another message (a capture that glued datagrams
		 * together), which dec-ipfix.c counts as trailing bytes. */
		if (n < 16 || n > len)
			return 0;
		return n == len || (pl[n] == 0 && (len - n == 1 ||
		    pl[n + 1] == 0 || pl[n + 1] == 10));
	}
	return 0;
}

/*
 * The IP packet inside a frame whose link header the meter does not know
 * (PPP, Cisco HDLC), and how the meter is to read it.  -1 when there is
 * none: a control protocol (LCP, IPCP: counted as other, never seen by
 * the meter) or a header cut short (counted as truncated).
 */
static int
pcapread_inner_ip(int linktype, const uint8_t *pkt, size_t caplen,
    enum pkt_link *link, size_t *off)
{
	struct rd r;
	uint16_t et;

	rd_init(&r, pkt, caplen);
	if (pcapread_link(linktype, &r, &et) != 0)
		return -1;
	if (et == 0x0800)
		*link = PKT_LINK_IPV4;
	else if (et == 0x86dd)
		*link = PKT_LINK_IPV6;
	else
		return -1;
	*off = caplen - r.len;
	return 0;
}

/*
 * Meters a packet that carries no export.  Metered flows are counted on a
 * source of their own, made with the first such packet so that a file of
 * exports only takes no place in the source table.
 */
static void
pcapread_meter(struct pcapread *r, const uint8_t *pkt,
    const struct pcap_pkthdr *h)
{
	static const struct flow_addr none;
	struct source *s;
	enum pkt_link link = r->link;
	size_t off = 0;

	if (r->meter == NULL)
		return;
	if (!r->link_ok && pcapread_inner_ip(r->linktype, pkt, h->caplen,
	    &link, &off) != 0)
		return;
	if (r->source == UINT16_MAX) {
		if ((s = source_get(r->dec->sources, &none, 0,
		    FLOW_ORIGIN_PCAP, 0, 0)) == NULL)
			return;		/* the table is full: counted there */
		r->source = (uint16_t)(s - r->dec->sources->v);
	}
	meter_packet(r->meter, link, pkt + off, h->caplen - off,
	    h->len > off ? h->len - off : 0,
	    (uint64_t)h->ts.tv_sec * 1000 + (uint64_t)h->ts.tv_usec / 1000, 0,
	    r->source);
}

/*
 * Whether a packet is taken apart: one the --bpf expression leaves out, or
 * of a link type we do not know, is only counted.
 */
static int
pcapread_wanted(struct pcapread *r, const struct pcap_pkthdr *h,
    const u_char *pkt)
{
	if (r->bpf.bf_insns != NULL &&
	    pcap_offline_filter(&r->bpf, h, pkt) == 0) {
		r->st.filtered++;
		return 0;
	}
	if (!r->link_read) {
		r->st.unsupported_link++;
		return 0;
	}
	return 1;
}

/* Processes up to max_packets; returns 1 while more remain, 0 at the end. */
int
pcapread_step(struct pcapread *r, int max_packets)
{
	struct pcap_pkthdr *h;
	const u_char *pkt;
	struct decode_input in;
	uint16_t dport = 0;
	int i, rc, frag;

	for (i = 0; i < max_packets; i++) {
		rc = pcap_next_ex(r->p, &h, &pkt);
		if (rc == PCAP_ERROR) {
			/* A damaged file (a record cut short, a bad block
			 * length): what came before it stands. */
			r->st.errors++;
			fault_count(FAULT_READ);
			snprintf(r->error, sizeof(r->error), "%s",
			    pcap_geterr(r->p));
		}
		if (rc != 1) {
			/* End of file (or a damaged one): flows end here. */
			if (r->meter != NULL)
				meter_flush(r->meter, r->last_msec);
			return 0;
		}
		r->st.packets++;
		if (!pcapread_wanted(r, h, pkt))
			continue;
		memset(&in, 0, sizeof(in));
		rc = pcapread_udp_payload(r->linktype, pkt, h->caplen,
		    &in.exporter, &in.port, &dport, &in.buf, &in.len, &frag);
		if (frag)
			r->st.fragments++;
		if (rc < 0) {
			r->st.truncated++;
			pcapread_meter(r, pkt, h);
			continue;
		}
		in.now_msec = (uint64_t)h->ts.tv_sec * 1000 +
		    (uint64_t)h->ts.tv_usec / 1000;
		if (in.now_msec > r->last_msec)
			r->last_msec = in.now_msec;
		if (rc > 0 || !pcapread_is_export(in.buf, in.len, dport)) {
			r->st.other++;
			pcapread_meter(r, pkt, h);
			continue;
		}
		store_set_now(r->store, in.now_msec);
		r->st.exports++;
		decode_datagram(r->dec, &in);
	}
	return 1;
}
