/*
 * acl.c - CIDR matching on IPv4-mapped 128-bit addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"

static void
acl_mask(struct flow_addr *a, unsigned bits)
{
	unsigned i;

	for (i = bits / 8; i < 16; i++) {
		if (i == bits / 8 && bits % 8 != 0)
			a->b[i] &= (uint8_t)(0xff << (8 - bits % 8));
		else
			a->b[i] = 0;
	}
}

/* "10.0.0.0/8", "2001:db8::/32" or a single address. */
int
acl_add(struct acl *acl, const char *cidr, char *err, size_t errlen)
{
	char buf[64], *slash, *end;
	struct flow_addr a;
	unsigned long bits;
	int v4;

	if (acl->n >= ACL_MAX) {
		snprintf(err, errlen, "more than %d --allow", ACL_MAX);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", cidr);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (flow_addr_parse(&a, buf) != 0) {
		snprintf(err, errlen, "'%s' is not an address", buf);
		return -1;
	}
	v4 = flow_addr_is4(&a);
	bits = v4 ? 32 : 128;
	if (slash != NULL) {
		bits = strtoul(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || bits > (v4 ? 32u : 128u)) {
			snprintf(err, errlen, "bad prefix length in '%s'",
			    cidr);
			return -1;
		}
	}
	if (v4)
		bits += 96;
	acl_mask(&a, (unsigned)bits);
	acl->net[acl->n] = a;
	acl->bits[acl->n] = (uint8_t)bits;
	acl->n++;
	return 0;
}

/* An empty list allows everything. */
int
acl_allows(const struct acl *acl, const struct flow_addr *addr)
{
	struct flow_addr a;
	int i;

	if (acl == NULL || acl->n == 0)
		return 1;
	for (i = 0; i < acl->n; i++) {
		a = *addr;
		acl_mask(&a, acl->bits[i]);
		if (memcmp(&a, &acl->net[i], sizeof(a)) == 0)
			return 1;
	}
	return 0;
}
