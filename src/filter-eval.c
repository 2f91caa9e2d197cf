/*
 * filter-eval.c - turns a filter's syntax tree into a flat program and
 * runs that program on flow records: the per-record hot path.
 *
 * Each instruction is one test on the record with a jump for true and
 * one for false, as nfdump compiles its filters (FILTER.md section 7):
 * "and" sends a true result on to its right side and a false one straight
 * to the answer, "or" the other way round, and "not" swaps the two.  So
 * evaluation short-circuits without a stack, and a test whose result
 * cannot change the answer is never emitted.  The program is emitted
 * backwards and then reversed, so every jump goes forward: it always ends.
 *
 * filter_match() neither allocates nor calls into libc beyond memcpy and
 * memcmp; derived values (duration, pps, bps, bpp) are computed as nfdump
 * computes them.  A test on a field the record's wire protocol does not
 * carry (VLAN of a NetFlow v5 record) is false, as in nfdump 1.7.5+.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "filter-impl.h"
#include "source.h"
#include "xmalloc.h"

#define G(g)		(1u << (g))
#define G_ALL		0xffffffffu

/*
 * Which field groups each wire protocol carries.  NetFlow v1/v5/v7
 * records are fixed; for the others the fields depend on the template or
 * the capture and flow_rec has no per-record presence bits yet, so every
 * group counts as present (its value being 0 when not sent).
 */
static const uint32_t origin_groups[FLOW_ORIGIN_MAX] = {
	[FLOW_ORIGIN_UNKNOWN] = G_ALL,
	[FLOW_ORIGIN_NF1] = G(FG_NEXTHOP),
	[FLOW_ORIGIN_NF5] = G(FG_AS) | G(FG_MASK) | G(FG_NEXTHOP) |
	    G(FG_ENGINE),
	[FLOW_ORIGIN_NF7] = G(FG_AS) | G(FG_MASK) | G(FG_NEXTHOP),
	[FLOW_ORIGIN_NF9] = G_ALL,
	[FLOW_ORIGIN_IPFIX] = G_ALL,
	[FLOW_ORIGIN_SFLOW] = G_ALL,
	[FLOW_ORIGIN_PCAP] = G(FG_VLAN) | G(FG_MAC),
};

/* "nfversion": the NetFlow version of each protocol; 0 = none. */
static const uint8_t origin_version[FLOW_ORIGIN_MAX] = {
	[FLOW_ORIGIN_NF1] = 1,
	[FLOW_ORIGIN_NF5] = 5,
	[FLOW_ORIGIN_NF7] = 7,
	[FLOW_ORIGIN_NF9] = 9,
	[FLOW_ORIGIN_IPFIX] = 10,
};

/* For the SQL compiler (filter-sql.c): the same tables, read-only. */
uint32_t
fprog_origin_groups(int origin)
{
	if (origin < 0 || origin >= FLOW_ORIGIN_MAX)
		return G_ALL;
	return origin_groups[origin] | G(FG_ALWAYS);
}

int
fprog_origin_version(int origin)
{
	if (origin < 0 || origin >= FLOW_ORIGIN_MAX)
		return 0;
	return origin_version[origin];
}

/* ---- building the program ---- */

struct fbuild {
	struct fparse	*p;
	struct finsn	*v;
	size_t		 n;
	size_t		 cap;
};

static int
emit(struct fbuild *b, const struct fleaf *t, int on_true, int on_false)
{
	struct finsn *in;

	if (b->n >= FILTER_INSN_MAX)
		return -1;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->v = xreallocarray(b->v, b->cap, sizeof(*in));
	}
	in = &b->v[b->n];
	in->t = *t;
	in->on_true = (uint16_t)on_true;
	in->on_false = (uint16_t)on_false;
	return (int)b->n++;
}

static int	compile(struct fbuild *, int, int, int);

/*
 * A run of "and"s (or of "or"s) as the parser builds it: nested to the
 * left.  Walked without recursion, so a filter of thousands of terms
 * needs no deep stack; the last term is emitted first.
 */
static int
compile_chain(struct fbuild *b, int node, int on_true, int on_false)
{
	const struct fnode *nodes = b->p->nodes;
	int kind = nodes[node].kind, i, e;

	e = kind == FN_AND ? on_true : on_false;
	for (i = node; nodes[i].kind == kind; i = nodes[i].a) {
		if (kind == FN_AND)
			e = compile(b, nodes[i].b, e, on_false);
		else
			e = compile(b, nodes[i].b, on_true, e);
		if (e < 0)
			return -1;
	}
	if (kind == FN_AND)
		return compile(b, i, e, on_false);
	return compile(b, i, on_true, e);
}

/* Emits node; returns where evaluation of it starts (or an FPC_*). */
static int
compile(struct fbuild *b, int node, int on_true, int on_false)
{
	const struct fnode *n = &b->p->nodes[node];

	switch (n->kind) {
	case FN_TRUE:
		return on_true;
	case FN_FALSE:
		return on_false;
	case FN_NOT:
		return compile(b, n->a, on_false, on_true);
	case FN_AND:
	case FN_OR:
		return compile_chain(b, node, on_true, on_false);
	default:
		/* A test whose outcome leads the same way is not needed. */
		if (on_true == on_false)
			return on_true;
		return emit(b, &n->leaf, on_true, on_false);
	}
}

static uint16_t
remap(int pc, size_t n)
{
	if (pc >= FPC_FALSE)
		return (uint16_t)pc;
	return (uint16_t)(n - 1 - (size_t)pc);
}

/* Compiles the tree at root into f->prog; -1 if it is too large. */
int
fprog_build(struct filter *f, struct fparse *p, int root)
{
	struct fbuild b;
	struct finsn tmp;
	size_t i;
	int entry;

	memset(&b, 0, sizeof(b));
	b.p = p;
	if ((entry = compile(&b, root, FPC_TRUE, FPC_FALSE)) < 0) {
		free(b.v);
		return -1;
	}
	/* Emitted last-first: reverse, so execution runs forward. */
	for (i = 0; i < b.n / 2; i++) {
		tmp = b.v[i];
		b.v[i] = b.v[b.n - 1 - i];
		b.v[b.n - 1 - i] = tmp;
	}
	for (i = 0; i < b.n; i++) {
		b.v[i].on_true = remap(b.v[i].on_true, b.n);
		b.v[i].on_false = remap(b.v[i].on_false, b.n);
	}
	f->prog = b.v;
	f->nprog = b.n;
	f->entry = remap(entry, b.n);
	return 0;
}

/* ---- running it ---- */

static uint64_t
duration_msec(const struct flow_rec *r)
{
	return r->last_msec > r->first_msec ? r->last_msec - r->first_msec :
	    0;
}

/* floor(a * k / d) without overflow for any a (k is 1000 or 8000). */
static uint64_t
scaled_rate(uint64_t a, uint64_t k, uint64_t d)
{
	if (a <= UINT64_MAX / k)
		return a * k / d;
	return a / d * k + a % d * k / d;
}

static int
is_v4(const struct flow_addr *a)
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	return memcmp(a->b, prefix, sizeof(prefix)) == 0;
}

static int
addr_match(const struct faddr *c, const struct flow_addr *a)
{
	uint64_t x[2], m[2], v[2];

	memcpy(x, a->b, 16);
	memcpy(m, c->mask.b, 16);
	memcpy(v, c->addr.b, 16);
	if (((x[0] & m[0]) ^ v[0]) | ((x[1] & m[1]) ^ v[1]))
		return 0;
	return is_v4(a) == c->v4;
}

static const struct source *
rec_source(const struct filter *f, const struct flow_rec *r)
{
	if (f->sources == NULL || r->source >= f->sources->n)
		return NULL;
	return &f->sources->v[r->source];
}

static int
compare(uint64_t v, int cmp, uint64_t w)
{
	switch (cmp) {
	case FCMP_EQ:
		return v == w;
	case FCMP_GT:
		return v > w;
	case FCMP_LT:
		return v < w;
	case FCMP_GE:
		return v >= w;
	case FCMP_LE:
		return v <= w;
	case FCMP_ALL:
		return (v & w) == w;
	default:
		return 0;
	}
}

static inline int
ftest(const struct filter *f, const struct fleaf *t, const struct flow_rec *r,
    uint32_t have)
{
	const uint8_t *field = (const uint8_t *)r + t->arg;
	const struct source *s;
	uint64_t v, d;
	uint32_t u32;
	uint16_t u16;

	if (!(have & G(t->group)))
		return 0;
	switch (t->op) {
	case FOP_U8:
		v = *field;
		break;
	case FOP_U16:
		memcpy(&u16, field, sizeof(u16));
		v = u16;
		break;
	case FOP_U32:
		memcpy(&u32, field, sizeof(u32));
		v = u32;
		break;
	case FOP_U64:
		memcpy(&v, field, sizeof(v));
		break;
	case FOP_AF:
		v = r->af;
		break;
	case FOP_DURATION:
		v = duration_msec(r);
		break;
	case FOP_PPS:
		d = duration_msec(r);
		v = d ? scaled_rate(r->pkts, 1000, d) : 0;
		break;
	case FOP_BPS:
		d = duration_msec(r);
		v = d ? scaled_rate(r->bytes, 8000, d) : 0;
		break;
	case FOP_BPP:
		v = r->pkts ? r->bytes / r->pkts : 0;
		break;
	case FOP_ADDR:
		return addr_match(&f->addrs[t->val],
		    (const struct flow_addr *)field);
	case FOP_ADDR_SET:
		return fset_ip_has(&f->sets[t->val],
		    (const struct flow_addr *)field,
		    is_v4((const struct flow_addr *)field));
	case FOP_PORT_SET:
		memcpy(&u16, field, sizeof(u16));
		return (f->sets[t->val].bits[u16 >> 3] >> (u16 & 7)) & 1;
	case FOP_U32_SET:
		memcpy(&u32, field, sizeof(u32));
		return fset_u32_has(&f->sets[t->val], u32);
	case FOP_MAC:
		v = (uint64_t)field[0] << 40 | (uint64_t)field[1] << 32 |
		    (uint64_t)field[2] << 24 | (uint64_t)field[3] << 16 |
		    (uint64_t)field[4] << 8 | field[5];
		break;
	case FOP_MPLS_LABEL:
		v = r->mpls_label >> 4;
		break;
	case FOP_MPLS_EXP:
		v = (r->mpls_label >> 1) & 7;
		break;
	case FOP_MPLS_EOS:
		if (!(r->mpls_label & 1))
			return 0;
		v = r->mpls_label >> 4;
		break;
	case FOP_ROUTER:
		if ((s = rec_source(f, r)) == NULL)
			return 0;
		return addr_match(&f->addrs[t->val], &s->addr);
	case FOP_ENGINE_TYPE:
	case FOP_ENGINE_ID:
		if ((s = rec_source(f, r)) == NULL)
			return 0;
		v = t->op == FOP_ENGINE_TYPE ? (s->domain >> 8) & 0xff :
		    s->domain & 0xff;
		break;
	case FOP_SYSID:
		v = (uint64_t)r->source + 1;
		break;
	case FOP_NFVERSION:
		if (r->origin >= FLOW_ORIGIN_MAX ||
		    (v = origin_version[r->origin]) == 0)
			return 0;
		break;
	default:
		return 0;
	}
	return compare(v, t->cmp, t->val);
}

int
filter_match(const struct filter *f, const struct flow_rec *r)
{
	const struct finsn *in;
	uint32_t have;
	unsigned pc = f->entry;

	/* "any" (and any constant filter) never reads the record. */
	if (pc >= FPC_FALSE)
		return pc == FPC_TRUE;
	have = r->origin < FLOW_ORIGIN_MAX ? origin_groups[r->origin] :
	    G_ALL;
	have |= G(FG_ALWAYS);
	while (pc < FPC_FALSE) {
		in = &f->prog[pc];
		pc = ftest(f, &in->t, r, have) ? in->on_true : in->on_false;
	}
	return pc == FPC_TRUE;
}

int
filter_proto_only(const struct filter *f, uint8_t map[32])
{
	struct flow_rec r;
	size_t i;
	unsigned p;

	for (i = 0; i < f->nprog; i++)
		if (f->prog[i].t.op != FOP_U8 || f->prog[i].t.group !=
		    FG_ALWAYS || f->prog[i].t.arg !=
		    offsetof(struct flow_rec, proto))
			return 0;
	memset(&r, 0, sizeof(r));
	memset(map, 0, 32);
	for (p = 0; p < 256; p++) {
		r.proto = (uint8_t)p;
		if (filter_match(f, &r))
			map[p / 8] |= (uint8_t)(1u << (p % 8));
	}
	return 1;
}
