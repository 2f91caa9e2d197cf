/*
 * report.h - batch output: aggregate reports and flow records as text,
 * JSON Lines or CSV, exactly as DESIGN.md's batch contract says.
 */
#ifndef NFTOP_REPORT_H
#define NFTOP_REPORT_H

#include <stdio.h>

#include "flow.h"

struct view;
struct source_table;
struct decoder;
struct collector;
struct meter;
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
	const struct pcapread_stats *read;	/* optional: --read file */
	int			 header_done;	/* CSV header printed */
};

int	report_format_parse(const char *, enum report_format *);
void	report_print(struct report_ctx *);
void	report_check_output(struct report_ctx *);
void	report_flow(struct report_ctx *, const struct flow_rec *);
void	report_json_string(FILE *, const char *);

#endif
