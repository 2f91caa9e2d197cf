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
	/*
	 * When the key is one whole address (top talkers, the usual key):
	 * where it lies in a flow_rec, for side 0 and side 1; else 0 (no
	 * address lies at offset 0).  key_bytes then needs no work.
	 */
	uint8_t		addr_off[2];
	char		name[KEY_NAME_MAX];	/* canonical text */
};

struct key {
	uint8_t		b[KEY_BYTES_MAX];
};

int		 key_spec_parse(struct key_spec *, const char *, char *err,
		    size_t errlen);
size_t		 key_make(const struct key_spec *, const struct flow_rec *,
		    int side, struct key *);
const uint8_t	*key_build(const struct key_spec *, const struct flow_rec *,
		    int side, struct key *);
const char	*key_field_name(enum key_field);
const char	*key_format_field(const struct key_spec *, const struct key *,
		    int i, const struct source_table *, char *, size_t);
int		 key_field_is_numeric(enum key_field);
uint64_t	 key_field_number(const struct key_spec *, const struct key *,
		    int i);

/*
 * The bytes of a record's key (ks->len of them): the record's own address
 * when that is the whole key, else the key built in *scratch.  Reading
 * the address where it lies saves a copy that the table's hash and probe
 * then had to wait for (offline --read of v5 went 9 % faster); inline,
 * because a view asks it for every record it counts.
 */
static inline const uint8_t *
key_bytes(const struct key_spec *ks, const struct flow_rec *r, int side,
    struct key *scratch)
{
	if (ks->addr_off[side] != 0)
		return (const uint8_t *)r + ks->addr_off[side];
	return key_build(ks, r, side, scratch);
}

#endif
