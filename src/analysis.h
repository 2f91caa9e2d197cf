/*
 * analysis.h - wiring of issue 7's parts into the engine: channels,
 * alert detectors, AS/country enrichment and interface names, from the
 * options main.c parsed.  main.c calls analysis_setup() once the store,
 * sources and active view exist, and analysis_free() at the end.
 */
#ifndef NFTOP_ANALYSIS_H
#define NFTOP_ANALYSIS_H

#include <stddef.h>

#include "alert.h"

struct engine;

struct analysis_opts {
	const char	*channels;	/* --channels FILE, or NULL */
	const char	*geoip;		/* --geoip FILE */
	const char	*asn;		/* --asn FILE */
	const char	*ifnames;	/* --ifnames FILE */
	int		 batch;		/* no screen: only what was asked */
	int		 alerts;	/* --alerts */
	alert_notify_cb	 notify;	/* alert events, or NULL */
	void		*notify_ctx;
};

int	analysis_setup(struct engine *, const struct analysis_opts *,
	    char *err, size_t errlen);
void	analysis_free(struct engine *);

#endif
