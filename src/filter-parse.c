/*
 * filter-parse.c - the expression grammar of nfdump filters, by recursive
 * descent over the token array, building a syntax tree; the primitives
 * themselves are in filter-term.c.
 *
 *   filter := [ or ]
 *   or     := and { ("or" | "||") and }
 *   and    := unary { ("and" | "&&") unary }
 *   unary  := ("not" | "!") unary | "(" or ")" [ "%" label ]
 *           | "%" label "(" or ")" | term
 *
 * so "not" binds tightest, then "and", then "or", both left-associative,
 * and there is no implicit "and" (FILTER.md section 2).  The labels are
 * the classic grammar's; they are read and ignored.
 *
 * Every time the parser looks for a token and does not find it, it notes
 * what it looked for.  The notes for the token where parsing stopped are
 * the "expected" list of an error message, and, for a prompt, the
 * completion candidates at the cursor.  All state is in struct fparse.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter-impl.h"
#include "xmalloc.h"

static int	 parse_or(struct fparse *, int top);

/* Every keyword of either grammar: never an optional trailing value. */
static const char *const reserved[] = {
	"any", "ipv4", "ipv6", "inet", "inet6", "ttl", "ident", "count",
	"cnt", "ip", "host", "net", "src", "dst", "in", "out", "min", "max",
	"next", "prev", "previous", "bgp", "router", "nat", "xlate", "tun",
	"ingress", "egress", "client", "server", "seen", "and", "or", "not",
	"eq", "gt", "lt", "ge", "le", "engine", "engine-type", "engine-id",
	"exporter", "packets", "bytes", "flows", "duration", "pps", "bps",
	"bpp", "proto", "port", "as", "vlan", "mpls", "ethertype", "mac",
	"flags", "icmp", "icmp-type", "icmp-code", "if", "mask", "flowdir",
	"dir", "latency", "asa", "acl", "payload", "vrf", "pf",
	"observation", "tos", "fwdstat", "tunip", "nfversion", "geo",
	"flowlabel", "bgpnext", "sysid", "xip", "nip", "xnet", "xport",
	"nport", "pblock", "&&", "||", NULL
};

int
fp_reserved(const char *s)
{
	int i;

	for (i = 0; reserved[i] != NULL; i++)
		if (strcasecmp(s, reserved[i]) == 0)
			return 1;
	return 0;
}

const struct ftok *
fp_tok(const struct fparse *p)
{
	return &p->lx.toks[p->pos];
}

const struct ftok *
fp_peek(const struct fparse *p, size_t ahead)
{
	size_t i = p->pos + ahead;

	if (i >= p->lx.ntoks)
		i = p->lx.ntoks - 1;
	return &p->lx.toks[i];
}

void
fp_next(struct fparse *p)
{
	if (p->lx.toks[p->pos].type != FT_END)
		p->pos++;
}

static void
expect_reset(struct fparse *p)
{
	if (p->exp.pos != p->pos) {
		p->exp.n = 0;
		p->exp.nlist = 0;
		p->exp.pos = p->pos;
	}
}

/* Notes that what would have been valid at the current token. */
void
fp_expect(struct fparse *p, const char *what)
{
	size_t i;

	expect_reset(p);
	for (i = 0; i < p->exp.n; i++)
		if (p->exp.what[i] == what || strcmp(p->exp.what[i], what) == 0)
			return;
	if (p->exp.n < FILTER_EXPECT_MAX)
		p->exp.what[p->exp.n++] = what;
}

/* A placeholder with the names completion offers for it. */
void
fp_expect_list(struct fparse *p, const char *what, const char *const *list)
{
	size_t i;

	fp_expect(p, what);
	for (i = 0; i < p->exp.nlist; i++)
		if (p->exp.list[i] == list)
			return;
	if (p->exp.nlist < sizeof(p->exp.list) / sizeof(p->exp.list[0]))
		p->exp.list[p->exp.nlist++] = list;
}

int
fp_is_word(const struct fparse *p, const struct ftok *t, const char *kw)
{
	return t->type == FT_WORD && strcasecmp(flex_val(&p->lx, t), kw) == 0;
}

/* Consumes the keyword kw if it is next. */
int
fp_word(struct fparse *p, const char *kw)
{
	if (fp_is_word(p, fp_tok(p), kw)) {
		fp_next(p);
		return 1;
	}
	fp_expect(p, kw);
	return 0;
}

/* The same for a keyword with an alias the hints need not repeat. */
static int
fp_word2(struct fparse *p, const char *kw, const char *alias)
{
	if (fp_is_word(p, fp_tok(p), alias)) {
		fp_next(p);
		return 1;
	}
	return fp_word(p, kw);
}

int
fp_char(struct fparse *p, int c)
{
	static const char *const names[] = { "(", ")", "[", "]", ",", "/",
	    "%" };
	static const char chars[] = "()[],/%";
	const struct ftok *t = fp_tok(p);
	const char *s;

	if (t->type == FT_CHAR && t->ch == c) {
		fp_next(p);
		return 1;
	}
	if ((s = strchr(chars, c)) != NULL)
		fp_expect(p, names[s - chars]);
	return 0;
}

/* An optional comparator: a symbol or one of eq gt lt ge le. */
int
fp_comp(struct fparse *p, int *cmp)
{
	static const char *const words[] = { "eq", "gt", "lt", "ge", "le" };
	static const char *const syms[] = { "=", ">", "<", ">=", "<=" };
	const struct ftok *t = fp_tok(p);
	int i;

	if (t->type == FT_CMP) {
		*cmp = t->cmp;
		fp_next(p);
		return 1;
	}
	for (i = 0; i < 5; i++)
		if (fp_is_word(p, t, words[i])) {
			*cmp = FCMP_EQ + i;
			fp_next(p);
			return 1;
		}
	for (i = 0; i < 5; i++)
		fp_expect(p, syms[i]);
	return 0;
}

int
fp_number(struct fparse *p, uint64_t *v)
{
	const struct ftok *t = fp_tok(p);

	if (t->type == FT_NUM) {
		*v = t->num;
		fp_next(p);
		return 1;
	}
	fp_expect(p, "<number>");
	return 0;
}

/* A value: an unquoted word or a quoted string. */
int
fp_string(struct fparse *p, const char *what, const char **s)
{
	const struct ftok *t = fp_tok(p);

	if (t->type == FT_QSTR || (t->type == FT_WORD &&
	    !fp_is_word(p, t, "&&") && !fp_is_word(p, t, "||"))) {
		*s = flex_val(&p->lx, t);
		fp_next(p);
		return 1;
	}
	fp_expect(p, what);
	return 0;
}

/* The expected list as one line: and, or, ')', <end of filter>. */
static void
expect_format(const struct fexpect *e, char *buf, size_t len)
{
	size_t i, o = 0, shown = 0;
	const char *w;
	int n, quote;

	buf[0] = '\0';
	for (i = 0; i < e->n && o < len; i++) {
		w = e->what[i];
		if (shown == 12) {
			snprintf(buf + o, len - o, ", ...");
			return;
		}
		quote = !((w[0] >= 'a' && w[0] <= 'z') ||
		    (w[0] >= 'A' && w[0] <= 'Z') || w[0] == '<');
		n = snprintf(buf + o, len - o, "%s%s%s%s", shown ? ", " : "",
		    quote ? "'" : "", w, quote ? "'" : "");
		if (n < 0)
			break;
		o += (size_t)n;
		shown++;
	}
}

/*
 * Records the first error: nfdump's text for it, then column and hint.
 * Returns -1 so that callers can "return fp_error(...)".
 */
int
fp_error(struct fparse *p, const struct ftok *t, const char *hint,
    const char *fmt, ...)
{
	struct filter_error *e = p->err;
	const struct fsrc *src;
	char msg[256], tok[80], where[300];
	const char *end;
	va_list ap;

	if (p->failed)
		return -1;
	p->failed = 1;
	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	flex_show(&p->lx, t, tok, sizeof(tok));
	src = &p->lx.srcs[t->src];
	if (src->name != NULL)
		snprintf(where, sizeof(where), "File '%s' line %u",
		    src->name, t->line);
	else
		snprintf(where, sizeof(where), "Line %u", t->line);
	snprintf(e->nfdump, sizeof(e->nfdump), "%s: %s at '%s'", where, msg,
	    tok);
	e->line = (int)t->line;
	e->column = (int)t->col;
	e->offset = src->name == NULL ? t->off : 0;
	e->length = src->name == NULL ? t->len : 0;
	e->expected[0] = '\0';
	if (hint == NULL && p->exp.pos == p->pos && p->exp.n > 0)
		expect_format(&p->exp, e->expected, sizeof(e->expected));
	else if (hint != NULL)
		snprintf(e->expected, sizeof(e->expected), "%s", hint);
	/* nfdump's "at ''" for the end of the text, said in words too. */
	end = t->type == FT_END ? ", the end" : "";
	if (e->expected[0] != '\0')
		snprintf(e->message, sizeof(e->message),
		    "%s (column %d%s; %s%s)", e->nfdump, e->column, end,
		    hint == NULL ? "expected " : "", e->expected);
	else
		snprintf(e->message, sizeof(e->message), "%s (column %d%s)",
		    e->nfdump, e->column, end);
	return -1;
}

/* nfdump's bare "syntax error" at the current token. */
int
fp_syntax(struct fparse *p)
{
	const struct ftok *t = fp_tok(p);

	if (t->type == FT_ERR)
		return fp_error(p, t, "", "%s", flex_val(&p->lx, t));
	return fp_error(p, t, NULL, "syntax error");
}

/* ---- the tree ---- */

static int
node_new(struct fparse *p, int kind, int a, int b)
{
	struct fnode *n;

	if (p->nnodes >= 4 * FILTER_INSN_MAX) {
		fp_error(p, fp_tok(p), "", "Filter too complex");
		return -1;
	}
	if (p->nnodes == p->nodecap) {
		p->nodecap = p->nodecap ? p->nodecap * 2 : 64;
		p->nodes = xreallocarray(p->nodes, p->nodecap, sizeof(*n));
	}
	n = &p->nodes[p->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->a = a;
	n->b = b;
	return (int)p->nnodes++;
}

int
fn_leaf(struct fparse *p, int op, int cmp, int group, uint32_t arg,
    uint64_t val)
{
	int i;

	if ((i = node_new(p, FN_LEAF, -1, -1)) < 0)
		return -1;
	p->nodes[i].leaf.op = (uint8_t)op;
	p->nodes[i].leaf.cmp = (uint8_t)cmp;
	p->nodes[i].leaf.group = (uint8_t)group;
	p->nodes[i].leaf.arg = arg;
	p->nodes[i].leaf.val = val;
	return i;
}

int
fn_bool(struct fparse *p, int v)
{
	return node_new(p, v ? FN_TRUE : FN_FALSE, -1, -1);
}

int
fn_and(struct fparse *p, int a, int b)
{
	if (a < 0 || b < 0)
		return -1;
	return node_new(p, FN_AND, a, b);
}

int
fn_or(struct fparse *p, int a, int b)
{
	if (a < 0 || b < 0)
		return -1;
	return node_new(p, FN_OR, a, b);
}

int
fn_not(struct fparse *p, int a)
{
	if (a < 0)
		return -1;
	return node_new(p, FN_NOT, a, -1);
}

int
fp_add_addr(struct fparse *p, const struct flow_addr *a,
    const struct flow_addr *mask, int v4)
{
	struct faddr *c;
	int i;

	if (p->naddrs == p->addrcap) {
		p->addrcap = p->addrcap ? p->addrcap * 2 : 8;
		p->addrs = xreallocarray(p->addrs, p->addrcap, sizeof(*c));
	}
	c = &p->addrs[p->naddrs];
	c->mask = *mask;
	for (i = 0; i < 16; i++)
		c->addr.b[i] = a->b[i] & mask->b[i];
	c->v4 = (uint8_t)v4;
	return (int)p->naddrs++;
}

/* Takes over the set's memory. */
int
fp_add_set(struct fparse *p, const struct fset *s)
{
	if (p->nsets == p->setcap) {
		p->setcap = p->setcap ? p->setcap * 2 : 4;
		p->sets = xreallocarray(p->sets, p->setcap, sizeof(*s));
	}
	p->sets[p->nsets] = *s;
	return (int)p->nsets++;
}

/* ---- the grammar ---- */

/* A classic flow label: at most 16 characters, then ignored. */
static int
parse_label(struct fparse *p)
{
	const struct ftok *t = fp_tok(p);
	const char *s;

	if (!fp_string(p, "<label>", &s))
		return fp_syntax(p);
	if (strlen(s) > 16)
		return fp_error(p, t, "at most 16 characters",
		    "Error: Maximum 16 chars allowed for flowlabel");
	return 0;
}

static int
parse_unary(struct fparse *p)
{
	const struct ftok *t = fp_tok(p);
	int r;

	if (++p->depth > FILTER_DEPTH_MAX)
		return fp_error(p, t, "", "Filter nested too deeply");
	if (t->type == FT_CHAR && t->ch == '!') {
		fp_next(p);
		r = fn_not(p, parse_unary(p));
	} else if (fp_word(p, "not")) {
		r = fn_not(p, parse_unary(p));
	} else if (fp_char(p, '(')) {
		r = parse_or(p, 0);
		if (r >= 0 && !fp_char(p, ')'))
			r = fp_syntax(p);
		if (r >= 0 && fp_char(p, '%') && parse_label(p) < 0)
			r = -1;
	} else if (fp_char(p, '%')) {
		r = parse_label(p);
		if (r >= 0 && !fp_char(p, '('))
			r = fp_syntax(p);
		if (r >= 0)
			r = parse_or(p, 0);
		if (r >= 0 && !fp_char(p, ')'))
			r = fp_syntax(p);
	} else
		r = fterm_parse(p);
	p->depth--;
	return r;
}

static int
parse_and(struct fparse *p)
{
	int a, b;

	if ((a = parse_unary(p)) < 0)
		return -1;
	while (fp_word2(p, "and", "&&")) {
		if ((b = parse_unary(p)) < 0)
			return -1;
		if ((a = fn_and(p, a, b)) < 0)
			return -1;
	}
	return a;
}

static int
parse_or(struct fparse *p, int top)
{
	int a, b;

	if ((a = parse_and(p)) < 0)
		return -1;
	while (fp_word2(p, "or", "||")) {
		if ((b = parse_and(p)) < 0)
			return -1;
		if ((a = fn_or(p, a, b)) < 0)
			return -1;
	}
	if (top && fp_tok(p)->type != FT_END) {
		fp_expect(p, "<end of filter>");
		return fp_syntax(p);
	}
	if (top)
		fp_expect(p, "<end of filter>");
	return a;
}

/* Returns the root node, or -1 with the error in err. */
int
fparse_run(struct fparse *p, const char *text, int flags,
    struct filter_error *err)
{
	memset(p, 0, sizeof(*p));
	p->flags = flags;
	p->err = err;
	p->exp.pos = (size_t)-1;
	flex_run(&p->lx, text, strlen(text), flags);
	if (fp_tok(p)->type == FT_END) {
		/* Empty: nfdump's "any".  Offer what may start a filter. */
		fp_expect(p, "not");
		fp_expect(p, "(");
		fterm_expect_start(p);
		return fn_bool(p, 1);
	}
	return parse_or(p, 1);
}

void
fparse_free(struct fparse *p)
{
	size_t i;

	flex_free(&p->lx);
	free(p->nodes);
	free(p->addrs);
	for (i = 0; i < p->nsets; i++)
		fset_free(&p->sets[i]);
	free(p->sets);
	p->nodes = NULL;
	p->addrs = NULL;
	p->sets = NULL;
	p->nnodes = p->naddrs = p->nsets = 0;
}
