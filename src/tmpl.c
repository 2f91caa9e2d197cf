/*
 * tmpl.c - template cache, template compiler and data record decoder for
 * NetFlow v9 (RFC 3954) and IPFIX (RFC 7011).
 *
 * Ownership: the cache owns every template, the per-source state learnt
 * from options data, and copies of data sets waiting for their template.
 * Decoders call in with a parsed template or a data set; records go to the
 * decoder's sink.  Nothing here trusts a length: records are read through
 * the bounded reader, and templates are checked before they are compiled.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "ie.h"
#include "log.h"
#include "sanitize.h"
#include "tmpl.h"
#include "xmalloc.h"

#define TMPL_SLOTS		(TMPL_TOTAL * 2)
#define TMPL_PENDING_ENTRIES	4096
#define NTP_UNIX_OFFSET		2208988800ULL	/* 1900 to 1970, seconds */

struct tmpl_ifname {
	uint32_t	ifindex;
	char		name[TMPL_IFNAME_LEN];
};

/* What a source's options data taught us. */
struct tmpl_src {
	uint16_t	ntmpl;
	uint16_t	nsamplers;
	uint32_t	default_rate;	/* 0: none announced */
	uint32_t	sampler_id[TMPL_SAMPLERS];
	uint32_t	sampler_rate[TMPL_SAMPLERS];
	uint64_t	sysinit_msec;	/* IPFIX systemInitTimeMilliseconds */
	uint64_t	pending_bytes;
	uint32_t	nifnames;
	struct tmpl_ifname *ifnames;	/* TMPL_IFNAMES, on first use */
};

struct tmpl_pending {
	uint16_t	source;
	uint16_t	id;
	uint32_t	len;
	struct tmpl_msg	msg;
	uint8_t		*data;
};

struct tmpl_cache {
	struct tmpl		*pool;		/* TMPL_TOTAL */
	uint32_t		 npool;		/* high-water mark */
	uint32_t		*slots;		/* key hash -> pool index + 1 */
	uint64_t		 hash_key;
	struct tmpl_src		*src[UINT16_MAX + 1];
	uint32_t		 nsrc;		/* src[] beyond is all NULL */
	struct tmpl_pending	 pend[TMPL_PENDING_ENTRIES];
	uint32_t		 npend;
	uint64_t		 pending_bytes;
};

/*
 * The values of one record while its fields are read.  Besides the flow
 * record, a value is read only when its bit in `have` is set, so between
 * records only those two are cleared (tmpl_vals_reset).
 */
struct tmpl_vals {
	struct flow_rec	r;
	uint64_t	bytes_total, pkts_total, bytes_out, pkts_out;
	uint64_t	first_abs, last_abs, obs_msec;
	uint64_t	first_up, last_up, first_delta, last_delta;
	uint64_t	sampling_interval, sampler_id, sampler_interval;
	uint64_t	pkt_interval, pkt_space, selector_id, sysinit;
	uint64_t	sample_size, sample_pop;
	uint64_t	icmp_tc;
	const uint8_t	*ifname;
	size_t		 ifname_len;
	uint32_t	have;		/* TV_* bits */
};

enum {
	TV_BYTES = 1 << 0, TV_PKTS = 1 << 1, TV_BYTES_TOTAL = 1 << 2,
	TV_PKTS_TOTAL = 1 << 3, TV_BYTES_OUT = 1 << 4, TV_PKTS_OUT = 1 << 5,
	TV_FIRST_ABS = 1 << 6, TV_LAST_ABS = 1 << 7, TV_FIRST_UP = 1 << 8,
	TV_LAST_UP = 1 << 9, TV_FIRST_DELTA = 1 << 10, TV_LAST_DELTA = 1 << 11,
	TV_OBS = 1 << 12, TV_SAMPLING = 1 << 13, TV_SAMPLER_ID = 1 << 14,
	TV_SAMPLER_INT = 1 << 15, TV_PKT_INTERVAL = 1 << 16,
	TV_SELECTOR = 1 << 17, TV_IFNAME = 1 << 18, TV_SYSINIT = 1 << 19,
	TV_ICMP_TC = 1 << 20, TV_ICMP_TYPE = 1 << 21, TV_V6 = 1 << 22,
	TV_INIF = 1 << 23, TV_PKT_SPACE = 1 << 24, TV_SAMPLE_SIZE = 1 << 25,
	TV_SAMPLE_POP = 1 << 26,
};

struct tmpl_cache *
tmpl_cache_create(uint64_t hash_key)
{
	struct tmpl_cache *c = xcalloc(1, sizeof(*c));

	c->pool = xcalloc(TMPL_TOTAL, sizeof(*c->pool));
	c->slots = xcalloc(TMPL_SLOTS, sizeof(*c->slots));
	c->hash_key = hash_key;
	return c;
}

void
tmpl_cache_free(struct tmpl_cache *c)
{
	uint32_t i;

	if (c == NULL)
		return;
	/* Not the whole 512 KiB array: a read of it at exit cost more than
	 * a short --read's decoding. */
	for (i = 0; i < c->nsrc; i++)
		if (c->src[i] != NULL) {
			free(c->src[i]->ifnames);
			free(c->src[i]);
		}
	for (i = 0; i < c->npend; i++)
		free(c->pend[i].data);
	free(c->pool);
	free(c->slots);
	free(c);
}

static struct tmpl_src *
tmpl_src_get(struct tmpl_cache *c, uint16_t source)
{
	if (c->src[source] == NULL) {
		c->src[source] = xcalloc(1, sizeof(*c->src[source]));
		if (source >= c->nsrc)
			c->nsrc = (uint32_t)source + 1;
	}
	return c->src[source];
}

static uint32_t
tmpl_slot(const struct tmpl_cache *c, uint16_t source, uint16_t id)
{
	uint32_t key = (uint32_t)source << 16 | id;

	return (uint32_t)hash_bytes(&key, sizeof(key), c->hash_key) %
	    TMPL_SLOTS;
}

/* Finds the slot holding (source, id), or the empty slot for it. */
static uint32_t *
tmpl_lookup(const struct tmpl_cache *c, uint16_t source, uint16_t id)
{
	uint32_t i = tmpl_slot(c, source, id);
	const struct tmpl *t;

	for (;; i = (i + 1) % TMPL_SLOTS) {
		if (c->slots[i] == 0)
			return &c->slots[i];
		t = &c->pool[c->slots[i] - 1];
		if (t->source == source && t->id == id)
			return &c->slots[i];
	}
}

const struct tmpl *
tmpl_find(const struct tmpl_cache *c, uint16_t source, uint16_t id)
{
	uint32_t *slot = tmpl_lookup(c, source, id);

	return *slot != 0 ? &c->pool[*slot - 1] : NULL;
}

static void	tmpl_compile(struct tmpl *);

/*
 * Checks a template read from the wire and compiles it.  Returns 0, or -1
 * for a template RFC 3954/7011 say is invalid: an ID below 256, no fields,
 * too many fields, or records of length 0 or longer than a set can be.
 * Fields whose length nftop cannot use for their element (an IPv4 address
 * in 50 bytes, a counter in 9) are skipped by length and counted.
 */
int
tmpl_def_check(const struct tmpl_def *def, struct tmpl *t,
    uint64_t *bad_fields)
{
	const struct ie_def *ie;
	uint32_t min_len = 0;
	uint16_t i, len;

	if (def->id < 256 || def->nfields == 0 ||
	    def->nfields > TMPL_FIELDS_MAX)
		return -1;
	memset(t, 0, sizeof(*t));
	t->id = def->id;
	t->options = def->options;
	t->nops = def->nfields;
	for (i = 0; i < def->nfields; i++) {
		len = def->lens[i];
		t->ops[i].len = len;
		t->ops[i].action = IE_SKIP;
		if (len == TMPL_VARLEN) {
			t->varlen = 1;
			min_len += 1;
		} else
			min_len += len;
		ie = def->ids[i] != 0 ? ie_lookup(def->ids[i]) : NULL;
		if (ie == NULL)
			continue;
		if (len == 0 || (len == TMPL_VARLEN ?
		    ie->kind != IE_KIND_STRING : !ie_length_ok(ie, len))) {
			(*bad_fields)++;
			continue;
		}
		t->ops[i].action = ie->action;
	}
	/* The shortest record must fit a set: 65535 less two headers. */
	if (min_len == 0 || min_len > 65535 - 20)
		return -1;
	t->min_len = (uint16_t)min_len;
	if (!t->varlen)
		tmpl_compile(t);
	return 0;
}

/* Reads a field length: fixed, or RFC 7011 §7's 1- or 3-byte prefix. */
static uint16_t
tmpl_field_len(const struct tmpl_op *op, struct rd *r)
{
	uint16_t len = op->len;

	if (len == TMPL_VARLEN) {
		len = rd_u8(r);
		if (len == 255)
			len = rd_u16(r);
	}
	return len;
}

/* Steps over one record; returns -1 if it overruns the reader. */
int
tmpl_record_len(const struct tmpl *t, struct rd *r)
{
	uint16_t i;

	if (!t->varlen) {
		rd_skip(r, t->min_len);
		return r->err ? -1 : 0;
	}
	for (i = 0; i < t->nops && !r->err; i++)
		rd_skip(r, tmpl_field_len(&t->ops[i], r));
	return r->err ? -1 : 0;
}

/*
 * Validates a data set against its template and counts its records.  What
 * is left after the last whole record is padding when it is shorter than a
 * record (RFC 3954 §9, RFC 7011 §3.3.1); a variable-length record that
 * starts but overruns the set is malformed (RFC 7011 §9.1): returns -1.
 */
int
tmpl_set_walk(const struct tmpl *t, const uint8_t *data, size_t len,
    uint32_t *records)
{
	struct rd r;

	*records = 0;
	if (!t->varlen) {
		*records = (uint32_t)(len / t->min_len);
		return 0;
	}
	rd_init(&r, data, len);
	while (r.len >= t->min_len) {
		if (tmpl_record_len(t, &r) != 0)
			return -1;
		(*records)++;
	}
	return 0;
}

/* An unsigned big-endian field of 1 to 8 bytes (RFC 7011 §6.2). */
static uint64_t
tmpl_uint(struct rd *r, uint16_t len)
{
	uint64_t v = 0;

	/* The common widths first: one load each instead of a byte loop. */
	switch (len) {
	case 1:
		return rd_u8(r);
	case 2:
		return rd_u16(r);
	case 4:
		return rd_u32(r);
	case 8:
		return rd_u64(r);
	}
	if (len > 8) {
		rd_skip(r, len);
		return 0;
	}
	while (len-- > 0)
		v = v << 8 | rd_u8(r);
	return v;
}

static void
tmpl_addr(struct rd *r, uint16_t len, struct flow_addr *a)
{
	uint8_t b[16];

	if (len == 4)
		flow_addr_set4(a, rd_u32(r));
	else {
		rd_bytes(r, b, 16);
		flow_addr_set6(a, b);
	}
}

/* NTP 64-bit time (RFC 7011 §6.1.9/10) to Unix milliseconds. */
static uint64_t
tmpl_ntp_msec(uint64_t v)
{
	uint64_t secs = v >> 32, frac = v & 0xffffffffu;

	if (secs < NTP_UNIX_OFFSET)
		return 0;
	return (secs - NTP_UNIX_OFFSET) * 1000 + ((frac * 1000) >> 32);
}

/*
 * The actions whose bytes are not a number: addresses, MACs and names,
 * stored where no number is (tmpl_field_bytes).  tmpl_compile may move
 * the plain numbers of a template ahead of these.
 */
static const uint8_t tmpl_bytes_action[IE_ACTION_MAX] = {
	[IE_SKIP] = 1,
	[IE_SRC4] = 1, [IE_SRC6] = 1, [IE_DST4] = 1, [IE_DST6] = 1,
	[IE_NH4] = 1, [IE_NH6] = 1, [IE_BGPNH4] = 1, [IE_BGPNH6] = 1,
	[IE_XSRC4] = 1, [IE_XSRC6] = 1, [IE_XDST4] = 1, [IE_XDST6] = 1,
	[IE_SRCMAC] = 1, [IE_DSTMAC] = 1, [IE_IFNAME] = 1, [IE_IFDESC] = 1,
};

/* Reads a field of one of those actions. */
static void
tmpl_field_bytes(struct tmpl_vals *v, const struct tmpl_op *op,
    uint16_t len, struct rd *r)
{
	struct flow_rec *f = &v->r;

	switch (op->action) {
	case IE_SKIP:
		rd_skip(r, len);
		return;
	case IE_SRC4: case IE_SRC6:
		tmpl_addr(r, len, &f->src);
		v->have |= op->action == IE_SRC6 ? TV_V6 : 0;
		return;
	case IE_DST4: case IE_DST6:
		tmpl_addr(r, len, &f->dst);
		v->have |= op->action == IE_DST6 ? TV_V6 : 0;
		return;
	case IE_NH4: case IE_NH6:
		tmpl_addr(r, len, &f->nexthop);
		return;
	case IE_BGPNH4: case IE_BGPNH6:
		tmpl_addr(r, len, &f->bgp_nexthop);
		return;
	case IE_XSRC4: case IE_XSRC6:
		tmpl_addr(r, len, &f->xlate_src);
		return;
	case IE_XDST4: case IE_XDST6:
		tmpl_addr(r, len, &f->xlate_dst);
		return;
	case IE_SRCMAC:
		rd_bytes(r, f->src_mac, 6);
		return;
	case IE_DSTMAC:
		rd_bytes(r, f->dst_mac, 6);
		return;
	case IE_IFNAME:
	case IE_IFDESC:
		/* A name wins over a description, whichever comes first. */
		if (op->action == IE_IFNAME || !(v->have & TV_IFNAME)) {
			v->ifname = r->p;
			v->ifname_len = len <= r->len ? len : 0;
			v->have |= TV_IFNAME;
		}
		rd_skip(r, len);
		return;
	}
}

/* Reads one field into the record's values. */
static void
tmpl_field(struct tmpl_vals *v, const struct tmpl_op *op, uint16_t len,
    struct rd *r)
{
	struct flow_rec *f = &v->r;
	uint64_t x;

	if (tmpl_bytes_action[op->action]) {
		tmpl_field_bytes(v, op, len, r);
		return;
	}
	x = tmpl_uint(r, len);
	switch (op->action) {
	case IE_BYTES: f->bytes = x; v->have |= TV_BYTES; break;
	case IE_PKTS: f->pkts = x; v->have |= TV_PKTS; break;
	case IE_BYTES_TOTAL: v->bytes_total = x; v->have |= TV_BYTES_TOTAL;
		break;
	case IE_PKTS_TOTAL: v->pkts_total = x; v->have |= TV_PKTS_TOTAL;
		break;
	case IE_BYTES_OUT: v->bytes_out = x; v->have |= TV_BYTES_OUT; break;
	case IE_PKTS_OUT: v->pkts_out = x; v->have |= TV_PKTS_OUT; break;
	case IE_PROTO: f->proto = (uint8_t)x; break;
	case IE_TOS: f->tos = (uint8_t)x; break;
	case IE_TCPFLAGS: f->tcpflags = (uint8_t)x; break;
	case IE_SRCPORT: f->srcport = (uint16_t)x; break;
	case IE_DSTPORT: f->dstport = (uint16_t)x; break;
	case IE_SRCMASK: f->srcmask = (uint8_t)x; break;
	case IE_DSTMASK: f->dstmask = (uint8_t)x; break;
	case IE_INIF: f->inif = (uint32_t)x; v->have |= TV_INIF; break;
	case IE_OUTIF: f->outif = (uint32_t)x; break;
	case IE_SRCAS: f->srcas = (uint32_t)x; break;
	case IE_DSTAS: f->dstas = (uint32_t)x; break;
	case IE_ICMP_TC: v->icmp_tc = x; v->have |= TV_ICMP_TC; break;
	case IE_ICMP_TYPE: f->icmp_type = (uint8_t)x;
		v->have |= TV_ICMP_TYPE; break;
	case IE_ICMP_CODE: f->icmp_code = (uint8_t)x; break;
	case IE_FIRST_UPTIME: v->first_up = x; v->have |= TV_FIRST_UP; break;
	case IE_LAST_UPTIME: v->last_up = x; v->have |= TV_LAST_UP; break;
	case IE_FIRST_SEC: v->first_abs = x * 1000; v->have |= TV_FIRST_ABS;
		break;
	case IE_LAST_SEC: v->last_abs = x * 1000; v->have |= TV_LAST_ABS;
		break;
	case IE_FIRST_MSEC: v->first_abs = x; v->have |= TV_FIRST_ABS; break;
	case IE_LAST_MSEC: v->last_abs = x; v->have |= TV_LAST_ABS; break;
	case IE_FIRST_USEC: case IE_FIRST_NSEC:
		v->first_abs = tmpl_ntp_msec(x); v->have |= TV_FIRST_ABS;
		break;
	case IE_LAST_USEC: case IE_LAST_NSEC:
		v->last_abs = tmpl_ntp_msec(x); v->have |= TV_LAST_ABS;
		break;
	case IE_FIRST_DELTA_USEC: v->first_delta = x;
		v->have |= TV_FIRST_DELTA; break;
	case IE_LAST_DELTA_USEC: v->last_delta = x;
		v->have |= TV_LAST_DELTA; break;
	case IE_OBS_MSEC: v->obs_msec = x; v->have |= TV_OBS; break;
	case IE_VLAN: f->vlan = (uint16_t)x; break;
	case IE_MPLS1: f->mpls_label = (uint32_t)x; break;
	case IE_DIRECTION: f->direction = (uint8_t)x; break;
	case IE_XSRCPORT: f->xlate_srcport = (uint16_t)x; break;
	case IE_XDSTPORT: f->xlate_dstport = (uint16_t)x; break;
	case IE_END_REASON: f->end_reason = (uint8_t)x; break;
	case IE_FWD_STATUS: f->fwd_status = (uint8_t)x; break;
	case IE_SAMPLING_INTERVAL: v->sampling_interval = x;
		v->have |= TV_SAMPLING; break;
	case IE_SAMPLER_ID: v->sampler_id = x; v->have |= TV_SAMPLER_ID;
		break;
	case IE_SAMPLER_INTERVAL: v->sampler_interval = x;
		v->have |= TV_SAMPLER_INT; break;
	case IE_PKT_INTERVAL: v->pkt_interval = x;
		v->have |= TV_PKT_INTERVAL; break;
	case IE_PKT_SPACE: v->pkt_space = x; v->have |= TV_PKT_SPACE; break;
	case IE_SAMPLE_SIZE: v->sample_size = x; v->have |= TV_SAMPLE_SIZE;
		break;
	case IE_SAMPLE_POP: v->sample_pop = x; v->have |= TV_SAMPLE_POP;
		break;
	case IE_SELECTOR_ID: v->selector_id = x; v->have |= TV_SELECTOR;
		break;
	case IE_SYSINIT_MSEC: v->sysinit = x; v->have |= TV_SYSINIT; break;
	}
}

static uint32_t
tmpl_rate_clamp(uint64_t rate)
{
	return rate == 0 ? 1 : rate > UINT32_MAX ? UINT32_MAX : (uint32_t)rate;
}

static void
tmpl_sampler_set(struct tmpl_src *ts, uint64_t id, uint64_t rate)
{
	uint16_t i;

	for (i = 0; i < ts->nsamplers; i++)
		if (ts->sampler_id[i] == id)
			break;
	if (i == ts->nsamplers) {
		if (ts->nsamplers >= TMPL_SAMPLERS)
			return;
		ts->nsamplers++;
	}
	ts->sampler_id[i] = (uint32_t)id;
	ts->sampler_rate[i] = tmpl_rate_clamp(rate);
}

static uint32_t
tmpl_sampler_rate(const struct tmpl_src *ts, uint64_t id)
{
	uint16_t i;

	for (i = 0; i < ts->nsamplers; i++)
		if (ts->sampler_id[i] == id)
			return ts->sampler_rate[i];
	return 0;
}

static void
tmpl_ifname_set(struct tmpl_src *ts, uint32_t ifindex, const uint8_t *name,
    size_t len)
{
	uint32_t i;

	if (ts->ifnames == NULL)
		ts->ifnames = xcalloc(TMPL_IFNAMES, sizeof(*ts->ifnames));
	for (i = 0; i < ts->nifnames; i++)
		if (ts->ifnames[i].ifindex == ifindex)
			break;
	if (i == ts->nifnames) {
		if (ts->nifnames >= TMPL_IFNAMES)
			return;
		ts->nifnames++;
	}
	ts->ifnames[i].ifindex = ifindex;
	sanitize_label(ts->ifnames[i].name, sizeof(ts->ifnames[i].name), name,
	    len);
}

const char *
tmpl_ifname(const struct tmpl_cache *c, uint16_t source, uint32_t ifindex)
{
	const struct tmpl_src *ts = c->src[source];
	uint32_t i;

	if (ts == NULL)
		return NULL;
	for (i = 0; i < ts->nifnames; i++)
		if (ts->ifnames[i].ifindex == ifindex)
			return ts->ifnames[i].name;
	return NULL;
}

/*
 * Options data: sampling rates (v9 fields 34/48/50, IPFIX 34, 302 with
 * 305/306 or 309/310), interface names (82 scoped by ingressInterface)
 * and the IPFIX system init time (160) that flowStart/EndSysUpTime count
 * from.  A packet interval without a packet space says no rate.
 */
static void
tmpl_options(struct tmpl_src *ts, const struct tmpl_vals *v)
{
	uint64_t rate = 0;
	int have_rate = 1;

	if (v->have & TV_SAMPLER_INT)
		rate = v->sampler_interval;
	else if (v->have & TV_SAMPLING)
		rate = v->sampling_interval;
	else if ((v->have & (TV_SAMPLE_SIZE | TV_SAMPLE_POP)) ==
	    (TV_SAMPLE_SIZE | TV_SAMPLE_POP))
		/* n out of N (RFC 5477): Cisco sends 305 = 1 alongside. */
		rate = v->sample_size == 0 ? 1 :
		    v->sample_pop / v->sample_size;
	else if ((v->have & (TV_PKT_INTERVAL | TV_PKT_SPACE)) ==
	    (TV_PKT_INTERVAL | TV_PKT_SPACE))
		/* Sample pkt_interval packets, skip pkt_space. */
		rate = v->pkt_interval == 0 ? 1 :
		    (v->pkt_interval + v->pkt_space) / v->pkt_interval;
	else
		have_rate = 0;
	if (have_rate) {
		if (v->have & TV_SAMPLER_ID)
			tmpl_sampler_set(ts, v->sampler_id, rate);
		else if (v->have & TV_SELECTOR)
			tmpl_sampler_set(ts, v->selector_id, rate);
		else
			ts->default_rate = tmpl_rate_clamp(rate);
	}
	if ((v->have & (TV_IFNAME | TV_INIF)) == (TV_IFNAME | TV_INIF))
		tmpl_ifname_set(ts, v->r.inif, v->ifname, v->ifname_len);
	if (v->have & TV_SYSINIT)
		ts->sysinit_msec = v->sysinit;
}

/*
 * An uptime stamp to absolute ms: v9 header time, or the IPFIX init time,
 * the record's own (Huawei sends 160 in every record) before the one the
 * exporter's options data announced.
 */
static uint64_t
tmpl_uptime_msec(const struct tmpl_vals *v, const struct tmpl_msg *m,
    const struct tmpl_src *ts, uint64_t stamp)
{
	int32_t age;

	if (m->has_uptime) {
		age = (int32_t)(m->uptime_msec - (uint32_t)stamp);
		if (age < 0 && (uint64_t)-(int64_t)age > m->export_msec)
			return 0;
		return m->export_msec - (int64_t)age;
	}
	if ((v->have & TV_SYSINIT) && v->sysinit != 0)
		return v->sysinit + stamp;
	if (ts->sysinit_msec != 0)
		return ts->sysinit_msec + stamp;
	return m->export_msec;
}

static void
tmpl_times(struct tmpl_vals *v, const struct tmpl_msg *m,
    const struct tmpl_src *ts)
{
	struct flow_rec *f = &v->r;
	uint64_t ex = m->export_msec;

	if (v->have & TV_FIRST_ABS)
		f->first_msec = v->first_abs;
	else if (v->have & TV_FIRST_UP)
		f->first_msec = tmpl_uptime_msec(v, m, ts, v->first_up);
	else if (v->have & TV_FIRST_DELTA)
		f->first_msec = ex - (v->first_delta / 1000 < ex ?
		    v->first_delta / 1000 : ex);
	else if (v->have & TV_OBS)
		f->first_msec = v->obs_msec;
	if (v->have & TV_LAST_ABS)
		f->last_msec = v->last_abs;
	else if ((v->have & (TV_FIRST_UP | TV_LAST_UP)) ==
	    (TV_FIRST_UP | TV_LAST_UP) && !m->has_uptime &&
	    !(v->have & TV_SYSINIT) && ts->sysinit_msec == 0) {
		/* IPFIX uptimes with no init time to count from: keep the
		 * duration, ending the flow at the export time. */
		f->last_msec = ex;
		f->first_msec = ex - (v->last_up >= v->first_up &&
		    v->last_up - v->first_up < ex ?
		    v->last_up - v->first_up : 0);
	} else if (v->have & TV_LAST_UP)
		f->last_msec = tmpl_uptime_msec(v, m, ts, v->last_up);
	else if (v->have & TV_LAST_DELTA)
		f->last_msec = ex - (v->last_delta / 1000 < ex ?
		    v->last_delta / 1000 : ex);
	else if (v->have & TV_OBS)
		f->last_msec = v->obs_msec;
	/* A record with one time or none: use what there is. */
	if (f->first_msec == 0 && f->last_msec == 0)
		f->first_msec = f->last_msec = ex;
	else if (f->first_msec == 0)
		f->first_msec = f->last_msec;
	else if (f->last_msec == 0)
		f->last_msec = f->first_msec;
}

/* Turns the values of a data record into the flow record and sends it. */
static void
tmpl_flow(struct tmpl_vals *v, struct decoder *d, struct source *s,
    const struct tmpl_msg *m, struct tmpl_src *ts)
{
	struct flow_rec *f = &v->r;
	uint32_t rate = 0;

	/* Delta counters win; else totals; else the egress side. */
	if (!(v->have & TV_BYTES))
		f->bytes = v->have & TV_BYTES_TOTAL ? v->bytes_total :
		    v->have & TV_BYTES_OUT ? v->bytes_out : 0;
	if (!(v->have & TV_PKTS))
		f->pkts = v->have & TV_PKTS_TOTAL ? v->pkts_total :
		    v->have & TV_PKTS_OUT ? v->pkts_out : 0;
	tmpl_times(v, m, ts);
	f->af = v->have & TV_V6 ? 6 : 4;
	if (f->af == 4) {
		flow_addr_absent4(&f->src);
		flow_addr_absent4(&f->dst);
		flow_addr_absent4(&f->nexthop);
	}
	if (v->have & TV_ICMP_TC) {
		f->icmp_type = (uint8_t)(v->icmp_tc >> 8);
		f->icmp_code = (uint8_t)v->icmp_tc;
	}
	if (f->proto == 1 || f->proto == 58) {
		/* nfdump keeps ICMP type.code in the destination port. */
		if (v->have & (TV_ICMP_TC | TV_ICMP_TYPE))
			f->dstport = (uint16_t)(f->icmp_type << 8 |
			    f->icmp_code);
		else {
			f->icmp_type = (uint8_t)(f->dstport >> 8);
			f->icmp_code = (uint8_t)f->dstport;
		}
	}
	/* The rate announced: the record's own, its sampler's, or the
	 * exporter's; decode_rate then applies --sampling. */
	if (v->have & TV_SAMPLING)
		rate = tmpl_rate_clamp(v->sampling_interval);
	else if (v->have & TV_SAMPLER_ID)
		rate = tmpl_sampler_rate(ts, v->sampler_id);
	else if (v->have & TV_SELECTOR)
		rate = tmpl_sampler_rate(ts, v->selector_id);
	if (rate == 0)
		rate = ts->default_rate;
	rate = decode_rate(d, rate);
	f->sampling = rate;
	/* Saturate rather than wrap: a huge count stays huge. */
	if (__builtin_mul_overflow(f->pkts, rate, &f->pkts))
		f->pkts = UINT64_MAX;
	if (__builtin_mul_overflow(f->bytes, rate, &f->bytes))
		f->bytes = UINT64_MAX;
	s->sampling = rate;
	f->recv_msec = m->recv_msec;
	f->origin = m->origin;
	f->source = (uint16_t)(s - d->sources->v);
	s->records++;
	s->pkts += f->pkts;
	s->bytes += f->bytes;
	d->stats.records++;
	d->sink(f, d->sink_ctx);
}

/* What a data record's values become: a flow, or an exporter's options. */
static void
tmpl_record(struct tmpl_vals *v, struct decoder *d, struct source *s,
    const struct tmpl *t, const struct tmpl_msg *m, struct tmpl_src *ts)
{
	((struct tmpl *)t)->records++;
	if (t->options) {
		s->options_records++;
		tmpl_options(ts, v);
	} else
		tmpl_flow(v, d, s, m, ts);
}

/*
 * The elements that are a plain number stored in one place of the values,
 * with the bit that says it was there: most of any record.  A template of
 * fixed length reads them by offset with one table lookup, instead of
 * through a reader and two switches (tmpl_field).  width 0: not plain.
 */
#define PLAIN(m, h)	{ offsetof(struct tmpl_vals, m), \
			  sizeof(((struct tmpl_vals *)0)->m), h }
static const struct tmpl_plain {
	uint16_t	dst;		/* offset in struct tmpl_vals */
	uint8_t		width;		/* of the value there */
	uint32_t	have;
} tmpl_plain[IE_ACTION_MAX] = {
	[IE_BYTES] = PLAIN(r.bytes, TV_BYTES),
	[IE_PKTS] = PLAIN(r.pkts, TV_PKTS),
	[IE_BYTES_TOTAL] = PLAIN(bytes_total, TV_BYTES_TOTAL),
	[IE_PKTS_TOTAL] = PLAIN(pkts_total, TV_PKTS_TOTAL),
	[IE_BYTES_OUT] = PLAIN(bytes_out, TV_BYTES_OUT),
	[IE_PKTS_OUT] = PLAIN(pkts_out, TV_PKTS_OUT),
	[IE_PROTO] = PLAIN(r.proto, 0),
	[IE_TOS] = PLAIN(r.tos, 0),
	[IE_TCPFLAGS] = PLAIN(r.tcpflags, 0),
	[IE_SRCPORT] = PLAIN(r.srcport, 0),
	[IE_DSTPORT] = PLAIN(r.dstport, 0),
	[IE_SRCMASK] = PLAIN(r.srcmask, 0),
	[IE_DSTMASK] = PLAIN(r.dstmask, 0),
	[IE_INIF] = PLAIN(r.inif, TV_INIF),
	[IE_OUTIF] = PLAIN(r.outif, 0),
	[IE_SRCAS] = PLAIN(r.srcas, 0),
	[IE_DSTAS] = PLAIN(r.dstas, 0),
	[IE_ICMP_TC] = PLAIN(icmp_tc, TV_ICMP_TC),
	[IE_ICMP_TYPE] = PLAIN(r.icmp_type, TV_ICMP_TYPE),
	[IE_ICMP_CODE] = PLAIN(r.icmp_code, 0),
	[IE_FIRST_UPTIME] = PLAIN(first_up, TV_FIRST_UP),
	[IE_LAST_UPTIME] = PLAIN(last_up, TV_LAST_UP),
	[IE_FIRST_MSEC] = PLAIN(first_abs, TV_FIRST_ABS),
	[IE_LAST_MSEC] = PLAIN(last_abs, TV_LAST_ABS),
	[IE_FIRST_DELTA_USEC] = PLAIN(first_delta, TV_FIRST_DELTA),
	[IE_LAST_DELTA_USEC] = PLAIN(last_delta, TV_LAST_DELTA),
	[IE_OBS_MSEC] = PLAIN(obs_msec, TV_OBS),
	[IE_VLAN] = PLAIN(r.vlan, 0),
	[IE_MPLS1] = PLAIN(r.mpls_label, 0),
	[IE_DIRECTION] = PLAIN(r.direction, 0),
	[IE_XSRCPORT] = PLAIN(r.xlate_srcport, 0),
	[IE_XDSTPORT] = PLAIN(r.xlate_dstport, 0),
	[IE_END_REASON] = PLAIN(r.end_reason, 0),
	[IE_FWD_STATUS] = PLAIN(r.fwd_status, 0),
	[IE_SAMPLING_INTERVAL] = PLAIN(sampling_interval, TV_SAMPLING),
	[IE_SAMPLER_ID] = PLAIN(sampler_id, TV_SAMPLER_ID),
	[IE_SAMPLER_INTERVAL] = PLAIN(sampler_interval, TV_SAMPLER_INT),
	[IE_PKT_INTERVAL] = PLAIN(pkt_interval, TV_PKT_INTERVAL),
	[IE_PKT_SPACE] = PLAIN(pkt_space, TV_PKT_SPACE),
	[IE_SAMPLE_SIZE] = PLAIN(sample_size, TV_SAMPLE_SIZE),
	[IE_SAMPLE_POP] = PLAIN(sample_pop, TV_SAMPLE_POP),
	[IE_SELECTOR_ID] = PLAIN(selector_id, TV_SELECTOR),
	[IE_SYSINIT_MSEC] = PLAIN(sysinit, TV_SYSINIT),
};
#undef PLAIN

/*
 * A step's kind: a load of 1, 2, 4 or 8 bytes or another width (L), into
 * a place of 1, 2, 4 or 8 bytes (W); else an address, or tmpl_field.
 */
#define TK(l, w)	((l) << 2 | (w))
enum { TK_SRC4 = TK(5, 0), TK_DST4, TK_FIELD };

static uint8_t
tmpl_width_class(size_t n)
{
	return n == 1 ? 0 : n == 2 ? 1 : n == 4 ? 2 : n == 8 ? 3 : 4;
}

/*
 * Whether a template's plain numbers may be read out of their order, kind
 * by kind: when no two of them share a place, and every other field it
 * reads is bytes (tmpl_bytes_action), stored in no plain place.  Then
 * the order of the reads cannot change what they leave.
 */
static int
tmpl_may_group(const struct tmpl *t)
{
	uint8_t taken[sizeof(struct tmpl_vals)] = { 0 };
	const struct tmpl_step *st;
	size_t width;

	for (st = t->steps; st < t->steps + t->nsteps; st++) {
		if (st->kind >= TK_SRC4) {
			if (st->kind == TK_FIELD &&
			    !tmpl_bytes_action[t->ops[st->arg].action])
				return 0;
			continue;
		}
		width = (size_t)1 << (st->kind & 3);	/* the place's */
		if (memchr(taken + st->arg, 1, width) != NULL)
			return 0;
		memset(taken + st->arg, 1, width);
	}
	return 1;
}

/* Where a step goes when a template is grouped: see tmpl_compile. */
static uint8_t
tmpl_rank(const struct tmpl_step *st)
{
	return st->kind < TK_SRC4 ? st->kind : TK_SRC4;
}

/*
 * The steps of a template of fixed length: its fields that are read,
 * each with its kind of load and store.  Steps of one kind next to each
 * other make a run, which tmpl_fixed_record reads with one jump; when
 * the order does not matter (tmpl_may_group), the steps are sorted by
 * kind first, so that fields alike (the two ports; the counters) are
 * one run each, wherever the template put them.
 */
static void
tmpl_compile(struct tmpl *t)
{
	const struct tmpl_plain *pl;
	struct tmpl_step *st, tmp;
	uint32_t off = 0;		/* under min_len: it fits 16 bits */
	uint16_t i, j;

	t->nsteps = 0;
	t->plain_have = 0;
	for (i = 0; i < t->nops; off += t->ops[i].len, i++) {
		if (t->ops[i].action == IE_SKIP)
			continue;
		st = &t->steps[t->nsteps++];
		memset(st, 0, sizeof(*st));
		st->off = (uint16_t)off;
		pl = &tmpl_plain[t->ops[i].action];
		/* A place of 1, 2, 4 or 8 bytes (each of the table's is). */
		if (pl->width != 0 && t->ops[i].len <= 8 &&
		    tmpl_width_class(pl->width) < 4) {
			st->kind = (uint8_t)TK(tmpl_width_class(t->ops[i].len),
			    tmpl_width_class(pl->width));
			st->len = (uint8_t)t->ops[i].len;
			st->arg = pl->dst;
			t->plain_have |= pl->have;
		} else if (t->ops[i].action == IE_SRC4)
			st->kind = TK_SRC4;
		else if (t->ops[i].action == IE_DST4)
			st->kind = TK_DST4;
		else {
			st->kind = TK_FIELD;
			st->arg = i;
		}
	}
	/*
	 * Plain steps first, by kind; the others after them, in their
	 * order (two may write one address).  Insertion sort: stable, and
	 * a template has at most 128 steps.
	 */
	if (tmpl_may_group(t))
		for (i = 1; i < t->nsteps; i++) {
			tmp = t->steps[i];
			for (j = i; j > 0 && tmpl_rank(&t->steps[j - 1]) >
			    tmpl_rank(&tmp); j--)
				t->steps[j] = t->steps[j - 1];
			t->steps[j] = tmp;
		}
	for (i = 0; i < t->nsteps; i = j) {
		for (j = i + 1; j < t->nsteps &&
		    t->steps[j].kind == t->steps[i].kind; j++)
			;
		t->steps[i].run = (uint8_t)(j - i);
	}
}

/* An unsigned big-endian number of 3, 5, 6 or 7 bytes. */
static uint64_t
tmpl_uint_odd(const uint8_t *p, uint8_t len)
{
	uint64_t v = 0;

	while (len-- > 0)
		v = v << 8 | *p++;
	return v;
}

/*
 * The four stores of a load, each a loop over its run: x cut to the
 * place's width, as casts do.
 */
#define TK_STORE(l, w, T, x)						\
	case TK(l, w):							\
		do {							\
			const uint8_t *p = rec + st->off;		\
			T y_ = (T)(x);					\
			memcpy((uint8_t *)v + st->arg, &y_, sizeof(y_)); \
		} while (++st < end);					\
		break;
#define TK_STORES(l, x)							\
	TK_STORE(l, 0, uint8_t, x) TK_STORE(l, 1, uint16_t, x)		\
	TK_STORE(l, 2, uint32_t, x) TK_STORE(l, 3, uint64_t, x)

/*
 * One record of a template of fixed length, whole inside the set: one
 * jump per run of steps, nothing for a field skipped.  What is not a
 * plain number or an IPv4 address goes through tmpl_field, over a reader
 * of just that field.
 */
static void
tmpl_fixed_record(struct tmpl_vals *v, const struct tmpl *t,
    const uint8_t *rec)
{
	const struct tmpl_step *st = t->steps, *all = t->steps + t->nsteps;
	const struct tmpl_step *end;
	struct rd fr;

	/* Every record has every field: their bits are the template's. */
	v->have |= t->plain_have;
	for (; st < all; st = end) {
		end = st + st->run;
		switch (st->kind) {
		TK_STORES(0, p[0])
		TK_STORES(1, rd_be16(p))
		TK_STORES(2, rd_be32(p))
		TK_STORES(3, rd_be64(p))
		TK_STORES(4, tmpl_uint_odd(p, st->len))
		case TK_SRC4:
			do
				flow_addr_set4(&v->r.src,
				    rd_be32(rec + st->off));
			while (++st < end);
			break;
		case TK_DST4:
			do
				flow_addr_set4(&v->r.dst,
				    rd_be32(rec + st->off));
			while (++st < end);
			break;
		case TK_FIELD:
			do {
				rd_init(&fr, rec + st->off,
				    t->ops[st->arg].len);
				tmpl_field(v, &t->ops[st->arg],
				    t->ops[st->arg].len, &fr);
			} while (++st < end);
			break;
		default:
			/* tmpl_compile makes no other kind: no range check
			 * before the jump, which cost two of a field's ~16
			 * instructions. */
			__builtin_unreachable();
		}
	}
}

/* Ready for the next record (see struct tmpl_vals). */
static void
tmpl_vals_reset(struct tmpl_vals *v)
{
	flow_rec_clear(&v->r);
	v->have = 0;
}

/* Decodes every record of a data set (validated by tmpl_set_walk). */
void
tmpl_decode_set(struct tmpl_cache *c, struct decoder *d, struct source *s,
    const struct tmpl *t, const struct tmpl_msg *m, const uint8_t *data,
    size_t len)
{
	struct tmpl_src *ts = tmpl_src_get(c, (uint16_t)(s - d->sources->v));
	struct tmpl_vals v;
	struct rd r;
	size_t at;
	uint16_t i, flen;

	memset(&v, 0, sizeof(v));
	if (!t->varlen) {
		for (at = 0; len - at >= t->min_len; at += t->min_len) {
			tmpl_vals_reset(&v);
			tmpl_fixed_record(&v, t, data + at);
			tmpl_record(&v, d, s, t, m, ts);
		}
		return;
	}
	rd_init(&r, data, len);
	while (r.len >= t->min_len) {
		tmpl_vals_reset(&v);
		for (i = 0; i < t->nops; i++) {
			flen = tmpl_field_len(&t->ops[i], &r);
			tmpl_field(&v, &t->ops[i], flen, &r);
		}
		if (r.err)
			break;		/* cannot happen after the walk */
		tmpl_record(&v, d, s, t, m, ts);
	}
}

static void
tmpl_pending_drop(struct tmpl_cache *c, uint32_t i)
{
	struct tmpl_src *ts = c->src[c->pend[i].source];

	c->pending_bytes -= c->pend[i].len;
	if (ts != NULL)
		ts->pending_bytes -= c->pend[i].len;
	free(c->pend[i].data);
	memmove(&c->pend[i], &c->pend[i + 1],
	    (c->npend - i - 1) * sizeof(c->pend[0]));
	c->npend--;
}

/* Decodes the waiting data sets of (source, id), oldest first. */
static void
tmpl_pending_flush(struct tmpl_cache *c, struct decoder *d,
    struct source *s, const struct tmpl *t)
{
	uint16_t source = (uint16_t)(s - d->sources->v);
	struct tmpl_pending *p;
	uint32_t i = 0, n;

	while (i < c->npend) {
		p = &c->pend[i];
		if (p->source != source || p->id != t->id) {
			i++;
			continue;
		}
		if (tmpl_set_walk(t, p->data, p->len, &n) == 0) {
			tmpl_decode_set(c, d, s, t, &p->msg, p->data, p->len);
			s->waiting_decoded++;
		} else
			/* Its datagram was counted decoded: a drop, so that
			 * malformed stays the sum of malformed_by. */
			s->waiting_expired++;
		tmpl_pending_drop(c, i);
	}
}

/*
 * Installs a compiled template for source s, replacing one with the same
 * ID (RFC 3954 §7, RFC 7011 §8.4), then decodes the data that waited for
 * it.  Returns -1 when a limit refuses it (counted).
 */
int
tmpl_install(struct tmpl_cache *c, struct decoder *d, struct source *s,
    const struct tmpl *t)
{
	uint16_t source = (uint16_t)(s - d->sources->v);
	struct tmpl_src *ts = tmpl_src_get(c, source);
	uint32_t *slot = tmpl_lookup(c, source, t->id);
	struct tmpl *dst;

	if (*slot != 0)
		dst = &c->pool[*slot - 1];
	else {
		if (ts->ntmpl >= TMPL_PER_SOURCE || c->npool >= TMPL_TOTAL) {
			s->tmpl_limit++;
			return -1;
		}
		*slot = ++c->npool;
		dst = &c->pool[*slot - 1];
		ts->ntmpl++;
	}
	*dst = *t;
	dst->source = source;
	dst->in_use = 1;
	s->templates++;
	if (ts->pending_bytes > 0)
		tmpl_pending_flush(c, d, s, dst);
	return 0;
}

/*
 * Keeps a copy of a data set whose template has not come yet, within the
 * per-source and total byte limits; what does not fit is counted as
 * expired at once.
 */
void
tmpl_pend(struct tmpl_cache *c, struct decoder *d, struct source *s,
    uint16_t id, const struct tmpl_msg *m, const uint8_t *data, size_t len)
{
	uint16_t source = (uint16_t)(s - d->sources->v);
	struct tmpl_src *ts = tmpl_src_get(c, source);
	struct tmpl_pending *p;

	s->waiting++;
	if (c->npend >= TMPL_PENDING_ENTRIES ||
	    ts->pending_bytes + len > TMPL_PENDING_SOURCE ||
	    c->pending_bytes + len > TMPL_PENDING_TOTAL) {
		s->waiting_expired++;
		return;
	}
	p = &c->pend[c->npend++];
	p->source = source;
	p->id = id;
	p->len = (uint32_t)len;
	p->msg = *m;
	p->data = xmalloc(len);
	memcpy(p->data, data, len);
	ts->pending_bytes += len;
	c->pending_bytes += len;
}

/* Drops waiting data older than TMPL_PENDING_MSEC (called each tick). */
void
tmpl_expire(struct tmpl_cache *c, struct decoder *d, uint64_t now_msec)
{
	struct tmpl_pending *p;
	uint32_t i = 0;

	while (i < c->npend) {
		p = &c->pend[i];
		if (p->msg.recv_msec + TMPL_PENDING_MSEC > now_msec) {
			i++;
			continue;
		}
		if (p->source < d->sources->n)
			d->sources->v[p->source].waiting_expired++;
		tmpl_pending_drop(c, i);
	}
}

uint64_t
tmpl_pending_bytes(const struct tmpl_cache *c)
{
	return c->pending_bytes;
}
