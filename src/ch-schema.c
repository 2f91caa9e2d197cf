/*
 * ch-schema.c - the flows table in ClickHouse, and the RowBinary rows the
 * sink sends into it.
 *
 * RowBinary rather than JSONEachRow: addresses go in as the 16 bytes
 * nftop already holds (JSON strings cannot carry raw bytes, and text
 * addresses would need converting on the server), every row has the same
 * length, and the server parses it several times faster.  Integers are
 * little-endian, as RowBinary wants, whatever the host's order.
 *
 * The table is a MergeTree ordered by the receive time and partitioned by
 * day, so the source's time-range queries read only the window's parts.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ch-schema.h"
#include "source.h"

#define OFF(f)		((uint32_t)offsetof(struct flow_rec, f))

const struct ch_column ch_columns[] = {
	{ "received",	"UInt64",	CH_U64,		OFF(recv_msec) },
	{ "first",	"UInt64",	CH_U64,		OFF(first_msec) },
	{ "last",	"UInt64",	CH_U64,		OFF(last_msec) },
	{ "exporter",	"FixedString(16)", CH_EXPORTER,	CH_NOFIELD },
	{ "srcip",	"FixedString(16)", CH_ADDR,	OFF(src) },
	{ "dstip",	"FixedString(16)", CH_ADDR,	OFF(dst) },
	{ "nexthop",	"FixedString(16)", CH_ADDR,	OFF(nexthop) },
	{ "srcport",	"UInt16",	CH_U16,		OFF(srcport) },
	{ "dstport",	"UInt16",	CH_U16,		OFF(dstport) },
	{ "proto",	"UInt8",	CH_U8,		OFF(proto) },
	{ "tos",	"UInt8",	CH_U8,		OFF(tos) },
	{ "tcpflags",	"UInt8",	CH_U8,		OFF(tcpflags) },
	{ "icmp_type",	"UInt8",	CH_U8,		OFF(icmp_type) },
	{ "icmp_code",	"UInt8",	CH_U8,		OFF(icmp_code) },
	{ "inif",	"UInt32",	CH_U32,		OFF(inif) },
	{ "outif",	"UInt32",	CH_U32,		OFF(outif) },
	{ "srcas",	"UInt32",	CH_U32,		OFF(srcas) },
	{ "dstas",	"UInt32",	CH_U32,		OFF(dstas) },
	{ "packets",	"UInt64",	CH_U64,		OFF(pkts) },
	{ "bytes",	"UInt64",	CH_U64,		OFF(bytes) },
	{ "sampling",	"UInt32",	CH_U32,		OFF(sampling) },
	{ "flows",	"UInt8",	CH_FLOWS,	CH_NOFIELD },
	{ "protocol",	NULL,		CH_ORIGIN,	CH_NOFIELD },
};
const size_t ch_ncolumns = sizeof(ch_columns) / sizeof(ch_columns[0]);

/* The column holding a flow_rec field, for the filter compiler. */
const struct ch_column *
ch_column_at(uint32_t off)
{
	size_t i;

	for (i = 0; i < ch_ncolumns; i++)
		if (ch_columns[i].off == off)
			return &ch_columns[i];
	return NULL;
}

/*
 * "table" or "database.table" of plain identifier characters: the name
 * goes into SQL text unquoted, so nothing else may pass.
 */
int
ch_table_ok(const char *s)
{
	size_t n = strlen(s), i, dots = 0;

	if (n == 0 || n >= CH_TABLE_MAX || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (++dots > 1 || s[i + 1] == '.')
				return 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		    (s[i] >= '0' && s[i] <= '9' && i > 0 && s[i - 1] != '.')))
			return 0;
	}
	return 1;
}

/* Enum8('unknown' = 0, 'netflow-v1' = 1, ...) from flow_origin_name(). */
static size_t
ch_origin_type(char *buf, size_t len)
{
	size_t off;
	int o;

	off = (size_t)snprintf(buf, len, "Enum8(");
	for (o = 0; o < FLOW_ORIGIN_MAX && off < len; o++)
		off += (size_t)snprintf(buf + off, len - off, "%s'%s' = %d",
		    o > 0 ? ", " : "", flow_origin_name(o), o);
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, ")");
	return off;
}

/* CREATE TABLE IF NOT EXISTS; -1 if buf is too small. */
int
ch_create_sql(char *buf, size_t len, const char *table)
{
	char enumtype[256];
	size_t off, i;

	ch_origin_type(enumtype, sizeof(enumtype));
	off = (size_t)snprintf(buf, len, "CREATE TABLE IF NOT EXISTS %s (",
	    table);
	for (i = 0; i < ch_ncolumns && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s %s, ",
		    ch_columns[i].name, ch_columns[i].type != NULL ?
		    ch_columns[i].type : enumtype);
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off,
		    "date Date MATERIALIZED toDate(intDiv(received, 1000)))"
		    " ENGINE = MergeTree() PARTITION BY date"
		    " ORDER BY received");
	return off < len ? 0 : -1;
}

/* INSERT INTO table (every column, in order) FORMAT RowBinary. */
int
ch_insert_sql(char *buf, size_t len, const char *table)
{
	size_t off, i;

	off = (size_t)snprintf(buf, len, "INSERT INTO %s (", table);
	for (i = 0; i < ch_ncolumns && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    i > 0 ? ", " : "", ch_columns[i].name);
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off,
		    ") FORMAT RowBinary");
	return off < len ? 0 : -1;
}

static uint8_t *
put_le(uint8_t *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

static uint64_t
field(const struct flow_rec *r, uint32_t off, int bytes)
{
	const uint8_t *f = (const uint8_t *)r + off;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	switch (bytes) {
	case 1:
		return *f;
	case 2:
		memcpy(&v16, f, 2);
		return v16;
	case 4:
		memcpy(&v32, f, 4);
		return v32;
	default:
		memcpy(&v64, f, 8);
		return v64;
	}
}

/* Writes r as one RowBinary row of CH_ROW_BYTES at out. */
void
ch_row_encode(uint8_t *out, const struct flow_rec *r,
    const struct source_table *sources)
{
	static const uint8_t width[] = { [CH_U8] = 1, [CH_U16] = 2,
	    [CH_U32] = 4, [CH_U64] = 8 };
	static const struct flow_addr none;
	const struct ch_column *c;
	const struct flow_addr *a;
	uint8_t *p = out;
	size_t i;

	for (i = 0; i < ch_ncolumns; i++) {
		c = &ch_columns[i];
		switch (c->kind) {
		case CH_ADDR:
			memcpy(p, (const uint8_t *)r + c->off, 16);
			p += 16;
			break;
		case CH_EXPORTER:
			a = sources != NULL && r->source < sources->n ?
			    &sources->v[r->source].addr : &none;
			memcpy(p, a->b, 16);
			p += 16;
			break;
		case CH_FLOWS:
			*p++ = r->flags & FLOW_F_CONT ? 0 : 1;
			break;
		case CH_ORIGIN:
			*p++ = r->origin < FLOW_ORIGIN_MAX ? r->origin : 0;
			break;
		default:
			p = put_le(p, field(r, c->off, width[c->kind]),
			    width[c->kind]);
			break;
		}
	}
}
