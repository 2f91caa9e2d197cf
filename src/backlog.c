/*
 * backlog.c - datagrams read ahead of their turn (backlog.h).
 *
 * Datagrams sit one after another in one buffer, each behind its header
 * and padded to 8 bytes; the oldest is at head.  The queue fills while a
 * walk runs and empties after it, so a push that finds no room at the
 * end first moves what is left to the front, once.
 */
#include <stdlib.h>
#include <string.h>

#include "backlog.h"
#include "bigmem.h"

static size_t
backlog_size(size_t len)
{
	return sizeof(struct backlog_dgram) + ((len + 7) & ~(size_t)7);
}

void
backlog_init(struct backlog *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
}

void
backlog_free(struct backlog *b)
{
	bigmem_free(b->buf, b->cap);
	b->buf = NULL;
	b->head = b->tail = b->n = 0;
}

/*
 * Backs the buffer now: a first touch in the middle of a walk would cost
 * the faults (bigmem.h) just when the datagrams wait.
 */
void
backlog_prefault(struct backlog *b)
{
	if (b->buf == NULL)
		b->buf = bigmem_alloc(b->cap);
	bigmem_prefault(b->buf, b->cap);
}

/*
 * The largest payload a push takes now (at 0, perhaps none: its header
 * needs room too).
 */
size_t
backlog_room(const struct backlog *b)
{
	size_t room = b->cap - (b->tail - b->head);

	/* A payload is padded to 8 bytes: whole ones only. */
	return room > sizeof(struct backlog_dgram) ?
	    (room - sizeof(struct backlog_dgram)) & ~(size_t)7 : 0;
}

/*
 * The header of a new last datagram of len bytes, for the caller to fill
 * with its payload after it; NULL when it does not fit.
 */
struct backlog_dgram *
backlog_push(struct backlog *b, size_t len)
{
	size_t need = backlog_size(len);
	struct backlog_dgram *d;

	if (need > b->cap - (b->tail - b->head))
		return NULL;
	if (b->buf == NULL)
		b->buf = bigmem_alloc(b->cap);
	if (need > b->cap - b->tail) {
		memmove(b->buf, b->buf + b->head, b->tail - b->head);
		b->tail -= b->head;
		b->head = 0;
	}
	d = (struct backlog_dgram *)(void *)(b->buf + b->tail);
	memset(d, 0, sizeof(*d));
	d->len = (uint32_t)len;
	b->tail += need;
	b->pushed++;
	if (++b->n > b->peak)
		b->peak = b->n;
	return d;
}

const struct backlog_dgram *
backlog_peek(const struct backlog *b)
{
	return b->n > 0 ?
	    (const struct backlog_dgram *)(const void *)(b->buf + b->head) :
	    NULL;
}

void
backlog_pop(struct backlog *b)
{
	const struct backlog_dgram *d = backlog_peek(b);

	if (d == NULL)
		return;
	b->head += backlog_size(d->len);
	if (--b->n == 0)
		b->head = b->tail = 0;
}
