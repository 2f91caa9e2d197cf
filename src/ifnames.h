/*
 * ifnames.h - interface names from a user file, for exporters that send
 * none (NetFlow v5, most v9 exporters).
 *
 * The file (--ifnames FILE) holds lines "EXPORTER IFINDEX NAME...":
 * EXPORTER an address or '*' for any exporter, IFINDEX a number, NAME the
 * rest of the line (trimmed, at most 63 bytes, sanitized).  '#' starts a
 * comment.  A name an exporter announced itself (IPFIX/v9 options) wins;
 * engine_ifname() does that lookup order for front ends.
 */
#ifndef NFTOP_IFNAMES_H
#define NFTOP_IFNAMES_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

#define IFNAMES_MAX		65536
#define IFNAMES_NAME_MAX	64

struct ifnames;

struct ifnames	*ifnames_load(const char *path, char *err, size_t errlen);
void		 ifnames_free(struct ifnames *);
/* The name for (exporter, ifindex), falling back to '*'; NULL if none. */
const char	*ifnames_get(const struct ifnames *,
		    const struct flow_addr *exporter, uint32_t ifindex);
size_t		 ifnames_count(const struct ifnames *);

#endif
