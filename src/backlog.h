/*
 * backlog.h - datagrams read ahead of their turn, first in, first out.
 *
 * A walk over a million retained records (a new filter, a frame's
 * history) keeps the loop from the sockets for tens of milliseconds, and
 * at a few million records a second the kernel's receive buffer holds
 * less than that.  So long walks poll (store_poll): the collector moves
 * what waits in its sockets into this queue, with the time it came and
 * what the kernel said about it, and decodes it when the walk is over.
 * Nothing is decoded during the walk: the records it reads stay put.
 *
 * The queue is one buffer of a fixed size, allocated when first used (the
 * screen and burst reports, which walk, back it at start as the ring); a
 * datagram that would not fit stays in the kernel.
 */
#ifndef NFTOP_BACKLOG_H
#define NFTOP_BACKLOG_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

/* One datagram's header; its len bytes follow it. */
struct backlog_dgram {
	uint64_t		now_msec;	/* when it was read */
	struct flow_addr	exporter;
	uint32_t		len;
	uint32_t		drops;		/* kernel drops just before it */
	uint16_t		port;
	uint16_t		pad[3];
};

struct backlog {
	uint8_t		*buf;		/* cap bytes, from the first push */
	size_t		 cap;
	size_t		 head;		/* the oldest datagram */
	size_t		 tail;		/* where the next one goes */
	size_t		 n;		/* datagrams queued */
	size_t		 peak;		/* the most ever queued at once */
	uint64_t	 pushed;	/* datagrams ever queued */
};

void		 backlog_init(struct backlog *, size_t cap);
void		 backlog_free(struct backlog *);
void		 backlog_prefault(struct backlog *);
size_t		 backlog_room(const struct backlog *);
struct backlog_dgram *backlog_push(struct backlog *, size_t len);
const struct backlog_dgram *backlog_peek(const struct backlog *);
void		 backlog_pop(struct backlog *);

/* Its payload, right after the header. */
static inline const uint8_t *
backlog_data(const struct backlog_dgram *d)
{
	return (const uint8_t *)(d + 1);
}

#endif
