/*
 * analysis.c - creates the channels, detectors, enrichment and names the
 * options ask for, and hangs them on the engine.
 *
 * The screen always has channels (the file, or the default profile) and
 * detectors; a batch run has only what its options name, so that reports
 * keep the shape the batch contract fixes unless asked otherwise.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "chanfile.h"
#include "channel.h"
#include "engine.h"
#include "geo.h"
#include "ifnames.h"
#include "store.h"
#include "view.h"

static int
setup_channels(struct engine *e, const struct analysis_opts *o,
    const char **path, char *err, size_t errlen)
{
	static char def[4096];

	*path = o->channels;
	if (*path == NULL && chanfile_default_path(def, sizeof(def)) == 0 &&
	    access(def, R_OK) == 0)
		*path = def;
	if (o->batch && o->channels == NULL)
		return 0;
	e->channels = channel_set_create(e->store, e->sources,
	    e->view->window_msec);
	if (*path == NULL) {
		channel_set_defaults(e->channels);
		return 0;
	}
	return channel_set_load(e->channels, *path, err, errlen);
}

static int
setup_alerts(struct engine *e, const struct analysis_opts *o,
    const char *path, char *err, size_t errlen)
{
	struct alert_config cfg;

	/* The settings are checked even when no detector runs. */
	alert_config_defaults(&cfg);
	if (path != NULL && alert_config_load(&cfg, path, err, errlen) != 0) {
		alert_config_free(&cfg);
		return -1;
	}
	if (o->batch && !o->alerts) {
		alert_config_free(&cfg);
		return 0;
	}
	e->alerts = alerts_create(e->store, &cfg, e->sources);
	alert_config_free(&cfg);
	if (o->notify != NULL)
		alerts_set_notify(e->alerts, o->notify, o->notify_ctx);
	return 0;
}

int
analysis_setup(struct engine *e, const struct analysis_opts *o, char *err,
    size_t errlen)
{
	const char *path;

	if (setup_channels(e, o, &path, err, errlen) != 0)
		return -1;
	if (setup_alerts(e, o, path, err, errlen) != 0)
		return -1;
	if (o->ifnames != NULL &&
	    (e->ifnames = ifnames_load(o->ifnames, err, errlen)) == NULL)
		return -1;
	err[0] = '\0';
	e->geo = geo_open(o->asn, o->geoip, 1, err, errlen);
	if (e->geo == NULL && err[0] != '\0')
		return -1;
	if (e->geo != NULL)
		store_set_enrich(e->store, geo_enrich_cb, e->geo);
	return 0;
}

void
analysis_free(struct engine *e)
{
	alerts_free(e->alerts);
	e->alerts = NULL;
	channel_set_free(e->channels);
	e->channels = NULL;
	if (e->geo != NULL)
		store_set_enrich(e->store, NULL, NULL);
	geo_close(e->geo);
	e->geo = NULL;
	ifnames_free(e->ifnames);
	e->ifnames = NULL;
}
