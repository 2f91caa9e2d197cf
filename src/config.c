/*
 * config.c - reads the settings file (config.h) into a list of key/value
 * entries.  main.c calls config_load() before it parses the command line,
 * whose options then override the file; the UI reads the screen's
 * settings through engine.config.  Batch runs read the same file, so
 * nothing here knows about the terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "xmalloc.h"

/* The keys a settings file may hold. */
static const char *const config_keys[] = {
	"listen",	/* [ADDR:]PORT or tcp:[ADDR:]PORT, repeatable */
	"sflow",	/* [ADDR:]PORT, repeatable */
	"window",	/* 10s 5m 1h ... all */
	"aggregate",	/* key list, as --aggregate */
	"order",	/* bytes packets flows bps pps */
	"top",		/* rows in batch reports */
	"keymap",	/* NAME or FILE */
	"theme",	/* default 256 mono */
	"sparkline",	/* block braille ascii */
	"rates",	/* bits bytes */
	"numbers",	/* human exact */
	"dns",		/* on off */
	"services",	/* on off */
	"mouse",	/* on off */
	"history",	/* flow records retained */
};
#define CONFIG_NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

/* $XDG_CONFIG_HOME/nftop/config, or under $HOME/.config; -1 if neither. */
int
config_default_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg != NULL && *xdg == '/')
		n = snprintf(buf, len, "%s/nftop/config", xdg);
	else if (home != NULL && *home != '\0')
		n = snprintf(buf, len, "%s/.config/nftop/config", home);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static int
config_known(const char *key)
{
	size_t i;

	for (i = 0; i < CONFIG_NKEYS; i++)
		if (strcasecmp(config_keys[i], key) == 0)
			return 1;
	return 0;
}

static int
config_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Splits "key value # comment" in place; 0 for a blank line, -1 bad. */
static int
config_split(char *line, char **key, char **value)
{
	char *p = line, *e;

	while (config_blank(*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	*key = p;
	while (*p != '\0' && !config_blank(*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	while (config_blank(*p))
		p++;
	/* A '#' after a blank starts a comment. */
	for (e = p; *e != '\0'; e++)
		if (*e == '#' && (e == p || config_blank(e[-1]))) {
			*e = '\0';
			break;
		}
	e = p + strlen(p);
	while (e > p && config_blank(e[-1]))
		*--e = '\0';
	*value = p;
	return **value == '\0' ? -1 : 1;
}

static int
config_read(struct config *c, FILE *f, char *err, size_t errlen)
{
	char line[CONFIG_LINE_MAX + 2], *key, *value;
	unsigned lineno = 0;
	size_t len;
	int r;

	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > CONFIG_LINE_MAX ||
		    (len > 0 && line[len - 1] != '\n' && !feof(f))) {
			snprintf(err, errlen, "%s:%u: line longer than %d"
			    " bytes", c->path, lineno, CONFIG_LINE_MAX);
			return -1;
		}
		if ((r = config_split(line, &key, &value)) == 0)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "%s:%u: '%s' needs a value",
			    c->path, lineno, key);
			return -1;
		}
		if (!config_known(key)) {
			snprintf(err, errlen, "%s:%u: unknown setting '%s'",
			    c->path, lineno, key);
			return -1;
		}
		if (c->n == CONFIG_ENTRIES_MAX) {
			snprintf(err, errlen, "%s:%u: more than %d settings",
			    c->path, lineno, CONFIG_ENTRIES_MAX);
			return -1;
		}
		c->v[c->n].key = xstrdup(key);
		c->v[c->n].value = xstrdup(value);
		c->v[c->n].line = lineno;
		c->n++;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", c->path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Reads path (NULL: the default place).  A missing file is no error
 * unless must_exist; c is then empty.  -1 with "FILE:LINE: message".
 */
int
config_load(struct config *c, const char *path, int must_exist, char *err,
    size_t errlen)
{
	FILE *f;
	int r;

	memset(c, 0, sizeof(*c));
	if (path == NULL) {
		if (config_default_path(c->path, sizeof(c->path)) != 0) {
			c->path[0] = '\0';
			return 0;
		}
	} else
		snprintf(c->path, sizeof(c->path), "%s", path);
	if ((f = fopen(c->path, "r")) == NULL) {
		if (errno == ENOENT && !must_exist) {
			c->path[0] = '\0';
			return 0;
		}
		snprintf(err, errlen, "%s: %s", c->path, strerror(errno));
		return -1;
	}
	c->v = xcalloc(CONFIG_ENTRIES_MAX, sizeof(*c->v));
	r = config_read(c, f, err, errlen);
	fclose(f);
	if (r != 0)
		config_free(c);
	return r;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

static const struct config_entry *
config_last(const struct config *c, const char *key)
{
	size_t i;

	if (c == NULL)
		return NULL;
	for (i = c->n; i-- > 0;)
		if (strcasecmp(c->v[i].key, key) == 0)
			return &c->v[i];
	return NULL;
}

/* The last value of key, or NULL. */
const char *
config_get(const struct config *c, const char *key)
{
	const struct config_entry *e = config_last(c, key);

	return e != NULL ? e->value : NULL;
}

/* Every value of key in file order; returns how many there are. */
size_t
config_get_all(const struct config *c, const char *key, const char **out,
    size_t max)
{
	size_t i, n = 0;

	if (c == NULL)
		return 0;
	for (i = 0; i < c->n; i++)
		if (strcasecmp(c->v[i].key, key) == 0) {
			if (n < max)
				out[n] = c->v[i].value;
			n++;
		}
	return n;
}

/* "FILE:LINE" of the value config_get() returns, for error messages. */
const char *
config_where(const struct config *c, const char *key, char *buf,
    size_t len)
{
	const struct config_entry *e = config_last(c, key);

	if (e == NULL)
		snprintf(buf, len, "config");
	else
		snprintf(buf, len, "%s:%u", c->path, e->line);
	return buf;
}

/* on/off, yes/no, true/false, 1/0; -1 for anything else. */
int
config_bool(const char *value, int *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}
