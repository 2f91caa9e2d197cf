/*
 * geo.c - AS numbers and countries from MaxMind-format databases.
 *
 * Lookups go through a small direct-mapped cache in front of
 * libmaxminddb (a busy collector sees the same addresses again and
 * again); the country index table is process-wide, so a record's src_cc
 * means the same thing to every view.  Without libmaxminddb only that
 * table is built and geo_open() reports that databases are not supported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "geo.h"
#include "hash.h"
#include "xmalloc.h"

#ifdef HAVE_MAXMINDDB
#include <sys/socket.h>
#include <netinet/in.h>
#include <maxminddb.h>
#endif

#define GEO_CACHE_SLOTS	65536

static char	geo_codes[GEO_COUNTRIES_MAX + 1][3];
static int	geo_ncodes;

const char *
geo_country_code(uint8_t i)
{
	return i != 0 && i <= geo_ncodes ? geo_codes[i] : "";
}

uint8_t
geo_country_index(const char *code)
{
	int i;

	if (code[0] == '\0' || code[1] == '\0' || code[2] != '\0')
		return 0;
	for (i = 1; i <= geo_ncodes; i++)
		if (geo_codes[i][0] == code[0] && geo_codes[i][1] == code[1])
			return (uint8_t)i;
	if (geo_ncodes == GEO_COUNTRIES_MAX)
		return 0;
	i = ++geo_ncodes;
	geo_codes[i][0] = code[0];
	geo_codes[i][1] = code[1];
	return (uint8_t)i;
}

#ifndef HAVE_MAXMINDDB

int
geo_supported(void)
{
	return 0;
}

struct geo *
geo_open(const char *asn_path, const char *country_path, int use_defaults,
    char *err, size_t errlen)
{
	(void)use_defaults;
	if (asn_path != NULL || country_path != NULL)
		snprintf(err, errlen, "built without libmaxminddb: --asn and"
		    " --geoip are not available");
	else
		err[0] = '\0';
	return NULL;
}

void
geo_close(struct geo *g)
{
	(void)g;
}

void
geo_enrich(struct geo *g, struct flow_rec *r)
{
	(void)g;
	(void)r;
}

void
geo_enrich_cb(void *ctx, struct flow_rec *r)
{
	(void)ctx;
	(void)r;
}

const struct geo_stats *
geo_stats(const struct geo *g)
{
	static const struct geo_stats none;

	(void)g;
	return &none;
}

const char *
geo_asn_path(const struct geo *g)
{
	(void)g;
	return "";
}

const char *
geo_country_path(const struct geo *g)
{
	(void)g;
	return "";
}

#else

/* Debian's and MaxMind's usual places, first found wins. */
static const char *const geo_default_asn[] = {
	"/usr/share/GeoIP/GeoLite2-ASN.mmdb",
	"/var/lib/GeoIP/GeoLite2-ASN.mmdb",
	"/usr/share/GeoIP/dbip-asn-lite.mmdb",
	NULL
};
static const char *const geo_default_country[] = {
	"/usr/share/GeoIP/GeoLite2-Country.mmdb",
	"/var/lib/GeoIP/GeoLite2-Country.mmdb",
	"/usr/share/GeoIP/dbip-country-lite.mmdb",
	"/usr/share/GeoIP/GeoLite2-City.mmdb",
	NULL
};

struct geo_entry {
	struct flow_addr	addr;
	uint32_t		as;
	uint8_t			cc;
	uint8_t			valid;
};

struct geo {
	MMDB_s			 asn;
	MMDB_s			 country;
	int			 have_asn;
	int			 have_country;
	char			 asn_path[4096];
	char			 country_path[4096];
	uint64_t		 hash_key;
	struct geo_entry	*cache;
	struct geo_stats	 stats;
};

int
geo_supported(void)
{
	return 1;
}

static const char *
geo_first(const char *const *paths)
{
	for (; *paths != NULL; paths++)
		if (access(*paths, R_OK) == 0)
			return *paths;
	return NULL;
}

static int
geo_open_one(MMDB_s *db, const char *path, char *dst, size_t dstlen,
    char *err, size_t errlen)
{
	int rc;

	if ((rc = MMDB_open(path, MMDB_MODE_MMAP, db)) != MMDB_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path, MMDB_strerror(rc));
		return -1;
	}
	snprintf(dst, dstlen, "%s", path);
	return 0;
}

struct geo *
geo_open(const char *asn_path, const char *country_path, int use_defaults,
    char *err, size_t errlen)
{
	struct geo *g;

	err[0] = '\0';
	if (use_defaults && asn_path == NULL)
		asn_path = geo_first(geo_default_asn);
	if (use_defaults && country_path == NULL)
		country_path = geo_first(geo_default_country);
	if (asn_path == NULL && country_path == NULL)
		return NULL;
	g = xcalloc(1, sizeof(*g));
	if (asn_path != NULL) {
		if (geo_open_one(&g->asn, asn_path, g->asn_path,
		    sizeof(g->asn_path), err, errlen) != 0)
			goto fail;
		g->have_asn = 1;
	}
	if (country_path != NULL) {
		if (geo_open_one(&g->country, country_path, g->country_path,
		    sizeof(g->country_path), err, errlen) != 0)
			goto fail;
		g->have_country = 1;
	}
	g->cache = xcalloc(GEO_CACHE_SLOTS, sizeof(*g->cache));
	g->hash_key = hash_random_key();
	return g;
fail:
	geo_close(g);
	return NULL;
}

void
geo_close(struct geo *g)
{
	if (g == NULL)
		return;
	if (g->have_asn)
		MMDB_close(&g->asn);
	if (g->have_country)
		MMDB_close(&g->country);
	free(g->cache);
	free(g);
}

static int
geo_lookup(struct geo *g, MMDB_s *db, const struct flow_addr *a,
    MMDB_lookup_result_s *res)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	int mmdb;

	if (flow_addr_is4(a)) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, a->b + 12, 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, a->b, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	*res = MMDB_lookup_sockaddr(db, sa, &mmdb);
	if (mmdb != MMDB_SUCCESS) {
		g->stats.errors++;
		return 0;
	}
	return res->found_entry;
}

static uint32_t
geo_asn(struct geo *g, const struct flow_addr *a)
{
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;

	if (!g->have_asn || !geo_lookup(g, &g->asn, a, &res))
		return 0;
	if (MMDB_get_value(&res.entry, &d, "autonomous_system_number",
	    NULL) != MMDB_SUCCESS || !d.has_data)
		return 0;
	if (d.type == MMDB_DATA_TYPE_UINT32)
		return d.uint32;
	if (d.type == MMDB_DATA_TYPE_UINT16)
		return d.uint16;
	if (d.type == MMDB_DATA_TYPE_UINT64 && d.uint64 <= UINT32_MAX)
		return (uint32_t)d.uint64;
	return 0;
}

static uint8_t
geo_cc(struct geo *g, const struct flow_addr *a)
{
	MMDB_lookup_result_s res;
	MMDB_entry_data_s d;
	char code[3];
	uint8_t i;

	if (!g->have_country || !geo_lookup(g, &g->country, a, &res))
		return 0;
	if ((MMDB_get_value(&res.entry, &d, "country", "iso_code", NULL) !=
	    MMDB_SUCCESS || !d.has_data) &&
	    (MMDB_get_value(&res.entry, &d, "registered_country", "iso_code",
	    NULL) != MMDB_SUCCESS || !d.has_data))
		return 0;
	/* Two ASCII letters, or nothing: the database is input too. */
	if (d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size != 2)
		return 0;
	code[0] = d.utf8_string[0];
	code[1] = d.utf8_string[1];
	code[2] = '\0';
	if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
		return 0;
	if ((i = geo_country_index(code)) == 0)
		g->stats.cc_full++;
	return i;
}

static const struct geo_entry *
geo_get(struct geo *g, const struct flow_addr *a)
{
	struct geo_entry *e;

	g->stats.lookups++;
	e = &g->cache[hash_bytes(a, sizeof(*a), g->hash_key) &
	    (GEO_CACHE_SLOTS - 1)];
	if (e->valid && memcmp(&e->addr, a, sizeof(*a)) == 0) {
		g->stats.cache_hits++;
		return e;
	}
	e->addr = *a;
	e->as = geo_asn(g, a);
	e->cc = geo_cc(g, a);
	e->valid = 1;
	return e;
}

void
geo_enrich(struct geo *g, struct flow_rec *r)
{
	const struct geo_entry *e;

	e = geo_get(g, &r->src);
	if (r->srcas == 0 && e->as != 0) {
		r->srcas = e->as;
		g->stats.as_found++;
	}
	if (e->cc != 0) {
		r->src_cc = e->cc;
		g->stats.cc_found++;
	}
	e = geo_get(g, &r->dst);
	if (r->dstas == 0 && e->as != 0) {
		r->dstas = e->as;
		g->stats.as_found++;
	}
	if (e->cc != 0) {
		r->dst_cc = e->cc;
		g->stats.cc_found++;
	}
}

void
geo_enrich_cb(void *ctx, struct flow_rec *r)
{
	geo_enrich(ctx, r);
}

const struct geo_stats *
geo_stats(const struct geo *g)
{
	return &g->stats;
}

const char *
geo_asn_path(const struct geo *g)
{
	return g->asn_path;
}

const char *
geo_country_path(const struct geo *g)
{
	return g->country_path;
}

#endif
