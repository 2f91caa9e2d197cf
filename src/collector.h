/*
 * collector.h - UDP listeners for flow exports, read in batches from the
 * event loop.
 *
 * Each listener is one socket and one persistent read event.  A read event
 * drains up to COLLECTOR_READ_CAP datagrams with recvmmsg and then returns,
 * so a flood cannot starve timers or the screen.  Long walks over the
 * history poll the sockets meanwhile (collector_poll, backlog.h), so a
 * frame or a new filter does not overflow them.  Kernel drops come from
 * SO_RXQ_OVFL with every datagram and are charged to the datagram's source.
 */
#ifndef NFTOP_COLLECTOR_H
#define NFTOP_COLLECTOR_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdint.h>

#include "backlog.h"
#include "decode.h"

#define COLLECTOR_LISTENERS_MAX	32

struct event_base;
struct event;
struct store;

struct collector;

struct listener {
	struct collector	*owner;
	int			 fd;
	struct event		*ev;
	char			 name[64];	/* "127.0.0.1:2055" */
	uint16_t		 port;		/* as bound */
	int			 rcvbuf;	/* granted by the kernel */
	uint32_t		 ovfl;		/* last SO_RXQ_OVFL value */
	uint64_t		 drops;		/* kernel drops, total */
	uint64_t		 datagrams;
	uint64_t		 truncated;	/* larger than our buffer */
};

struct evconnlistener;
struct tcp_conn;

/* IPFIX over TCP (collector-tcp.c). */
struct tcp_listener {
	struct collector	*owner;
	LIST_HEAD(, tcp_conn)	 open;
	struct evconnlistener	*lev;
	char			 name[64];
	uint16_t		 port;
	uint32_t		 conns;		/* open now */
	uint64_t		 accepted;
	uint64_t		 refused;	/* over the connection cap */
	uint64_t		 broken;	/* closed: bad message length */
	uint64_t		 messages;
};

struct forwarder;

struct collector {
	struct event_base	*base;
	struct forwarder	*fwd;		/* --forward; NULL: none */
	struct tcp_listener	 tcp[COLLECTOR_LISTENERS_MAX];
	int			 ntcp;
	struct decoder		*dec;
	struct store		*store;
	struct listener		 l[COLLECTOR_LISTENERS_MAX];
	int			 n;
	int			 rcvbuf_want;
	uint64_t		 read_errors;
	/* Read ahead during long walks (backlog.h), decoded by drain_ev. */
	struct backlog		 backlog;
	struct event		*drain_ev;
	int			 in_input;	/* decoding: no poll now */
};

struct collector *collector_create(struct event_base *, struct decoder *,
		    struct store *, int rcvbuf_want);
void		 collector_free(struct collector *);
int		 collector_listen_udp(struct collector *, const char *spec,
		    uint16_t default_port, char *err, size_t errlen);
int		 collector_parse_addr(const char *spec, uint16_t default_port,
		    struct sockaddr_storage *, socklen_t *, int *any);
uint64_t	 collector_drops(const struct collector *);
void		 collector_poll(void *);
void		 collector_drain_all(struct collector *);
int		 collector_listen_tcp(struct collector *, const char *spec,
		    uint16_t default_port, char *err, size_t errlen);
void		 collector_tcp_free(struct tcp_listener *);

#endif
