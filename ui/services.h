/*
 * services.h - port numbers to service names, from /etc/services (or
 * NFTOP_SERVICES, a file of the same format, for tests).
 *
 * The file is read once, when names are turned on, into two tables (TCP
 * and UDP) of the first name given for each port, as getservbyport()
 * would answer; looking a name up is then an index, with no system call
 * on the drawing path.
 */
#ifndef NFTOP_UI_SERVICES_H
#define NFTOP_UI_SERVICES_H

#include <stddef.h>
#include <stdint.h>

struct services;

struct services	*services_load(char *err, size_t errlen);
void		 services_free(struct services *);
const char	*services_name(const struct services *, uint16_t port,
		    uint8_t proto);

#endif
