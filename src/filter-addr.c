/*
 * filter-addr.c - the values a filter names that are not plain numbers:
 * IPv4/IPv6 addresses and prefixes, host names, MAC addresses, ISO 8601
 * times, and the address sets of "ip in [ ... ]".
 *
 * Addresses are kept as nftop keeps them in flow records: 16 bytes, IPv4
 * as ::ffff:a.b.c.d, so one masked 128-bit compare serves both families.
 * Host names are looked up in /etc/hosts only: a lookup that could wait on
 * the network has no place in a single-threaded event loop, and a name the
 * hosts file does not know is an error, as a failed lookup is in nfdump.
 *
 * An address set is split by prefix length (and family); each part is a
 * sorted array searched by bisection, so a lookup costs a few compares per
 * distinct prefix length whatever the size of the list.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter-impl.h"
#include "xmalloc.h"

#define HOSTS_FILE	"/etc/hosts"

/*
 * A literal address: IPv6 if it has a ':', else a complete dotted quad.
 * Returns 0, or -1 if s is not an address.
 */
int
faddr_parse(const char *s, struct flow_addr *a, int *v4)
{
	uint8_t b[16];

	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, b) != 1)
			return -1;
		flow_addr_set6(a, b);
		*v4 = flow_addr_is4(a);
		return 0;
	}
	if (inet_pton(AF_INET, s, b) != 1)
		return -1;
	flow_addr_set4(a, (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3]);
	*v4 = 1;
	return 0;
}

/*
 * The classic grammar's abbreviated IPv4 network, "172.16" for
 * 172.16.0.0: one to four decimal octets.  octets says how many were
 * given, which bounds the prefix length nfdump 1.7.1 allows.
 */
int
faddr_parse_abbrev(const char *s, struct flow_addr *a, int *octets)
{
	uint32_t v = 0, o;
	int n = 0;
	char *end;

	for (;;) {
		if (!isdigit((unsigned char)*s))
			return -1;
		o = (uint32_t)strtoul(s, &end, 10);
		if (o > 255 || end - s > 3 || n == 4)
			return -1;
		v |= o << (24 - 8 * n);
		n++;
		if (*end == '\0')
			break;
		if (*end != '.')
			return -1;
		s = end + 1;
	}
	flow_addr_set4(a, v);
	*octets = n;
	return 0;
}

/* The mask of a prefix: for IPv4 the ::ffff: part plus plen bits. */
void
faddr_prefix_mask(struct flow_addr *m, int v4, unsigned plen)
{
	unsigned bits = v4 ? 96 + plen : plen, i;

	if (bits > 128)
		bits = 128;
	memset(m->b, 0, sizeof(m->b));
	for (i = 0; i < bits / 8; i++)
		m->b[i] = 0xff;
	if (bits % 8)
		m->b[i] = (uint8_t)(0xff << (8 - bits % 8));
}

static int
has_letter(const char *s)
{
	for (; *s != '\0'; s++)
		if (isalpha((unsigned char)*s))
			return 1;
	return 0;
}

static void
host_add(struct fhost *h, const struct flow_addr *a)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (memcmp(&h->a[i], a, sizeof(*a)) == 0)
			return;
	if (h->n < FILTER_HOSTS_MAX)
		h->a[h->n++] = *a;
}

/* Every address /etc/hosts gives name (or an alias of it). */
static int
hosts_lookup(const char *name, struct fhost *h)
{
	struct flow_addr a;
	char line[1024], *tok, *save, *addr;
	FILE *f;
	int v4;

	if ((f = fopen(HOSTS_FILE, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "#\n")] = '\0';
		if ((addr = strtok_r(line, " \t", &save)) == NULL)
			continue;
		while ((tok = strtok_r(NULL, " \t", &save)) != NULL)
			if (strcasecmp(tok, name) == 0 &&
			    faddr_parse(addr, &a, &v4) == 0)
				host_add(h, &a);
	}
	fclose(f);
	return h->n > 0 ? 0 : -1;
}

/*
 * An address, or with allow_names a host name, into h.  Returns the
 * number of addresses, or -1.
 */
int
faddr_lookup(const char *s, struct fhost *h, int allow_names)
{
	int v4;

	h->n = 0;
	if (strchr(s, ':') == NULL && has_letter(s)) {
		if (!allow_names || hosts_lookup(s, h) != 0)
			return -1;
		return h->n;
	}
	if (faddr_parse(s, &h->a[0], &v4) != 0)
		return -1;
	h->n = 1;
	return 1;
}

/* "00:11:22:33:44:55" (one or two hex digits a byte); not all zero. */
int
faddr_mac(const char *s, uint64_t *mac)
{
	uint64_t v = 0;
	int i, d, n;

	for (i = 0; i < 6; i++) {
		for (n = 0; isxdigit((unsigned char)s[n]) && n < 3; n++)
			;
		if (n == 0 || n > 2)
			return -1;
		for (d = 0; d < n; d++)
			v = v << 4 | (uint64_t)(isdigit((unsigned char)s[d]) ?
			    s[d] - '0' : (tolower((unsigned char)s[d]) - 'a' +
			    10));
		s += n;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	if (*s != '\0' || v == 0)
		return -1;
	*mac = v;
	return 0;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Reads n digits; -1 if they are not there. */
static long
digits(const char **s, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	return v;
}

/*
 * nfdump's "first seen" times: YYYY[-MM[-DD[Thh[:mm[:ss[.mmm]]]]]], the
 * missing parts taken as their start.  nftop reads them as UTC, the time
 * zone of all its records and output.
 */
int
faddr_time(const char *s, uint64_t *msec)
{
	long v[7] = { 0, 1, 1, 0, 0, 0, 0 };
	static const int width[7] = { 4, 2, 2, 2, 2, 2, 3 };
	static const char sep[7] = { 0, '-', '-', 'T', ':', ':', '.' };
	static const long max[7] = { 9999, 12, 31, 23, 59, 60, 999 };
	int64_t days;
	int i;

	for (i = 0; i < 7; i++) {
		if (i > 0) {
			if (*s == '\0')
				break;
			if (*s != sep[i] && !(i == 3 && *s == 't'))
				return -1;
			s++;
		}
		if ((v[i] = digits(&s, width[i])) < 0 || v[i] > max[i])
			return -1;
	}
	if (*s != '\0' || v[0] < 1970 || v[1] < 1 || v[2] < 1)
		return -1;
	days = days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]);
	*msec = (uint64_t)(((days * 24 + v[3]) * 60 + v[4]) * 60 + v[5]) *
	    1000 + (uint64_t)v[6];
	return 0;
}

static int
addr_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct flow_addr));
}

/* Adds the group of the k addresses with this prefix length and family. */
static void
group_add(struct fset *s, const struct flow_addr *v, const uint8_t *plen,
    const uint8_t *v4, size_t n, int len, int fam, size_t k)
{
	struct fipgroup *g;
	size_t i, j;

	s->groups = xreallocarray(s->groups, s->ngroups + 1,
	    sizeof(*s->groups));
	g = &s->groups[s->ngroups++];
	faddr_prefix_mask(&g->mask, 0, (unsigned)len);
	g->v4 = (uint8_t)fam;
	g->v = xreallocarray(NULL, k, sizeof(*g->v));
	g->n = 0;
	for (i = 0; i < n; i++) {
		if (plen[i] != len || v4[i] != fam)
			continue;
		for (j = 0; j < 16; j++)
			g->v[g->n].b[j] = v[i].b[j] & g->mask.b[j];
		g->n++;
	}
	qsort(g->v, g->n, sizeof(*g->v), addr_cmp);
	for (i = 1, j = 1; i < g->n; i++)
		if (memcmp(&g->v[i], &g->v[j - 1], sizeof(*g->v)) != 0)
			g->v[j++] = g->v[i];
	g->n = j;
	s->n += g->n;
}

/*
 * Builds an address set from n addresses with their prefix lengths (128
 * for a host; IPv4 lengths count from the ::ffff: prefix, so 96..128) and
 * families: an IPv6 prefix never matches an IPv4 record, as in nfdump.
 */
int
fset_ip_build(struct fset *s, const struct flow_addr *v,
    const uint8_t *plen, const uint8_t *v4, size_t n)
{
	size_t i, k;
	int len, fam;

	memset(s, 0, sizeof(*s));
	s->kind = FSET_ADDR;
	for (len = 128; len >= 0; len--) {
		for (fam = 0; fam < 2; fam++) {
			for (i = 0, k = 0; i < n; i++)
				if (plen[i] == len && v4[i] == fam)
					k++;
			if (k > 0)
				group_add(s, v, plen, v4, n, len, fam, k);
		}
	}
	return 0;
}

int
fset_ip_has(const struct fset *s, const struct flow_addr *a, int v4)
{
	const struct fipgroup *g;
	struct flow_addr k;
	size_t gi, lo, hi, mid;
	int c, j;

	for (gi = 0; gi < s->ngroups; gi++) {
		g = &s->groups[gi];
		if (g->v4 != v4)
			continue;
		for (j = 0; j < 16; j++)
			k.b[j] = a->b[j] & g->mask.b[j];
		lo = 0;
		hi = g->n;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = memcmp(&k, &g->v[mid], sizeof(k));
			if (c == 0)
				return 1;
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	return 0;
}

int
fset_u32_has(const struct fset *s, uint32_t v)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->u32[mid] == v)
			return 1;
		if (s->u32[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

void
fset_free(struct fset *s)
{
	size_t i;

	free(s->bits);
	free(s->u32);
	for (i = 0; i < s->ngroups; i++)
		free(s->groups[i].v);
	free(s->groups);
	memset(s, 0, sizeof(*s));
}
