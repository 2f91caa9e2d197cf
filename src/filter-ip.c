/*
 * filter-ip.c - the address primitives: "ip"/"host" with every qualifier
 * (src, dst, nat, tun, next, bgp next, router), "ip in [ list ]", "net"
 * with a prefix or a netmask, and the classic spellings "xip", "nip",
 * "xnet", "tunip" and "bgpnext ip" (FILTER.md sections 4 and 8).
 * Called through the table at the end by filter-term.c.
 *
 * Address constants keep their family: an IPv6 value never matches an
 * IPv4 record and the other way round, as in nfdump.  Tunnel endpoints
 * are not in nftop's record: those tests are false.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter-impl.h"
#include "xmalloc.h"

#define OFF(f)		((uint32_t)offsetof(struct flow_rec, f))
#define U(v)		((unsigned long long)(v))

static int
addr_side(struct fparse *p, int side, int cmp, int idx, int set)
{
	uint32_t off;
	int group = FG_ALWAYS;

	switch (side) {
	case DQ_SRC:
		off = OFF(src);
		break;
	case DQ_DST:
		off = OFF(dst);
		break;
	case DQ_SRC_NAT:
		off = OFF(xlate_src);
		group = FG_XLATE;
		break;
	case DQ_DST_NAT:
		off = OFF(xlate_dst);
		group = FG_XLATE;
		break;
	case DQ_NEXT:
		off = OFF(nexthop);
		group = FG_NEXTHOP;
		break;
	case DQ_BGP_NEXT:
		off = OFF(bgp_nexthop);
		group = FG_BGPNH;
		break;
	case DQ_ROUTER:
		return fn_leaf(p, FOP_ROUTER, cmp, FG_ALWAYS, 0,
		    (uint64_t)idx);
	default:
		/* Tunnel endpoints: not in nftop's record. */
		return fn_bool(p, 0);
	}
	return fn_leaf(p, set ? FOP_ADDR_SET : FOP_ADDR, cmp, group, off,
	    (uint64_t)idx);
}

/* The tests for address constants idx[0..n) under qualifier dq. */
static int
addr_build(struct fparse *p, int dq, const int *idx, int n)
{
	int sides[2], ns, conj, i, j, r = -1, x;

	ns = fterm_sides(dq, sides, &conj);
	for (i = 0; i < ns; i++) {
		x = -1;
		for (j = 0; j < n; j++)
			x = fterm_combine(p, x, addr_side(p, sides[i], FCMP_NET,
			    idx[j], 0), 0);
		if (n == 0)
			x = fn_bool(p, 0);
		r = fterm_combine(p, r, x, conj);
	}
	return r;
}

static int
names_allowed(const struct fparse *p, int dq)
{
	return (dq == DQ_NONE || dq == DQ_SRC || dq == DQ_DST ||
	    dq == DQ_SRC_AND_DST || dq == DQ_SRC_OR_DST) &&
	    !(p->flags & FILTER_F_NOHOSTS);
}

/* "ip ADDR|NAME": the name may stand for several addresses (or-ed). */
static int
ip_value(struct fparse *p, int dq)
{
	const struct ftok *t = fp_tok(p);
	struct flow_addr m;
	struct fhost h;
	const char *s;
	int idx[FILTER_HOSTS_MAX], i;

	if (fterm_string(p, "<address>", &s) < 0)
		return -1;
	if (faddr_lookup(s, &h, names_allowed(p, dq)) < 0) {
		if (p->flags & FILTER_F_LAX)
			return fn_bool(p, 0);
		return fp_error(p, t, "an IPv4 or IPv6 address, or a name in"
		    " /etc/hosts", "Can not parse/lookup %s to an IP address",
		    s);
	}
	for (i = 0; i < h.n; i++) {
		faddr_prefix_mask(&m, 0, 128);
		idx[i] = fp_add_addr(p, &h.a[i], &m, flow_addr_is4(&h.a[i]));
	}
	return addr_build(p, dq, idx, h.n);
}

/* Appends addresses h with prefix length len to the list being built. */
static int
ip_list_add(struct fparse *p, const struct ftok *nt, const struct fhost *h,
    uint64_t len, struct flow_addr **v, uint8_t **plen, uint8_t **fam,
    size_t *n, size_t *cap)
{
	int i, is4;

	for (i = 0; i < h->n; i++) {
		is4 = flow_addr_is4(&h->a[i]);
		if (len != 128 && len > (is4 ? 32u : 128u))
			return fp_error(p, nt, is4 ? "0..32" : "0..128",
			    "Prefix %llu out of range for IPv%d address",
			    U(len), is4 ? 4 : 6);
		if (*n >= FILTER_LIST_MAX)
			return fp_error(p, nt, "", "List has more than %d"
			    " elements", FILTER_LIST_MAX);
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*v = xreallocarray(*v, *cap, sizeof(**v));
			*plen = xreallocarray(*plen, *cap, 1);
			*fam = xreallocarray(*fam, *cap, 1);
		}
		(*v)[*n] = h->a[i];
		(*plen)[*n] = (uint8_t)(len == 128 ? 128 : is4 ? 96 + len :
		    len);
		(*fam)[(*n)++] = (uint8_t)is4;
	}
	return 0;
}

/*
 * "ip in [ a b/len, c ]": an address set; commas optional, host names
 * allowed for plain elements (nfdump resolves them too).
 */
static int
ip_list(struct fparse *p, int dq)
{
	struct flow_addr *v = NULL;
	uint8_t *plen = NULL, *fam = NULL;
	size_t n = 0, cap = 0;
	const struct ftok *t, *nt;
	struct fhost h;
	struct fset set;
	uint64_t len;
	const char *s;
	int i, r = -1, sides[2], ns, conj, idx, names;

	if (dq == DQ_ROUTER || dq == DQ_BGP_NEXT)
		return fp_error(p, fp_tok(p), "use src, dst, nat, tun or next"
		    " with an address list", "Unknown direction for IP list");
	if (!fp_char(p, '['))
		return fp_syntax(p);
	names = !(p->flags & FILTER_F_NOHOSTS);
	for (;;) {
		t = nt = fp_tok(p);
		if (!fp_string(p, "<address>", &s)) {
			fp_syntax(p);
			goto out;
		}
		len = 128;
		h.n = 0;
		if (fp_char(p, '/')) {
			nt = fp_tok(p);
			if (!fp_number(p, &len)) {
				fp_syntax(p);
				goto out;
			}
			if (faddr_parse(s, &h.a[0], &i) == 0)
				h.n = 1;
		} else if (faddr_lookup(s, &h, names) < 0)
			h.n = 0;
		if (h.n == 0 && !(p->flags & FILTER_F_LAX)) {
			fp_error(p, t, "an IPv4 or IPv6 address, or a name in"
			    " /etc/hosts", "Can not parse/resolve %s to an IP"
			    " address", s);
			goto out;
		}
		if (ip_list_add(p, nt, &h, len, &v, &plen, &fam, &n,
		    &cap) < 0)
			goto out;
		if (fp_char(p, ']'))
			break;
		fp_char(p, ',');
	}
	fset_ip_build(&set, v, plen, fam, n);
	idx = fp_add_set(p, &set);
	ns = fterm_sides(dq, sides, &conj);
	for (i = 0; i < ns; i++)
		r = fterm_combine(p, r, addr_side(p, sides[i], FCMP_SET, idx,
		    1), conj);
out:
	free(v);
	free(plen);
	free(fam);
	return r;
}

static int
p_ip(struct fparse *p, int dq, const struct ftok *kw)
{
	if (fp_word(p, "in"))
		return ip_list(p, dq);
	return ip_value(p, dq);
}

/*
 * "net A/len", "net A MASK".  A/len also takes the classic abbreviated
 * IPv4 network ("172.16/16", FILTER.md section 8) as nfdump 1.7.1 does:
 * no more prefix bits than octets given.
 */
static int
net_value(struct fparse *p, int dq)
{
	const struct ftok *t = fp_tok(p), *nt, *mt;
	struct flow_addr a, m, mm;
	const char *s, *ms;
	uint64_t plen;
	int v4, octets = 4, idx, i;

	if (fterm_string(p, "<address>", &s) < 0)
		return -1;
	if (fp_char(p, '/')) {
		nt = fp_tok(p);
		if (!fp_number(p, &plen))
			return fp_syntax(p);
		if (faddr_parse(s, &a, &v4) != 0) {
			if (faddr_parse_abbrev(s, &a, &octets) != 0)
				return fp_error(p, t, "an IPv4 or IPv6 address",
				    "Can not parse/lookup %s to an IP address",
				    s);
			v4 = 1;
			if (plen > (uint64_t)octets * 8)
				return fp_error(p, nt, "at most 8 bits per"
				    " octet given", "Too many netbits for this"
				    " IP address");
		}
		if (plen > (v4 ? 32u : 128u))
			return fp_error(p, nt, v4 ? "0..32" : "0..128",
			    "Prefix %llu out of range for IPv%d address",
			    U(plen), v4 ? 4 : 6);
		faddr_prefix_mask(&m, v4, (unsigned)plen);
	} else {
		mt = fp_tok(p);
		if (fterm_string(p, "<netmask>", &ms) < 0)
			return -1;
		if (faddr_parse(s, &a, &v4) != 0)
			return fp_error(p, t, "an IPv4 address",
			    "Can not parse/lookup %s to an IP address", s);
		if (faddr_parse(ms, &mm, &i) != 0)
			return fp_error(p, mt, "a dotted IPv4 netmask",
			    "Can not parse %s as IP mask", ms);
		if (!v4 || !i)
			return fp_error(p, mt, "use A/len for IPv6",
			    "Net address %s and netmask: %s must be IPv4", s,
			    ms);
		faddr_prefix_mask(&m, 1, 0);
		memcpy(m.b + 12, mm.b + 12, 4);
	}
	idx = fp_add_addr(p, &a, &m, v4);
	return addr_build(p, dq, &idx, 1);
}

static int
p_net(struct fparse *p, int dq, const struct ftok *kw)
{
	return net_value(p, dq);
}

/* Classic "xip"/"nip": the NAT address. */
static int
p_xip(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	struct flow_addr m;
	struct fhost h;
	const char *s;
	int idx[FILTER_HOSTS_MAX], i;

	if (fterm_string(p, "<address>", &s) < 0)
		return -1;
	if (faddr_lookup(s, &h, names_allowed(p, dq)) < 0) {
		if (p->flags & FILTER_F_LAX)
			return fn_bool(p, 0);
		return fp_error(p, t, "an IPv4 or IPv6 address",
		    "Can not parse/lookup %s to an IP address", s);
	}
	for (i = 0; i < h.n; i++) {
		faddr_prefix_mask(&m, 0, 128);
		idx[i] = fp_add_addr(p, &h.a[i], &m, flow_addr_is4(&h.a[i]));
	}
	if (dq == DQ_SRC_AND_DST)
		return fn_and(p, addr_build(p, DQ_SRC_NAT, idx, h.n),
		    addr_build(p, DQ_DST_NAT, idx, h.n));
	return addr_build(p, fterm_classic_nat(dq), idx, h.n);
}

/* Classic "xnet A/len": the NAT network. */
static int
p_xnet(struct fparse *p, int dq, const struct ftok *kw)
{
	int r;

	if (dq == DQ_SRC_AND_DST) {
		/* Parse once for the source, reuse the constant. */
		if ((r = net_value(p, DQ_SRC_NAT)) < 0)
			return -1;
		return fn_and(p, r, addr_build(p, DQ_DST_NAT,
		    (int[]){ (int)p->naddrs - 1 }, 1));
	}
	return net_value(p, fterm_classic_nat(dq));
}

/* Classic "tunip": tunnel endpoints, not carried. */
static int
p_tunip(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	struct fhost h;
	const char *s;

	if (fterm_string(p, "<address>", &s) < 0)
		return -1;
	if (faddr_lookup(s, &h, names_allowed(p, dq)) < 0 &&
	    !(p->flags & FILTER_F_LAX))
		return fp_error(p, t, "an IPv4 or IPv6 address",
		    "Can not parse/lookup %s to an IP address", s);
	return fn_bool(p, 0);
}

/* Classic "bgpnext ip A" = "bgp next ip A". */
static int
p_bgpnext(struct fparse *p, int dq, const struct ftok *kw)
{
	if (!fp_word(p, "ip"))
		return fp_syntax(p);
	return ip_value(p, DQ_BGP_NEXT);
}

#define IPQ	(DQB_SD | DQB_NAT | DQB_TUN | DQB(DQ_NEXT) | \
		 DQB(DQ_BGP_NEXT) | DQB(DQ_ROUTER))

const struct fprim fprim_ip[] = {
	{ "ip",		IPQ,			p_ip },
	{ "host",	IPQ,			p_ip },
	{ "net",	IPQ,			p_net },
	{ "xip",	DQB_SD,			p_xip },
	{ "nip",	DQB_SD,			p_xip },
	{ "xnet",	DQB_SD,			p_xnet },
	{ "tunip",	DQB_SD,			p_tunip },
	{ "bgpnext",	DQB(DQ_NONE),		p_bgpnext },
	{ NULL,		0,			NULL }
};
