/*
 * filter-sql.h - a flow filter (nfdump syntax, filter.h) as the WHERE
 * condition of a query over nftop's ClickHouse table (ch-schema.h).
 *
 * The condition selects exactly the rows filter_match() would pass: the
 * same field groups per wire protocol, the same derived values (duration,
 * pps, bps, bpp, truncated as nfdump truncates), the same address masks.
 * A term on a field the table does not store (VLAN, MAC, MPLS, NAT,
 * masks, engine type/id, sysid, ...) is refused with a message that names
 * it; nothing is silently left out.
 */
#ifndef NFTOP_FILTER_SQL_H
#define NFTOP_FILTER_SQL_H

#include <stddef.h>

#define FILTER_SQL_MAX	(192 * 1024)	/* under ClickHouse's max_query_size */

/*
 * The condition for text, NUL-terminated and allocated (the caller frees
 * it); NULL with a message in err if text is not a filter, or cannot be
 * computed by ClickHouse, or makes more than FILTER_SQL_MAX bytes of SQL.
 */
char	*filter_sql(const char *text, char *err, size_t errlen);

#endif
