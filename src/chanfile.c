/*
 * chanfile.c - reads the channels file line by line and hands each
 * "KEY = VALUE" to the section's owner.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chanfile.h"

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
chanfile_line(char *line, char *section, size_t seclen, chanfile_cb cb,
    void *ctx, char *err, size_t errlen)
{
	char *s = trim(line), *eq, *e;

	if (*s == '\0' || *s == '#')
		return 0;
	if (*s == '[') {
		if ((e = strchr(s, ']')) == NULL || *trim(e + 1) != '\0') {
			snprintf(err, errlen, "a section is [NAME]");
			return -1;
		}
		*e = '\0';
		s = trim(s + 1);
		if (strlen(s) >= seclen) {
			snprintf(err, errlen, "section name too long");
			return -1;
		}
		memcpy(section, s, strlen(s) + 1);
		return cb(ctx, section, NULL, NULL, err, errlen);
	}
	if ((eq = strchr(s, '=')) == NULL) {
		snprintf(err, errlen, "want NAME = VALUE");
		return -1;
	}
	*eq = '\0';
	return cb(ctx, section, trim(s), trim(eq + 1), err, errlen);
}

int
chanfile_read(const char *path, chanfile_cb cb, void *ctx, char *err,
    size_t errlen)
{
	char line[CHANFILE_LINE_MAX], section[128] = "", msg[512];
	unsigned lineno = 0;
	FILE *f;
	int rc = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line longer than %d"
			    " bytes", path, lineno, CHANFILE_LINE_MAX - 2);
			rc = -1;
			break;
		}
		msg[0] = '\0';
		if (chanfile_line(line, section, sizeof(section), cb, ctx, msg,
		    sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

void
chanfile_strip_comment(char *s)
{
	char *h;

	if ((h = strstr(s, " #")) != NULL || (h = strstr(s, "\t#")) != NULL)
		*h = '\0';
	h = s + strlen(s);
	while (h > s && isspace((unsigned char)h[-1]))
		*--h = '\0';
}

int
chanfile_default_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg != NULL && *xdg == '/')
		n = snprintf(buf, len, "%s/nftop/channels", xdg);
	else if (home != NULL && *home != '\0')
		n = snprintf(buf, len, "%s/.config/nftop/channels", home);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}
