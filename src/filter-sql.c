/*
 * filter-sql.c - compiles a filter's syntax tree into a ClickHouse WHERE
 * condition (see filter-sql.h).  It reads the tree filter-parse.c builds,
 * the same one filter-eval.c flattens into a program, so both give every
 * term one meaning.
 *
 * Addresses are FixedString(16) columns holding IPv4 as ::ffff:a.b.c.d, as
 * struct flow_addr does.  Byte strings compare as memcmp, so "address
 * within prefix" is a BETWEEN of the prefix's first and last address, and
 * an IPv4 prefix (96 + N bits of mask) can only hold IPv4 addresses.  An
 * IPv6 constant must not match an IPv4 record, as in addr_match(); that is
 * one more test on the first twelve bytes.
 *
 * ClickHouse computes both branches of if() over the whole column, so
 * divisions are guarded with greatest(d, 1) rather than by the condition
 * alone.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch-schema.h"
#include "filter-impl.h"
#include "filter-sql.h"
#include "xmalloc.h"

#define OFF(f)		((uint32_t)offsetof(struct flow_rec, f))
#define V4MAPPED	"unhex('00000000000000000000FFFF')"
#define DURATION	"if(last > first, last - first, 0)"

struct fsql {
	const struct fparse *p;
	char		*s;
	size_t		 n;
	size_t		 cap;
	int		 failed;
	char		*err;
	size_t		 errlen;
};

/* Fields the table leaves out, by their place in flow_rec. */
static const struct {
	uint32_t	 off;
	const char	*what;
} sql_missing[] = {
	{ OFF(vlan), "vlan" },
	{ OFF(src_mac), "mac" },
	{ OFF(dst_mac), "mac" },
	{ OFF(mpls_label), "mpls" },
	{ OFF(srcmask), "mask" },
	{ OFF(dstmask), "mask" },
	{ OFF(xlate_src), "nat ip" },
	{ OFF(xlate_dst), "nat ip" },
	{ OFF(xlate_srcport), "nat port" },
	{ OFF(xlate_dstport), "nat port" },
	{ OFF(bgp_nexthop), "bgp next ip" },
	{ OFF(direction), "flowdir" },
	{ OFF(fwd_status), "fwdstat" },
	{ OFF(end_reason), "end reason" },
	{ OFF(src_cc), "geo" },
	{ OFF(dst_cc), "geo" },
};

static void
sql_add(struct fsql *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
sql_add(struct fsql *q, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (q->failed)
		return;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || q->n + (size_t)len + 1 > FILTER_SQL_MAX) {
		snprintf(q->err, q->errlen, "filter: too large for a ClickHouse"
		    " query (more than %d KiB of SQL)", FILTER_SQL_MAX / 1024);
		q->failed = 1;
		return;
	}
	if (q->n + (size_t)len + 1 > q->cap) {
		while (q->n + (size_t)len + 1 > q->cap)
			q->cap = q->cap ? q->cap * 2 : 256;
		q->s = xreallocarray(q->s, q->cap, 1);
	}
	va_start(ap, fmt);
	vsnprintf(q->s + q->n, q->cap - q->n, fmt, ap);
	va_end(ap);
	q->n += (size_t)len;
}

static int
sql_refuse(struct fsql *q, const char *what, const char *why)
{
	if (!q->failed)
		snprintf(q->err, q->errlen, "filter: '%s' cannot be computed by"
		    " ClickHouse: %s", what, why);
	q->failed = 1;
	return -1;
}

static int
sql_refuse_field(struct fsql *q, uint32_t off)
{
	size_t i;

	for (i = 0; i < sizeof(sql_missing) / sizeof(sql_missing[0]); i++)
		if (sql_missing[i].off == off)
			return sql_refuse(q, sql_missing[i].what,
			    "the table has no such column");
	return sql_refuse(q, "this term", "the table has no such column");
}

static void
sql_addr(struct fsql *q, const struct flow_addr *a)
{
	int i;

	sql_add(q, "toFixedString(unhex('");
	for (i = 0; i < 16; i++)
		sql_add(q, "%02X", a->b[i]);
	sql_add(q, "'), 16)");
}

static const char *
sql_op(int cmp)
{
	switch (cmp) {
	case FCMP_GT:
		return ">";
	case FCMP_LT:
		return "<";
	case FCMP_GE:
		return ">=";
	case FCMP_LE:
		return "<=";
	default:
		return "=";
	}
}

/* expr compared with v as compare() in filter-eval.c does. */
static void
sql_cmp(struct fsql *q, const char *expr, int cmp, uint64_t v)
{
	if (cmp == FCMP_ALL)
		sql_add(q, "bitAnd(%s, %llu) = %llu", expr,
		    (unsigned long long)v, (unsigned long long)v);
	else
		sql_add(q, "%s %s %llu", expr, sql_op(cmp),
		    (unsigned long long)v);
}

/* (col & mask) == addr, same family: a range of byte strings. */
static void
sql_prefix(struct fsql *q, const char *col, const struct flow_addr *addr,
    const struct flow_addr *mask, int v4)
{
	struct flow_addr lo, hi;
	int i, full = 1;

	for (i = 0; i < 16; i++) {
		lo.b[i] = addr->b[i] & mask->b[i];
		hi.b[i] = lo.b[i] | (uint8_t)~mask->b[i];
		full &= mask->b[i] == 0xff;
	}
	sql_add(q, "(%s ", col);
	if (full) {
		sql_add(q, "= ");
		sql_addr(q, &lo);
	} else {
		sql_add(q, "BETWEEN ");
		sql_addr(q, &lo);
		sql_add(q, " AND ");
		sql_addr(q, &hi);
	}
	if (!v4)
		sql_add(q, " AND substring(%s, 1, 12) != " V4MAPPED, col);
	sql_add(q, ")");
}

static int
sql_full_mask(const struct flow_addr *m)
{
	int i;

	for (i = 0; i < 16; i++)
		if (m->b[i] != 0xff)
			return 0;
	return 1;
}

/* An address list: each group is one prefix length and family. */
static void
sql_addr_set(struct fsql *q, const char *col, const struct fset *s)
{
	const struct fipgroup *g;
	size_t gi, i;

	sql_add(q, "(0");
	for (gi = 0; gi < s->ngroups; gi++) {
		g = &s->groups[gi];
		if (!sql_full_mask(&g->mask)) {
			for (i = 0; i < g->n; i++) {
				sql_add(q, " OR ");
				sql_prefix(q, col, &g->v[i], &g->mask, g->v4);
			}
			continue;
		}
		sql_add(q, " OR (%s IN (", col);
		for (i = 0; i < g->n; i++) {
			sql_add(q, "%s", i > 0 ? ", " : "");
			sql_addr(q, &g->v[i]);
		}
		sql_add(q, ")");
		if (!g->v4)
			sql_add(q, " AND substring(%s, 1, 12) != " V4MAPPED,
			    col);
		sql_add(q, ")");
	}
	sql_add(q, ")");
}

/* A port list (a 65536-bit map): runs as BETWEEN, the rest in IN. */
static void
sql_port_set(struct fsql *q, const char *col, const struct fset *s)
{
	unsigned v, end, pass, singles = 0;

#define PORT_IN(p)	((s->bits[(p) >> 3] >> ((p) & 7)) & 1)
	sql_add(q, "(0");
	for (pass = 0; pass < 2; pass++) {
		for (v = 0; v < 65536; v = end) {
			if (!PORT_IN(v)) {
				end = v + 1;
				continue;
			}
			for (end = v; end < 65536 && PORT_IN(end); end++)
				;
			if (pass == 0 && end - v >= 3)
				sql_add(q, " OR %s BETWEEN %u AND %u", col, v,
				    end - 1);
			if (pass == 1 && end - v < 3)
				for (; v < end; v++) {
					if (singles++ == 0)
						sql_add(q, " OR %s IN (", col);
					else
						sql_add(q, ", ");
					sql_add(q, "%u", v);
				}
		}
	}
#undef PORT_IN
	sql_add(q, "%s)", singles > 0 ? ")" : "");
}

static void
sql_u32_set(struct fsql *q, const char *col, const struct fset *s)
{
	size_t i;

	if (s->n == 0) {
		sql_add(q, "0");
		return;
	}
	sql_add(q, "%s IN (", col);
	for (i = 0; i < s->n; i++)
		sql_add(q, "%s%u", i > 0 ? ", " : "", s->u32[i]);
	sql_add(q, ")");
}

/* The column for a leaf's field, with the kind its test needs. */
static const char *
sql_col(struct fsql *q, const struct fleaf *t, int want_addr)
{
	const struct ch_column *c = ch_column_at(t->arg);

	if (c == NULL || (c->kind == CH_ADDR) != want_addr ||
	    c->kind > CH_ADDR) {
		sql_refuse_field(q, t->arg);
		return NULL;
	}
	return c->name;
}

/* floor(a * k / d) for d > 0 without overflow, as scaled_rate(). */
static void
sql_rate(struct fsql *q, const char *a, unsigned k, int cmp, uint64_t v)
{
	char expr[512];

	snprintf(expr, sizeof(expr), "if(" DURATION " > 0, if(%s <= %llu,"
	    " intDiv(%s * %u, greatest(" DURATION ", 1)), intDiv(%s,"
	    " greatest(" DURATION ", 1)) * %u + intDiv(%s %% greatest("
	    DURATION ", 1) * %u, greatest(" DURATION ", 1))), 0)", a,
	    (unsigned long long)(UINT64_MAX / k), a, k, a, k, a, k);
	sql_cmp(q, expr, cmp, v);
}

/* "nfversion": the wire protocols whose version passes the test. */
static void
sql_nfversion(struct fsql *q, int cmp, uint64_t v)
{
	int o, n = 0, ver;

	sql_add(q, "protocol IN ('");
	for (o = 0; o < FLOW_ORIGIN_MAX; o++) {
		ver = fprog_origin_version(o);
		if (ver == 0)
			continue;
		if ((cmp == FCMP_EQ && (uint64_t)ver == v) ||
		    (cmp == FCMP_GT && (uint64_t)ver > v) ||
		    (cmp == FCMP_LT && (uint64_t)ver < v) ||
		    (cmp == FCMP_GE && (uint64_t)ver >= v) ||
		    (cmp == FCMP_LE && (uint64_t)ver <= v) ||
		    (cmp == FCMP_ALL && ((uint64_t)ver & v) == v))
			sql_add(q, "%s%s", n++ > 0 ? "', '" : "",
			    flow_origin_name(o));
	}
	sql_add(q, "')");
}

static int
sql_test(struct fsql *q, const struct fleaf *t)
{
	const char *col;

	switch (t->op) {
	case FOP_U8:
	case FOP_U16:
	case FOP_U32:
	case FOP_U64:
		if ((col = sql_col(q, t, 0)) == NULL)
			return -1;
		sql_cmp(q, col, t->cmp, t->val);
		return 0;
	case FOP_AF:
		sql_cmp(q, "if(substring(srcip, 1, 12) = " V4MAPPED ", 4, 6)",
		    t->cmp, t->val);
		return 0;
	case FOP_DURATION:
		sql_cmp(q, DURATION, t->cmp, t->val);
		return 0;
	case FOP_PPS:
		sql_rate(q, "packets", 1000, t->cmp, t->val);
		return 0;
	case FOP_BPS:
		sql_rate(q, "bytes", 8000, t->cmp, t->val);
		return 0;
	case FOP_BPP:
		sql_cmp(q, "if(packets > 0, intDiv(bytes, greatest(packets,"
		    " 1)), 0)", t->cmp, t->val);
		return 0;
	case FOP_ADDR:
		if ((col = sql_col(q, t, 1)) == NULL)
			return -1;
		sql_prefix(q, col, &q->p->addrs[t->val].addr,
		    &q->p->addrs[t->val].mask, q->p->addrs[t->val].v4);
		return 0;
	case FOP_ROUTER:
		sql_prefix(q, "exporter", &q->p->addrs[t->val].addr,
		    &q->p->addrs[t->val].mask, q->p->addrs[t->val].v4);
		return 0;
	case FOP_ADDR_SET:
		if ((col = sql_col(q, t, 1)) == NULL)
			return -1;
		sql_addr_set(q, col, &q->p->sets[t->val]);
		return 0;
	case FOP_PORT_SET:
		if ((col = sql_col(q, t, 0)) == NULL)
			return -1;
		sql_port_set(q, col, &q->p->sets[t->val]);
		return 0;
	case FOP_U32_SET:
		if ((col = sql_col(q, t, 0)) == NULL)
			return -1;
		sql_u32_set(q, col, &q->p->sets[t->val]);
		return 0;
	case FOP_NFVERSION:
		sql_nfversion(q, t->cmp, t->val);
		return 0;
	case FOP_MAC:
		return sql_refuse(q, "mac", "the table has no such column");
	case FOP_MPLS_LABEL:
	case FOP_MPLS_EXP:
	case FOP_MPLS_EOS:
		return sql_refuse(q, "mpls", "the table has no such column");
	case FOP_ENGINE_TYPE:
	case FOP_ENGINE_ID:
		return sql_refuse(q, "engine-type/engine-id", "the table"
		    " keeps the exporter's address, not its engine");
	case FOP_SYSID:
		return sql_refuse(q, "sysid", "exporter numbers are each"
		    " nftop's own");
	default:
		return sql_refuse(q, "this term", "unknown test");
	}
}

/*
 * A leaf, false for records whose wire protocol lacks the field's group,
 * as filter_match() has it.
 */
static int
sql_leaf(struct fsql *q, const struct fleaf *t)
{
	int o, n = 0, rc;

	sql_add(q, "(");
	for (o = 0; o < FLOW_ORIGIN_MAX; o++)
		if (!(fprog_origin_groups(o) & (1u << t->group)))
			sql_add(q, "%s'%s'", n++ > 0 ? ", " : "protocol NOT IN (",
			    flow_origin_name(o));
	if (n > 0)
		sql_add(q, ") AND ");
	rc = sql_test(q, t);
	sql_add(q, ")");
	return rc;
}

static int	sql_node(struct fsql *, int);

/*
 * A run of "and"s (or "or"s), nested to the left as the parser builds
 * it: walked without recursion, so thousands of terms need no deep stack.
 */
static int
sql_chain(struct fsql *q, int node)
{
	const struct fnode *nodes = q->p->nodes;
	int kind = nodes[node].kind, i, *items = NULL, rc = 0;
	size_t n = 0, cap = 0, k;

	for (i = node; nodes[i].kind == kind; i = nodes[i].a) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			items = xreallocarray(items, cap, sizeof(*items));
		}
		items[n++] = nodes[i].b;
	}
	sql_add(q, "(");
	rc = sql_node(q, i);
	for (k = n; k > 0 && rc == 0; k--) {
		sql_add(q, kind == FN_AND ? " AND " : " OR ");
		rc = sql_node(q, items[k - 1]);
	}
	sql_add(q, ")");
	free(items);
	return rc;
}

static int
sql_node(struct fsql *q, int node)
{
	const struct fnode *n = &q->p->nodes[node];
	int rc;

	if (q->failed)
		return -1;
	switch (n->kind) {
	case FN_TRUE:
		sql_add(q, "1");
		return 0;
	case FN_FALSE:
		sql_add(q, "0");
		return 0;
	case FN_NOT:
		sql_add(q, "NOT ");
		rc = sql_node(q, n->a);
		return rc;
	case FN_AND:
	case FN_OR:
		return sql_chain(q, node);
	default:
		return sql_leaf(q, &n->leaf);
	}
}

char *
filter_sql(const char *text, char *err, size_t errlen)
{
	struct filter_error fe;
	struct fparse p;
	struct fsql q;
	int root;

	memset(&q, 0, sizeof(q));
	memset(&fe, 0, sizeof(fe));
	q.err = err;
	q.errlen = errlen;
	if ((root = fparse_run(&p, text != NULL ? text : "", 0, &fe)) < 0) {
		snprintf(err, errlen, "filter: %s", fe.message);
		fparse_free(&p);
		return NULL;
	}
	q.p = &p;
	if (sql_node(&q, root) != 0 || q.failed) {
		fparse_free(&p);
		free(q.s);
		return NULL;
	}
	fparse_free(&p);
	return q.s;
}
