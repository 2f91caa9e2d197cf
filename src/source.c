/*
 * source.c - the bounded table of flow sources and their health counters.
 *
 * Decoders look their source up once per datagram (after reading the header,
 * which names the domain) and count outcomes on it.  Sources are never
 * removed while running, so their index is stable and fits the 16-bit
 * flow_rec.source field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "source.h"
#include "xmalloc.h"

struct source_key {
	uint8_t		addr[16];
	uint32_t	domain;
	uint16_t	port;
	uint16_t	origin;
};

static uint64_t
source_hash(const struct source_table *t, const struct flow_addr *a,
    uint16_t port, enum flow_origin origin, uint32_t domain)
{
	struct source_key k;

	memcpy(k.addr, a->b, 16);
	k.domain = domain;
	k.port = port;
	k.origin = (uint16_t)origin;
	return hash_bytes(&k, sizeof(k), t->hash_key);
}

struct source_table *
source_table_create(uint32_t max, uint64_t hash_key)
{
	struct source_table *t;
	uint32_t slots = 16;

	if (max == 0 || max > UINT16_MAX)
		max = UINT16_MAX;
	while (slots < max * 2)
		slots *= 2;
	t = xcalloc(1, sizeof(*t));
	t->max = max;
	t->v = xcalloc(max, sizeof(*t->v));
	t->index = xcalloc(slots, sizeof(*t->index));
	t->index_mask = slots - 1;
	t->hash_key = hash_key;
	return t;
}

void
source_table_free(struct source_table *t)
{
	if (t == NULL)
		return;
	free(t->v);
	free(t->index);
	free(t);
}

/*
 * Returns the source for (address, port, protocol, domain), creating it on
 * first sight, or NULL when the table is full (counted in t->full).  The
 * port is part of the key because RFC 7011 §8.4 scopes templates by the
 * exporter's transport session.
 */
struct source *
source_get(struct source_table *t, const struct flow_addr *a, uint16_t port,
    enum flow_origin origin, uint32_t domain, uint64_t now_msec)
{
	uint32_t slot, i;
	struct source *s;

	slot = (uint32_t)source_hash(t, a, port, origin, domain) &
	    t->index_mask;
	for (; t->index[slot] != 0; slot = (slot + 1) & t->index_mask) {
		s = &t->v[t->index[slot] - 1];
		if (s->domain == domain && s->origin == origin &&
		    s->port == port &&
		    memcmp(s->addr.b, a->b, 16) == 0) {
			s->last_msec = now_msec;
			return s;
		}
	}
	if (t->n >= t->max) {
		t->full++;
		return NULL;
	}
	i = t->n++;
	t->index[slot] = i + 1;
	s = &t->v[i];
	memset(s, 0, sizeof(*s));
	s->addr = *a;
	s->port = port;
	s->origin = origin;
	s->domain = domain;
	s->sampling = 1;
	s->first_msec = s->last_msec = now_msec;
	return s;
}

/*
 * Checks a sequence number against the one expected and moves the
 * expectation on by `advance` (records for v5 and IPFIX, datagrams for v9).
 * A gap of less than 2^31 is loss; a jump backwards is a restart of the
 * exporter or reordering, counted apart and never as loss.
 */
void
source_seq_check(struct source *s, uint32_t seq, uint32_t advance)
{
	uint32_t gap;

	if (s->seq_valid && seq != s->seq_next) {
		gap = seq - s->seq_next;
		if (gap < UINT32_C(0x80000000))
			s->lost += gap;
		else
			s->seq_resets++;
	}
	s->seq_next = seq + advance;
	s->seq_valid = 1;
}

static const char *const reason_names[SOURCE_REASON_MAX] = {
	[SOURCE_REASON_SHORT_HEADER] = "short_header",
	[SOURCE_REASON_COUNT_TOO_LARGE] = "count_too_large",
	[SOURCE_REASON_SHORT_RECORDS] = "short_records",
	[SOURCE_REASON_MSG_LENGTH] = "msg_length",
	[SOURCE_REASON_SET_LENGTH] = "set_length",
	[SOURCE_REASON_TEMPLATE] = "template",
	[SOURCE_REASON_RECORD] = "record",
	[SOURCE_REASON_AGENT] = "agent_address",
};

const char *
source_reason_name(enum source_reason r)
{
	if ((unsigned)r >= SOURCE_REASON_MAX)
		return "unknown";
	return reason_names[r];
}

/* Sums every source's counters into *sum (addr and domain left zero). */
void
source_totals(const struct source_table *t, struct source *sum)
{
	uint32_t i;
	int r;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < t->n; i++) {
		sum->datagrams += t->v[i].datagrams;
		sum->records += t->v[i].records;
		sum->lost += t->v[i].lost;
		sum->seq_resets += t->v[i].seq_resets;
		sum->malformed += t->v[i].malformed;
		sum->dropped += t->v[i].dropped;
		sum->trailing += t->v[i].trailing;
		sum->implausible += t->v[i].implausible;
		sum->pkts += t->v[i].pkts;
		sum->bytes += t->v[i].bytes;
		for (r = 0; r < SOURCE_REASON_MAX; r++)
			sum->malformed_by[r] += t->v[i].malformed_by[r];
	}
}

/*
 * What people read for a source: its exporter's address, or "local" for
 * the packet meter, which has no exporter (its address is all zero).
 */
const char *
source_name(const struct source *s, char *buf, size_t len)
{
	if (s->origin == FLOW_ORIGIN_PCAP) {
		snprintf(buf, len, "local");
		return buf;
	}
	return flow_addr_fmt(&s->addr, buf, len);
}
