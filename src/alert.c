/*
 * alert.c - the detectors: per-bin measures per subject address, learned
 * baselines, and the alerts they raise and clear.
 *
 * Each detector has a subject table (an open-addressed hash of addresses,
 * rebuilt at every bin close without the subjects that went idle), and
 * the scan and sweep detectors share a set of distinct (source, port) and
 * (source, destination) fingerprints, emptied at every bin close.  The
 * store calls alert_on_add for every record; nothing here allocates per
 * record.
 *
 * The fingerprint set and the subject tables are larger than the caches,
 * and a record looks up to four places in them up at random.  So a record
 * waits in a short queue (the pipe) between the prefetch of those places
 * and their use, and the misses of several records overlap.  Bins close
 * in record order, from the pipe's far end; alerts_tick and alerts_flush
 * drain it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "bigmem.h"
#include "filter.h"
#include "hash.h"
#include "store.h"
#include "xmalloc.h"

#define SUBJ_SLOTS	16384		/* per detector; 3/4 usable */
#define SUBJ_MAX	(SUBJ_SLOTS / 4 * 3)
#define SUBJ_BLOOM_WORDS 2048		/* 16 KiB: 10.7 bits a subject */
#define PAIR_SLOTS	(1u << 18)	/* distinct pairs per bin; 3/4 usable */
#define SUBJ_IDLE_BINS	60		/* forget a quiet subject after */
#define DETECTORS	(ALERT_KIND_MAX - 1 + ALERT_SIGNATURES_MAX)
#define PIPE_DEPTH	8		/* records from prefetch to use */

/*
 * One cache line, aligned: a record's count touches the line of its hash
 * and this one.  The hash (0 = empty) lives only in the table's hash[].
 */
struct subj {
	struct flow_addr	addr;
	double			cur;		/* this bin's measure */
	uint64_t		first_msec;	/* this bin's records */
	uint64_t		last_msec;
	double			ewma;		/* baseline, per bin measure */
	uint64_t		alert_id;	/* active alert, 0 = none */
	uint32_t		idle;		/* bins without a record */
	uint32_t		seen;		/* bins it had records */
};
_Static_assert(sizeof(struct subj) == 64, "a subject is one cache line");

/*
 * The probe reads only `hash`, beside v: eight slots to a cache line, not
 * one subject each.  A table of many sources is most of the way to full,
 * and a new source walks a long run before it finds its empty slot.
 *
 * A full table stays full for the rest of the bin, and most addresses
 * then looked up in it are not there (towards many destinations, a
 * quarter of all records).  A Bloom filter of its subjects, small enough
 * to stay in the cache, turns those away without a probe of the table.
 */
struct subj_table {
	struct subj	*v;		/* SUBJ_SLOTS, allocated on first use */
	void		*v_mem;		/* v's allocation (v is aligned in it) */
	uint64_t	*hash;		/* v[i]'s hash, for the probe */
	uint64_t	*bloom;		/* SUBJ_BLOOM_WORDS, after hash[] */
	size_t		 n;
};

/* A record in the pipe, with what it counts on (alert_classify). */
struct pending {
	const struct flow_rec	*r;		/* the ring's copy */
	uint64_t		 hscan;		/* fingerprints; 0: none */
	uint64_t		 hsweep;
	uint64_t		 hsrc;		/* addr_hash of the source */
	uint64_t		 hdst;		/* and of the destination */
	uint8_t			 dets;		/* bit d: counts on detector d */
};

/*
 * What a bin's close does to a subject's alert.  A close decides for all
 * its subjects first and fires and clears after, in address order: the
 * table's order is its random hash key's, and would give the same input
 * its alerts in another order, with other IDs, every run.
 */
enum subj_change { SUBJ_SAME, SUBJ_FIRE, SUBJ_CLEAR };

struct subj_event {
	struct subj		 was;		/* in the bin closed */
	size_t			 slot;		/* where it is now */
	double			 value, thr;
	enum subj_change	 change;
};

struct alerts {
	struct store		*store;
	struct pending		 pipe[PIPE_DEPTH];
	unsigned		 pipe_next;	/* its oldest */
	unsigned		 pipe_n;
	struct alert_config	 cfg;
	const struct source_table *sources;
	struct subj_table	 det[DETECTORS];
	uint64_t		*pairs;		/* fingerprints; 0 = empty */
	size_t			 npairs;
	uint64_t		 hash_key;
	int			 bin_open;
	uint64_t		 bin;		/* open bin: recv_msec / bin_msec */
	struct alert		 ring[ALERT_KEEP];
	uint64_t		 next_id;
	size_t			 active;
	uint64_t		 generation;
	struct alert_stats	 stats;
	alert_notify_cb		 notify;
	void			*notify_ctx;
	struct subj_event	*ev;		/* det_close's, reused */
	size_t			 ev_cap;
	uint8_t			 refl_port[65536 / 8];
};

static const char *const kind_names[ALERT_KIND_MAX] = {
	"syn-flood", "rst-flood", "port-scan", "host-sweep", "reflection",
	"signature"
};

static const char *const unit_names[] = {
	"flows/s", "packets/s", "bytes/s", "ports", "hosts"
};

const char *
alert_kind_name(enum alert_kind k)
{
	return k < ALERT_KIND_MAX ? kind_names[k] : "?";
}

const char *
alert_unit_name(enum alert_unit u)
{
	return (size_t)u < sizeof(unit_names) / sizeof(unit_names[0]) ?
	    unit_names[u] : "?";
}

void
alert_config_defaults(struct alert_config *c)
{
	static const uint16_t ports[] = { 53, 123, 389, 1900, 11211 };
	size_t i;

	memset(c, 0, sizeof(*c));
	c->bin_msec = 10000;
	c->factor = 4;
	c->alpha = 0.2;
	c->clear_bins = 3;
	c->floor[ALERT_SYN_FLOOD] = 50;
	c->floor[ALERT_RST_FLOOD] = 50;
	c->floor[ALERT_PORT_SCAN] = 100;
	c->floor[ALERT_HOST_SWEEP] = 100;
	c->floor[ALERT_REFLECTION] = 125000;
	c->probe_pkts = 4;
	c->refl_bpp = 300;
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		c->refl_ports[c->nrefl_ports++] = ports[i];
}

void
alert_config_free(struct alert_config *c)
{
	int i;

	for (i = 0; i < c->nsig; i++) {
		filter_free(c->sig[i].filter);
		c->sig[i].filter = NULL;
	}
	c->nsig = 0;
}

/* ----------------------------------------------------------- subjects */

static uint64_t
addr_hash(const struct alerts *a, const struct flow_addr *addr)
{
	uint64_t h = hash_bytes(addr, sizeof(*addr), a->hash_key);

	return h != 0 ? h : 1;
}

static size_t
subj_slot(const struct subj_table *t, uint64_t h, const struct flow_addr *addr)
{
	size_t i;

	for (i = h & (SUBJ_SLOTS - 1);; i = (i + 1) & (SUBJ_SLOTS - 1))
		if (t->hash[i] == 0 || (t->hash[i] == h &&
		    memcmp(&t->v[i].addr, addr, sizeof(*addr)) == 0))
			return i;
}

/*
 * calloc, one subject more, aligned by hand: a table is made anew at
 * every bin close, and calloc's fresh pages are zero without a pass over
 * them (an aligned allocation would need one, a huge page a long one).
 */
static void
subj_table_alloc(struct subj_table *t)
{
	uintptr_t p;

	t->v_mem = xcalloc(SUBJ_SLOTS + 1, sizeof(*t->v));
	p = ((uintptr_t)t->v_mem + sizeof(*t->v) - 1) &
	    ~(uintptr_t)(sizeof(*t->v) - 1);
	t->v = (struct subj *)p;
	t->hash = xcalloc(SUBJ_SLOTS + SUBJ_BLOOM_WORDS, sizeof(*t->hash));
	t->bloom = t->hash + SUBJ_SLOTS;
	t->n = 0;
}

/*
 * The filter's bits for hash h: four in one cache line (a block of eight
 * words), from bits of h above those that pick the table slot.
 */
#define SUBJ_BLOOM_BIT(h, shift)	((h) >> (shift) & 511)

static uint64_t *
subj_bloom_block(const struct subj_table *t, uint64_t h)
{
	return &t->bloom[(h >> 14 & (SUBJ_BLOOM_WORDS / 8 - 1)) * 8];
}

static void
subj_bloom_add(struct subj_table *t, uint64_t h)
{
	uint64_t *b = subj_bloom_block(t, h);
	unsigned i, bit;

	for (i = 0; i < 4; i++) {
		bit = SUBJ_BLOOM_BIT(h, 22 + 9 * i);
		b[bit / 64] |= (uint64_t)1 << (bit % 64);
	}
}

/* 0: h's subject is certainly not in the table. */
static int
subj_bloom_has(const struct subj_table *t, uint64_t h)
{
	const uint64_t *b = subj_bloom_block(t, h);
	unsigned i, bit;

	for (i = 0; i < 4; i++) {
		bit = SUBJ_BLOOM_BIT(h, 22 + 9 * i);
		if (!(b[bit / 64] >> (bit % 64) & 1))
			return 0;
	}
	return 1;
}

/* Whether the table is full and h's subject certainly not in it. */
static int
subj_full_without(const struct subj_table *t, uint64_t h)
{
	return t->n >= SUBJ_MAX && !subj_bloom_has(t, h);
}

/*
 * The subject's entry (h is its addr_hash), made when new; NULL when the
 * table is full.
 */
static struct subj *
subj_get(struct alerts *a, struct subj_table *t, const struct flow_addr *addr,
    uint64_t h)
{
	struct subj *s;
	size_t i;

	if (t->v == NULL)
		subj_table_alloc(t);
	if (subj_full_without(t, h)) {
		a->stats.subjects_full++;
		return NULL;
	}
	i = subj_slot(t, h, addr);
	s = &t->v[i];
	if (t->hash[i] != 0)
		return s;
	if (t->n >= SUBJ_MAX) {
		a->stats.subjects_full++;
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	t->hash[i] = h;
	subj_bloom_add(t, h);
	s->addr = *addr;
	t->n++;
	return s;
}

static void
subj_count_hashed(struct alerts *a, int det, const struct flow_addr *addr,
    uint64_t h, double amount, uint64_t msec)
{
	struct subj *s;

	if ((s = subj_get(a, &a->det[det], addr, h)) == NULL)
		return;
	if (s->cur == 0 && s->first_msec == 0)
		s->first_msec = msec;
	s->cur += amount;
	if (msec > s->last_msec)
		s->last_msec = msec;
}

static void
subj_count(struct alerts *a, int det, const struct flow_addr *addr,
    double amount, uint64_t msec)
{
	subj_count_hashed(a, det, addr, addr_hash(a, addr), amount, msec);
}

/*
 * A hint: the home slot of h and its subject (none for a table not made,
 * or full without h's subject).
 */
static void
subj_prefetch(const struct subj_table *t, uint64_t h)
{
	if (t->v == NULL || subj_full_without(t, h))
		return;
	__builtin_prefetch(&t->hash[h & (SUBJ_SLOTS - 1)]);
	__builtin_prefetch(&t->v[h & (SUBJ_SLOTS - 1)], 1);
}

/*
 * The fingerprint of (kind, source, value) from the hashes of the source
 * (its addr_hash, which its subject needs anyway) and of the value; never
 * 0 (a free slot).
 */
static uint64_t
pair_hash(int kind, uint64_t hsrc, uint64_t hval)
{
	uint64_t h = hash_mix(hsrc ^ (0x9e3779b97f4a7c15ULL * (uint64_t)kind),
	    hval ^ 0xa0761d6478bd642fULL);

	return h != 0 ? h : 1;
}

/* Its slot is fetched early: the set is larger than the cache. */
static void
pair_prefetch(const struct alerts *a, uint64_t h)
{
	__builtin_prefetch(&a->pairs[h & (PAIR_SLOTS - 1)], 1);
}

/* 1 if the fingerprint h is new in this bin. */
static int
pair_new(struct alerts *a, uint64_t h)
{
	size_t i;

	/*
	 * A full set answers "not new" whatever the pair: no need to walk
	 * its long runs, twice per record, for the rest of the bin.
	 */
	if (a->npairs >= PAIR_SLOTS / 4 * 3) {
		a->stats.pairs_full++;
		return 0;
	}
	for (i = h & (PAIR_SLOTS - 1);; i = (i + 1) & (PAIR_SLOTS - 1)) {
		if (a->pairs[i] == h)
			return 0;
		if (a->pairs[i] == 0)
			break;
	}
	a->pairs[i] = h;
	a->npairs++;
	return 1;
}

/* ----------------------------------------------------------- alerts */

static struct alert *
alert_by_id(struct alerts *a, uint64_t id)
{
	struct alert *al;

	if (id == 0)
		return NULL;
	al = &a->ring[id % ALERT_KEEP];
	return al->id == id ? al : NULL;
}

/* The nfdump filter that shows the flows a detector counted. */
static void
alert_filter(const struct alerts *a, int det, const char *addr, char *buf,
    size_t len)
{
	const struct alert_config *c = &a->cfg;
	const struct alert_signature *sig;
	char ports[128];
	size_t off = 0;
	int i;

	switch (det) {
	case ALERT_SYN_FLOOD:
		snprintf(buf, len, "proto tcp and dst ip %s and flags S and"
		    " not flags A and not flags F and not flags R and not"
		    " flags P and not flags U", addr);
		break;
	case ALERT_RST_FLOOD:
		snprintf(buf, len, "proto tcp and dst ip %s and flags R", addr);
		break;
	case ALERT_PORT_SCAN:
		snprintf(buf, len, "src ip %s and (proto tcp or proto udp) and"
		    " packets < %u", addr, c->probe_pkts + 1);
		break;
	case ALERT_HOST_SWEEP:
		snprintf(buf, len, "src ip %s and packets < %u", addr,
		    c->probe_pkts + 1);
		break;
	case ALERT_REFLECTION:
		ports[0] = '\0';
		for (i = 0; i < c->nrefl_ports && off < sizeof(ports); i++)
			off += (size_t)snprintf(ports + off,
			    sizeof(ports) - off, "%s%u", i > 0 ? " " : "",
			    c->refl_ports[i]);
		snprintf(buf, len, "proto udp and dst ip %s and src port in"
		    " [%s] and bpp > %u", addr, ports, c->refl_bpp - 1);
		break;
	default:
		sig = &c->sig[det - ALERT_SIGNATURE];
		snprintf(buf, len, "%s ip %s and (%s)", sig->by_src ? "src" :
		    "dst", addr, filter_text(sig->filter));
		break;
	}
}

static void
alert_fire(struct alerts *a, int det, struct subj *s, double value,
    double thr, uint64_t bin_end)
{
	const struct alert_config *c = &a->cfg;
	struct alert *al;
	char addr[FLOW_ADDR_STRLEN];

	al = &a->ring[++a->next_id % ALERT_KEEP];
	if (al->id != 0) {
		if (al->state == ALERT_ACTIVE)
			a->active--;
		a->stats.dropped_alerts++;
	}
	memset(al, 0, sizeof(*al));
	al->id = a->next_id;
	al->kind = det < ALERT_SIGNATURE ? (enum alert_kind)det :
	    ALERT_SIGNATURE;
	al->state = ALERT_ACTIVE;
	switch (det) {
	case ALERT_PORT_SCAN:
		al->unit = ALERT_UNIT_PORTS;
		break;
	case ALERT_HOST_SWEEP:
		al->unit = ALERT_UNIT_HOSTS;
		break;
	case ALERT_REFLECTION:
		al->unit = ALERT_UNIT_BYTES;
		break;
	case ALERT_SYN_FLOOD:
	case ALERT_RST_FLOOD:
		al->unit = ALERT_UNIT_FLOWS;
		break;
	default:
		al->unit = c->sig[det - ALERT_SIGNATURE].unit;
		break;
	}
	snprintf(al->name, sizeof(al->name), "%s", det < ALERT_SIGNATURE ?
	    kind_names[det] : c->sig[det - ALERT_SIGNATURE].name);
	al->subject = s->addr;
	al->subject_is_src = det == ALERT_PORT_SCAN ||
	    det == ALERT_HOST_SWEEP || (det >= ALERT_SIGNATURE &&
	    c->sig[det - ALERT_SIGNATURE].by_src);
	flow_addr_fmt(&s->addr, addr, sizeof(addr));
	alert_filter(a, det, addr, al->filter, sizeof(al->filter));
	al->first_msec = s->first_msec;
	al->last_msec = s->last_msec;
	al->fired_msec = bin_end;
	al->magnitude = al->peak = value;
	al->threshold = thr;
	al->baseline = s->ewma;
	s->alert_id = al->id;
	a->active++;
	a->generation++;
	if (a->notify != NULL)
		a->notify(al, ALERT_FIRED, a->notify_ctx);
}

static void
alert_clear(struct alerts *a, struct subj *s, uint64_t bin_end)
{
	struct alert *al = alert_by_id(a, s->alert_id);

	s->alert_id = 0;
	if (al == NULL || al->state != ALERT_ACTIVE)
		return;
	al->state = ALERT_CLEARED;
	al->cleared_msec = bin_end;
	a->active--;
	a->generation++;
	if (a->notify != NULL)
		a->notify(al, ALERT_CLEAR, a->notify_ctx);
}

/* ----------------------------------------------------------- bins */

static int
det_relative(int det)
{
	return det == ALERT_SYN_FLOOD || det == ALERT_RST_FLOOD ||
	    det == ALERT_REFLECTION;
}

static double
det_floor(const struct alerts *a, int det)
{
	if (det < ALERT_SIGNATURE)
		return a->cfg.floor[det];
	return a->cfg.sig[det - ALERT_SIGNATURE].rate;
}

/* Rates per second, except distinct counts, which are per bin. */
static double
det_value(const struct alerts *a, int det, const struct subj *s)
{
	if (det == ALERT_PORT_SCAN || det == ALERT_HOST_SWEEP)
		return s->cur;
	return s->cur * 1000.0 / (double)a->cfg.bin_msec;
}

/*
 * A subject's bin against its detector's threshold: an active alert
 * follows it here; whether one fires or clears is returned, with the
 * measure and threshold, for det_close to carry out.
 */
static enum subj_change
subj_evaluate(struct alerts *a, int det, struct subj *s, double *value,
    double *thr_out)
{
	const struct alert_config *c = &a->cfg;
	double v = det_value(a, det, s), thr = det_floor(a, det);
	struct alert *al;

	if (det_relative(det) && c->factor * s->ewma > thr)
		thr = c->factor * s->ewma;
	*value = v;
	*thr_out = thr;
	if (v > thr) {
		if ((al = alert_by_id(a, s->alert_id)) == NULL ||
		    al->state != ALERT_ACTIVE)
			return SUBJ_FIRE;
		al->magnitude = v;
		if (v > al->peak)
			al->peak = v;
		al->last_msec = s->last_msec;
		al->quiet = 0;
		a->generation++;
		return SUBJ_SAME;
	}
	/* Only quiet bins teach the baseline. */
	if (s->seen++ == 0)
		s->ewma = v;
	else
		s->ewma = c->alpha * v + (1 - c->alpha) * s->ewma;
	if ((al = alert_by_id(a, s->alert_id)) != NULL &&
	    al->state == ALERT_ACTIVE) {
		if (s->cur > 0)
			al->last_msec = s->last_msec;
		if (++al->quiet >= c->clear_bins)
			return SUBJ_CLEAR;
	}
	return SUBJ_SAME;
}

static int
subj_event_cmp(const void *x, const void *y)
{
	const struct subj_event *p = x, *q = y;

	return memcmp(&p->was.addr, &q->was.addr, sizeof(p->was.addr));
}

/* Fires and clears what a close decided, in its subjects' order. */
static void
subj_events_run(struct alerts *a, int det, size_t n, uint64_t bin_end)
{
	struct subj_table *t = &a->det[det];
	struct subj_event *e;

	if (n == 0)
		return;		/* (and a->ev may be NULL: not for qsort) */
	qsort(a->ev, n, sizeof(*a->ev), subj_event_cmp);
	for (e = a->ev; e < a->ev + n; e++)
		if (e->change == SUBJ_FIRE) {
			alert_fire(a, det, &e->was, e->value, e->thr, bin_end);
			t->v[e->slot].alert_id = e->was.alert_id;
		} else
			alert_clear(a, &t->v[e->slot], bin_end);
}

/* Evaluates one detector's subjects and drops the idle ones. */
static void
det_close(struct alerts *a, int det, uint64_t bin_end)
{
	struct subj_table *t = &a->det[det];
	struct subj *old = t->v, *s;
	void *old_mem = t->v_mem;
	uint64_t *old_hash = t->hash;
	enum subj_change ch;
	struct subj was;
	double v, thr;
	size_t i, j, nev = 0;

	if (old == NULL || t->n == 0)
		return;
	subj_table_alloc(t);
	for (i = 0; i < SUBJ_SLOTS; i++) {
		s = &old[i];
		if (old_hash[i] == 0)
			continue;
		ch = subj_evaluate(a, det, s, &v, &thr);
		s->idle = s->cur > 0 ? 0 : s->idle + 1;
		/* A subject whose alert is to clear has it still, and is
		 * kept (one bin longer than when clears came first). */
		if (s->alert_id == 0 && s->idle > SUBJ_IDLE_BINS)
			continue;
		was = *s;
		s->cur = 0;
		s->first_msec = s->last_msec = 0;
		j = subj_slot(t, old_hash[i], &s->addr);
		t->v[j] = *s;
		t->hash[j] = old_hash[i];
		subj_bloom_add(t, old_hash[i]);
		t->n++;
		if (ch == SUBJ_SAME)
			continue;
		if (nev == a->ev_cap) {
			a->ev_cap = a->ev_cap ? 2 * a->ev_cap : 64;
			a->ev = xreallocarray(a->ev, a->ev_cap,
			    sizeof(*a->ev));
		}
		a->ev[nev++] = (struct subj_event){ was, j, v, thr, ch };
	}
	free(old_mem);
	free(old_hash);
	subj_events_run(a, det, nev, bin_end);
}

static int
det_count(const struct alerts *a)
{
	return ALERT_SIGNATURE + a->cfg.nsig;
}

static void
bin_close(struct alerts *a)
{
	uint64_t bin_end = (a->bin + 1) * a->cfg.bin_msec;
	int det;

	for (det = 0; det < det_count(a); det++)
		det_close(a, det, bin_end);
	if (a->npairs > 0) {
		memset(a->pairs, 0, PAIR_SLOTS * sizeof(*a->pairs));
		a->npairs = 0;
	}
	a->stats.bins++;
	a->bin++;
}

/*
 * Closes bins up to (not including) bin.  A long silence needs only
 * enough empty bins to clear every alert; the rest are skipped.
 */
static void
bins_advance(struct alerts *a, uint64_t bin)
{
	uint64_t n = 0;

	while (a->bin < bin) {
		bin_close(a);
		if (++n > a->cfg.clear_bins + 1 && a->bin < bin)
			a->bin = bin;
	}
}

/* ----------------------------------------------------------- records */

static int
refl_port(const struct alerts *a, uint16_t port)
{
	return (a->refl_port[port / 8] >> (port % 8)) & 1;
}

/*
 * What the record counts on, decided as it enters the pipe: the fixed
 * detectors it feeds (a bit each), its scan and sweep fingerprints (0 for
 * none) and the hashes of its two addresses.  The slots it will look at
 * first are prefetched.
 */
static void
alert_classify(const struct alerts *a, struct pending *p)
{
	const struct alert_config *c = &a->cfg;
	const struct flow_rec *r = p->r;
	unsigned m = 0;
	int det;

	p->hscan = p->hsweep = 0;
	if (r->proto == 6 && c->floor[ALERT_SYN_FLOOD] > 0 &&
	    (r->tcpflags & 0x3f) == 0x02)
		m |= 1u << ALERT_SYN_FLOOD;
	if (r->proto == 6 && c->floor[ALERT_RST_FLOOD] > 0 &&
	    (r->tcpflags & 0x04))
		m |= 1u << ALERT_RST_FLOOD;
	if (r->proto == 17 && c->floor[ALERT_REFLECTION] > 0 &&
	    refl_port(a, r->srcport) && r->pkts > 0 &&
	    r->bytes / r->pkts >= c->refl_bpp)
		m |= 1u << ALERT_REFLECTION;
	/* A server's answer (from a low port to a high one) is no probe. */
	if (r->pkts <= c->probe_pkts && r->pkts > 0 &&
	    !(r->srcport < 1024 && r->dstport >= 1024)) {
		if ((r->proto == 6 || r->proto == 17) &&
		    c->floor[ALERT_PORT_SCAN] > 0)
			m |= 1u << ALERT_PORT_SCAN;
		if (c->floor[ALERT_HOST_SWEEP] > 0)
			m |= 1u << ALERT_HOST_SWEEP;
	}
	p->dets = (uint8_t)m;
	/* Each address is hashed once, for its subject and fingerprints. */
	if (m & (1u << ALERT_PORT_SCAN | 1u << ALERT_HOST_SWEEP))
		p->hsrc = addr_hash(a, &r->src);
	if (m & (1u << ALERT_SYN_FLOOD | 1u << ALERT_RST_FLOOD |
	    1u << ALERT_REFLECTION | 1u << ALERT_HOST_SWEEP))
		p->hdst = addr_hash(a, &r->dst);
	if (m & (1u << ALERT_PORT_SCAN)) {
		p->hscan = pair_hash(ALERT_PORT_SCAN, p->hsrc,
		    hash_bytes(&r->dstport, sizeof(r->dstport), a->hash_key));
		pair_prefetch(a, p->hscan);
	}
	if (m & (1u << ALERT_HOST_SWEEP)) {
		p->hsweep = pair_hash(ALERT_HOST_SWEEP, p->hsrc, p->hdst);
		pair_prefetch(a, p->hsweep);
	}
	for (det = 0; det < ALERT_SIGNATURE; det++)
		if (m & (1u << det))
			subj_prefetch(&a->det[det], det == ALERT_PORT_SCAN ||
			    det == ALERT_HOST_SWEEP ? p->hsrc : p->hdst);
}

static void
alert_record(struct alerts *a, const struct pending *p)
{
	const struct alert_config *c = &a->cfg;
	const struct flow_rec *r = p->r;
	uint64_t m = r->recv_msec;
	double flows = r->flags & FLOW_F_CONT ? 0 : 1;
	const struct alert_signature *sig;
	int i;

	if (p->dets & (1u << ALERT_SYN_FLOOD))
		subj_count_hashed(a, ALERT_SYN_FLOOD, &r->dst, p->hdst, flows,
		    m);
	if (p->dets & (1u << ALERT_RST_FLOOD))
		subj_count_hashed(a, ALERT_RST_FLOOD, &r->dst, p->hdst, flows,
		    m);
	if (p->hscan != 0 && pair_new(a, p->hscan))
		subj_count_hashed(a, ALERT_PORT_SCAN, &r->src, p->hsrc, 1, m);
	if (p->hsweep != 0 && pair_new(a, p->hsweep))
		subj_count_hashed(a, ALERT_HOST_SWEEP, &r->src, p->hsrc, 1,
		    m);
	if (p->dets & (1u << ALERT_REFLECTION))
		subj_count_hashed(a, ALERT_REFLECTION, &r->dst, p->hdst,
		    (double)r->bytes, m);
	for (i = 0; i < c->nsig; i++) {
		sig = &c->sig[i];
		if (!filter_match(sig->filter, r))
			continue;
		subj_count(a, ALERT_SIGNATURE + i, sig->by_src ? &r->src :
		    &r->dst, sig->unit == ALERT_UNIT_FLOWS ? flows :
		    sig->unit == ALERT_UNIT_PACKETS ? (double)r->pkts :
		    (double)r->bytes, m);
	}
}

/* Counts a record from the pipe, closing the bins before its own. */
static void
alert_take(struct alerts *a, const struct pending *p)
{
	const struct flow_rec *r = p->r;
	uint64_t lo = a->bin * a->cfg.bin_msec, bin = a->bin;

	/* A record in the open bin, nearly all of them, needs no division. */
	if (!a->bin_open || r->recv_msec < lo ||
	    r->recv_msec - lo >= a->cfg.bin_msec)
		bin = r->recv_msec / a->cfg.bin_msec;
	a->stats.records++;
	if (!a->bin_open) {
		a->bin = bin;
		a->bin_open = 1;
	} else if (bin > a->bin)
		bins_advance(a, bin);
	else if (bin < a->bin)
		a->stats.late++;	/* counts in the open bin */
	alert_record(a, p);
}

static void
pipe_drain(struct alerts *a)
{
	for (; a->pipe_n > 0; a->pipe_n--) {
		alert_take(a, &a->pipe[a->pipe_next]);
		a->pipe_next = (a->pipe_next + 1) % PIPE_DEPTH;
	}
}

/*
 * The pipe holds pointers into the ring: a ring shorter than the pipe
 * would overwrite a record before its turn, so there it is bypassed.
 */
static void
alert_on_add(void *ctx, uint64_t seq, const struct flow_rec *r)
{
	struct alerts *a = ctx;
	struct pending *p;

	(void)seq;
	if (a->store->cap <= PIPE_DEPTH) {
		struct pending now = { .r = r };

		alert_classify(a, &now);
		alert_take(a, &now);
		return;
	}
	if (a->pipe_n == PIPE_DEPTH) {
		alert_take(a, &a->pipe[a->pipe_next]);
		a->pipe_next = (a->pipe_next + 1) % PIPE_DEPTH;
		a->pipe_n--;
	}
	p = &a->pipe[(a->pipe_next + a->pipe_n) % PIPE_DEPTH];
	p->r = r;
	alert_classify(a, p);
	a->pipe_n++;
}

/* ----------------------------------------------------------- the API */

struct alerts *
alerts_create(struct store *s, struct alert_config *cfg,
    const struct source_table *sources)
{
	struct alerts *a = xcalloc(1, sizeof(*a));
	struct store_observer o = { alert_on_add, NULL, NULL, a };
	int i;

	a->store = s;
	a->cfg = *cfg;
	if (a->cfg.bin_msec < 1000)
		a->cfg.bin_msec = 1000;
	/* The filters are ours now. */
	cfg->nsig = 0;
	a->sources = sources;
	for (i = 0; i < a->cfg.nsig; i++)
		if (sources != NULL)
			filter_set_sources(a->cfg.sig[i].filter, sources);
	for (i = 0; i < a->cfg.nrefl_ports; i++)
		a->refl_port[a->cfg.refl_ports[i] / 8] |=
		    (uint8_t)(1u << (a->cfg.refl_ports[i] % 8));
	a->pairs = xcalloc(PAIR_SLOTS, sizeof(*a->pairs));
	a->hash_key = hash_random_key();
	store_observe(s, &o);
	return a;
}

/*
 * Makes and backs every enabled detector's table and the fingerprint set
 * now, for a live collector: faulted in by the first records instead,
 * these megabytes cost the first second of traffic more than its share
 * (see store_prefault).
 */
void
alerts_prefault(struct alerts *a)
{
	int det;

	if (a == NULL)
		return;
	for (det = 0; det < det_count(a); det++) {
		if (det < ALERT_SIGNATURE && a->cfg.floor[det] <= 0)
			continue;
		if (a->det[det].v == NULL)
			subj_table_alloc(&a->det[det]);
		bigmem_prefault(a->det[det].v_mem, (SUBJ_SLOTS + 1) *
		    sizeof(struct subj));
		bigmem_prefault(a->det[det].hash, (SUBJ_SLOTS +
		    SUBJ_BLOOM_WORDS) * sizeof(*a->det[det].hash));
	}
	bigmem_prefault(a->pairs, PAIR_SLOTS * sizeof(*a->pairs));
}

void
alerts_free(struct alerts *a)
{
	int i;

	if (a == NULL)
		return;
	store_unobserve(a->store, a);
	for (i = 0; i < DETECTORS; i++) {
		free(a->det[i].v_mem);
		free(a->det[i].hash);
	}
	free(a->pairs);
	free(a->ev);
	alert_config_free(&a->cfg);
	free(a);
}

void
alerts_set_notify(struct alerts *a, alert_notify_cb cb, void *ctx)
{
	a->notify = cb;
	a->notify_ctx = ctx;
}

void
alerts_tick(struct alerts *a, uint64_t now_msec)
{
	pipe_drain(a);
	if (a->bin_open && now_msec / a->cfg.bin_msec > a->bin)
		bins_advance(a, now_msec / a->cfg.bin_msec);
}

void
alerts_flush(struct alerts *a)
{
	pipe_drain(a);
	if (a->bin_open)
		bin_close(a);
}

size_t
alerts_active(const struct alerts *a)
{
	return a->active;
}

size_t
alerts_list(const struct alerts *a, const struct alert **out, size_t max)
{
	uint64_t id;
	size_t n = 0;

	for (id = a->next_id; id > 0 && n < max && a->next_id - id <
	    ALERT_KEEP; id--)
		if (a->ring[id % ALERT_KEEP].id == id)
			out[n++] = &a->ring[id % ALERT_KEEP];
	return n;
}

uint64_t
alerts_generation(const struct alerts *a)
{
	return a->generation;
}

const struct alert_config *
alerts_config(const struct alerts *a)
{
	return &a->cfg;
}

const struct alert_stats *
alerts_stats(const struct alerts *a)
{
	return &a->stats;
}
