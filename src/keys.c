/*
 * keys.c - aggregate key names, key building and key printing.
 *
 * Names follow nfdump's -s/-A keys.  Address fields take an optional
 * prefix: "srcip/24" aggregates IPv4 sources by /24; a length above 32
 * ("srcip/64") applies to IPv6; "srcip/24/64" sets both.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo.h"
#include "keys.h"
#include "source.h"

struct key_field_def {
	const char	*name;
	uint8_t		 width;
	uint8_t		 twoway;	/* counts both sides */
	uint8_t		 is_addr;
};

static const struct key_field_def key_fields[KEY_FIELD_MAX] = {
	[KEY_SRCIP] = { "srcip", 16, 0, 1 },
	[KEY_DSTIP] = { "dstip", 16, 0, 1 },
	[KEY_IP] = { "ip", 16, 1, 1 },
	[KEY_SRCPORT] = { "srcport", 2, 0, 0 },
	[KEY_DSTPORT] = { "dstport", 2, 0, 0 },
	[KEY_PORT] = { "port", 2, 1, 0 },
	[KEY_PROTO] = { "proto", 1, 0, 0 },
	[KEY_TOS] = { "tos", 1, 0, 0 },
	[KEY_SRCAS] = { "srcas", 4, 0, 0 },
	[KEY_DSTAS] = { "dstas", 4, 0, 0 },
	[KEY_AS] = { "as", 4, 1, 0 },
	[KEY_INIF] = { "inif", 4, 0, 0 },
	[KEY_OUTIF] = { "outif", 4, 0, 0 },
	[KEY_IF] = { "if", 4, 1, 0 },
	[KEY_NEXTHOP] = { "nexthop", 16, 0, 1 },
	[KEY_EXPORTER] = { "exporter", 2, 0, 0 },
	[KEY_SRCCOUNTRY] = { "srccountry", 1, 0, 0 },
	[KEY_DSTCOUNTRY] = { "dstcountry", 1, 0, 0 },
	[KEY_COUNTRY] = { "country", 1, 1, 0 },
};

/* Other spellings, including nfdump's, and keys that stand for lists. */
static const struct {
	const char	*alias;
	const char	*means;
} key_aliases[] = {
	{ "pair", "srcip,dstip" },
	{ "5tuple", "srcip,dstip,srcport,dstport,proto" },
	{ "record", "srcip,dstip,srcport,dstport,proto" },
	{ "flow", "srcip,dstip,srcport,dstport,proto" },
	{ "nhip", "nexthop" },
	{ "in", "inif" },
	{ "out", "outif" },
	{ "router", "exporter" },
};

static int
key_is_country(enum key_field f)
{
	return f == KEY_SRCCOUNTRY || f == KEY_DSTCOUNTRY || f == KEY_COUNTRY;
}

const char *
key_field_name(enum key_field f)
{
	if ((unsigned)f >= KEY_FIELD_MAX)
		return "?";
	return key_fields[f].name;
}

int
key_field_is_numeric(enum key_field f)
{
	return (unsigned)f < KEY_FIELD_MAX && !key_fields[f].is_addr &&
	    f != KEY_EXPORTER && !key_is_country(f);
}

static int
key_field_lookup(const char *name, size_t len)
{
	int f;

	for (f = 0; f < KEY_FIELD_MAX; f++)
		if (strlen(key_fields[f].name) == len &&
		    strncasecmp(key_fields[f].name, name, len) == 0)
			return f;
	return -1;
}

/* Parses "/N" or "/N/M" after an address field. */
static int
key_parse_prefix(struct key_spec *ks, int i, const char *p, const char *end)
{
	char *stop;
	unsigned long v;

	while (p < end && *p == '/') {
		v = strtoul(p + 1, &stop, 10);
		if (stop == p + 1 || stop > end || v == 0 || v > 128)
			return -1;
		if (v <= 32)
			ks->prefix4[i] = (uint8_t)v;
		else
			ks->prefix6[i] = (uint8_t)v;
		p = stop;
	}
	return p == end ? 0 : -1;
}

static int
key_spec_add(struct key_spec *ks, const char *tok, size_t len, char *err,
    size_t errlen)
{
	const char *slash = memchr(tok, '/', len);
	size_t nlen = slash != NULL ? (size_t)(slash - tok) : len;
	int f, i = ks->n;

	if ((f = key_field_lookup(tok, nlen)) < 0) {
		snprintf(err, errlen, "unknown aggregate key '%.*s'",
		    (int)len, tok);
		return -1;
	}
	if (ks->n >= KEY_FIELDS_MAX ||
	    ks->len + key_fields[f].width > KEY_BYTES_MAX) {
		snprintf(err, errlen, "too many aggregate keys");
		return -1;
	}
	if (key_fields[f].twoway && ks->twoway) {
		snprintf(err, errlen, "only one two-way key (ip, port, as, if)"
		    " per aggregate");
		return -1;
	}
	ks->field[i] = (uint8_t)f;
	ks->prefix4[i] = 32;
	ks->prefix6[i] = 128;
	if (slash != NULL && (!key_fields[f].is_addr ||
	    key_parse_prefix(ks, i, slash, tok + len) != 0)) {
		snprintf(err, errlen, "bad prefix in aggregate key '%.*s'",
		    (int)len, tok);
		return -1;
	}
	ks->offset[i] = ks->len;
	ks->len += key_fields[f].width;
	ks->twoway |= key_fields[f].twoway;
	ks->n++;
	return 0;
}

static void
key_spec_name(struct key_spec *ks)
{
	size_t off = 0;
	int i;

	ks->name[0] = '\0';
	for (i = 0; i < ks->n && off < sizeof(ks->name); i++) {
		off += snprintf(ks->name + off, sizeof(ks->name) - off, "%s%s",
		    i > 0 ? "," : "", key_fields[ks->field[i]].name);
		if (off < sizeof(ks->name) && ks->prefix4[i] != 32)
			off += snprintf(ks->name + off, sizeof(ks->name) - off,
			    "/%u", ks->prefix4[i]);
		if (off < sizeof(ks->name) && ks->prefix6[i] != 128)
			off += snprintf(ks->name + off, sizeof(ks->name) - off,
			    "/%u", ks->prefix6[i]);
	}
}

_Static_assert(offsetof(struct flow_rec, dst) <= UINT8_MAX,
    "addr_off holds a record's address offsets in a byte");

/*
 * Where the address that is the whole key lies in a flow_rec, for each
 * side (flow_rec offsets; 0: the key is not one whole address).
 */
static void
key_spec_addr_off(struct key_spec *ks)
{
	ks->addr_off[0] = ks->addr_off[1] = 0;
	if (ks->n != 1 || ks->prefix4[0] != 32 || ks->prefix6[0] != 128)
		return;
	switch (ks->field[0]) {
	case KEY_SRCIP:
		ks->addr_off[0] = ks->addr_off[1] =
		    offsetof(struct flow_rec, src);
		break;
	case KEY_DSTIP:
		ks->addr_off[0] = ks->addr_off[1] =
		    offsetof(struct flow_rec, dst);
		break;
	case KEY_IP:
		ks->addr_off[0] = offsetof(struct flow_rec, src);
		ks->addr_off[1] = offsetof(struct flow_rec, dst);
		break;
	}
}

/* Parses a comma list of keys; returns 0, or -1 with a message in err. */
int
key_spec_parse(struct key_spec *ks, const char *text, char *err,
    size_t errlen)
{
	const char *p = text, *end;
	size_t len, a;
	int r;

	memset(ks, 0, sizeof(*ks));
	while (*p != '\0') {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		for (a = 0; a < sizeof(key_aliases) / sizeof(key_aliases[0]);
		    a++)
			if (strlen(key_aliases[a].alias) == len &&
			    strncasecmp(key_aliases[a].alias, p, len) == 0)
				break;
		if (a < sizeof(key_aliases) / sizeof(key_aliases[0])) {
			const char *q = key_aliases[a].means, *qe;

			for (r = 0; r == 0 && *q != '\0';
			    q = *qe != '\0' ? qe + 1 : qe) {
				qe = strchrnul(q, ',');
				r = key_spec_add(ks, q, (size_t)(qe - q),
				    err, errlen);
			}
		} else
			r = key_spec_add(ks, p, len, err, errlen);
		if (r != 0)
			return -1;
		p = end != NULL ? end + 1 : p + len;
	}
	if (ks->n == 0) {
		snprintf(err, errlen, "empty aggregate");
		return -1;
	}
	key_spec_name(ks);
	key_spec_addr_off(ks);
	return 0;
}

static void
key_put_addr(uint8_t *dst, const struct flow_addr *a, unsigned p4,
    unsigned p6)
{
	unsigned bits, i;

	memcpy(dst, a->b, 16);
	/* Whole addresses, the usual key: nothing to mask. */
	if (p4 == 32 && p6 == 128)
		return;
	bits = flow_addr_is4(a) ? 96 + p4 : p6;
	for (i = bits / 8; i < 16; i++) {
		if (i == bits / 8 && bits % 8 != 0)
			dst[i] &= (uint8_t)(0xff << (8 - bits % 8));
		else
			dst[i] = 0;
	}
}

static void
key_put32(uint8_t *dst, uint32_t v)
{
	memcpy(dst, &v, 4);
}

/*
 * Builds a key field by field in k, each in its place, and returns its
 * bytes: key_bytes for a key that is not one whole address.
 */
const uint8_t *
key_build(const struct key_spec *ks, const struct flow_rec *r, int side,
    struct key *k)
{
	uint8_t *d;
	int i;

	/* Zero past the key's end to a whole word (see agg.h). */
	if (ks->len % 8 != 0)
		memset(k->b + (ks->len & ~7u), 0, 8);
	for (i = 0; i < ks->n; i++) {
		d = k->b + ks->offset[i];
		switch (ks->field[i]) {
		case KEY_IP:
			key_put_addr(d, side ? &r->dst : &r->src,
			    ks->prefix4[i], ks->prefix6[i]);
			break;
		case KEY_SRCIP:
			key_put_addr(d, &r->src, ks->prefix4[i],
			    ks->prefix6[i]);
			break;
		case KEY_DSTIP:
			key_put_addr(d, &r->dst, ks->prefix4[i],
			    ks->prefix6[i]);
			break;
		case KEY_NEXTHOP:
			key_put_addr(d, &r->nexthop, ks->prefix4[i],
			    ks->prefix6[i]);
			break;
		case KEY_PORT:
			memcpy(d, side ? &r->dstport : &r->srcport, 2);
			break;
		case KEY_SRCPORT:
			memcpy(d, &r->srcport, 2);
			break;
		case KEY_DSTPORT:
			memcpy(d, &r->dstport, 2);
			break;
		case KEY_PROTO:
			*d = r->proto;
			break;
		case KEY_TOS:
			*d = r->tos;
			break;
		case KEY_AS:
			key_put32(d, side ? r->dstas : r->srcas);
			break;
		case KEY_SRCAS:
			key_put32(d, r->srcas);
			break;
		case KEY_DSTAS:
			key_put32(d, r->dstas);
			break;
		case KEY_IF:
			key_put32(d, side ? r->outif : r->inif);
			break;
		case KEY_INIF:
			key_put32(d, r->inif);
			break;
		case KEY_OUTIF:
			key_put32(d, r->outif);
			break;
		case KEY_EXPORTER:
			memcpy(d, &r->source, 2);
			break;
		case KEY_COUNTRY:
			*d = side ? r->dst_cc : r->src_cc;
			break;
		case KEY_SRCCOUNTRY:
			*d = r->src_cc;
			break;
		case KEY_DSTCOUNTRY:
			*d = r->dst_cc;
			break;
		}
	}
	return k->b;
}

/*
 * Builds the key of a record; side 0 takes the source side of a two-way
 * field, side 1 the destination side.  Returns the key length.
 */
size_t
key_make(const struct key_spec *ks, const struct flow_rec *r, int side,
    struct key *k)
{
	if (ks->addr_off[side] != 0)
		memcpy(k->b, (const uint8_t *)r + ks->addr_off[side],
		    sizeof(struct flow_addr));
	else
		(void)key_build(ks, r, side, k);
	return ks->len;
}

/* The numeric value of field i of a key (ports, proto, AS, interfaces). */
uint64_t
key_field_number(const struct key_spec *ks, const struct key *k, int i)
{
	const uint8_t *d = k->b + ks->offset[i];
	uint32_t v32;
	uint16_t v16;

	switch (key_fields[ks->field[i]].width) {
	case 1:
		return *d;
	case 2:
		memcpy(&v16, d, 2);
		return v16;
	case 4:
		memcpy(&v32, d, 4);
		return v32;
	}
	return 0;
}

/*
 * Prints field i of a key.  Exporters print as their address; address
 * fields with a prefix print as "a.b.c.0/24".
 */
const char *
key_format_field(const struct key_spec *ks, const struct key *k, int i,
    const struct source_table *sources, char *buf, size_t len)
{
	struct flow_addr a;
	unsigned bits;
	uint16_t idx;
	size_t off;

	if (key_fields[ks->field[i]].is_addr) {
		memcpy(a.b, k->b + ks->offset[i], 16);
		flow_addr_fmt(&a, buf, len);
		bits = flow_addr_is4(&a) ? ks->prefix4[i] : ks->prefix6[i];
		if (bits != (flow_addr_is4(&a) ? 32u : 128u)) {
			off = strlen(buf);
			snprintf(buf + off, len - off, "/%u", bits);
		}
		return buf;
	}
	if (ks->field[i] == KEY_EXPORTER) {
		memcpy(&idx, k->b + ks->offset[i], 2);
		if (sources != NULL && idx < sources->n)
			return flow_addr_fmt(&sources->v[idx].addr, buf, len);
		snprintf(buf, len, "#%u", idx);
		return buf;
	}
	if (key_is_country(ks->field[i])) {
		idx = k->b[ks->offset[i]];
		snprintf(buf, len, "%s", idx != 0 ?
		    geo_country_code((uint8_t)idx) : "??");
		return buf;
	}
	snprintf(buf, len, "%llu",
	    (unsigned long long)key_field_number(ks, k, i));
	return buf;
}
