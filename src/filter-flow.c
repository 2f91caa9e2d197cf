/*
 * filter-flow.c - the primitives on the flow record's own fields: proto,
 * port (and "port in [ list ]"), icmp type and code, TCP flags, ToS,
 * packets, bytes, duration, pps, bps, bpp, flows, AS numbers, interfaces,
 * masks, VLAN, MAC, MPLS, forwarding status, flow direction and the
 * first/last seen times.  Called through the table at the end by
 * filter-term.c.
 *
 * Derived values follow nfdump (FILTER.md section 5.4): counters are the
 * "in" ones, durations in milliseconds, rates 0 for a zero duration.
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

/* nfdump's protocol names (userio.c protoList), matched whole. */
static const char *const proto_names[] = {
	"0", "icmp", "igmp", "ggp", "ipip", "st", "tcp", "cbt", "egp",
	"igp", "bbn", "nvpii", "pup", "argus", "encom", "xnet", "chaos",
	"udp", "mux", "dcn", "hmp", "prm", "xns", "trnk1", "trnk2", "leaf1",
	"leaf2", "rdp", "irtp", "iso-4", "netbk", "mfesp", "meinp", "dccp",
	"3pc", "idpr", "xtp", "ddp", "idpr", "tp++", "il", "ipv6", "sdrp",
	"rte6", "frag6", "idrp", "rsvp", "gre", "mhrp", "bna", "esp", "ah",
	"inlsp", "swipe", "narp", "mobil", "tlsp", "skip", "icmp6", "nohe6",
	"opts6", "host", "cftp", "net", "satnt", "klan", "rvd", "ippc", "fs",
	"satm", "visa", "ipcv", "cpnx", "cphb", "wsn", "pvp", "bsatm",
	"sunnd", "wbmon", "wbexp", "isoip", "vmtp", "svmtp", "vines", "ttp",
	"nsigp", "dgp", "tcf", "eigrp", "ospf", "s-rpc", "larp", "mtp",
	"ax.25", "os", "micp", "sccsp", "etherip", "encap", "99", "gmtp",
	"ifmp", "pnni", "pim", "aris", "scps", "qnx", "a/n", "ipcmp", "snp",
	"cpqpp", "ipxip", "vrrp", "pgm", "0hop", "l2tp", "ddx", "iatp", "stp",
	"srp", "uti", "smp", "sm", "ptp", "isis4", "fire", "crtp", "crudp",
	"128", "iplt", "sps", "pipe", "sctp", "fc", "134", "mhead", "udp-l",
	"mpls", NULL
};

struct fnamed {
	const char	*name;
	int		 id;
};

/* Forwarding status names (RFC 7270 forwardingStatus). */
static const struct fnamed fwd_names[] = {
	{ "Ukwn", 0 }, { "Forw", 1 }, { "Frag", 2 }, { "Drop", 16 },
	{ "DaclD", 17 }, { "Daclp", 18 }, { "Noroute", 19 }, { "Dadj", 20 },
	{ "Dfrag", 21 }, { "Dbadh", 22 }, { "Dbadtlen", 23 },
	{ "Dbadhlen", 24 }, { "DbadTTL", 25 }, { "Dpolicy", 26 },
	{ "Dwred", 27 }, { "Drpf", 28 }, { "Dforus", 29 }, { "DbadOf", 30 },
	{ "Dhw", 31 }, { "Term", 128 }, { "Tadj", 129 }, { "TincAdj", 130 },
	{ "Tforus", 131 }, { NULL, 0 }
};
static const char *const fwd_list[] = {
	"Ukwn", "Forw", "Frag", "Drop", "DaclD", "Daclp", "Noroute", "Dadj",
	"Dfrag", "Dbadh", "Dbadtlen", "Dbadhlen", "DbadTTL", "Dpolicy",
	"Dwred", "Drpf", "Dforus", "DbadOf", "Dhw", "Term", "Tadj",
	"TincAdj", "Tforus", NULL
};

/*
 * A numeric field that comes as a source/destination pair (and maybe a
 * post-NAT pair): the qualifier picks the member, or both.
 */
struct sdfield {
	int		 op;
	uint32_t	 src;		/* offsets; NOFIELD: not carried */
	uint32_t	 dst;
	uint32_t	 src_nat;
	uint32_t	 dst_nat;
	int		 group;
	int		 nat_group;
};

#define NOFIELD		UINT32_MAX

static const struct sdfield port_field = { FOP_U16, OFF(srcport),
	OFF(dstport), OFF(xlate_srcport), OFF(xlate_dstport), FG_ALWAYS,
	FG_XLATE };
static const struct sdfield port_set_field = { FOP_PORT_SET, OFF(srcport),
	OFF(dstport), OFF(xlate_srcport), OFF(xlate_dstport), FG_ALWAYS,
	FG_XLATE };
static const struct sdfield as_field = { FOP_U32, OFF(srcas), OFF(dstas),
	NOFIELD, NOFIELD, FG_AS, FG_AS };
static const struct sdfield as_set_field = { FOP_U32_SET, OFF(srcas),
	OFF(dstas), NOFIELD, NOFIELD, FG_AS, FG_AS };
/* nftop keeps the source ToS only; "dst tos" (post-ToS) is not carried. */
static const struct sdfield tos_field = { FOP_U8, OFF(tos), NOFIELD,
	NOFIELD, NOFIELD, FG_ALWAYS, FG_ALWAYS };
static const struct sdfield mask_field = { FOP_U8, OFF(srcmask),
	OFF(dstmask), NOFIELD, NOFIELD, FG_MASK, FG_MASK };
/* One VLAN field: the source (ingress) VLAN. */
static const struct sdfield vlan_field = { FOP_U16, OFF(vlan), NOFIELD,
	NOFIELD, NOFIELD, FG_VLAN, FG_VLAN };

static int
sd_leaf(struct fparse *p, const struct sdfield *f, int side, int cmp,
    uint64_t v)
{
	uint32_t off = NOFIELD;
	int group = f->group;

	switch (side) {
	case DQ_SRC:
		off = f->src;
		break;
	case DQ_DST:
		off = f->dst;
		break;
	case DQ_SRC_NAT:
		off = f->src_nat;
		group = f->nat_group;
		break;
	case DQ_DST_NAT:
		off = f->dst_nat;
		group = f->nat_group;
		break;
	}
	if (off == NOFIELD)
		return fn_bool(p, 0);
	return fn_leaf(p, f->op, cmp, group, off, v);
}

static int
sd_build(struct fparse *p, const struct sdfield *f, int dq, int cmp,
    uint64_t v)
{
	int sides[2], ns, conj, i, r = -1;

	ns = fterm_sides(dq, sides, &conj);
	for (i = 0; i < ns; i++)
		r = fterm_combine(p, r, sd_leaf(p, f, sides[i], cmp, v), conj);
	return r;
}

/* NUMBER { [","] NUMBER } "]", each at most max. */
static int
u64_list(struct fparse *p, uint64_t max, const char *hint, const char *msg,
    uint64_t **out, size_t *np)
{
	const struct ftok *t;
	uint64_t *v = NULL, x;
	size_t n = 0, cap = 0;

	if (!fp_char(p, '['))
		return fp_syntax(p);
	for (;;) {
		t = fp_tok(p);
		if (!fp_number(p, &x)) {
			free(v);
			return fp_syntax(p);
		}
		if (x > max || n >= FILTER_LIST_MAX) {
			free(v);
			if (x > max)
				return fterm_error(p, t, hint, msg, x, NULL);
			return fp_error(p, t, "", "List has more than %d"
			    " elements", FILTER_LIST_MAX);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = x;
		if (fp_char(p, ']'))
			break;
		fp_char(p, ',');
	}
	*out = v;
	*np = n;
	return 0;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
p_port(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t;
	const char *s;
	struct fset set;
	uint64_t v, *list;
	size_t n, i;
	int cmp, idx;

	if (fp_word(p, "in")) {
		/* NAT port blocks ("port in nat pblock", classic "port in
		 * pblock") are not in nftop's record. */
		if (fp_word(p, "pblock"))
			return fn_bool(p, 0);
		if (fp_word(p, "nat")) {
			t = fp_tok(p);
			if (fterm_string(p, "pblock", &s) < 0)
				return -1;
			if (strcasecmp(s, "pblock") != 0)
				return fp_error(p, t, "pblock",
				    "Invalid port block: %s", s);
			return fn_bool(p, 0);
		}
		if (u64_list(p, 65535, "a port is 0..65535",
		    "Port: %llu outside of range 0..65535", &list, &n) < 0)
			return -1;
		memset(&set, 0, sizeof(set));
		set.kind = FSET_PORT;
		set.bits = xcalloc(65536 / 8, 1);
		for (i = 0; i < n; i++)
			set.bits[list[i] >> 3] |= (uint8_t)(1 << (list[i] & 7));
		set.n = n;
		free(list);
		idx = fp_add_set(p, &set);
		return sd_build(p, &port_set_field, dq, FCMP_SET,
		    (uint64_t)idx);
	}
	if (fterm_comp_number(p, &cmp, &v, 65535, "a port is 0..65535",
	    "Port number: %llu out of range") < 0)
		return -1;
	return sd_build(p, &port_field, dq, cmp, v);
}

/* Classic "xport"/"nport": the NAT port. */
static int
p_xport(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, 65535, "a port is 0..65535",
	    "Port number: %llu out of range") < 0)
		return -1;
	if (dq == DQ_SRC_AND_DST)
		return fn_and(p, sd_build(p, &port_field, DQ_SRC_NAT, cmp, v),
		    sd_build(p, &port_field, DQ_DST_NAT, cmp, v));
	return sd_build(p, &port_field, fterm_classic_nat(dq), cmp, v);
}

static int
p_as(struct fparse *p, int dq, const struct ftok *kw)
{
	struct fset set;
	uint64_t v, *list;
	size_t n, i, j;
	int cmp, idx;

	if (fp_word(p, "in")) {
		if (u64_list(p, UINT32_MAX, "an AS is 0..4294967295",
		    "AS: %llu outside of range 32bit", &list, &n) < 0)
			return -1;
		/* Adjacent (BGP prev/next) AS numbers are not carried. */
		if (dq == DQ_PREV || dq == DQ_NEXT) {
			free(list);
			return fn_bool(p, 0);
		}
		qsort(list, n, sizeof(*list), u64_cmp);
		memset(&set, 0, sizeof(set));
		set.kind = FSET_U32;
		set.u32 = xreallocarray(NULL, n, sizeof(*set.u32));
		for (i = 0, j = 0; i < n; i++)
			if (j == 0 || set.u32[j - 1] != (uint32_t)list[i])
				set.u32[j++] = (uint32_t)list[i];
		set.n = j;
		free(list);
		idx = fp_add_set(p, &set);
		return sd_build(p, &as_set_field, dq, FCMP_SET,
		    (uint64_t)idx);
	}
	if (fterm_comp_number(p, &cmp, &v, UINT32_MAX, "an AS is 0..4294967295",
	    "AS number of range") < 0)
		return -1;
	if (dq == DQ_PREV || dq == DQ_NEXT)
		return fn_bool(p, 0);
	return sd_build(p, &as_field, dq, cmp, v);
}

/* Unqualified "tos" is the source ToS (FILTER.md section 5.2). */
static int
p_tos(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, 255, "0..255",
	    "Tos number %llu out of range") < 0)
		return -1;
	return sd_build(p, &tos_field, dq == DQ_NONE ? DQ_SRC : dq, cmp, v);
}

static int
p_mask(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;

	if (fterm_plain_number(p, &v, 255, "0..255",
	    "Mask %llu out of range 0..255") < 0)
		return -1;
	return sd_build(p, &mask_field, dq, FCMP_EQ, v);
}

static int
p_vlan(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;

	if (fterm_plain_number(p, &v, 65535, "0..65535",
	    "VLAN number of range 0..65535") < 0)
		return -1;
	return sd_build(p, &vlan_field, dq, FCMP_EQ, v);
}

static int
p_if(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;
	int in, out;

	if (fterm_plain_number(p, &v, UINT32_MAX, "0..4294967295",
	    "Interface number out of range 0..2^32") < 0)
		return -1;
	if (dq == DQ_IN)
		return fn_leaf(p, FOP_U32, FCMP_EQ, FG_ALWAYS, OFF(inif), v);
	if (dq == DQ_OUT)
		return fn_leaf(p, FOP_U32, FCMP_EQ, FG_ALWAYS, OFF(outif), v);
	in = fn_leaf(p, FOP_U32, FCMP_EQ, FG_ALWAYS, OFF(inif), v);
	out = fn_leaf(p, FOP_U32, FCMP_EQ, FG_ALWAYS, OFF(outif), v);
	return fn_or(p, in, out);
}

/*
 * MACs: nftop's src_mac is the input-side source (Cisco field 56) and
 * dst_mac the input-side destination (80); the output-side pair (81, 57)
 * is not carried.
 */
static int
p_mac(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	const char *s;
	uint64_t mac;
	int a, b;

	if (fterm_string(p, "<mac address>", &s) < 0)
		return -1;
	if (faddr_mac(s, &mac) != 0)
		return fp_error(p, t, "xx:xx:xx:xx:xx:xx, not all zero",
		    "Invalid MAC address format");
	a = fn_leaf(p, FOP_MAC, FCMP_EQ, FG_MAC, OFF(src_mac), mac);
	b = fn_leaf(p, FOP_MAC, FCMP_EQ, FG_MAC, OFF(dst_mac), mac);
	switch (dq) {
	case DQ_SRC:
	case DQ_IN_SRC:
		return a;
	case DQ_DST:
	case DQ_IN_DST:
		return b;
	case DQ_OUT:
	case DQ_OUT_SRC:
	case DQ_OUT_DST:
		return fn_bool(p, 0);
	default:
		return fn_or(p, a, b);
	}
}

static int
p_proto(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	const char *s;
	uint64_t v;
	int i;

	if (fp_number(p, &v)) {
		if (v > 255)
			return fp_error(p, t, "0..255 or a name",
			    "Protocol %llu out of range", U(v));
	} else {
		fp_expect_list(p, "<protocol>", proto_names);
		if (fterm_string(p, "<protocol>", &s) < 0)
			return -1;
		/*
		 * Whole names, without regard to case, as in nfdump 1.7.1;
		 * 1.7.5+ also takes a prefix ("proto a" = ARGUS), a trap
		 * (FILTER.md section 9.8) we do not copy.
		 */
		if ((i = fterm_in_list(proto_names, s)) < 0)
			return fp_error(p, t, "a number 0..255 or a name such"
			    " as tcp, udp, icmp, icmp6, gre, esp",
			    "Unknown protocol: %s", s);
		v = (uint64_t)i;
	}
	if (dq == DQ_TUN)
		return fn_bool(p, 0);
	return fn_leaf(p, FOP_U8, FCMP_EQ, FG_ALWAYS, OFF(proto), v);
}

static int
proto_is(struct fparse *p, int proto)
{
	return fn_leaf(p, FOP_U8, FCMP_EQ, FG_ALWAYS, OFF(proto),
	    (uint64_t)proto);
}

/* "icmp-type", "icmp-code", "icmp type|code": imply ICMP or ICMPv6. */
static int
icmp_build(struct fparse *p, int code)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, 255, "0..255",
	    "ICMP argument %llu of range 0..255") < 0)
		return -1;
	return fn_and(p, fn_or(p, proto_is(p, 1), proto_is(p, 58)),
	    fn_leaf(p, FOP_U8, cmp, FG_ALWAYS, code ? OFF(icmp_code) :
	    OFF(icmp_type), v));
}

static int
p_icmp_type(struct fparse *p, int dq, const struct ftok *kw)
{
	return icmp_build(p, 0);
}

static int
p_icmp_code(struct fparse *p, int dq, const struct ftok *kw)
{
	return icmp_build(p, 1);
}

static int
p_icmp(struct fparse *p, int dq, const struct ftok *kw)
{
	if (fp_word(p, "type"))
		return icmp_build(p, 0);
	if (fp_word(p, "code"))
		return icmp_build(p, 1);
	return fp_syntax(p);
}

/*
 * TCP flags, implying proto tcp: "flags SA" = all of S and A set,
 * "flags =SA" = exactly S and A (1.7.5+), "flags > 2" on the byte.  The
 * letters are read here, not by the lexer, so "flags AS" is letters even
 * though "as" is a keyword (FILTER.md section 9.3).  "not flags AFRPU" is
 * the plain complement, as in 1.7.5+; nfdump 1.7.1 instead reads it as
 * "none of AFRPU set" (section 5.6).
 */
static int
flag_letters(const char *s, uint64_t *fl)
{
	static const char letters[] = "FSRPAUEC";
	const char *c;
	size_t len = strlen(s);
	int cnt = 0, i;

	*fl = 0;
	for (i = 0; letters[i] != '\0'; i++)
		if (strchr(s, letters[i]) != NULL) {
			*fl |= 1u << i;
			cnt++;
		}
	if (strchr(s, 'X') != NULL) {
		*fl = 63;
		cnt++;
	}
	for (c = s; *c != '\0'; c++)
		if (strchr("FSRPAUECX", *c) == NULL)
			return -1;
	return (size_t)cnt == len && len > 0 ? 0 : -1;
}

static int
p_flags(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p), *n = fp_peek(p, 1);
	const char *s;
	uint64_t v;
	int cmp = FCMP_ALL;

	if (t->type == FT_CMP && t->cmp == FCMP_EQ && t->len == 1 &&
	    n->type == FT_WORD && n->src == t->src &&
	    n->off == t->off + 1) {
		/* "=SA": the equals sign touches the letters. */
		fp_next(p);
		t = n;
		cmp = FCMP_EQ;
	} else if (t->type == FT_CMP || t->type == FT_NUM ||
	    (t->type == FT_WORD && (fp_is_word(p, t, "eq") ||
	    fp_is_word(p, t, "gt") || fp_is_word(p, t, "lt") ||
	    fp_is_word(p, t, "ge") || fp_is_word(p, t, "le")))) {
		if (fterm_comp_number(p, &cmp, &v, 255, "0..255",
		    "flags number %llu > 255") < 0)
			return -1;
		return fn_and(p, proto_is(p, 6), fn_leaf(p, FOP_U8, cmp,
		    FG_ALWAYS, OFF(tcpflags), v));
	}
	fp_comp(p, &cmp);
	fp_expect(p, "<number>");
	if (fterm_string(p, "<flags FSRPAUECX>", &s) < 0)
		return -1;
	if (flag_letters(s, &v) != 0)
		return fp_error(p, t, "upper-case letters of FSRPAUEC, or X"
		    " for all of FSRPAU", "Unknown flags");
	return fn_and(p, proto_is(p, 6), fn_leaf(p, FOP_U8, cmp, FG_ALWAYS,
	    OFF(tcpflags), v));
}

static int
p_counter(struct fparse *p, int dq, uint32_t off)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, UINT64_MAX, NULL, "%llu") < 0)
		return -1;
	/* Out (reverse) counters of bidirectional flows: not carried. */
	if (dq == DQ_OUT)
		return fn_bool(p, 0);
	return fn_leaf(p, FOP_U64, cmp, FG_ALWAYS, off, v);
}

static int
p_packets(struct fparse *p, int dq, const struct ftok *kw)
{
	return p_counter(p, dq, OFF(pkts));
}

static int
p_bytes(struct fparse *p, int dq, const struct ftok *kw)
{
	return p_counter(p, dq, OFF(bytes));
}

static int
p_rate(struct fparse *p, int op)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, UINT64_MAX, NULL, "%llu") < 0)
		return -1;
	return fn_leaf(p, op, cmp, FG_ALWAYS, 0, v);
}

static int
p_duration(struct fparse *p, int dq, const struct ftok *kw)
{
	return p_rate(p, FOP_DURATION);
}

static int
p_pps(struct fparse *p, int dq, const struct ftok *kw)
{
	return p_rate(p, FOP_PPS);
}

static int
p_bps(struct fparse *p, int dq, const struct ftok *kw)
{
	return p_rate(p, FOP_BPS);
}

static int
p_bpp(struct fparse *p, int dq, const struct ftok *kw)
{
	return p_rate(p, FOP_BPP);
}

/* Every nftop record is one flow: "flows" compares 1. */
static int
p_flows(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, UINT64_MAX, NULL, "%llu") < 0)
		return -1;
	return fn_bool(p, fterm_cmp_const(1, cmp, v));
}

static int
p_any(struct fparse *p, int dq, const struct ftok *kw)
{
	return fn_bool(p, 1);
}

static int
p_ipv4(struct fparse *p, int dq, const struct ftok *kw)
{
	return fn_leaf(p, FOP_AF, FCMP_EQ, FG_ALWAYS, 0, 4);
}

static int
p_ipv6(struct fparse *p, int dq, const struct ftok *kw)
{
	return fn_leaf(p, FOP_AF, FCMP_EQ, FG_ALWAYS, 0, 6);
}

static int
p_fwdstat(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	const char *s;
	uint64_t v;
	int cmp, i;

	if (t->type == FT_CMP || t->type == FT_NUM) {
		if (fterm_comp_number(p, &cmp, &v, 255, "0..255",
		    "Forwarding status: %llu out of range") < 0)
			return -1;
		return fn_leaf(p, FOP_U8, cmp, FG_FWD, OFF(fwd_status), v);
	}
	fp_expect(p, "<number>");
	fp_expect_list(p, "<status name>", fwd_list);
	if (fterm_string(p, "<status name>", &s) < 0)
		return -1;
	for (i = 0; fwd_names[i].name != NULL; i++)
		if (strcasecmp(fwd_names[i].name, s) == 0)
			break;
	if (fwd_names[i].name == NULL)
		return fp_error(p, t, "a number or Ukwn Forw Frag Drop DaclD"
		    " Daclp Noroute ... Tforus",
		    "Unknown forwarding status: %s", s);
	return fn_leaf(p, FOP_U8, FCMP_EQ, FG_FWD, OFF(fwd_status),
	    (uint64_t)fwd_names[i].id);
}

/*
 * "flowdir 0|1|ingress|egress" ("dir" in the classic grammar).  Other
 * numbers are refused as in 1.7.5+ ("Unknown flowdir: 2"): the field is
 * 0 or 1 by definition, and 1.7.1's silent acceptance can never match.
 */
static int
p_flowdir(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	uint64_t v;

	if (fp_number(p, &v)) {
		if (v > 1)
			return fp_error(p, t, "0 (ingress) or 1 (egress)",
			    "Unknown flowdir: %llu", U(v));
	} else if (fp_word(p, "ingress"))
		v = 0;
	else if (fp_word(p, "egress"))
		v = 1;
	else
		return fp_syntax(p);
	return fn_leaf(p, FOP_U8, FCMP_EQ, FG_DIR, OFF(direction), v);
}

/*
 * MPLS: nftop keeps the top label stack entry only, so label1/exp1 and
 * "eos" (when the top entry is the bottom) can match; deeper entries are
 * not carried.  Label numbers outside 1..10 are refused as in 1.7.1.
 */
static int
p_mpls(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *at, *vt;
	const char *s = "any";
	char *end;
	uint64_t v;
	long n = 1;
	int cmp, exp = 0;

	at = fp_tok(p);
	if (!fp_word(p, "any")) {
		fp_expect(p, "label1");
		fp_expect(p, "exp1");
		fp_expect(p, "eos");
		if (fterm_string(p, "label<N>", &s) < 0)
			return -1;
	}
	cmp = FCMP_EQ;
	fp_comp(p, &cmp);
	vt = fp_tok(p);
	if (!fp_number(p, &v))
		return fp_syntax(p);
	if (strncasecmp(s, "label", 5) == 0 || strncasecmp(s, "exp", 3) == 0) {
		exp = s[0] == 'e' || s[0] == 'E';
		s += exp ? 3 : 5;
		if (*s == '\0')
			return fp_error(p, at, "label1 .. label10",
			    "Missing mpls stack number for %s",
			    exp ? "exp value" : "label");
		n = strtol(s, &end, 10);
		if (*end != '\0' || n < 1 || n > 10)
			return fp_error(p, vt, "label1 .. label10",
			    "MPLS label out of range 1..10");
		if (exp && v > 7)
			return fp_error(p, vt, "0..7",
			    "MPLS exp value out of range");
	} else if (strcasecmp(s, "eos") != 0 && strcasecmp(s, "any") != 0)
		return fp_error(p, at, "labelN, expN, eos or any",
		    "Unknown mpls argument: %s", s);
	if (v > 0x00ffffff)
		return fp_error(p, vt, "0..16777215",
		    "MPLS value out of range");
	if (n != 1)
		return fn_bool(p, 0);
	if (strcasecmp(s, "eos") == 0)
		return fn_leaf(p, FOP_MPLS_EOS, cmp, FG_MPLS, 0, v);
	return fn_leaf(p, exp ? FOP_MPLS_EXP : FOP_MPLS_LABEL, cmp, FG_MPLS,
	    0, v);
}

/* "first seen > 2024-07-11T09:15" (1.7.6+), read as UTC. */
static int
seen_build(struct fparse *p, uint32_t off)
{
	const struct ftok *t;
	const char *s;
	char num[32];
	uint64_t v, msec;
	int cmp = FCMP_EQ;

	if (!fp_word(p, "seen"))
		return fp_syntax(p);
	fp_comp(p, &cmp);
	t = fp_tok(p);
	if (fp_number(p, &v)) {
		snprintf(num, sizeof(num), "%llu", U(v));
		s = num;
	} else if (fterm_string(p, "<YYYY-MM-DDThh:mm:ss.mmm>", &s) < 0)
		return -1;
	if (faddr_time(s, &msec) != 0)
		return fp_error(p, t, "YYYY[-MM[-DD[Thh[:mm[:ss[.mmm]]]]]]"
		    " in UTC", "Invalid ISO8601 time string: %s", s);
	return fn_leaf(p, FOP_U64, cmp, FG_ALWAYS, off, msec);
}

static int
p_first(struct fparse *p, int dq, const struct ftok *kw)
{
	return seen_build(p, OFF(first_msec));
}

static int
p_last(struct fparse *p, int dq, const struct ftok *kw)
{
	return seen_build(p, OFF(last_msec));
}

#define NQ	DQB(DQ_NONE)
#define IOQ	(DQB(DQ_NONE) | DQB(DQ_IN) | DQB(DQ_OUT))
#define MACQ	(DQB(DQ_NONE) | DQB(DQ_SRC) | DQB(DQ_DST) | DQB(DQ_IN) | \
		 DQB(DQ_OUT) | DQB(DQ_IN_SRC) | DQB(DQ_IN_DST) | \
		 DQB(DQ_OUT_SRC) | DQB(DQ_OUT_DST))

const struct fprim fprim_flow[] = {
	{ "proto",	NQ | DQB(DQ_TUN),	p_proto },
	{ "port",	DQB_SD | DQB_NAT,	p_port },
	{ "any",	NQ,			p_any },
	{ "flags",	NQ,			p_flags },
	{ "tos",	DQB_SD,			p_tos },
	{ "packets",	IOQ,			p_packets },
	{ "bytes",	IOQ,			p_bytes },
	{ "bps",	NQ,			p_bps },
	{ "pps",	NQ,			p_pps },
	{ "bpp",	NQ,			p_bpp },
	{ "duration",	NQ,			p_duration },
	{ "as",		DQB_SD | DQB(DQ_PREV) | DQB(DQ_NEXT), p_as },
	{ "if",		IOQ,			p_if },
	{ "icmp-type",	NQ,			p_icmp_type },
	{ "icmp-code",	NQ,			p_icmp_code },
	{ "icmp",	NQ,			p_icmp },
	{ "ipv4",	NQ,			p_ipv4 },
	{ "ipv6",	NQ,			p_ipv6 },
	{ "inet",	NQ,			p_ipv4 },
	{ "inet6",	NQ,			p_ipv6 },
	{ "mask",	DQB_SD,			p_mask },
	{ "vlan",	DQB_SD,			p_vlan },
	{ "mac",	MACQ,			p_mac },
	{ "flows",	NQ,			p_flows },
	{ "mpls",	NQ,			p_mpls },
	{ "fwdstat",	NQ,			p_fwdstat },
	{ "flowdir",	NQ,			p_flowdir },
	{ "dir",	NQ,			p_flowdir },
	{ "first",	NQ,			p_first },
	{ "last",	NQ,			p_last },
	{ "xport",	DQB_SD,			p_xport },
	{ "nport",	DQB_SD,			p_xport },
	{ NULL,		0,			NULL }
};
