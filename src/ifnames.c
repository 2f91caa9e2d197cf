/*
 * ifnames.c - the user's interface names, read once into a sorted array
 * and found by binary search on (exporter, ifindex).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ifnames.h"
#include "sanitize.h"
#include "xmalloc.h"

struct ifname {
	struct flow_addr	exporter;	/* all zero: any ('*') */
	uint32_t		ifindex;
	char			name[IFNAMES_NAME_MAX];
};

struct ifnames {
	struct ifname	*v;
	size_t		 n;
};

static int
ifname_cmp(const void *a, const void *b)
{
	const struct ifname *x = a, *y = b;
	int c = memcmp(&x->exporter, &y->exporter, sizeof(x->exporter));

	if (c != 0)
		return c;
	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

/* Parses "EXPORTER IFINDEX NAME..." into e; an error text or NULL. */
static const char *
ifname_parse(char *line, struct ifname *e)
{
	char *exp, *idx, *name, *end;
	unsigned long v;
	size_t len;

	memset(e, 0, sizeof(*e));
	exp = strtok_r(line, " \t", &end);
	idx = strtok_r(NULL, " \t", &end);
	if (exp == NULL || idx == NULL)
		return "want EXPORTER IFINDEX NAME";
	name = end;
	while (isspace((unsigned char)*name))
		name++;
	len = strlen(name);
	while (len > 0 && isspace((unsigned char)name[len - 1]))
		len--;
	if (len == 0)
		return "no name";
	if (strcmp(exp, "*") != 0 && flow_addr_parse(&e->exporter, exp) != 0)
		return "bad exporter address";
	errno = 0;
	v = strtoul(idx, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX || *idx == '-')
		return "bad interface index";
	e->ifindex = (uint32_t)v;
	sanitize_label(e->name, sizeof(e->name), (const uint8_t *)name, len);
	return NULL;
}

struct ifnames *
ifnames_load(const char *path, char *err, size_t errlen)
{
	struct ifnames *t;
	char line[1024], *s;
	const char *why;
	unsigned lineno = 0;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		for (s = line; isspace((unsigned char)*s); s++)
			;
		if (*s == '#' || *s == '\0')
			continue;
		if (t->n == IFNAMES_MAX) {
			why = "too many names";
			goto bad;
		}
		if ((t->n & (t->n + 1)) == 0 || t->n == 0)
			t->v = xreallocarray(t->v, (t->n + 1) * 2,
			    sizeof(*t->v));
		if ((why = ifname_parse(s, &t->v[t->n])) != NULL)
			goto bad;
		t->n++;
	}
	fclose(f);
	qsort(t->v, t->n, sizeof(*t->v), ifname_cmp);
	return t;
bad:
	snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
	fclose(f);
	ifnames_free(t);
	return NULL;
}

void
ifnames_free(struct ifnames *t)
{
	if (t == NULL)
		return;
	free(t->v);
	free(t);
}

size_t
ifnames_count(const struct ifnames *t)
{
	return t->n;
}

static const char *
ifnames_find(const struct ifnames *t, const struct flow_addr *exp,
    uint32_t ifindex)
{
	struct ifname key;
	const struct ifname *e;

	memset(&key, 0, sizeof(key));
	key.exporter = *exp;
	key.ifindex = ifindex;
	e = bsearch(&key, t->v, t->n, sizeof(*t->v), ifname_cmp);
	return e != NULL ? e->name : NULL;
}

const char *
ifnames_get(const struct ifnames *t, const struct flow_addr *exp,
    uint32_t ifindex)
{
	static const struct flow_addr any;
	const char *name;

	if (t == NULL || t->n == 0)
		return NULL;
	if ((name = ifnames_find(t, exp, ifindex)) != NULL)
		return name;
	return ifnames_find(t, &any, ifindex);
}
