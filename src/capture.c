/*
 * capture.c - libpcap handles in the event loop.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <pcap/pcap.h>

#include "capture.h"
#include "clock.h"
#include "fault.h"
#include "meter.h"
#include "pcapread.h"
#include "source.h"
#include "xmalloc.h"

#define CAPTURE_SNAPLEN		256	/* headers, not payloads */
#define CAPTURE_BATCH		4096	/* packets per read event */

struct capture {
	pcap_t		*p;
	struct event	*ev;
	struct meter	*meter;
	enum pkt_link	 link;
	uint32_t	 ifindex;
	uint16_t	 source;
	char		 name[IF_NAMESIZE + 1];
	struct capture_stats st;
	uint64_t	 now_msec;	/* this read's time */
};

static void
capture_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *pkt)
{
	struct capture *c = (struct capture *)arg;

	c->st.packets++;
	/* nftop's clock, not the kernel's wall-clock stamp: a step of the
	 * wall clock must not age every flow at once (clock.c). */
	meter_packet(c->meter, c->link, pkt, h->caplen, h->len, c->now_msec,
	    c->ifindex, c->source);
}

static void
capture_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct capture *c = arg;

	(void)fd;
	(void)what;
	c->now_msec = clock_now_msec();
	if (pcap_dispatch(c->p, CAPTURE_BATCH, capture_packet,
	    (u_char *)c) < 0) {
		/* The interface went away: stop reading, keep running. */
		c->st.errors++;
		fault_count(FAULT_CAPTURE);
		event_del(c->ev);
	}
}

struct capture *
capture_open(struct event_base *base, const char *ifname, const char *bpf,
    struct meter *meter, struct source_table *sources, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct flow_addr none;
	struct capture *c;
	struct source *s;
	int fd;

	c = xcalloc(1, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", ifname);
	c->meter = meter;
	c->ifindex = if_nametoindex(ifname);
	if ((c->p = pcap_create(ifname, ebuf)) == NULL) {
		snprintf(err, errlen, "%s", ebuf);
		free(c);
		return NULL;
	}
	pcap_set_snaplen(c->p, CAPTURE_SNAPLEN);
	pcap_set_promisc(c->p, 1);
	pcap_set_immediate_mode(c->p, 1);
	pcap_set_timeout(c->p, 100);
	if (pcap_activate(c->p) < 0 ||
	    pcap_setnonblock(c->p, 1, ebuf) != 0 ||
	    pcapread_link_type(pcap_datalink(c->p), &c->link) != 0 ||
	    (fd = pcap_get_selectable_fd(c->p)) < 0) {
		snprintf(err, errlen, "%s: %s", ifname, pcap_geterr(c->p));
		capture_close(c);
		return NULL;
	}
	if (bpf != NULL) {
		if (pcap_compile(c->p, &prog, bpf, 1,
		    PCAP_NETMASK_UNKNOWN) != 0 ||
		    pcap_setfilter(c->p, &prog) != 0) {
			snprintf(err, errlen, "--bpf '%s': %s", bpf,
			    pcap_geterr(c->p));
			capture_close(c);
			return NULL;
		}
		pcap_freecode(&prog);
	}
	/* One source per interface: its index is the domain. */
	memset(&none, 0, sizeof(none));
	if ((s = source_get(sources, &none, 0, FLOW_ORIGIN_PCAP, c->ifindex,
	    0)) != NULL)
		c->source = (uint16_t)(s - sources->v);
	c->ev = event_new(base, fd, EV_READ | EV_PERSIST, capture_read_cb, c);
	if (c->ev == NULL || event_add(c->ev, NULL) != 0) {
		snprintf(err, errlen, "%s: cannot watch the capture", ifname);
		capture_close(c);
		return NULL;
	}
	return c;
}

void
capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	if (c->ev != NULL)
		event_free(c->ev);
	pcap_close(c->p);
	free(c);
}

void
capture_stats(struct capture *c, struct capture_stats *st)
{
	struct pcap_stat ps;

	*st = c->st;
	if (pcap_stats(c->p, &ps) == 0) {
		st->kernel_drops = ps.ps_drop;
		st->if_drops = ps.ps_ifdrop;
	}
}

const char *
capture_name(const struct capture *c)
{
	return c->name;
}
