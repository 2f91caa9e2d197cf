/*
 * alert.h - anomaly and attack detectors over the arriving flow records.
 *
 * Records are binned by receive time into intervals of bin_msec (10 s);
 * when a bin closes, each detector compares what every subject (an
 * address) did in it with its thresholds:
 *
 *   syn-flood	 SYN-only TCP flows per second towards one destination
 *   rst-flood	 TCP flows with RST per second towards one destination
 *   port-scan	 distinct destination ports one source probed in a bin
 *		 (probes: TCP/UDP flows of at most probe_pkts packets,
 *		 except answers from a port below 1024 to one above)
 *   host-sweep	 distinct destination addresses one source probed in a bin
 *   reflection	 bytes per second towards one destination from UDP source
 *		 ports 53 123 389 1900 11211, in flows of at least refl_bpp
 *		 bytes per packet (amplified responses)
 *   signature	 a user filter with a threshold (flows, packets or bytes
 *		 per second) per source or destination address
 *
 * The flood and reflection detectors are relative to a learned baseline:
 * a subject alerts when its rate exceeds max(floor, factor * baseline),
 * where baseline is the EWMA of its rate over the bins in which it did not
 * alert (so an attack does not teach itself as normal).  Scans, sweeps and
 * signatures have absolute thresholds.  An alert stays active while its
 * subject stays above the threshold and clears after clear_bins quiet
 * bins.  The subject tables and the distinct-pair sets are bounded;
 * what did not fit is counted (alerts.dropped_*), never grown.
 *
 * How a front end uses it (the engine owns it: engine.alerts):
 *
 *	each tick, when a->generation moved:
 *	    alerts_active(a) -> the status line marker ("2 alerts")
 *	    n = alerts_list(a, list, max): newest first
 *	    list[i]->kind/name, subject (flow_addr_fmt), magnitude and
 *	    unit ("1520 SYN flows/s"), threshold, first_msec / fired_msec /
 *	    last_msec, state (active or cleared), filter
 *	jump to its flows: engine_set_filter(e, alert->filter, ...)
 *	see the moment it fired: engine_set_pin(e, alert->fired_msec)
 *
 * Batch (--alerts): alerts_set_notify() delivers every fired and cleared
 * event; main.c prints them as JSON lines (report_alert).
 *
 * Settings come from the [alerts] and [signatures] sections of the
 * channels file (alert_config_load):
 *
 *	[alerts]
 *	bin = 10s		evaluation interval
 *	factor = 4		times the baseline
 *	alpha = 0.2		EWMA weight of a new bin
 *	clear = 3		quiet bins before an alert clears
 *	syn-flood = 50		floor, SYN-only flows/s to one target (off)
 *	rst-flood = 50		floor, RST flows/s to one target
 *	port-scan = 100		distinct ports from one source per bin
 *	host-sweep = 100	distinct destinations from one source per bin
 *	probe-packets = 4	flows up to this many packets are probes
 *	reflection = 125000	floor, bytes/s from reflector ports to one target
 *	reflection-bpp = 300	bytes per packet of an amplified response
 *	reflection-ports = 53 123 389 1900 11211
 *
 *	[signatures]
 *	# NAME [RATE flows|packets|bytes/s] [by srcip|dstip] = FILTER
 *	slammer 1 flows/s by srcip = proto udp and dst port 1434 and bytes 404
 *
 * Any detector set to "off" is disabled.  A signature without a rate
 * fires at 1 flow/s per source address.
 */
#ifndef NFTOP_ALERT_H
#define NFTOP_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct store;
struct filter;
struct source_table;

#define ALERT_SIGNATURES_MAX	32
#define ALERT_NAME_MAX		32
#define ALERT_FILTER_MAX	512
#define ALERT_KEEP		256	/* alerts remembered, newest first */
#define ALERT_REFL_PORTS_MAX	16

enum alert_kind {
	ALERT_SYN_FLOOD,
	ALERT_RST_FLOOD,
	ALERT_PORT_SCAN,
	ALERT_HOST_SWEEP,
	ALERT_REFLECTION,
	ALERT_SIGNATURE,
	ALERT_KIND_MAX
};

enum alert_state {
	ALERT_ACTIVE,
	ALERT_CLEARED
};

enum alert_event {
	ALERT_FIRED,
	ALERT_CLEAR
};

enum alert_unit {
	ALERT_UNIT_FLOWS,	/* per second */
	ALERT_UNIT_PACKETS,	/* per second */
	ALERT_UNIT_BYTES,	/* per second */
	ALERT_UNIT_PORTS,	/* distinct, per bin */
	ALERT_UNIT_HOSTS	/* distinct, per bin */
};

struct alert {
	uint64_t		 id;		/* 1, 2, ... in firing order */
	enum alert_kind		 kind;
	enum alert_state	 state;
	enum alert_unit		 unit;
	char			 name[ALERT_NAME_MAX];	/* "syn-flood", or the
							 * signature's name */
	struct flow_addr	 subject;	/* target, or source for scans,
						 * sweeps and by-srcip signatures */
	int			 subject_is_src;
	char			 filter[ALERT_FILTER_MAX]; /* nfdump filter that
							    * shows its flows */
	uint64_t		 first_msec;	/* its first counted record */
	uint64_t		 fired_msec;	/* end of the bin that fired it */
	uint64_t		 last_msec;	/* its last counted record */
	uint64_t		 cleared_msec;	/* 0 while active */
	double			 magnitude;	/* the measure in the last bin
						 * above threshold */
	double			 peak;		/* the largest bin measure */
	double			 threshold;	/* what it crossed when fired */
	double			 baseline;	/* learned, at firing; 0 if none */
	uint32_t		 quiet;		/* bins below since active */
};

struct alert_signature {
	char			 name[ALERT_NAME_MAX];
	struct filter		*filter;	/* owned */
	enum alert_unit		 unit;		/* flows, packets or bytes */
	double			 rate;		/* per second */
	int			 by_src;	/* subject: source, else dest */
};

struct alert_config {
	uint64_t		 bin_msec;
	double			 factor;
	double			 alpha;
	uint32_t		 clear_bins;
	double			 floor[ALERT_KIND_MAX];	/* 0 = off; floods and
							 * reflection per s,
							 * scans per bin */
	uint32_t		 probe_pkts;
	uint32_t		 refl_bpp;
	uint16_t		 refl_ports[ALERT_REFL_PORTS_MAX];
	int			 nrefl_ports;
	struct alert_signature	 sig[ALERT_SIGNATURES_MAX];
	int			 nsig;
};

typedef void (*alert_notify_cb)(const struct alert *, enum alert_event,
		    void *ctx);

struct alerts;

/* The defaults listed above, no signatures. */
void		 alert_config_defaults(struct alert_config *);
/*
 * Reads [alerts] and [signatures] from a channels file into cfg (which
 * keeps its other values).  err: "FILE:LINE: message".
 */
int		 alert_config_load(struct alert_config *, const char *path,
		    char *err, size_t errlen);
void		 alert_config_free(struct alert_config *);

/*
 * Observes the store; the config is copied and its signature filters
 * change owner (cfg keeps none).
 */
struct alerts	*alerts_create(struct store *, struct alert_config *,
		    const struct source_table *);
void		 alerts_free(struct alerts *);
void		 alerts_prefault(struct alerts *);	/* live collectors */
void		 alerts_set_notify(struct alerts *, alert_notify_cb, void *);

/*
 * Closes every bin that ended at or before now_msec (the live clock;
 * records do it for a file's time).  alerts_flush closes the open bin
 * whatever the time: the end of a file.
 */
void		 alerts_tick(struct alerts *, uint64_t now_msec);
void		 alerts_flush(struct alerts *);

size_t		 alerts_active(const struct alerts *);
size_t		 alerts_list(const struct alerts *, const struct alert **,
		    size_t max);
uint64_t	 alerts_generation(const struct alerts *);
const struct alert_config *alerts_config(const struct alerts *);

const char	*alert_kind_name(enum alert_kind);
const char	*alert_unit_name(enum alert_unit);

/* What the detectors could not hold: subjects and distinct pairs. */
struct alert_stats {
	uint64_t	records;	/* records looked at */
	uint64_t	bins;		/* bins evaluated */
	uint64_t	subjects_full;	/* subject refused: table full */
	uint64_t	pairs_full;	/* pair not counted: set full */
	uint64_t	late;		/* records older than the open bin */
	uint64_t	dropped_alerts;	/* cleared alerts forgotten */
};
const struct alert_stats *alerts_stats(const struct alerts *);

#endif
