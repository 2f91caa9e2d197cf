/*
 * demo.c - a small flow exporter inside nftop, for --demo: one simulated
 * router speaks NetFlow v5, one NetFlow v9, one IPFIX, each with its own
 * templates (resent every 20 datagrams) and sequence numbers, and a switch
 * sends sFlow: sampled packet headers and interface counters.
 *
 * Traffic model: a few dozen inside hosts talk to a few hundred outside
 * hosts on common services.  Host and service popularity follow a steep
 * power law, so there are clear top talkers; the rate swells and ebbs over
 * a minute, and now and then a backup job starts; 40 s after start, and
 * every few minutes after that, an outside host scans an inside one (lone
 * SYNs to port after port), so the screen shows something worth watching
 * and the alerts view something to explain.  Outside addresses are from the
 * documentation ranges (RFC 5737): nothing is ever sent to them, they only
 * appear inside the flow records, which go to 127.0.0.1.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "demo.h"
#include "log.h"
#include "xmalloc.h"

#define DEMO_ROUTERS	4
#define DEMO_SFLOW_RATE	64	/* the switch samples 1 packet in 64 */
#define DEMO_TICK_MSEC	100
#define DEMO_INSIDE	40
#define DEMO_OUTSIDE	300
#define DEMO_PER_DGRAM	20	/* 20 v9 records + template < 1500 */

enum demo_format { DEMO_V5, DEMO_V9, DEMO_IPFIX, DEMO_SFLOW };

struct demo_router {
	int		fd;
	enum demo_format format;
	uint32_t	sequence;	/* v5/IPFIX: records, v9: datagrams */
	uint32_t	datagrams;
	uint32_t	samples[2];	/* sFlow flow samples, per interface */
	uint64_t	if_octets[2];	/* sFlow: interface 1 and 2 counters */
	uint64_t	if_pkts[2];
	uint8_t		engine_id;
};

/* One made-up flow, before it is written in any format. */
struct demo_flow {
	uint32_t	src, dst, pkts, bytes, first, last;	/* uptime ms */
	uint16_t	sport, dport, inif, outif, srcas, dstas;
	uint8_t		proto, flags, srcmask, dstmask;
};

struct demo {
	struct event		*tick;
	struct demo_router	 r[DEMO_ROUTERS];
	struct sockaddr_in	 dest;
	uint64_t		 rng;
	uint64_t		 boot_msec;
	uint64_t		 start_msec;
	uint64_t		 sent;
	uint64_t		 burst_until;	/* a backup job runs */
	uint32_t		 burst_host;
	uint64_t		 scan_until;	/* an outside host scans one inside */
	uint32_t		 scan_src, scan_dst;
	uint16_t		 scan_port;	/* the next port it tries */
};

static const struct {
	uint16_t	port;
	uint8_t		proto;
	uint16_t	weight;
	uint16_t	avg_pkt;	/* bytes per packet */
} demo_services[] = {
	{ 443, 6, 400, 900 }, { 80, 6, 120, 700 }, { 53, 17, 150, 90 },
	{ 22, 6, 30, 200 }, { 123, 17, 20, 76 }, { 993, 6, 25, 400 },
	{ 3306, 6, 20, 300 }, { 8080, 6, 15, 800 }, { 25, 6, 10, 600 },
	{ 0, 1, 15, 84 }, { 5060, 17, 8, 500 }, { 443, 17, 60, 1200 },
};

static uint64_t
demo_rand(struct demo *d)
{
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return d->rng * 0x2545f4914f6cdd1dULL;
}

static double
demo_unit(struct demo *d)
{
	return (demo_rand(d) >> 11) * (1.0 / 9007199254740992.0);
}

/* Index in [0, n) with a steep power law: low indexes are popular. */
static uint32_t
demo_skewed(struct demo *d, uint32_t n)
{
	double u = demo_unit(d);

	return (uint32_t)(n * u * u * u) % n;
}

static uint32_t
demo_inside(uint32_t i)
{
	return (i % 2 ? 0xc0a80100u : 0x0a000000u) + 10 + i; /* 192.168.1/10. */
}

static uint32_t
demo_outside(uint32_t i)
{
	static const uint32_t nets[] = { 0xc6336400u, 0xcb007100u,
	    0xc0000200u };	/* 198.51.100/24, 203.0.113/24, 192.0.2/24 */

	return nets[i % 3] + 1 + (i / 3) % 254;
}

static void
put16(uint8_t **p, uint16_t v)
{
	(*p)[0] = v >> 8;
	(*p)[1] = v & 0xff;
	*p += 2;
}

static void
put32(uint8_t **p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xffff);
}

/*
 * One probe of the scan: a lone SYN to the next port, so the port-scan
 * detector has something to find and the alerts view is not always empty.
 */
static void
demo_probe(struct demo *d, struct demo_flow *fl, uint64_t now)
{
	uint32_t uptime = (uint32_t)(now - d->boot_msec);

	memset(fl, 0, sizeof(*fl));
	fl->src = demo_outside(d->scan_src);
	fl->dst = demo_inside(d->scan_dst);
	fl->sport = 54321;
	fl->dport = d->scan_port++;
	if (d->scan_port == 0)
		d->scan_port = 1;
	fl->proto = 6;
	fl->flags = 0x02;
	fl->pkts = 1;
	fl->bytes = 44;
	fl->first = fl->last = uptime;
	fl->inif = 2;
	fl->outif = 1;
	fl->srcas = (uint16_t)(64496 + d->scan_src % 16);
	fl->srcmask = 24;
	fl->dstmask = 16;
}

/* A made-up flow that ended just now. */
static void
demo_flow(struct demo *d, struct demo_flow *fl, uint64_t now)
{
	size_t ns = sizeof(demo_services) / sizeof(demo_services[0]);
	uint32_t in = demo_skewed(d, DEMO_INSIDE);
	uint32_t out = demo_skewed(d, DEMO_OUTSIDE);
	uint32_t svc, w = 0, pick, pkts, dur, uptime, k;
	int reply = demo_rand(d) % 2;

	if (now < d->scan_until && demo_rand(d) % 8 == 0) {
		demo_probe(d, fl, now);
		return;
	}
	for (k = 0; k < ns; k++)
		w += demo_services[k].weight;
	pick = (uint32_t)(demo_rand(d) % w);
	for (svc = 0; svc < ns - 1; svc++) {
		if (pick < demo_services[svc].weight)
			break;
		pick -= demo_services[svc].weight;
	}
	pkts = 1 + (uint32_t)(-log(1.0 - demo_unit(d)) * 12);
	if (now < d->burst_until && demo_rand(d) % 4 == 0) {
		in = d->burst_host;
		svc = 3;		/* ssh: the backup job */
		reply = 0;
		pkts *= 40;
	}
	fl->pkts = pkts;
	fl->bytes = pkts * (demo_services[svc].avg_pkt / 2 +
	    (uint32_t)(demo_rand(d) % demo_services[svc].avg_pkt));
	dur = (uint32_t)(demo_rand(d) % 20000);
	fl->src = reply ? demo_outside(out) : demo_inside(in);
	fl->dst = reply ? demo_inside(in) : demo_outside(out);
	fl->sport = (uint16_t)(reply ? demo_services[svc].port :
	    1024 + demo_rand(d) % 60000);
	fl->dport = (uint16_t)(reply ? 1024 + demo_rand(d) % 60000 :
	    demo_services[svc].port);
	fl->proto = demo_services[svc].proto;
	if (fl->proto == 1) {
		fl->sport = 0;
		fl->dport = reply ? 0 : 0x0800;	/* echo reply, request */
	}
	uptime = (uint32_t)(now - d->boot_msec);
	fl->first = uptime - dur;
	fl->last = uptime;
	fl->inif = reply ? 2 : 1;
	fl->outif = reply ? 1 : 2;
	fl->srcas = (uint16_t)(reply ? 64496 + out % 16 : 0); /* RFC 5398 */
	fl->dstas = (uint16_t)(reply ? 0 : 64496 + out % 16);
	fl->flags = fl->proto == 6 ? 0x1b : 0;
	fl->srcmask = reply ? 24 : 16;
	fl->dstmask = reply ? 16 : 24;
}

static void
demo_v5_record(uint8_t **p, const struct demo_flow *fl)
{
	put32(p, fl->src);
	put32(p, fl->dst);
	put32(p, 0x0a0000fe);			/* next hop 10.0.0.254 */
	put16(p, fl->inif);
	put16(p, fl->outif);
	put32(p, fl->pkts);
	put32(p, fl->bytes);
	put32(p, fl->first);
	put32(p, fl->last);
	put16(p, fl->sport);
	put16(p, fl->dport);
	*(*p)++ = 0;				/* pad */
	*(*p)++ = fl->flags;
	*(*p)++ = fl->proto;
	*(*p)++ = 0;				/* tos */
	put16(p, fl->srcas);
	put16(p, fl->dstas);
	*(*p)++ = fl->srcmask;
	*(*p)++ = fl->dstmask;
	put16(p, 0);
}

/*
 * The v9 and IPFIX template: the v5 fields, with times as sysUptime
 * (v9: 22/21) or absolute milliseconds (IPFIX: 152/153).
 */
static const uint16_t demo_tmpl[][2] = {
	{ 8, 4 }, { 12, 4 }, { 15, 4 }, { 10, 2 }, { 14, 2 }, { 2, 4 },
	{ 1, 4 }, { 22, 4 }, { 21, 4 }, { 7, 2 }, { 11, 2 }, { 6, 1 },
	{ 4, 1 }, { 5, 1 }, { 16, 2 }, { 17, 2 }, { 9, 1 }, { 13, 1 },
};
#define DEMO_TMPL_ID	300
#define DEMO_TMPL_N	(sizeof(demo_tmpl) / sizeof(demo_tmpl[0]))

static void
demo_tmpl_set(uint8_t **p, enum demo_format f)
{
	size_t i;

	put16(p, f == DEMO_IPFIX ? 2 : 0);
	put16(p, (uint16_t)(4 + 4 + 4 * DEMO_TMPL_N));
	put16(p, DEMO_TMPL_ID);
	put16(p, DEMO_TMPL_N);
	for (i = 0; i < DEMO_TMPL_N; i++) {
		/* IPFIX says the times in ms since the epoch. */
		if (f == DEMO_IPFIX && demo_tmpl[i][0] == 22)
			put16(p, 152), put16(p, 8);
		else if (f == DEMO_IPFIX && demo_tmpl[i][0] == 21)
			put16(p, 153), put16(p, 8);
		else
			put16(p, demo_tmpl[i][0]), put16(p, demo_tmpl[i][1]);
	}
}

static void
demo_tmpl_record(struct demo *d, uint8_t **p, const struct demo_flow *fl,
    enum demo_format f)
{
	put32(p, fl->src);
	put32(p, fl->dst);
	put32(p, 0x0a0000fe);
	put16(p, fl->inif);
	put16(p, fl->outif);
	put32(p, fl->pkts);
	put32(p, fl->bytes);
	if (f == DEMO_IPFIX) {
		put32(p, (uint32_t)((d->boot_msec + fl->first) >> 32));
		put32(p, (uint32_t)(d->boot_msec + fl->first));
		put32(p, (uint32_t)((d->boot_msec + fl->last) >> 32));
		put32(p, (uint32_t)(d->boot_msec + fl->last));
	} else {
		put32(p, fl->first);
		put32(p, fl->last);
	}
	put16(p, fl->sport);
	put16(p, fl->dport);
	*(*p)++ = fl->flags;
	*(*p)++ = fl->proto;
	*(*p)++ = 0;
	put16(p, fl->srcas);
	put16(p, fl->dstas);
	*(*p)++ = fl->srcmask;
	*(*p)++ = fl->dstmask;
}

static size_t
demo_v5(struct demo *d, struct demo_router *r, uint8_t *buf, int count,
    uint64_t now)
{
	struct demo_flow fl;
	uint8_t *p = buf;
	int i;

	put16(&p, 5);
	put16(&p, (uint16_t)count);
	put32(&p, (uint32_t)(now - d->boot_msec));
	put32(&p, (uint32_t)(now / 1000));
	put32(&p, (uint32_t)(now % 1000) * 1000000);
	put32(&p, r->sequence);
	*p++ = 0;				/* engine type */
	*p++ = r->engine_id;
	put16(&p, 0);				/* not sampled */
	for (i = 0; i < count; i++) {
		demo_flow(d, &fl, now);
		demo_v5_record(&p, &fl);
	}
	r->sequence += (uint32_t)count;
	return (size_t)(p - buf);
}

/* A v9 or IPFIX datagram: the template every 20th time, then data. */
static size_t
demo_tmpl_fmt(struct demo *d, struct demo_router *r, uint8_t *buf,
    int count, uint64_t now)
{
	struct demo_flow fl;
	uint8_t *p = buf, *set;
	int i;

	if (r->format == DEMO_IPFIX) {
		put16(&p, 10);
		put16(&p, 0);			/* length, below */
		put32(&p, (uint32_t)(now / 1000));
		put32(&p, r->sequence);
		put32(&p, 1);			/* observation domain */
	} else {
		put16(&p, 9);
		put16(&p, (uint16_t)count);
		put32(&p, (uint32_t)(now - d->boot_msec));
		put32(&p, (uint32_t)(now / 1000));
		put32(&p, r->datagrams);
		put32(&p, 1);			/* source ID */
	}
	if (r->datagrams % 20 == 0)
		demo_tmpl_set(&p, r->format);
	set = p;
	put16(&p, DEMO_TMPL_ID);
	put16(&p, 0);
	for (i = 0; i < count; i++) {
		demo_flow(d, &fl, now);
		demo_tmpl_record(d, &p, &fl, r->format);
	}
	while ((p - set) % 4 != 0)
		*p++ = 0;			/* set padding */
	set[2] = (uint8_t)((p - set) >> 8);
	set[3] = (uint8_t)(p - set);
	if (r->format == DEMO_IPFIX) {
		buf[2] = (uint8_t)((p - buf) >> 8);
		buf[3] = (uint8_t)(p - buf);
		r->sequence += (uint32_t)count;
	}
	r->datagrams++;
	return (size_t)(p - buf);
}

static void
put_sflow_iface(uint8_t **p, const struct demo_router *r, uint32_t ifindex)
{
	int i = ifindex == 1 ? 0 : 1;

	put32(p, 2);				/* counters sample */
	put32(p, 4 * 4 + 8 + 88);
	put32(p, r->datagrams);			/* sequence */
	put32(p, ifindex);			/* source id */
	put32(p, 1);				/* one record */
	put32(p, 1);				/* generic interface counters */
	put32(p, 88);
	put32(p, ifindex);
	put32(p, 6);				/* ethernetCsmacd */
	put32(p, 0), put32(p, 1000000000);	/* 1 Gb/s */
	put32(p, 1);				/* full duplex */
	put32(p, 3);				/* admin and oper up */
	put32(p, (uint32_t)(r->if_octets[i] >> 32));
	put32(p, (uint32_t)r->if_octets[i]);
	put32(p, (uint32_t)r->if_pkts[i]);
	put32(p, 0), put32(p, 0), put32(p, 0), put32(p, 0), put32(p, 0);
	put32(p, (uint32_t)(r->if_octets[1 - i] >> 32));
	put32(p, (uint32_t)r->if_octets[1 - i]);
	put32(p, (uint32_t)r->if_pkts[1 - i]);
	put32(p, 0), put32(p, 0), put32(p, 0), put32(p, 0), put32(p, 0);
	put32(p, 0);				/* not promiscuous */
}

/*
 * An sFlow datagram: one flow sample per flow, each a sampled Ethernet/
 * IPv4 header standing for DEMO_SFLOW_RATE packets, and every tenth
 * datagram the counters of the switch's two interfaces.
 */
static size_t
demo_sflow(struct demo *d, struct demo_router *r, uint8_t *buf, int count,
    uint64_t now)
{
	struct demo_flow fl;
	uint8_t *p = buf, *nsamples;
	uint32_t frame, n = 0;
	int i, in;

	put32(&p, 5);
	put32(&p, 1);				/* agent: IPv4 */
	put32(&p, 0x7f000005);
	put32(&p, 0);				/* sub-agent */
	put32(&p, r->datagrams);
	put32(&p, (uint32_t)(now - d->boot_msec));
	nsamples = p;
	put32(&p, 0);
	for (i = 0; i < count && i < 8; i++, n++) {
		demo_flow(d, &fl, now);
		frame = fl.bytes / fl.pkts + 18;	/* + Ethernet and FCS */
		in = fl.inif == 1 ? 0 : 1;
		r->if_octets[in] += (uint64_t)frame * DEMO_SFLOW_RATE;
		r->if_pkts[in] += DEMO_SFLOW_RATE;
		put32(&p, 1);			/* flow sample */
		put32(&p, 8 * 4 + 8 + 16 + 56);
		put32(&p, ++r->samples[in]);	/* per data source */
		put32(&p, fl.inif);		/* source id: ifIndex */
		put32(&p, DEMO_SFLOW_RATE);
		put32(&p, r->samples[in] * DEMO_SFLOW_RATE);	/* pool */
		put32(&p, 0);			/* drops */
		put32(&p, fl.inif);
		put32(&p, fl.outif);
		put32(&p, 1);			/* one record */
		put32(&p, 1);			/* raw packet header */
		put32(&p, 16 + 56);
		put32(&p, 1);			/* Ethernet */
		put32(&p, frame);
		put32(&p, 4);			/* FCS stripped */
		put32(&p, 54);
		put32(&p, 0x02000000), put16(&p, 0x0001);	/* dst MAC */
		put32(&p, 0x02000000), put16(&p, 0x0002);	/* src MAC */
		put16(&p, 0x0800);
		put16(&p, 0x4500);
		put16(&p, (uint16_t)(frame - 18));
		put32(&p, 0), put16(&p, 0x4000 | fl.proto);
		*(p - 2) = 64;			/* TTL */
		put16(&p, 0);			/* checksum */
		put32(&p, fl.src);
		put32(&p, fl.dst);
		put16(&p, fl.sport);
		put16(&p, fl.dport);
		put32(&p, 0), put32(&p, 0);	/* seq, ack */
		put16(&p, 0x5000 | fl.flags);
		put16(&p, 0xffff), put32(&p, 0);
		put16(&p, 0);			/* pad the header to 56 */
	}
	if (r->datagrams % 10 == 0) {
		put_sflow_iface(&p, r, 1);
		put_sflow_iface(&p, r, 2);
		n += 2;
	}
	nsamples[3] = (uint8_t)n;
	r->datagrams++;
	return (size_t)(p - buf);
}

static void
demo_send(struct demo *d, struct demo_router *r, int count, uint64_t now)
{
	uint8_t buf[1500];
	size_t len;

	if (r->format == DEMO_V5)
		len = demo_v5(d, r, buf, count, now);
	else if (r->format == DEMO_SFLOW)
		len = demo_sflow(d, r, buf, count > 8 ? 8 : count, now);
	else
		len = demo_tmpl_fmt(d, r, buf, count, now);
	/* Whatever the kernel drops, the collector's sequence check sees. */
	(void)sendto(r->fd, buf, len, MSG_DONTWAIT,
	    (struct sockaddr *)&d->dest, sizeof(d->dest));
	d->sent += (uint64_t)(r->format == DEMO_SFLOW && count > 8 ? 8 :
	    count);
}

static void
demo_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct demo *d = arg;
	uint64_t now = clock_now_msec();
	double phase = (now - d->start_msec) / 60000.0 * 2 * M_PI;
	int flows, i, n, share;

	(void)fd;
	(void)what;
	/* About 300 flows/s on average, swelling and ebbing each minute. */
	flows = (int)(30 * (1.0 + 0.6 * sin(phase)) + demo_rand(d) % 10);
	if (now >= d->burst_until && demo_rand(d) % 300 == 0) {
		d->burst_until = now + 15000;
		d->burst_host = (uint32_t)(demo_rand(d) % DEMO_INSIDE);
	}
	/* A scan of 12 s: 40 s after start, then now and then (~3 min). */
	if (now >= d->scan_until && (d->scan_until == 0 ?
	    now - d->start_msec >= 40000 : demo_rand(d) % 1800 == 0)) {
		d->scan_until = now + 12000;
		d->scan_src = (uint32_t)(demo_rand(d) % DEMO_OUTSIDE);
		d->scan_dst = (uint32_t)(demo_rand(d) % DEMO_INSIDE);
		d->scan_port = 1;
	}
	/* Each router exports its share, in datagrams of at most 20. */
	for (i = 0; i < DEMO_ROUTERS; i++) {
		share = flows / DEMO_ROUTERS + (i < flows % DEMO_ROUTERS);
		for (; share > 0; share -= n) {
			n = share > DEMO_PER_DGRAM ? DEMO_PER_DGRAM : share;
			if (d->r[i].format == DEMO_SFLOW && n > 8)
				n = 8;
			demo_send(d, &d->r[i], n, now);
		}
	}
}

static int
demo_socket(uint32_t src_ip)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		fatal("demo socket");
	sin.sin_addr.s_addr = htonl(src_ip);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		(void)bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	}
	return fd;
}

struct demo *
demo_start(struct event_base *base, const char *dest_ip, uint16_t dest_port,
    uint64_t seed)
{
	struct timeval tv = { 0, DEMO_TICK_MSEC * 1000 };
	struct demo *d = xcalloc(1, sizeof(*d));
	int i;

	d->dest.sin_family = AF_INET;
	d->dest.sin_port = htons(dest_port);
	if (inet_pton(AF_INET, dest_ip, &d->dest.sin_addr) != 1 ||
	    (ntohl(d->dest.sin_addr.s_addr) >> 24) != 127)
		fatalx("demo: destination %s is not loopback", dest_ip);
	d->rng = seed | 1;
	d->start_msec = clock_now_msec();
	d->boot_msec = d->start_msec - 3600 * 1000;
	for (i = 0; i < DEMO_ROUTERS; i++) {
		d->r[i].fd = demo_socket(0x7f000002u + (uint32_t)i);
		d->r[i].engine_id = (uint8_t)i;
		d->r[i].format = (enum demo_format)i;
	}
	d->tick = event_new(base, -1, EV_PERSIST, demo_tick_cb, d);
	if (d->tick == NULL || event_add(d->tick, &tv) != 0)
		fatalx("demo: cannot add its timer");
	return d;
}

void
demo_stop(struct demo *d)
{
	int i;

	if (d == NULL)
		return;
	event_free(d->tick);
	for (i = 0; i < DEMO_ROUTERS; i++)
		close(d->r[i].fd);
	free(d);
}

uint64_t
demo_sent_records(const struct demo *d)
{
	return d->sent;
}
