/*
 * channel.h - NfSen-style channels and profiles.
 *
 * A channel is a named flow filter (nfdump syntax, filter.h); a profile is
 * a set of channels shown together, with the totals of the records any of
 * its channels matched (a union: overlapping channels are not counted
 * twice).  Channels do not depend on the active view's filter: they count
 * every retained record over the same window (and history cursor) as the
 * active view.
 *
 * Counting is incremental, like a view's: a record is matched against
 * every channel once, when it arrives; which channels matched is kept in
 * one 64-bit word per ring slot (8 bytes per retained record, instead of
 * one of the store's eight view slots per channel), so a record that ages
 * out of the window or is evicted leaves the channels it entered without
 * running a filter again.  Adding a channel counts it from the retained
 * history at once.
 *
 * How a front end uses it (the engine owns the set: engine.channels):
 *
 *	struct channel_set *cs = e->channels;
 *	const struct channel *list[CHANNEL_MAX];
 *	size_t i, n;
 *
 *	each tick, when cs->generation moved:
 *	for (p = 0; p < cs->nprofiles; p++) {
 *		cs->profiles[p].name, .totals, .series    (the profile's line)
 *		n = channel_list(cs, p, list, CHANNEL_MAX);
 *		for (i = 0; i < n; i++)
 *			list[i]->name, filter_text(list[i]->filter),
 *			list[i]->totals (flows/pkts/bytes in the window),
 *			channel_rate(cs, &list[i]->totals, &bps, &pps),
 *			series_get(&list[i]->series, sec, &c) for the
 *			    sparkline, sec from channel_set_end_msec(cs) / 1000
 *			    back over the window
 *	}
 *	prompt ":channel add NAME FILTER": channel_add(cs, profile, name,
 *	    filter, err, errlen) (profile NULL = the first one)
 *	prompt ":channel del NAME": channel_remove(cs, profile, name)
 *	Enter on a channel (drill-down): engine_set_filter(e,
 *	    filter_text(ch->filter), err, errlen)
 *
 * Window and cursor follow the engine's active view through
 * engine_set_window() and engine_set_pin(); a front end does not call
 * channel_set_window/channel_set_pin itself.
 *
 * The channels file ($XDG_CONFIG_HOME/nftop/channels, or --channels FILE):
 *
 *	# comments start with '#'; blank lines are ignored
 *	[profile live]			a profile; its channels follow
 *	tcp   = proto tcp		NAME = FILTER (first '=' splits)
 *	web   = proto tcp and port in [80 443]
 *	[profile worms]
 *	slammer = proto udp and dst port 1434 and bytes 404
 *	[alerts]			detector settings: alert.h
 *	[signatures]			user alert signatures: alert.h
 *
 * Channels before any [profile] line belong to profile "live".  Without a
 * file, profile "live" holds tcp, udp, icmp (v4 and v6) and other.
 * Names are 1..31 characters of [A-Za-z0-9_.-].
 */
#ifndef NFTOP_CHANNEL_H
#define NFTOP_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "series.h"

struct store;
struct filter;
struct source_table;

#define CHANNEL_MAX		64	/* bits of the per-record word */
#define CHANNEL_PROFILES_MAX	16
#define CHANNEL_NAME_MAX	32

struct channel {
	int			 in_use;
	int			 profile;	/* index into profiles[] */
	uint64_t		 order;		/* definition order */
	char			 name[CHANNEL_NAME_MAX];
	struct filter		*filter;	/* owned */
	struct agg_counts	 totals;	/* records in the window */
	struct series		 series;	/* per second, receive time */
};

struct channel_profile {
	char			 name[CHANNEL_NAME_MAX];
	uint64_t		 mask;		/* its channels' bits */
	struct agg_counts	 totals;	/* records any channel matched */
	struct series		 series;
};

struct channel_set {
	struct store		*store;
	const struct source_table *sources;	/* for exporter primitives */
	uint64_t		 window_msec;	/* 0 = all */
	uint64_t		 pin_msec;	/* 0 = live */
	uint64_t		*match;		/* per ring slot: channel bits */
	uint64_t		 win_start;	/* oldest sequence counted */
	uint64_t		 next_order;
	int			 nprofiles;
	struct channel_profile	 profiles[CHANNEL_PROFILES_MAX];
	struct channel		 ch[CHANNEL_MAX];
	uint64_t		 used;		/* bit i: ch[i].in_use */
	uint64_t		 by_filter;	/* used channels filter_match runs */
	uint64_t		 by_proto[256];	/* the others', by protocol */
	uint64_t		 generation;	/* moves with every change */
};

/*
 * Creates an empty set observing the store (window 0 = all).  The source
 * table lets "router ip" primitives work; it may be NULL.
 */
struct channel_set *channel_set_create(struct store *,
		    const struct source_table *, uint64_t window_msec);
void		 channel_set_free(struct channel_set *);
void		 channel_set_prefault(struct channel_set *);	/* live */

/* Profile "live" with tcp, udp, icmp and other. */
void		 channel_set_defaults(struct channel_set *);

/*
 * Reads a channels file (format above); sections other than [profile ...]
 * are left to their readers (alert_config_load).  On error nothing of the
 * file is kept and err says "FILE:LINE: message".
 */
int		 channel_set_load(struct channel_set *, const char *path,
		    char *err, size_t errlen);

/*
 * Adds channel name = filter text to the profile (created when new;
 * NULL = the first profile, or "live").  Returns its index in ch[], or -1
 * with a message (bad filter, bad or duplicate name, no free channel).
 */
int		 channel_add(struct channel_set *, const char *profile,
		    const char *name, const char *filter, char *err,
		    size_t errlen);
/* 0, or -1 when there is no such channel.  An emptied profile stays. */
int		 channel_remove(struct channel_set *, const char *profile,
		    const char *name);
int		 channel_find(const struct channel_set *, const char *profile,
		    const char *name);

/* The profile's channels in definition order; returns how many. */
size_t		 channel_list(const struct channel_set *, int profile,
		    const struct channel **out, size_t max);

void		 channel_set_window(struct channel_set *, uint64_t msec);
void		 channel_set_pin(struct channel_set *, uint64_t end_msec);
uint64_t	 channel_set_end_msec(const struct channel_set *);
/* The seconds the totals cover, for rates (as view_seconds). */
double		 channel_set_seconds(const struct channel_set *);
void		 channel_rate(const struct channel_set *,
		    const struct agg_counts *, double *bps, double *pps);

/* Recounts everything from the retained records. */
void		 channel_set_rebuild(struct channel_set *);

#endif
