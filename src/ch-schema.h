/*
 * ch-schema.h - the ClickHouse table nftop writes and reads: its columns,
 * the CREATE TABLE statement, and one flow record as a RowBinary row.
 *
 * Every column has a fixed width (addresses are FixedString(16), IPv4 as
 * ::ffff:a.b.c.d like struct flow_addr), so a row is CH_ROW_BYTES long and
 * a buffer of rows can be cut into batches anywhere between rows.  The
 * sink (ch-sink.c) encodes rows, the filter compiler (filter-sql.c) finds
 * a record field's column here, and the source (ch-source.c) reads the
 * same names back.
 */
#ifndef NFTOP_CH_SCHEMA_H
#define NFTOP_CH_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct source_table;

#define CH_NOFIELD	UINT32_MAX	/* column not taken from flow_rec */
#define CH_TABLE_MAX	128		/* bytes of a [database.]table name */
#define CH_ROW_BYTES	135

enum ch_kind {
	CH_U8,
	CH_U16,
	CH_U32,
	CH_U64,
	CH_ADDR,	/* FixedString(16) from a struct flow_addr */
	CH_EXPORTER,	/* FixedString(16): the record's exporter address */
	CH_FLOWS,	/* UInt8: 1, or 0 for a metered flow's later update */
	CH_ORIGIN	/* Enum8: the wire protocol (flow_origin_name()) */
};

struct ch_column {
	const char	*name;
	const char	*type;
	uint8_t		 kind;		/* enum ch_kind */
	uint32_t	 off;		/* in struct flow_rec, or CH_NOFIELD */
};

extern const struct ch_column ch_columns[];
extern const size_t ch_ncolumns;

const struct ch_column *ch_column_at(uint32_t flow_rec_offset);
int	 ch_table_ok(const char *);
int	 ch_create_sql(char *, size_t, const char *table);
int	 ch_insert_sql(char *, size_t, const char *table);
void	 ch_row_encode(uint8_t *out, const struct flow_rec *,
	    const struct source_table *);

#endif
