/*
 * report.h - batch output: aggregate reports and flow records as text,
 * JSON Lines or CSV, exactly as DESIGN.md's batch contract says.
 */
#ifndef NFTOP_REPORT_H
#define NFTOP_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "flow.h"

struct view;
struct source_table;
struct decoder;
struct collector;
struct meter;
struct ch_sink;
struct ch_source;
struct channel_set;
struct alert;
struct burst_entry;
struct ifnames;
struct pcapread_stats;

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_CSV
};

struct report_ctx {
	FILE			*out;
	enum report_format	 format;
	size_t			 top;
	const struct view	*view;
	const struct source_table *sources;
	const struct decoder	*dec;		/* optional: outcome counters */
	const struct collector	*coll;		/* optional: kernel drops */
	const struct meter	*meter;		/* optional: packet meter */
	const struct ch_sink	*ch_sink;	/* optional: --clickhouse */
	const struct ch_source	*ch_source;	/* optional: --from-clickhouse */
	const struct pcapread_stats *read;	/* optional: --read file */
	int			 header_done;	/* CSV or --flows text header out */
	const struct channel_set *channels;	/* --channels: their totals */
	int			 burst;		/* --burst: top by peak second */
	const struct ifnames	*ifnames;	/* --ifnames: names for --flows */
	const struct alerts	*alerts;	/* optional: detectors' counters */
};

int	report_format_parse(const char *, enum report_format *);
void	report_print(struct report_ctx *);
void	report_check_output(struct report_ctx *);
void	report_flow(struct report_ctx *, const struct flow_rec *);
void	report_json_key(struct report_ctx *, const struct key *);
void	report_json_string(FILE *, const char *);

/* report-analysis.c: channels and burst sections, alert events. */
void	report_json_analysis(struct report_ctx *);
void	report_text_analysis(struct report_ctx *);
void	report_csv_analysis(struct report_ctx *, const char *time,
	    const char *window);
void	report_csv_burst_header(struct report_ctx *);
void	report_csv_burst_cells(struct report_ctx *,
	    const struct burst_entry *);
void	report_csv_string(FILE *, const char *);
void	report_alert(FILE *, const struct alert *, int fired);
void	report_flow_json_geo(struct report_ctx *, const struct flow_rec *);
const char *report_ifname(const struct report_ctx *, const struct flow_rec *,
	    uint32_t ifindex);

#endif
