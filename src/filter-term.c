/*
 * filter-term.c - one term of a filter: an optional direction qualifier
 * (src, dst, in, out, next, bgp next, router, nat, tun, ingress, ...;
 * FILTER.md section 3) and a primitive, looked up in the tables of
 * filter-ip.c, filter-flow.c and filter-other.c, whose handler reads the
 * rest of the term and returns a syntax-tree node.  Also the helpers those
 * handlers share: numbers with comparators, strings, src/dst fan-out.
 * Called by filter-parse.c for every term.
 *
 * Both grammars are accepted: nfdump 1.7.5+'s and the classic 1.7.0-1.7.4
 * spellings of FILTER.md section 8 ("src and dst ip", "xip", "dir",
 * "sysid", ...); where they disagree, the handlers say which way and why.
 * Keywords are recognized here, by position, not by the lexer: that is
 * what lets "flags AS" be flag letters and "geo IN" a country code.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter-impl.h"

#define U(v)		((unsigned long long)(v))

/* In the order the hints list what is left after the common ones. */
static const struct fprim *const tables[] = { fprim_ip, fprim_flow,
	fprim_other };

/* Qualifier words a term may start with. */
static const char *const dq_words[] = { "src", "dst", "in", "out", "next",
	"prev", "bgp", "router", "exporter", "nat", "tun", "ingress",
	"egress", "client", "server", NULL };

/* ---- shared by the primitives ---- */

/*
 * An error whose message names the offending value: the first "%llu" in
 * msg stands for num, or the first "%s" for str.  (The messages are
 * nfdump's, "Port number: %llu out of range"; substituting here keeps
 * every printf format a literal.)
 */
int
fterm_error(struct fparse *p, const struct ftok *t, const char *hint,
    const char *msg, uint64_t num, const char *str)
{
	const char *c;

	if ((c = strstr(msg, "%llu")) != NULL)
		return fp_error(p, t, hint, "%.*s%llu%s", (int)(c - msg), msg,
		    U(num), c + 4);
	if ((c = strstr(msg, "%s")) != NULL)
		return fp_error(p, t, hint, "%.*s%s%s", (int)(c - msg), msg,
		    str != NULL ? str : "", c + 2);
	return fp_error(p, t, hint, "%s", msg);
}

int
fterm_in_list(const char *const *list, const char *s)
{
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (strcasecmp(list[i], s) == 0)
			return i;
	return -1;
}

int
fterm_cmp_const(uint64_t v, int cmp, uint64_t w)
{
	switch (cmp) {
	case FCMP_GT:
		return v > w;
	case FCMP_LT:
		return v < w;
	case FCMP_GE:
		return v >= w;
	case FCMP_LE:
		return v <= w;
	default:
		return v == w;
	}
}

/* [ comp ] NUMBER, the number at most max. */
int
fterm_comp_number(struct fparse *p, int *cmp, uint64_t *v, uint64_t max,
    const char *hint, const char *msg)
{
	const struct ftok *t;

	*cmp = FCMP_EQ;
	fp_comp(p, cmp);
	t = fp_tok(p);
	if (!fp_number(p, v))
		return fp_syntax(p);
	if (*v > max)
		return fterm_error(p, t, hint, msg, *v, NULL);
	return 0;
}

/* NUMBER with no comparator, at most max. */
int
fterm_plain_number(struct fparse *p, uint64_t *v, uint64_t max,
    const char *hint, const char *msg)
{
	const struct ftok *t = fp_tok(p);

	if (!fp_number(p, v))
		return fp_syntax(p);
	if (*v > max)
		return fterm_error(p, t, hint, msg, *v, NULL);
	return 0;
}

int
fterm_string(struct fparse *p, const char *what, const char **s)
{
	if (!fp_string(p, what, s))
		return fp_syntax(p);
	return 0;
}

/* A [ comp ] NUMBER term on a field nftop does not carry. */
int
fterm_absent(struct fparse *p)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, UINT64_MAX, NULL, "%llu") < 0)
		return -1;
	return fn_bool(p, 0);
}

/* The concrete sides a qualifier names, and whether all must match. */
int
fterm_sides(int dq, int *sides, int *conj)
{
	*conj = 0;
	switch (dq) {
	case DQ_SRC_AND_DST:
		*conj = 1;
		/* FALLTHROUGH */
	case DQ_NONE:
	case DQ_SRC_OR_DST:
		sides[0] = DQ_SRC;
		sides[1] = DQ_DST;
		return 2;
	case DQ_NAT:
		sides[0] = DQ_SRC_NAT;
		sides[1] = DQ_DST_NAT;
		return 2;
	case DQ_TUN:
		sides[0] = DQ_SRC_TUN;
		sides[1] = DQ_DST_TUN;
		return 2;
	default:
		sides[0] = dq;
		return 1;
	}
}

int
fterm_combine(struct fparse *p, int acc, int x, int conj)
{
	if (acc < 0)
		return x;
	return conj ? fn_and(p, acc, x) : fn_or(p, acc, x);
}

/* Classic xip/xnet/xport: their src/dst qualifiers name NAT fields. */
int
fterm_classic_nat(int dq)
{
	switch (dq) {
	case DQ_SRC:
		return DQ_SRC_NAT;
	case DQ_DST:
		return DQ_DST_NAT;
	default:
		return DQ_NAT;
	}
}

/* One of a few sub-keywords; the word read is returned in *s. */
int
fterm_sub_word(struct fparse *p, const char *const *subs, const char *what,
    const char **s, const char *hint, const char *msg)
{
	const struct ftok *t = fp_tok(p);
	int i;

	for (i = 0; subs[i] != NULL; i++)
		fp_expect(p, subs[i]);
	if (!fp_string(p, what, s))
		return fp_syntax(p);
	if ((i = fterm_in_list(subs, *s)) < 0)
		return fterm_error(p, t, hint, msg, 0, *s);
	return i;
}

/* An optional trailing value: a quoted string or a non-keyword word. */
int
fterm_optional_string(struct fparse *p, const char **s)
{
	const struct ftok *t = fp_tok(p);

	if (t->type == FT_QSTR || (t->type == FT_WORD &&
	    !fp_reserved(flex_val(&p->lx, t)))) {
		*s = flex_val(&p->lx, t);
		fp_next(p);
		return 1;
	}
	return 0;
}

/* ---- the term ---- */

/* The primitive named w, or NULL. */
static const struct fprim *
find_prim(const char *w)
{
	const struct fprim *t;
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (t = tables[i]; t->name != NULL; t++)
			if (strcasecmp(t->name, w) == 0)
				return t;
	return NULL;
}

/* Offers every primitive the qualifier dq allows, common ones first. */
static void
expect_prims(struct fparse *p, int dq)
{
	static const char *const common[] = { "proto", "port", "ip", "host",
	    "net", "any", "flags", "tos", "packets", "bytes", "as", NULL };
	const struct fprim *t;
	size_t i;

	for (i = 0; common[i] != NULL; i++)
		if ((t = find_prim(common[i])) != NULL && (t->dqs & DQB(dq)))
			fp_expect(p, t->name);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (t = tables[i]; t->name != NULL; t++)
			if (t->dqs & DQB(dq))
				fp_expect(p, t->name);
}

void
fterm_expect_start(struct fparse *p)
{
	int i;

	expect_prims(p, DQ_NONE);
	for (i = 0; dq_words[i] != NULL; i++)
		fp_expect(p, dq_words[i]);
}

static int
is_and(const struct fparse *p, const struct ftok *t)
{
	return fp_is_word(p, t, "and") || fp_is_word(p, t, "&&");
}

static int
is_or(const struct fparse *p, const struct ftok *t)
{
	return fp_is_word(p, t, "or") || fp_is_word(p, t, "||");
}

/* src|dst [nat|tun], or the classic "src and dst" / "src or dst". */
static int
dq_srcdst(struct fparse *p, int src)
{
	const struct ftok *n1 = fp_peek(p, 1), *n2 = fp_peek(p, 2);
	const char *other = src ? "dst" : "src";

	if ((is_and(p, n1) || is_or(p, n1)) && fp_is_word(p, n2, other)) {
		fp_next(p);
		fp_next(p);
		fp_next(p);
		return is_and(p, n1) ? DQ_SRC_AND_DST : DQ_SRC_OR_DST;
	}
	fp_next(p);
	if (fp_word(p, "nat"))
		return src ? DQ_SRC_NAT : DQ_DST_NAT;
	if (fp_word(p, "tun"))
		return src ? DQ_SRC_TUN : DQ_DST_TUN;
	return src ? DQ_SRC : DQ_DST;
}

/* The direction qualifier, if any, at the start of a term. */
static int
dq_parse(struct fparse *p)
{
	const struct ftok *t = fp_tok(p), *n1 = fp_peek(p, 1);

	if (fp_is_word(p, t, "src") || fp_is_word(p, t, "dst"))
		return dq_srcdst(p, fp_is_word(p, t, "src"));
	if (fp_is_word(p, t, "in") || fp_is_word(p, t, "out")) {
		int in = fp_is_word(p, t, "in");

		fp_next(p);
		if (fp_word(p, "src"))
			return in ? DQ_IN_SRC : DQ_OUT_SRC;
		if (fp_word(p, "dst"))
			return in ? DQ_IN_DST : DQ_OUT_DST;
		return in ? DQ_IN : DQ_OUT;
	}
	if (fp_is_word(p, t, "bgp")) {
		fp_next(p);
		if (!fp_word(p, "next"))
			return fp_syntax(p);
		return DQ_BGP_NEXT;
	}
	/* "exporter" qualifies only an address; else it is a primitive. */
	if (fp_is_word(p, t, "exporter") && (fp_is_word(p, n1, "ip") ||
	    fp_is_word(p, n1, "host") || fp_is_word(p, n1, "net"))) {
		fp_next(p);
		return DQ_ROUTER;
	}
	/* "nat event ...", "nat pblock ..." are primitives. */
	if (fp_is_word(p, t, "nat") && (fp_is_word(p, n1, "event") ||
	    fp_is_word(p, n1, "pblock")))
		return DQ_NONE;
	{
		static const struct { const char *w; int dq; } simple[] = {
			{ "next", DQ_NEXT }, { "prev", DQ_PREV },
			{ "previous", DQ_PREV }, { "router", DQ_ROUTER },
			{ "nat", DQ_NAT }, { "xlate", DQ_NAT },
			{ "tun", DQ_TUN }, { "ingress", DQ_INGRESS },
			{ "egress", DQ_EGRESS }, { "client", DQ_CLIENT },
			{ "server", DQ_SERVER }, { "app", DQ_APP },
		};
		size_t i;

		for (i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
			if (fp_is_word(p, t, simple[i].w)) {
				fp_next(p);
				return simple[i].dq;
			}
	}
	return DQ_NONE;
}

/* "valid qualifiers: src, dst, ..." for the qualifiers in dqs. */
static const char *
dq_hint(uint32_t dqs, char *buf, size_t len)
{
	static const char *const names[DQ_MAX] = {
		[DQ_NONE] = "none", [DQ_SRC] = "src", [DQ_DST] = "dst",
		[DQ_SRC_AND_DST] = "src and dst",
		[DQ_SRC_OR_DST] = "src or dst",
		[DQ_IN] = "in", [DQ_OUT] = "out", [DQ_IN_SRC] = "in src",
		[DQ_IN_DST] = "in dst", [DQ_OUT_SRC] = "out src",
		[DQ_OUT_DST] = "out dst", [DQ_PREV] = "prev",
		[DQ_NEXT] = "next", [DQ_BGP_NEXT] = "bgp next",
		[DQ_ROUTER] = "router", [DQ_NAT] = "nat",
		[DQ_SRC_NAT] = "src nat", [DQ_DST_NAT] = "dst nat",
		[DQ_TUN] = "tun", [DQ_SRC_TUN] = "src tun",
		[DQ_DST_TUN] = "dst tun", [DQ_INGRESS] = "ingress",
		[DQ_EGRESS] = "egress", [DQ_CLIENT] = "client",
		[DQ_SERVER] = "server", [DQ_APP] = "app",
	};
	size_t o;
	int i, n;

	o = (size_t)snprintf(buf, len, "valid qualifiers:");
	for (i = 0; i < DQ_MAX && o < len; i++) {
		if (!(dqs & DQB(i)) || names[i] == NULL)
			continue;
		n = snprintf(buf + o, len - o, "%s %s", o > 17 ? "," : "",
		    names[i]);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	return buf;
}

int
fterm_parse(struct fparse *p)
{
	const struct fprim *prim;
	const struct ftok *t;
	char hint[200];
	int dq, i;

	if ((dq = dq_parse(p)) < 0)
		return -1;
	t = fp_tok(p);
	expect_prims(p, dq);
	if (dq == DQ_NONE) {
		for (i = 0; dq_words[i] != NULL; i++)
			fp_expect(p, dq_words[i]);
	} else if (dq == DQ_NAT) {
		fp_expect(p, "event");
		fp_expect(p, "pblock");
	}
	if (t->type != FT_WORD)
		return fp_syntax(p);
	if ((prim = find_prim(flex_val(&p->lx, t))) == NULL)
		return fp_syntax(p);
	if (!(prim->dqs & DQB(dq))) {
		/* A primitive that takes no qualifier at all: nfdump's
		 * grammar has no rule, so it is a syntax error there. */
		if (prim->dqs == DQB(DQ_NONE))
			return fp_syntax(p);
		return fp_error(p, t, dq_hint(prim->dqs, hint, sizeof(hint)),
		    "Invalid direction for %s", prim->name);
	}
	fp_next(p);
	return prim->fn(p, dq, t);
}
