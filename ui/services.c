/*
 * services.c - reads the services file into per-protocol port tables
 * (services.h).  Lines are "name port/protocol [aliases] [# comment]";
 * anything else is skipped.  Names are kept as read and sanitized on
 * output like every other string.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services.h"
#include "xmalloc.h"

#define SERVICES_NAME_MAX	32
#define SERVICES_LINES_MAX	100000	/* a services file is a few K */

struct services {
	char	*tcp[65536];
	char	*udp[65536];
};

static void
services_line(struct services *s, char *line)
{
	char *name, *port, *proto, *end, **tab;
	unsigned long n;

	if ((end = strchr(line, '#')) != NULL)
		*end = '\0';
	if ((name = strtok_r(line, " \t\r\n", &end)) == NULL ||
	    (port = strtok_r(NULL, " \t\r\n", &end)) == NULL ||
	    (proto = strchr(port, '/')) == NULL)
		return;
	*proto++ = '\0';
	n = strtoul(port, &end, 10);
	if (*port == '\0' || *end != '\0' || n > 65535 ||
	    strlen(name) >= SERVICES_NAME_MAX)
		return;
	if (strcmp(proto, "tcp") == 0)
		tab = s->tcp;
	else if (strcmp(proto, "udp") == 0)
		tab = s->udp;
	else
		return;
	if (tab[n] == NULL)
		tab[n] = xstrdup(name);
}

struct services *
services_load(char *err, size_t errlen)
{
	const char *path = getenv("NFTOP_SERVICES");
	struct services *s;
	char line[512];
	FILE *f;
	int n = 0;

	if (path == NULL || *path == '\0')
		path = "/etc/services";
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	while (fgets(line, sizeof(line), f) != NULL &&
	    n++ < SERVICES_LINES_MAX)
		services_line(s, line);
	fclose(f);
	return s;
}

void
services_free(struct services *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < 65536; i++) {
		free(s->tcp[i]);
		free(s->udp[i]);
	}
	free(s);
}

/* The name of port for proto (6 TCP, 17 UDP; 0: either), or NULL. */
const char *
services_name(const struct services *s, uint16_t port, uint8_t proto)
{
	if (proto == 17)
		return s->udp[port];
	if (proto == 6)
		return s->tcp[port];
	if (proto == 0)
		return s->tcp[port] != NULL ? s->tcp[port] : s->udp[port];
	return NULL;
}
