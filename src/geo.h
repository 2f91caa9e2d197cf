/*
 * geo.h - enrichment: AS numbers and countries for addresses from
 * MaxMind-format databases (GeoLite2/GeoIP2/DB-IP .mmdb) through
 * libmaxminddb.
 *
 * The store calls geo_enrich on every record's ring copy (store_set_enrich)
 * before views see it, so "src as 64500" filters and srcas/dstas keys work
 * for exporters that send no AS: srcas/dstas are filled only when the
 * exporter left them 0.  Countries go into flow_rec.src_cc/dst_cc as a
 * small index: geo_country_code() turns it back into "DE".  The index is
 * process-wide and stable, so keys holding it stay valid.
 *
 * Built without libmaxminddb (no pkg-config file found), geo_open says so
 * and the rest is a no-op; nothing else changes.
 *
 * Databases: --asn FILE and --geoip FILE; with neither, the first of
 * GEO_DEFAULT_ASN / GEO_DEFAULT_COUNTRY that exists (Debian's and
 * MaxMind's usual paths) is used, and a missing one is fine.
 */
#ifndef NFTOP_GEO_H
#define NFTOP_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct geo;

#define GEO_COUNTRIES_MAX	255	/* indexes 1..255; 0 = unknown */

struct geo_stats {
	uint64_t	lookups;	/* addresses looked up */
	uint64_t	cache_hits;	/* answered from the cache */
	uint64_t	as_found;	/* AS numbers filled in */
	uint64_t	cc_found;	/* countries filled in */
	uint64_t	errors;		/* database lookup errors */
	uint64_t	cc_full;	/* countries past GEO_COUNTRIES_MAX */
};

/* 1 if built with libmaxminddb. */
int		 geo_supported(void);

/*
 * Opens the databases.  A path given that cannot be opened is an error;
 * with use_defaults, the default paths are tried for what was not given.
 * Returns NULL with err set on error, and also (err "") when there is
 * nothing to open.
 */
struct geo	*geo_open(const char *asn_path, const char *country_path,
		    int use_defaults, char *err, size_t errlen);
void		 geo_close(struct geo *);
void		 geo_enrich(struct geo *, struct flow_rec *);
/* The store's callback: ctx is the geo. */
void		 geo_enrich_cb(void *ctx, struct flow_rec *);
const struct geo_stats *geo_stats(const struct geo *);
/* The files in use, for the status line; "" when none. */
const char	*geo_asn_path(const struct geo *);
const char	*geo_country_path(const struct geo *);

/* "DE" for an index a record holds, "" for 0 or an unknown index. */
const char	*geo_country_code(uint8_t);
/* The index of a two-letter code, given one if new; 0 when full. */
uint8_t		 geo_country_index(const char *code);

#endif
