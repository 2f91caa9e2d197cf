/*
 * meter.c - the flow cache behind packet capture.
 *
 * Flows live in a fixed pool, found through a chained hash of their key,
 * kept on a list in order of their last packet (so inactive ones are found
 * at its head without a scan), and, when they have news for the views, on
 * a "dirty" list that the once-a-second report walks.  The per-packet path
 * allocates nothing.  Time is the packets' own (file or kernel stamps), so
 * a file meters the same way whatever the speed it is read at.
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "meter.h"
#include "source.h"
#include "xmalloc.h"

#define NIL	UINT32_MAX

struct mflow {
	struct flow_rec	r;		/* the totals so far */
	uint64_t	rep_pkts;	/* already reported (live mode) */
	uint64_t	rep_bytes;
	uint32_t	hnext;		/* hash chain */
	uint32_t	prev, next;	/* by last packet, oldest first */
	uint32_t	dnext;		/* dirty list */
	uint8_t		in_use;
	uint8_t		dirty;
	uint8_t		reported;	/* a first report went out */
};

struct meter {
	struct mflow	*pool;
	uint32_t	 max;
	uint32_t	*buckets;
	uint32_t	 nbuckets;	/* a power of two */
	uint32_t	 free_head;	/* ended flows' slots */
	uint32_t	 fresh;		/* slots never used: pool[fresh..] */
	uint32_t	 lru_head, lru_tail;
	uint32_t	 dirty_head;
	uint32_t	 active;
	int		 live;
	uint64_t	 inactive_msec, active_msec;
	uint64_t	 last_tick_msec;
	uint64_t	 hash_key;
	flow_sink_cb	 sink;
	void		*ctx;
	struct source_table *sources;	/* records are counted on these */
	struct meter_stats st;
};

struct meter *
meter_create(size_t max_flows, int live, uint64_t inactive_msec,
    uint64_t active_msec, flow_sink_cb sink, void *ctx)
{
	struct meter *m = xcalloc(1, sizeof(*m));

	if (max_flows < 16)
		max_flows = 16;
	if (max_flows > (1u << 24))
		max_flows = 1u << 24;
	m->max = (uint32_t)max_flows;
	m->pool = xcalloc(m->max, sizeof(*m->pool));
	for (m->nbuckets = 16; m->nbuckets < m->max; m->nbuckets *= 2)
		;
	/* Slots are handed out in order first; the pool's pages are only
	 * touched as flows need them, and the buckets by the first packet
	 * (a --read of exports meters none). */
	m->free_head = NIL;
	m->fresh = 0;
	m->lru_head = m->lru_tail = m->dirty_head = NIL;
	m->live = live;
	m->inactive_msec = inactive_msec;
	m->active_msec = active_msec;
	m->hash_key = hash_random_key();
	m->sink = sink;
	m->ctx = ctx;
	return m;
}

void
meter_free(struct meter *m)
{
	if (m == NULL)
		return;
	free(m->pool);
	free(m->buckets);
	free(m);
}

const struct meter_stats *
meter_stats(const struct meter *m)
{
	return &m->st;
}

size_t
meter_active(const struct meter *m)
{
	return m->active;
}

/* The key: NetFlow's seven fields, laid out for hashing. */
struct mkey {
	uint8_t		src[16], dst[16];
	uint32_t	inif;
	uint16_t	sport, dport;
	uint8_t		proto, tos, af, pad;
};

static void
mkey_of(const struct flow_rec *r, struct mkey *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->src, r->src.b, 16);
	memcpy(k->dst, r->dst.b, 16);
	k->inif = r->inif;
	k->sport = r->srcport;
	k->dport = r->dstport;
	k->proto = r->proto;
	k->tos = r->tos;
	k->af = r->af;
}

static uint32_t
meter_bucket(const struct meter *m, const struct mkey *k)
{
	return (uint32_t)hash_bytes(k, sizeof(*k), m->hash_key) &
	    (m->nbuckets - 1);
}

static void
lru_unlink(struct meter *m, uint32_t i)
{
	struct mflow *f = &m->pool[i];

	if (f->prev != NIL)
		m->pool[f->prev].next = f->next;
	else
		m->lru_head = f->next;
	if (f->next != NIL)
		m->pool[f->next].prev = f->prev;
	else
		m->lru_tail = f->prev;
}

static void
lru_append(struct meter *m, uint32_t i)
{
	struct mflow *f = &m->pool[i];

	f->next = NIL;
	f->prev = m->lru_tail;
	if (m->lru_tail != NIL)
		m->pool[m->lru_tail].next = i;
	else
		m->lru_head = i;
	m->lru_tail = i;
}

/* Sends what the views have not seen of a flow (or the whole flow). */
static void
meter_report(struct meter *m, struct mflow *f)
{
	struct flow_rec r = f->r;

	if (m->live) {
		if (f->r.pkts == f->rep_pkts)
			return;
		r.pkts = f->r.pkts - f->rep_pkts;
		r.bytes = f->r.bytes - f->rep_bytes;
		r.flags = f->reported ? FLOW_F_CONT : 0;
		f->rep_pkts = f->r.pkts;
		f->rep_bytes = f->r.bytes;
		if (f->reported)
			m->st.updates++;
	}
	f->reported = 1;
	if (m->sources != NULL && r.source < m->sources->n) {
		struct source *s = &m->sources->v[r.source];

		s->records += r.flags & FLOW_F_CONT ? 0 : 1;
		s->pkts += r.pkts;
		s->bytes += r.bytes;
	}
	m->sink(&r, m->ctx);
}

/* Counts metered records and packets on their sources (see source.h). */
void
meter_count_on(struct meter *m, struct source_table *sources)
{
	m->sources = sources;
}

static void	meter_report_dirty(struct meter *, uint64_t);

static void
meter_end(struct meter *m, uint32_t i, uint64_t *why)
{
	struct mflow *f = &m->pool[i];
	struct mkey k;
	uint32_t *pp;

	meter_report(m, f);
	(*why)++;
	mkey_of(&f->r, &k);
	for (pp = &m->buckets[meter_bucket(m, &k)]; *pp != i;
	    pp = &m->pool[*pp].hnext)
		;
	*pp = f->hnext;
	lru_unlink(m, i);
	/* A dirty flow stays linked until the next walk skips it. */
	f->in_use = 0;
	if (!f->dirty) {
		f->hnext = m->free_head;
		m->free_head = i;
	}
	m->active--;
}

/* The hash chains' heads, all empty, made when the first packet comes. */
static void
meter_buckets_alloc(struct meter *m)
{
	uint32_t i;

	m->buckets = xreallocarray(NULL, m->nbuckets, sizeof(*m->buckets));
	for (i = 0; i < m->nbuckets; i++)
		m->buckets[i] = NIL;
}

static uint32_t
meter_find(struct meter *m, const struct flow_rec *key, uint32_t *bucket)
{
	struct mkey k, kk;
	uint32_t i;

	mkey_of(key, &k);
	*bucket = meter_bucket(m, &k);
	for (i = m->buckets[*bucket]; i != NIL; i = m->pool[i].hnext) {
		mkey_of(&m->pool[i].r, &kk);
		if (memcmp(&k, &kk, sizeof(k)) == 0)
			return i;
	}
	return NIL;
}

static uint32_t
meter_new(struct meter *m, const struct flow_rec *key, uint32_t bucket)
{
	struct mflow *f;
	uint32_t i;

	if (m->free_head == NIL && m->fresh < m->max) {
		i = m->fresh++;
		f = &m->pool[i];
	} else {
		if (m->free_head == NIL) {
			/* Full: the flow idle the longest makes room. */
			meter_end(m, m->lru_head, &m->st.end_full);
			if (m->free_head == NIL)
				meter_report_dirty(m, m->last_tick_msec);
		}
		i = m->free_head;
		f = &m->pool[i];
		m->free_head = f->hnext;
	}
	memset(f, 0, sizeof(*f));
	f->r = *key;
	f->in_use = 1;
	f->dnext = NIL;
	f->hnext = m->buckets[bucket];
	m->buckets[bucket] = i;
	lru_append(m, i);
	m->active++;
	m->st.flows++;
	return i;
}

void
meter_packet(struct meter *m, enum pkt_link link, const uint8_t *p,
    size_t caplen, size_t wirelen, uint64_t msec, uint32_t inif,
    uint16_t source)
{
	struct pkt_info pi;
	struct flow_rec key;
	struct mflow *f;
	enum pkt_status st;
	uint32_t i, bucket;

	st = pkt_parse(link, p, caplen, &pi);
	/* An IP length beyond what the wire carried is a lie: the wire's
	 * length is counted instead of the claim. */
	if (pi.ip_len > wirelen) {
		st = PKT_MALFORMED;
		pi.ip_len = 0;
	}
	if (st == PKT_NOT_IP || pi.af == 0) {
		m->st.not_ip++;
		return;
	}
	if (st == PKT_TRUNCATED)
		m->st.truncated++;
	else if (st == PKT_MALFORMED)
		m->st.malformed++;
	if (pi.fragment)
		m->st.fragments++;
	m->st.packets++;
	if (m->sources != NULL && source < m->sources->n) {
		struct source *src = &m->sources->v[source];

		src->datagrams++;			/* here: packets */
		if (src->first_msec == 0)
			src->first_msec = msec;
		src->last_msec = msec;
	}
	memset(&key, 0, sizeof(key));
	key.src = pi.src;
	key.dst = pi.dst;
	key.af = pi.af;
	key.srcport = pi.sport;
	key.dstport = pi.dport;
	key.proto = pi.proto;
	key.tos = pi.tos;
	key.inif = inif;
	if (m->buckets == NULL)
		meter_buckets_alloc(m);
	if ((i = meter_find(m, &key, &bucket)) != NIL &&
	    m->active_msec != 0 &&
	    msec - m->pool[i].r.first_msec >= m->active_msec) {
		meter_end(m, i, &m->st.end_active);
		i = NIL;
	}
	if (i == NIL) {
		key.icmp_type = pi.icmp_type;
		key.icmp_code = pi.icmp_code;
		key.vlan = pi.vlan;
		key.mpls_label = pi.mpls_label;
		memcpy(key.src_mac, pi.src_mac, 6);
		memcpy(key.dst_mac, pi.dst_mac, 6);
		key.first_msec = msec;
		key.sampling = 1;
		key.origin = FLOW_ORIGIN_PCAP;
		key.source = source;
		if (key.af == 4)
			flow_addr_absent4(&key.nexthop);
		if ((i = meter_new(m, &key, bucket)) == NIL)
			return;
	} else {
		lru_unlink(m, i);
		lru_append(m, i);
	}
	f = &m->pool[i];
	f->r.pkts++;
	/* Bytes as NetFlow counts them: the IP datagram's length. */
	f->r.bytes += pi.ip_len != 0 ? pi.ip_len : wirelen;
	f->r.tcpflags |= pi.tcpflags;
	f->r.last_msec = msec;
	f->r.recv_msec = msec;
	if (m->live && !f->dirty) {
		f->dirty = 1;
		f->dnext = m->dirty_head;
		m->dirty_head = i;
	}
	if (pi.proto == 6 && (pi.tcpflags & 0x05))	/* FIN or RST */
		meter_end(m, i, &m->st.end_tcp);
	if (msec >= m->last_tick_msec + 1000)
		meter_tick(m, msec);
}

/* Live reports of the flows that moved; frees slots of ended ones. */
static void
meter_report_dirty(struct meter *m, uint64_t now_msec)
{
	struct mflow *f;
	uint32_t i, next;

	for (i = m->dirty_head; i != NIL; i = next) {
		f = &m->pool[i];
		next = f->dnext;
		f->dirty = 0;
		f->dnext = NIL;
		if (f->in_use) {
			f->r.recv_msec = now_msec;
			meter_report(m, f);
		} else {
			/* Ended while dirty: its slot is free only now. */
			f->hnext = m->free_head;
			m->free_head = i;
		}
	}
	m->dirty_head = NIL;
}

/*
 * Once a second: live reports of the flows that moved, then the end of
 * flows idle past the inactive timeout.
 */
void
meter_tick(struct meter *m, uint64_t now_msec)
{
	m->last_tick_msec = now_msec;
	meter_report_dirty(m, now_msec);
	while (m->lru_head != NIL && now_msec >= m->inactive_msec &&
	    m->pool[m->lru_head].r.last_msec <= now_msec - m->inactive_msec)
		meter_end(m, m->lru_head, &m->st.end_inactive);
}

/* Ends every flow (end of a file, or shutting down). */
void
meter_flush(struct meter *m, uint64_t now_msec)
{
	meter_tick(m, now_msec);
	while (m->lru_head != NIL)
		meter_end(m, m->lru_head, &m->st.end_flush);
	meter_tick(m, now_msec);
}
