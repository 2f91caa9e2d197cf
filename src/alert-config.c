/*
 * alert-config.c - the [alerts] and [signatures] sections of the channels
 * file (format in alert.h).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alert.h"
#include "chanfile.h"
#include "filter.h"
#include "view.h"

/* [alerts] keys that set a detector's floor; "off" disables it. */
static const struct {
	const char	*key;
	enum alert_kind	 kind;
} floor_keys[] = {
	{ "syn-flood", ALERT_SYN_FLOOD },
	{ "rst-flood", ALERT_RST_FLOOD },
	{ "port-scan", ALERT_PORT_SCAN },
	{ "host-sweep", ALERT_HOST_SWEEP },
	{ "reflection", ALERT_REFLECTION },
};

static int
parse_number(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) ||
	    v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
alerts_key(struct alert_config *c, const char *key, char *value, char *err,
    size_t errlen)
{
	uint64_t msec;
	double v;
	size_t i;
	char *tok, *save;

	chanfile_strip_comment(value);
	for (i = 0; i < sizeof(floor_keys) / sizeof(floor_keys[0]); i++) {
		if (strcmp(key, floor_keys[i].key) != 0)
			continue;
		if (strcasecmp(value, "off") == 0)
			v = 0;
		else if (parse_number(value, 1e-6, 1e15, &v) != 0)
			goto bad;
		c->floor[floor_keys[i].kind] = v;
		return 0;
	}
	if (strcmp(key, "bin") == 0) {
		if (view_window_parse(value, &msec) != 0 || msec == 0 ||
		    msec > 3600000 || msec % 1000 != 0)
			goto bad;
		c->bin_msec = msec;
	} else if (strcmp(key, "factor") == 0) {
		if (parse_number(value, 1, 1e6, &c->factor) != 0)
			goto bad;
	} else if (strcmp(key, "alpha") == 0) {
		if (parse_number(value, 1e-6, 1, &c->alpha) != 0)
			goto bad;
	} else if (strcmp(key, "clear") == 0) {
		if (parse_number(value, 1, 1000, &v) != 0 || v != floor(v))
			goto bad;
		c->clear_bins = (uint32_t)v;
	} else if (strcmp(key, "probe-packets") == 0) {
		if (parse_number(value, 1, 1000000, &v) != 0 || v != floor(v))
			goto bad;
		c->probe_pkts = (uint32_t)v;
	} else if (strcmp(key, "reflection-bpp") == 0) {
		if (parse_number(value, 1, 65535, &v) != 0 || v != floor(v))
			goto bad;
		c->refl_bpp = (uint32_t)v;
	} else if (strcmp(key, "reflection-ports") == 0) {
		c->nrefl_ports = 0;
		for (tok = strtok_r(value, " \t,", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t,", &save)) {
			if (parse_number(tok, 1, 65535, &v) != 0 ||
			    v != floor(v) ||
			    c->nrefl_ports == ALERT_REFL_PORTS_MAX)
				goto bad;
			c->refl_ports[c->nrefl_ports++] = (uint16_t)v;
		}
	} else {
		snprintf(err, errlen, "unknown [alerts] setting '%.40s'", key);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "%s: bad value '%.60s'", key, value);
	return -1;
}

/* "NAME [RATE UNIT[/s]] [by srcip|dstip]" */
static int
signature_head(struct alert_signature *sig, char *head, char *err,
    size_t errlen)
{
	char *words[6], *save, *w;
	int n = 0, i = 1;
	size_t len;

	for (w = strtok_r(head, " \t", &save); w != NULL && n < 6;
	    w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	if (n == 0 || n == 6 || w != NULL)
		goto bad;
	if (strlen(words[0]) >= sizeof(sig->name))
		goto bad;
	for (w = words[0]; *w != '\0'; w++)
		if (!isalnum((unsigned char)*w) && strchr("_.-", *w) == NULL)
			goto bad;
	snprintf(sig->name, sizeof(sig->name), "%s", words[0]);
	sig->rate = 1;
	sig->unit = ALERT_UNIT_FLOWS;
	sig->by_src = 1;
	if (i + 1 < n && strcmp(words[i], "by") != 0) {
		if (parse_number(words[i], 1e-6, 1e15, &sig->rate) != 0)
			goto bad;
		w = words[i + 1];
		len = strlen(w);
		if (len > 2 && strcmp(w + len - 2, "/s") == 0)
			w[len - 2] = '\0';
		if (strcmp(w, "flows") == 0)
			sig->unit = ALERT_UNIT_FLOWS;
		else if (strcmp(w, "packets") == 0)
			sig->unit = ALERT_UNIT_PACKETS;
		else if (strcmp(w, "bytes") == 0)
			sig->unit = ALERT_UNIT_BYTES;
		else
			goto bad;
		i += 2;
	}
	if (i + 1 < n && strcmp(words[i], "by") == 0) {
		if (strcmp(words[i + 1], "srcip") == 0)
			sig->by_src = 1;
		else if (strcmp(words[i + 1], "dstip") == 0)
			sig->by_src = 0;
		else
			goto bad;
		i += 2;
	}
	if (i != n)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen, "want NAME [RATE flows|packets|bytes/s] [by"
	    " srcip|dstip] = FILTER");
	return -1;
}

static int
alert_config_line(void *ctx, const char *section, const char *key,
    const char *value, char *err, size_t errlen)
{
	struct alert_config *c = ctx;
	struct alert_signature sig;
	char buf[CHANFILE_LINE_MAX];
	int i;

	if (key == NULL)
		return 0;		/* sections are channel.c's to check */
	snprintf(buf, sizeof(buf), "%s", strcmp(section, "alerts") == 0 ?
	    value : key);
	if (strcmp(section, "alerts") == 0)
		return alerts_key(c, key, buf, err, errlen);
	if (strcmp(section, "signatures") != 0)
		return 0;
	memset(&sig, 0, sizeof(sig));
	if (signature_head(&sig, buf, err, errlen) != 0)
		return -1;
	for (i = 0; i < c->nsig; i++)
		if (strcmp(c->sig[i].name, sig.name) == 0) {
			snprintf(err, errlen, "signature '%s' twice",
			    sig.name);
			return -1;
		}
	if (c->nsig == ALERT_SIGNATURES_MAX) {
		snprintf(err, errlen, "more than %d signatures",
		    ALERT_SIGNATURES_MAX);
		return -1;
	}
	if ((sig.filter = filter_compile(value, err, errlen)) == NULL)
		return -1;
	c->sig[c->nsig++] = sig;
	return 0;
}

int
alert_config_load(struct alert_config *c, const char *path, char *err,
    size_t errlen)
{
	return chanfile_read(path, alert_config_line, c, err, errlen);
}
