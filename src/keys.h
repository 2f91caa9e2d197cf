/*
 * keys.h - aggregate keys: their names, how a record maps to a key, and
 * how a key prints.
 *
 * An aggregate is a comma list of fields ("srcip", "srcip/24,dstport",
 * "pair").  Each field has a fixed width, so a key is a fixed-length byte
 * string that hashes and compares with memcmp.  A two-way field (ip, port,
 * as, if) counts a record once for its source side and once for its
 * destination side, as nfdump -s ip does.
 */
#ifndef NFTOP_KEYS_H
#define NFTOP_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct source_table;

#define KEY_FIELDS_MAX	6
#define KEY_BYTES_MAX	48
#define KEY_NAME_MAX	80

enum key_field {
	KEY_SRCIP, KEY_DSTIP, KEY_IP,
	KEY_SRCPORT, KEY_DSTPORT, KEY_PORT,
	KEY_PROTO, KEY_TOS,
	KEY_SRCAS, KEY_DSTAS, KEY_AS,
	KEY_INIF, KEY_OUTIF, KEY_IF,
	KEY_NEXTHOP, KEY_EXPORTER,
	KEY_SRCCOUNTRY, KEY_DSTCOUNTRY, KEY_COUNTRY,	/* geo.h; "??" unknown */
	KEY_FIELD_MAX
};

struct key_spec {
	uint8_t		n;			/* fields in use */
	uint8_t		len;			/* key bytes */
	uint8_t		twoway;			/* has a two-way field */
	uint8_t		field[KEY_FIELDS_MAX];	/* enum key_field */
	uint8_t		prefix4[KEY_FIELDS_MAX];	/* IPv4 prefix, 32 = all */
	uint8_t		prefix6[KEY_FIELDS_MAX];	/* IPv6 prefix, 128 = all */
	uint8_t		offset[KEY_FIELDS_MAX];
	char		name[KEY_NAME_MAX];	/* canonical text */
};

struct key {
	uint8_t		b[KEY_BYTES_MAX];
};

int		 key_spec_parse(struct key_spec *, const char *, char *err,
		    size_t errlen);
size_t		 key_make(const struct key_spec *, const struct flow_rec *,
		    int side, struct key *);
const uint8_t	*key_bytes(const struct key_spec *, const struct flow_rec *,
		    int side, struct key *scratch);
const char	*key_field_name(enum key_field);
const char	*key_format_field(const struct key_spec *, const struct key *,
		    int i, const struct source_table *, char *, size_t);
int		 key_field_is_numeric(enum key_field);
uint64_t	 key_field_number(const struct key_spec *, const struct key *,
		    int i);

#endif
