/*
 * collector.c - UDP export listeners: sockets, batched reads, drop counts.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "collector.h"
#include "forward.h"
#include "log.h"
#include "store.h"
#include "fault.h"
#include "xmalloc.h"

#define COLLECTOR_BATCH		64	/* datagrams per recvmmsg */
#define COLLECTOR_READ_CAP	1024	/* datagrams per read event */
#define COLLECTOR_DGRAM_MAX	65536	/* the largest UDP payload fits */
#define COLLECTOR_BACKLOG	(16u << 20) /* bytes read ahead at most */

/* Receive buffers shared by all listeners: the loop has one thread. */
/*
 * Buffers 64 KiB apart would put every datagram's first line in the same
 * cache set: a batch's datagrams, written by the kernel, would evict each
 * other before they are decoded.  A stagger of a typical datagram's size
 * lays them out in the caches as if they were contiguous.
 */
#define COLLECTOR_STAGGER	1536
static uint8_t rx_buf[COLLECTOR_BATCH][COLLECTOR_DGRAM_MAX + COLLECTOR_STAGGER];
static uint8_t rx_ctl[COLLECTOR_BATCH][CMSG_SPACE(sizeof(uint32_t))];
static struct sockaddr_storage rx_from[COLLECTOR_BATCH];
static struct iovec rx_iov[COLLECTOR_BATCH];
static struct mmsghdr rx_msg[COLLECTOR_BATCH];

static void	collector_drain_cb(evutil_socket_t, short, void *);

struct collector *
collector_create(struct event_base *base, struct decoder *dec,
    struct store *store, int rcvbuf_want)
{
	struct collector *c = xcalloc(1, sizeof(*c));

	c->base = base;
	c->dec = dec;
	c->store = store;
	c->rcvbuf_want = rcvbuf_want;
	backlog_init(&c->backlog, COLLECTOR_BACKLOG);
	c->drain_ev = event_new(base, -1, 0, collector_drain_cb, c);
	if (c->drain_ev == NULL)
		fatalx("cannot add the backlog's event");
	return c;
}

void
collector_free(struct collector *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		if (c->l[i].ev != NULL)
			event_free(c->l[i].ev);
		close(c->l[i].fd);
	}
	for (i = 0; i < c->ntcp; i++)
		collector_tcp_free(&c->tcp[i]);
	event_free(c->drain_ev);
	backlog_free(&c->backlog);
	free(c);
}

uint64_t
collector_drops(const struct collector *c)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < c->n; i++)
		sum += c->l[i].drops;
	return sum;
}

static void
sockaddr_to_flow(const struct sockaddr_storage *ss, struct flow_addr *a,
    uint16_t *port)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

	*port = 0;
	if (ss->ss_family == AF_INET) {
		flow_addr_set4(a, ntohl(sin->sin_addr.s_addr));
		*port = ntohs(sin->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		flow_addr_set6(a, sin6->sin6_addr.s6_addr);
		*port = ntohs(sin6->sin6_port);
	} else
		memset(a, 0, sizeof(*a));
}

/* The SO_RXQ_OVFL counter carried by a message, or the last one seen. */
static uint32_t
listener_ovfl(const struct msghdr *mh, uint32_t last)
{
	struct cmsghdr *cm;
	uint32_t v;

	for (cm = CMSG_FIRSTHDR(mh); cm != NULL;
	    cm = CMSG_NXTHDR((struct msghdr *)mh, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SO_RXQ_OVFL &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(v))) {
			memcpy(&v, CMSG_DATA(cm), sizeof(v));
			return v;
		}
	return last;
}

/*
 * A failed read costs this wake-up only: the socket stays watched and the
 * next datagram is read as usual.  What happened is counted.
 */
static void
collector_recv_fault(struct collector *c, int err)
{
	switch (err) {
	case EINTR:
		fault_count(FAULT_RECV_EINTR);
		break;
	case EAGAIN:		/* woken with nothing to read */
		fault_count(FAULT_RECV_EAGAIN);
		break;
	case ENOBUFS:
	case ENOMEM:
		fault_count(FAULT_RECV_ENOBUFS);
		c->read_errors++;
		break;
	default:
		fault_count(FAULT_RECV_OTHER);
		c->read_errors++;
		break;
	}
}

/* Up to max datagrams from l's socket into rx_*; how many, or 0. */
static int
listener_recv(struct collector *c, struct listener *l, int max, int first)
{
	int i, n;

	for (i = 0; i < max; i++) {
		rx_iov[i].iov_base = rx_buf[i];
		rx_iov[i].iov_len = COLLECTOR_DGRAM_MAX;
		rx_msg[i].msg_hdr = (struct msghdr){
			.msg_name = &rx_from[i],
			.msg_namelen = sizeof(rx_from[i]),
			.msg_iov = &rx_iov[i], .msg_iovlen = 1,
			.msg_control = rx_ctl[i],
			.msg_controllen = sizeof(rx_ctl[i]) };
	}
	n = recvmmsg(l->fd, rx_msg, (unsigned)max, MSG_DONTWAIT, NULL);
	if (n <= 0) {
		/* After a full batch, finding the queue empty is normal. */
		if (n < 0 && (first || (errno != EAGAIN &&
		    errno != EWOULDBLOCK)))
			collector_recv_fault(c, errno);
		return 0;
	}
	return n;
}

/* What the kernel said of rx_msg[i], counted on l; its new drops. */
static uint64_t
listener_account(struct listener *l, int i)
{
	uint32_t ovfl = listener_ovfl(&rx_msg[i].msg_hdr, l->ovfl);
	uint32_t drops = ovfl - l->ovfl;	/* the counter wraps at 2^32 */

	l->ovfl = ovfl;
	l->drops += drops;
	l->datagrams++;
	if (rx_msg[i].msg_hdr.msg_flags & MSG_TRUNC)
		l->truncated++;
	return drops;
}

static int
listener_read_batch(struct collector *c, struct listener *l, int first)
{
	struct decode_input in;
	int i, n;

	if ((n = listener_recv(c, l, COLLECTOR_BATCH, first)) == 0)
		return 0;
	c->in_input = 1;
	in.now_msec = clock_now_msec();
	store_set_now(c->store, in.now_msec);
	if (c->fwd != NULL && c->fwd->n > 0) {
		for (i = 0; i < n; i++)
			rx_iov[i].iov_len = rx_msg[i].msg_len;
		forward_batch(c->fwd, rx_iov, n);
	}
	for (i = 0; i < n; i++) {
		in.drops = listener_account(l, i);
		in.buf = rx_buf[i];
		in.len = rx_msg[i].msg_len;
		sockaddr_to_flow(&rx_from[i], &in.exporter, &in.port);
		decode_datagram(c->dec, &in);
	}
	c->in_input = 0;
	return n;
}

/*
 * Moves what waits in the sockets into the backlog, as it comes, with
 * the time it was read; decoding waits for collector_drain().  Called by
 * long walks (store_poll); never while a datagram is being decoded,
 * which may be what called the walk.
 */
void
collector_poll(void *arg)
{
	const size_t worst = sizeof(struct backlog_dgram) +
	    COLLECTOR_DGRAM_MAX + 8;
	struct collector *c = arg;
	struct backlog_dgram *d;
	struct listener *l;
	uint64_t now;
	size_t fit;
	int i, k, n;

	if (c->in_input)
		return;
	for (k = 0; k < c->n; k++) {
		l = &c->l[k];
		/* A batch no larger than the room for its largest datagrams. */
		while ((fit = backlog_room(&c->backlog) / worst) > 0) {
			n = listener_recv(c, l, fit < COLLECTOR_BATCH ?
			    (int)fit : COLLECTOR_BATCH, 0);
			if (n == 0)
				break;
			now = clock_now_msec();
			for (i = 0; i < n; i++) {
				d = backlog_push(&c->backlog,
				    rx_msg[i].msg_len);
				d->now_msec = now;
				d->drops = (uint32_t)listener_account(l, i);
				sockaddr_to_flow(&rx_from[i], &d->exporter,
				    &d->port);
				memcpy(d + 1, rx_buf[i], rx_msg[i].msg_len);
			}
			if (n < COLLECTOR_BATCH)
				break;
		}
	}
	if (c->backlog.n > 0)
		event_active(c->drain_ev, EV_TIMEOUT, 0);
}

/*
 * Decodes up to COLLECTOR_READ_CAP datagrams of the backlog, oldest
 * first, as if read now; the loop comes back for the rest.
 */
static void
collector_drain(struct collector *c)
{
	const struct backlog_dgram *d;
	struct decode_input in;
	struct iovec iov;
	int n = 0;

	c->in_input = 1;
	while (n++ < COLLECTOR_READ_CAP &&
	    (d = backlog_peek(&c->backlog)) != NULL) {
		in.now_msec = d->now_msec;
		if (in.now_msec > c->store->now_msec)
			store_set_now(c->store, in.now_msec);
		in.drops = d->drops;
		in.buf = backlog_data(d);
		in.len = d->len;
		in.exporter = d->exporter;
		in.port = d->port;
		if (c->fwd != NULL && c->fwd->n > 0) {
			iov.iov_base = (void *)(uintptr_t)in.buf;
			iov.iov_len = in.len;
			forward_batch(c->fwd, &iov, 1);
		}
		decode_datagram(c->dec, &in);
		backlog_pop(&c->backlog);
	}
	c->in_input = 0;
	if (c->backlog.n > 0)
		event_active(c->drain_ev, EV_TIMEOUT, 0);
}

static void
collector_drain_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	collector_drain(arg);
}

/* Everything read ahead, decoded: before a last report. */
void
collector_drain_all(struct collector *c)
{
	while (c->backlog.n > 0)
		collector_drain(c);
}

/*
 * With a backlog, the socket's datagrams are younger than it: they wait
 * in the kernel until it is decoded (copying them to its end would cost
 * the most when the loop can least afford it, under overload).
 */
static void
listener_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;
	struct collector *c = l->owner;
	int got, total = 0;

	(void)fd;
	(void)what;
	if (c->backlog.n > 0) {
		collector_drain(c);
		return;
	}
	do {
		got = listener_read_batch(c, l, total == 0);
		total += got;
	} while (got == COLLECTOR_BATCH && total < COLLECTOR_READ_CAP);
}

/*
 * Parses "PORT", "ADDR:PORT", "[V6ADDR]:PORT" or "ADDR" (default port).
 * *any is set when no address was given: the caller binds both families.
 */
int
collector_parse_addr(const char *spec, uint16_t default_port,
    struct sockaddr_storage *ss, socklen_t *sslen, int *any)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char host[128];
	const char *port = NULL, *colon;
	unsigned long p = default_port;
	char *end;
	size_t hl;

	memset(ss, 0, sizeof(*ss));
	*any = 0;
	if (spec[0] == '[') {
		if ((colon = strchr(spec, ']')) == NULL)
			return -1;
		hl = (size_t)(colon - spec - 1);
		memcpy(host, spec + 1, hl < sizeof(host) ? hl : 0);
		if (hl >= sizeof(host))
			return -1;
		host[hl] = '\0';
		if (colon[1] == ':')
			port = colon + 2;
		else if (colon[1] != '\0')
			return -1;
	} else if (strspn(spec, "0123456789") == strlen(spec)) {
		port = spec;
		host[0] = '\0';
		*any = 1;
	} else if ((colon = strrchr(spec, ':')) != NULL &&
	    strchr(spec, ':') == colon) {
		hl = (size_t)(colon - spec);
		if (hl >= sizeof(host))
			return -1;
		memcpy(host, spec, hl);
		host[hl] = '\0';
		port = colon + 1;
	} else {
		if (strlen(spec) >= sizeof(host))
			return -1;
		snprintf(host, sizeof(host), "%s", spec);
	}
	if (port != NULL) {
		p = strtoul(port, &end, 10);
		if (*port == '\0' || *end != '\0' || p > 65535)
			return -1;
	}
	if (*any || host[0] == '\0') {
		*any = 1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		*sslen = sizeof(*sin);
	} else if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		*sslen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		*sslen = sizeof(*sin6);
	} else
		return -1;
	return 0;
}

/*
 * Asks for a large receive buffer; as root, past net.core.rmem_max.
 * Returns the size granted in the terms it was asked in: Linux doubles
 * the request for its own bookkeeping and reports the double (socket(7)),
 * which read as twice what --rcvbuf had said.
 */
static int
listener_rcvbuf(int fd, int want)
{
	int got = 0;
	socklen_t len = sizeof(got);

	if (want > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want,
	    sizeof(want)) != 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want,
		    sizeof(want));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) != 0)
		got = 0;
	return got / 2;
}

static int
collector_bind(struct collector *c, const struct sockaddr_storage *ss,
    socklen_t sslen, int v6only, char *err, size_t errlen)
{
	struct listener *l;
	struct sockaddr_storage bound;
	socklen_t blen = sizeof(bound);
	char host[INET6_ADDRSTRLEN];
	int fd, on = 1;

	if (c->n >= COLLECTOR_LISTENERS_MAX) {
		snprintf(err, errlen, "too many listeners");
		return -1;
	}
	fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (ss->ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
		    sizeof(v6only));
	(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
	if (bind(fd, (const struct sockaddr *)ss, sslen) != 0 ||
	    getsockname(fd, (struct sockaddr *)&bound, &blen) != 0) {
		snprintf(err, errlen, "bind: %s", strerror(errno));
		close(fd);
		return -1;
	}
	l = &c->l[c->n];
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->owner = c;
	l->rcvbuf = listener_rcvbuf(fd, c->rcvbuf_want);
	if (bound.ss_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&bound;

		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		l->port = ntohs(sin->sin_port);
		snprintf(l->name, sizeof(l->name), "%s:%u", host, l->port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&bound;

		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		l->port = ntohs(sin6->sin6_port);
		snprintf(l->name, sizeof(l->name), "[%s]:%u", host, l->port);
	}
	l->ev = event_new(c->base, fd, EV_READ | EV_PERSIST,
	    listener_read_cb, l);
	if (l->ev == NULL || event_add(l->ev, NULL) != 0)
		fatalx("cannot add a read event for %s", l->name);
	c->n++;
	return 0;
}

/*
 * Opens the listener(s) for spec.  With no address, binds 0.0.0.0 and [::]
 * (IPv6 only there, so each family has its own socket and drop counter);
 * a host without IPv6 keeps the IPv4 socket.
 */
int
collector_listen_udp(struct collector *c, const char *spec,
    uint16_t default_port, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sslen;
	uint16_t port;
	char err6[128];
	int any;

	if (collector_parse_addr(spec, default_port, &ss, &sslen, &any) != 0) {
		snprintf(err, errlen, "bad address '%s' (want [ADDR:]PORT)",
		    spec);
		return -1;
	}
	if (collector_bind(c, &ss, sslen, 1, err, errlen) != 0)
		return -1;
	if (!any)
		return 0;
	/* Same port on IPv6; port 0 means "whatever IPv4 got". */
	port = c->l[c->n - 1].port;
	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = in6addr_any;
	sin6->sin6_port = htons(port);
	(void)collector_bind(c, &ss, sizeof(*sin6), 1, err6, sizeof(err6));
	return 0;
}
