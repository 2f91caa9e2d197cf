/*
 * collector-tcp.c - IPFIX over TCP (RFC 7011 §10.4): a libevent listener
 * and one bufferevent per exporter connection.
 *
 * A TCP stream carries whole IPFIX messages back to back; each message's
 * length field says where the next begins.  Bytes are buffered until a
 * whole message is there, so a message split at any byte boundary decodes
 * the same as one that arrived in one piece.  A length below the header
 * size cannot be resynchronised: that connection is counted and closed.
 * Connections are capped, and so is what one may buffer.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "clock.h"
#include "collector.h"
#include "store.h"
#include "xmalloc.h"

#define TCP_CONNS_MAX		256
#define TCP_MSG_MAX		65535
#define TCP_HEADER_LEN		16

struct tcp_conn {
	LIST_ENTRY(tcp_conn)	 entry;
	struct collector	*c;
	struct tcp_listener	*tl;
	struct bufferevent	*bev;
	struct flow_addr	 peer;
	uint16_t		 port;
};

static void
tcp_conn_close(struct tcp_conn *tc)
{
	LIST_REMOVE(tc, entry);
	tc->tl->conns--;
	bufferevent_free(tc->bev);
	free(tc);
}

static void
tcp_read_cb(struct bufferevent *bev, void *arg)
{
	struct tcp_conn *tc = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct decode_input din;
	uint8_t hdr[4];
	uint16_t len;

	while (evbuffer_get_length(in) >= TCP_HEADER_LEN) {
		if (evbuffer_copyout(in, hdr, sizeof(hdr)) != sizeof(hdr))
			break;
		len = (uint16_t)(hdr[2] << 8 | hdr[3]);
		if ((hdr[0] << 8 | hdr[1]) != 10 || len < TCP_HEADER_LEN) {
			/* No way to find the next message: give up on it. */
			tc->tl->broken++;
			tcp_conn_close(tc);
			return;
		}
		if (evbuffer_get_length(in) < len)
			break;
		memset(&din, 0, sizeof(din));
		din.buf = evbuffer_pullup(in, len);
		din.len = len;
		din.exporter = tc->peer;
		din.port = tc->port;
		din.now_msec = clock_now_msec();
		store_set_now(tc->c->store, din.now_msec);
		tc->tl->messages++;
		decode_datagram(tc->c->dec, &din);
		evbuffer_drain(in, len);
	}
}

static void
tcp_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		tcp_conn_close(arg);
}

static void
tcp_accept_cb(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct tcp_listener *tl = arg;
	struct tcp_conn *tc;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

	(void)lev;
	(void)salen;
	if (tl->conns >= TCP_CONNS_MAX) {
		tl->refused++;
		evutil_closesocket(fd);
		return;
	}
	tc = xcalloc(1, sizeof(*tc));
	tc->c = tl->owner;
	tc->tl = tl;
	if (sa->sa_family == AF_INET) {
		flow_addr_set4(&tc->peer, ntohl(sin->sin_addr.s_addr));
		tc->port = ntohs(sin->sin_port);
	} else {
		flow_addr_set6(&tc->peer, sin6->sin6_addr.s6_addr);
		tc->port = ntohs(sin6->sin6_port);
	}
	tc->bev = bufferevent_socket_new(tl->owner->base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (tc->bev == NULL) {
		evutil_closesocket(fd);
		free(tc);
		return;
	}
	/* Stop reading while one message's worth and more is waiting. */
	bufferevent_setwatermark(tc->bev, EV_READ, 0, 4 * TCP_MSG_MAX);
	bufferevent_setcb(tc->bev, tcp_read_cb, NULL, tcp_event_cb, tc);
	bufferevent_enable(tc->bev, EV_READ);
	LIST_INSERT_HEAD(&tl->open, tc, entry);
	tl->conns++;
	tl->accepted++;
}

/* Closes the listener and every connection it accepted. */
void
collector_tcp_free(struct tcp_listener *tl)
{
	while (!LIST_EMPTY(&tl->open))
		tcp_conn_close(LIST_FIRST(&tl->open));
	if (tl->lev != NULL)
		evconnlistener_free(tl->lev);
	tl->lev = NULL;
}

/* Opens an IPFIX-over-TCP listener for "[ADDR:]PORT". */
int
collector_listen_tcp(struct collector *c, const char *spec,
    uint16_t default_port, char *err, size_t errlen)
{
	struct sockaddr_storage ss, bound;
	socklen_t sslen, blen = sizeof(bound);
	struct tcp_listener *tl;
	char host[INET6_ADDRSTRLEN];
	uint16_t port;
	int any;

	if (c->ntcp >= COLLECTOR_LISTENERS_MAX) {
		snprintf(err, errlen, "too many TCP listeners");
		return -1;
	}
	if (collector_parse_addr(spec, default_port, &ss, &sslen, &any) != 0) {
		snprintf(err, errlen, "bad address '%s' (want [ADDR:]PORT)",
		    spec);
		return -1;
	}
	if (any) {
		/* One dual-stack socket: [::] takes IPv4 as mapped. */
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		memset(&ss, 0, sizeof(ss));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		sin6->sin6_port = htons(port);
		sslen = sizeof(*sin6);
	}
	tl = &c->tcp[c->ntcp];
	memset(tl, 0, sizeof(*tl));
	tl->owner = c;
	LIST_INIT(&tl->open);
	tl->lev = evconnlistener_new_bind(c->base, tcp_accept_cb, tl,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    64, (struct sockaddr *)&ss, (int)sslen);
	if (tl->lev == NULL) {
		snprintf(err, errlen, "cannot listen on tcp %s", spec);
		return -1;
	}
	if (getsockname(evconnlistener_get_fd(tl->lev),
	    (struct sockaddr *)&bound, &blen) == 0) {
		if (bound.ss_family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&bound;

			inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
			tl->port = ntohs(sin->sin_port);
			snprintf(tl->name, sizeof(tl->name), "%s:%u", host,
			    tl->port);
		} else {
			struct sockaddr_in6 *sin6 =
			    (struct sockaddr_in6 *)&bound;

			inet_ntop(AF_INET6, &sin6->sin6_addr, host,
			    sizeof(host));
			tl->port = ntohs(sin6->sin6_port);
			snprintf(tl->name, sizeof(tl->name), "[%s]:%u", host,
			    tl->port);
		}
	}
	c->ntcp++;
	return 0;
}
