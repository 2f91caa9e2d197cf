/*
 * acl.h - the exporter allow-list (--allow CIDR).
 *
 * Exports can be spoofed by anyone who can reach the port; with an
 * allow-list, datagrams from other addresses are denied before any state
 * is created for them (RFC 7011 §11.5 discourages open collectors).
 */
#ifndef NFTOP_ACL_H
#define NFTOP_ACL_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define ACL_MAX		64

struct acl {
	struct flow_addr net[ACL_MAX];
	uint8_t		bits[ACL_MAX];	/* prefix length on 128 bits */
	int		n;
};

int	acl_add(struct acl *, const char *cidr, char *err, size_t errlen);
int	acl_allows(const struct acl *, const struct flow_addr *);

#endif
