/*
 * filter-other.c - the primitives about the exporter and the collector
 * (engine type/id, exporter id, sysid, nfversion, ident, count), geo
 * (countries from --geoip), and the
 * vendor ones whose fields nftop's record does not carry: TTL, EtherType,
 * latency, ACL, VRF, NSEL/ASA events, NAT events and port blocks,
 * payload, IPFIX observation ids, pflog and the classic flow labels.
 * Called through the table at the end by filter-term.c.
 *
 * The uncarried ones parse fully (so filters written for nfdump keep
 * working, and mistakes in them are still reported) and are false, as in
 * nfdump 1.7.5+ for a record without the extension; negated, true.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter-impl.h"
#include "geo.h"
#include "xmalloc.h"

#define OFF(f)		((uint32_t)offsetof(struct flow_rec, f))
#define U(v)		((unsigned long long)(v))

static const char *const asa_events[] = { "ignore", "create", "term",
	"delete", "deny", "denied", "alert", "update", NULL };
static const char *const asa_xevents[] = { "ignore", "i-acl", "ingress",
	"e-acl", "egress", "deny", "access", "interface", "nosyn", NULL };
static const char *const nat_events[] = { "invalid", "add", "create",
	"delete", "exhaust", "add44", "del44", "add64", "del64", "add44bib",
	"del44bib", "add64bib", "del64bib", "pexhaust", "quotaexh",
	"addaddr", "deladdr", "addpblk", "delpblk", "threshld", NULL };
static const char *const pf_actions[] = { "pass", "block", "scrub",
	"noscrub", "nat", "nonat", "binat", "nobinat", "rdr", "nordr",
	"synblock", "defer", "match", "divert", "rt", "afrt", NULL };
static const char *const pf_reasons[] = { "match", "bad-offset",
	"fragment", "short", "normalize", "memory", "bad-timestamp",
	"congestion", "ip-option", "proto-cksum", "state-mismatch",
	"state-insert", "state-limit", "src-limit", "synproxy", "translate",
	"no-route", NULL };
static const char *const payload_types[] = { "content", "regex", "dns",
	"ssl", "tls", "ja3", "ja4", "ja4s", NULL };

/* nfcapd's -I ident: nftop's sources have none, so it never matches. */
static int
p_ident(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	const char *s, *c;

	if (fterm_string(p, "<ident>", &s) < 0)
		return -1;
	if (*s == '\0' || strlen(s) > 255)
		return fp_error(p, t, "1..255 of A-Z a-z 0-9 _ -",
		    "Invalid ident string: %s", s);
	for (c = s; *c != '\0'; c++)
		if (*c != '_' && *c != '-' && !((*c >= 'a' && *c <= 'z') ||
		    (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return fp_error(p, t, "A-Z a-z 0-9 _ -",
			    "Invalid char in ident string: %s: %c", s, *c);
	return fn_bool(p, 0);
}

/*
 * "count": the record's sequence number in nfdump's read.  nftop's views
 * are rebuilt from history at any time, so there is no stable read order:
 * it parses and never matches.
 */
static int
p_count(struct fparse *p, int dq, const struct ftok *kw)
{
	return fterm_absent(p);
}

static int
engine_build(struct fparse *p, int id)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, 255, "0..255",
	    "Engine argument %llu of range 0..255") < 0)
		return -1;
	return fn_leaf(p, id ? FOP_ENGINE_ID : FOP_ENGINE_TYPE, cmp,
	    FG_ENGINE, 0, v);
}

static int
p_engine_type(struct fparse *p, int dq, const struct ftok *kw)
{
	return engine_build(p, 0);
}

static int
p_engine_id(struct fparse *p, int dq, const struct ftok *kw)
{
	return engine_build(p, 1);
}

static int
p_engine(struct fparse *p, int dq, const struct ftok *kw)
{
	if (fp_word(p, "type"))
		return engine_build(p, 0);
	if (fp_word(p, "id"))
		return engine_build(p, 1);
	return fp_syntax(p);
}

/*
 * Exporter numbers: nfcapd numbers exporters from 1 in order of first
 * appearance; nftop's source table (flow_rec.source) is in the same order.
 * "exporter id|sysid cmp N" (1.7.5+), "exporter cmp N" (1.7.4),
 * "sysid N" (1.7.1).
 */
static int
sysid_build(struct fparse *p)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, 65535, "0..65535",
	    "Exporter argument %llu of range 0..65535") < 0)
		return -1;
	return fn_leaf(p, FOP_SYSID, cmp, FG_ALWAYS, 0, v);
}

static int
p_exporter(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);

	if (fp_word(p, "id") || fp_word(p, "sysid"))
		return sysid_build(p);
	if (t->type == FT_CMP || t->type == FT_NUM)
		return sysid_build(p);
	fp_expect(p, "ip");
	if (t->type == FT_WORD && !fp_reserved(flex_val(&p->lx, t)))
		return fp_error(p, t, "id, sysid or ip",
		    "Unknown exporter argument: %s", flex_val(&p->lx, t));
	return fp_syntax(p);
}

static int
p_sysid(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;

	if (fterm_plain_number(p, &v, 255, "1..255",
	    "Router SysID expected between be 1..255") < 0)
		return -1;
	return fn_leaf(p, FOP_SYSID, FCMP_EQ, FG_ALWAYS, 0, v);
}

/* Classic "nfversion": the NetFlow version of the record's source. */
static int
p_nfversion(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;
	int cmp;

	if (fterm_comp_number(p, &cmp, &v, 10, "1, 5, 7, 9 or 10 (IPFIX)",
	    "Netflow version must be <= 10") < 0)
		return -1;
	return fn_leaf(p, FOP_NFVERSION, cmp, FG_ALWAYS, 0, v);
}

/* IP TTL (1.7.6+): not carried. */
static int
p_ttl(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t;
	const char *s;
	uint64_t v;
	int cmp;

	t = fp_tok(p);
	if (t->type == FT_WORD && fp_is_word(p, t, "equal")) {
		fp_next(p);
		return fn_bool(p, 0);
	}
	if (t->type == FT_WORD && !fp_is_word(p, t, "eq") &&
	    !fp_is_word(p, t, "gt") && !fp_is_word(p, t, "lt") &&
	    !fp_is_word(p, t, "ge") && !fp_is_word(p, t, "le")) {
		fp_expect(p, "equal");
		s = flex_val(&p->lx, t);
		return fp_error(p, t, "equal or [comp] <number>",
		    "Unexpected argument: %s", s);
	}
	fp_expect(p, "equal");
	if (fterm_comp_number(p, &cmp, &v, 255, "0..255",
	    "TTL number out of range") < 0)
		return -1;
	return fn_bool(p, 0);
}

static int
p_minmax(struct fparse *p, int dq, const struct ftok *kw)
{
	if (!fp_word(p, "ttl"))
		return fp_syntax(p);
	return p_ttl(p, dq, kw);
}

/* EtherType (1.7.5+): not carried. */
static int
p_ethertype(struct fparse *p, int dq, const struct ftok *kw)
{
	uint64_t v;

	if (fterm_plain_number(p, &v, 65535, "0..65535",
	    "EtherType %llu out of range") < 0)
		return -1;
	return fn_bool(p, 0);
}

/*
 * Country codes, as --geoip fills them in (geo.c): "src geo DE" tests the
 * source's country, "geo DE" either side.  Post-NAT addresses get no
 * country, so the NAT forms are never true; nor is anything before a
 * database has been given, as a record's country is then unknown (0).
 */
static int
p_geo(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	int sides[2], ns, conj, i, r = -1;
	char code[3];
	const char *s;
	uint8_t cc;

	if (t->type != FT_WORD) {
		fp_expect(p, "<country code>");
		return fp_syntax(p);
	}
	s = flex_val(&p->lx, t);
	if (strlen(s) != 2 || !((s[0] | 0x20) >= 'a' &&
	    (s[0] | 0x20) <= 'z' && (s[1] | 0x20) >= 'a' &&
	    (s[1] | 0x20) <= 'z'))
		return fp_error(p, t, "two letters, e.g. DE",
		    "Need a two letter geo country code");
	fp_next(p);
	code[0] = (char)(s[0] & ~0x20);		/* nfdump upper-cases them */
	code[1] = (char)(s[1] & ~0x20);
	code[2] = '\0';
	cc = geo_country_index(code);
	ns = fterm_sides(dq, sides, &conj);
	for (i = 0; i < ns; i++)
		r = fterm_combine(p, r, cc == 0 || (sides[i] != DQ_SRC &&
		    sides[i] != DQ_DST) ? fn_bool(p, 0) : fn_leaf(p, FOP_U8,
		    FCMP_EQ, FG_ALWAYS, sides[i] == DQ_SRC ? OFF(src_cc) :
		    OFF(dst_cc), cc), conj);
	return r;
}

/* Latency, ACL, VRF: nProbe and NSEL fields, not carried. */
static int
p_absent_comp(struct fparse *p, int dq, const struct ftok *kw)
{
	return fterm_absent(p);
}

/* NSEL/ASA events (Cisco ASA): not carried. */
static int
p_asa(struct fparse *p, int dq, const struct ftok *kw)
{
	static const char *const subs[] = { "event", "denied", "xevent",
	    "user", NULL };
	const struct ftok *t;
	const char *s, *a;
	uint64_t v;
	int cmp;

	switch (fterm_sub_word(p, subs, "event", &s, "event, denied, xevent or"
	    " user", "Invalid ASA type: %s")) {
	case 0:
		t = fp_tok(p);
		if (t->type == FT_CMP || t->type == FT_NUM) {
			if (fterm_comp_number(p, &cmp, &v, 5, "0..5",
			    "Invalid event number %llu. Expected 0..5") < 0)
				return -1;
			break;
		}
		if (fterm_sub_word(p, asa_events, "<event>", &a, "create, term,"
		    " delete, deny, ignore, alert or update",
		    "Invalid ASA event type: %s") < 0)
			return -1;
		break;
	case 1:
		if (fterm_sub_word(p, asa_xevents, "<xevent>", &a, "ingress,"
		    " egress, interface or nosyn",
		    "Invalid ASA Xevent type: %s") < 0)
			return -1;
		break;
	case 2:
		return fterm_absent(p);
	case 3:
		t = fp_tok(p);
		if (fterm_string(p, "<user>", &a) < 0)
			return -1;
		if (strlen(a) > 65)
			return fp_error(p, t, "at most 65 characters",
			    "Length of ASA user name > 65 chars");
		break;
	default:
		return -1;
	}
	return fn_bool(p, 0);
}

/* NAT events and port blocks (NEL): not carried. */
static int
p_natprim(struct fparse *p, int dq, const struct ftok *kw)
{
	static const char *const subs[] = { "event", "pblock", NULL };
	static const char *const blocks[] = { "start", "end", "step",
	    "size", NULL };
	const struct ftok *t;
	const char *s, *a;
	uint64_t v;
	int cmp;

	switch (fterm_sub_word(p, subs, "event", &s, "event or pblock",
	    "Unknown NAT argument: %s")) {
	case 0:
		t = fp_tok(p);
		if (t->type == FT_CMP || t->type == FT_NUM) {
			if (fterm_comp_number(p, &cmp, &v, 18, "0..18",
			    "NAT event: %llu out of range") < 0)
				return -1;
		} else if (fterm_sub_word(p, nat_events, "<event>", &a, "add,"
		    " delete, invalid, add44, del44, ...",
		    "Invalid NAT event type: %s") < 0)
			return -1;
		return fn_bool(p, 0);
	case 1:
		if (fterm_sub_word(p, blocks, "start", &a, "start, end, step or"
		    " size", "Unknown port block argument: %s") < 0)
			return -1;
		return fterm_absent(p);
	default:
		return -1;
	}
}

/* Classic "pblock start|end|step|size cmp N". */
static int
p_pblock(struct fparse *p, int dq, const struct ftok *kw)
{
	static const char *const blocks[] = { "start", "end", "step",
	    "size", NULL };
	const char *a;

	if (fterm_sub_word(p, blocks, "start", &a, "start, end, step or size",
	    "Unknown port block argument: %s") < 0)
		return -1;
	return fterm_absent(p);
}

static int
is_md5(const char *s)
{
	int i;

	for (i = 0; i < 32; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')))
			return 0;
	return s[32] == '\0';
}

/* Payload inspection (nfpcapd/yaf payload extensions): not carried. */
static int
p_payload(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t;
	const char *s, *a, *o;
	int type;

	if ((type = fterm_sub_word(p, payload_types, "content", &s, "content,"
	    " regex, dns, ssl, tls, ja3, ja4 or ja4s",
	    "Unknown 'payload' argument: %s")) < 0)
		return -1;
	t = fp_tok(p);
	if (fterm_string(p, "<string>", &a) < 0)
		return -1;
	switch (type) {
	case 1:		/* regex 're' [options] */
		(void)fterm_optional_string(p, &o);
		break;
	case 2:		/* dns defined | name S | address IP */
	case 3:		/* ssl|tls defined | version X.Y | sni NAME */
	case 4:
		if (strcasecmp(a, "defined") != 0 &&
		    !fterm_optional_string(p, &o)) {
			fp_expect(p, "<string>");
			return fp_syntax(p);
		}
		break;
	case 5:		/* ja3 defined | md5 */
		if (strcasecmp(a, "defined") != 0 && !is_md5(a))
			return fp_error(p, t, "defined or 32 hex digits",
			    "String %s is not a valid ja3 string", a);
		break;
	default:
		break;
	}
	return fn_bool(p, 0);
}

/* IPFIX observation domain/point ids: not carried per record. */
static int
p_observation(struct fparse *p, int dq, const struct ftok *kw)
{
	static const char *const types[] = { "domain", "point", NULL };
	static const char *const ids[] = { "id", NULL };
	const char *s;

	if (fterm_sub_word(p, types, "domain", &s, "domain or point",
	    "Unknown observation specifier: %s") < 0 ||
	    fterm_sub_word(p, ids, "id", &s, "id",
	    "Unknown observation specifier: %s") < 0)
		return -1;
	return fterm_absent(p);
}

/* OpenBSD pflog fields (1.7.5+): not carried. */
static int
p_pf(struct fparse *p, int dq, const struct ftok *kw)
{
	static const char *const subs[] = { "action", "reason", "rule", "dir",
	    "interface", NULL };
	static const char *const dirs[] = { "in", "out", NULL };
	const char *s, *a;

	switch (fterm_sub_word(p, subs, "action", &s, "action, reason, rule,"
	    " dir or interface", "Invalid pf argument: %s")) {
	case 0:
		if (fterm_sub_word(p, pf_actions, "<action>", &a, "pass, block,"
		    " nat, rdr, ...", "Invalid pf action: %s") < 0)
			return -1;
		break;
	case 1:
		if (fterm_sub_word(p, pf_reasons, "<reason>", &a, "match,"
		    " fragment, short, ...", "Invalid pf reason: %s") < 0)
			return -1;
		break;
	case 2:
		return fterm_absent(p);
	case 3:
		if (fterm_sub_word(p, dirs, "in", &a, "in or out",
		    "Invalid pf dir: %s") < 0)
			return -1;
		break;
	case 4:
		if (fterm_string(p, "<interface>", &a) < 0)
			return -1;
		break;
	default:
		return -1;
	}
	return fn_bool(p, 0);
}

/* Classic "flowlabel NAME": a label, read and ignored. */
static int
p_flowlabel(struct fparse *p, int dq, const struct ftok *kw)
{
	const struct ftok *t = fp_tok(p);
	const char *s;

	if (fterm_string(p, "<label>", &s) < 0)
		return -1;
	if (strlen(s) > 16)
		return fp_error(p, t, "at most 16 characters",
		    "Size flowlabel of range 1..16");
	return fn_bool(p, 1);
}

#define NQ	DQB(DQ_NONE)
#define IOQ	(DQB(DQ_NONE) | DQB(DQ_IN) | DQB(DQ_OUT))
#define IEQ	(DQB(DQ_INGRESS) | DQB(DQ_EGRESS))

const struct fprim fprim_other[] = {
	{ "engine-type", NQ,			p_engine_type },
	{ "engine-id",	NQ,			p_engine_id },
	{ "engine",	NQ,			p_engine },
	{ "exporter",	NQ,			p_exporter },
	{ "sysid",	NQ,			p_sysid },
	{ "geo",	DQB_SD | DQB_NAT | DQB_TUN, p_geo },
	{ "ident",	NQ,			p_ident },
	{ "count",	NQ,			p_count },
	{ "cnt",	NQ,			p_count },
	{ "ttl",	NQ,			p_ttl },
	{ "min",	NQ,			p_minmax },
	{ "max",	NQ,			p_minmax },
	{ "etherType",	NQ,			p_ethertype },
	{ "latency",	DQB(DQ_CLIENT) | DQB(DQ_SERVER) | DQB(DQ_APP),
						p_absent_comp },
	{ "acl",	IEQ,			p_absent_comp },
	{ "vrf",	IEQ,			p_absent_comp },
	{ "asa",	NQ,			p_asa },
	{ "nat",	NQ,			p_natprim },
	{ "payload",	IOQ,			p_payload },
	{ "observation", NQ,			p_observation },
	{ "pf",		NQ,			p_pf },
	{ "nfversion",	NQ,			p_nfversion },
	{ "pblock",	NQ,			p_pblock },
	{ "flowlabel",	NQ,			p_flowlabel },
	{ NULL,		0,			NULL }
};
