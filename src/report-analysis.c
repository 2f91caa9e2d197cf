/*
 * report-analysis.c - the batch printers' channels and burst sections,
 * and alert events as JSON lines (--channels, --burst, --alerts).
 *
 * CSV keeps report.c's columns, every row as many fields as the header:
 * a channel is a row whose aggregate is "channel", rank "PROFILE/NAME"
 * and filter the channel's; a profile's union a row with aggregate
 * "profile"; both are exact counts (error columns 0).  A burst entry is
 * a row with rank "peakN" whose counts are its busiest second (so
 * bps/pps are its peak rates); --burst adds the columns peak_time and
 * total_flows, total_packets, total_bytes (its counts over the window,
 * as JSON's "burst" has them), empty on the other rows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "alert.h"
#include "burst.h"
#include "channel.h"
#include "clock.h"
#include "decode.h"
#include "filter.h"
#include "geo.h"
#include "ifnames.h"
#include "report.h"
#include "source.h"
#include "tmpl.h"
#include "view.h"
#include "xmalloc.h"

static size_t
report_burst(struct report_ctx *rc, struct burst_entry **out,
    struct burst_stats *st)
{
	size_t n = rc->top ? rc->top : 1;

	*out = xreallocarray(NULL, n, sizeof(**out));
	return burst_top(rc->view, n, *out, st);
}

static void
json_counts(FILE *out, const struct agg_counts *c)
{
	fprintf(out, "\"flows\":%" PRIu64 ",\"packets\":%" PRIu64
	    ",\"bytes\":%" PRIu64, c->flows, c->pkts, c->bytes);
}

static void
json_channels(struct report_ctx *rc)
{
	const struct channel_set *cs = rc->channels;
	const struct channel *list[CHANNEL_MAX];
	double bps, pps;
	size_t i, n;
	int p, k = 0;

	fputs(",\"channels\":[", rc->out);
	for (p = 0; p < cs->nprofiles; p++) {
		n = channel_list(cs, p, list, CHANNEL_MAX);
		for (i = 0; i < n; i++) {
			channel_rate(cs, &list[i]->totals, &bps, &pps);
			fprintf(rc->out, "%s{\"profile\":", k++ ? "," : "");
			report_json_string(rc->out, cs->profiles[p].name);
			fputs(",\"name\":", rc->out);
			report_json_string(rc->out, list[i]->name);
			fputs(",\"filter\":", rc->out);
			report_json_string(rc->out,
			    filter_text(list[i]->filter));
			fputc(',', rc->out);
			json_counts(rc->out, &list[i]->totals);
			fprintf(rc->out, ",\"bps\":%.1f,\"pps\":%.1f}", bps,
			    pps);
		}
	}
	fputs("],\"profiles\":[", rc->out);
	for (p = 0; p < cs->nprofiles; p++) {
		channel_rate(cs, &cs->profiles[p].totals, &bps, &pps);
		fprintf(rc->out, "%s{\"name\":", p ? "," : "");
		report_json_string(rc->out, cs->profiles[p].name);
		fputc(',', rc->out);
		json_counts(rc->out, &cs->profiles[p].totals);
		fprintf(rc->out, ",\"bps\":%.1f,\"pps\":%.1f}", bps, pps);
	}
	fputc(']', rc->out);
}

static void
json_burst(struct report_ctx *rc)
{
	struct burst_entry *top;
	struct burst_stats st;
	char tbuf[32];
	size_t i, n;

	n = report_burst(rc, &top, &st);
	fprintf(rc->out, ",\"burst\":{\"order\":\"%s\",\"records\":%" PRIu64
	    ",\"top\":[", agg_order_name(rc->view->order), st.records);
	for (i = 0; i < n; i++) {
		fprintf(rc->out, "%s{\"key\":", i ? "," : "");
		report_json_key(rc, &top[i].key);
		fprintf(rc->out, ",\"peak_time\":\"%s\",\"peak\":{",
		    clock_fmt_iso(top[i].peak_sec * 1000, tbuf, sizeof(tbuf)));
		json_counts(rc->out, &top[i].peak);
		fprintf(rc->out, "},\"peak_bps\":%.1f,\"peak_pps\":%.1f,",
		    top[i].peak.bytes * 8.0, (double)top[i].peak.pkts);
		json_counts(rc->out, &top[i].total);
		fputc('}', rc->out);
	}
	fputs("]}", rc->out);
	free(top);
}

void
report_json_analysis(struct report_ctx *rc)
{
	if (rc->channels != NULL)
		json_channels(rc);
	if (rc->burst)
		json_burst(rc);
}

static void
key_label(struct report_ctx *rc, const struct key *key, char *label,
    size_t len)
{
	const struct key_spec *ks = &rc->view->spec;
	char kbuf[64];
	size_t off = 0;
	int f;

	label[0] = '\0';
	for (f = 0; f < ks->n && off < len; f++)
		off += (size_t)snprintf(label + off, len - off, "%s%s",
		    f > 0 ? " " : "", key_format_field(ks, key, f,
		    rc->sources, kbuf, sizeof(kbuf)));
}

void
report_text_analysis(struct report_ctx *rc)
{
	const struct channel_set *cs = rc->channels;
	const struct channel *list[CHANNEL_MAX];
	struct burst_entry *top;
	char name[2 * CHANNEL_NAME_MAX], label[160], tbuf[32];
	double bps, pps;
	size_t i, n;
	int p;

	if (cs != NULL) {
		fprintf(rc->out, "Channels:\n%-32s %10s %12s %14s %12s %10s"
		    "  %s\n", "profile/channel", "flows", "packets", "bytes",
		    "bps", "pps", "filter");
		for (p = 0; p < cs->nprofiles; p++) {
			n = channel_list(cs, p, list, CHANNEL_MAX);
			for (i = 0; i <= n; i++) {
				const struct agg_counts *c = i < n ?
				    &list[i]->totals : &cs->profiles[p].totals;

				snprintf(name, sizeof(name), "%s/%s",
				    cs->profiles[p].name, i < n ?
				    list[i]->name : "(any)");
				channel_rate(cs, c, &bps, &pps);
				fprintf(rc->out, "%-32s %10" PRIu64 " %12"
				    PRIu64 " %14" PRIu64 " %12.0f %10.1f  %s\n",
				    name, c->flows, c->pkts, c->bytes, bps,
				    pps, i < n ? filter_text(list[i]->filter) :
				    "");
			}
		}
	}
	if (!rc->burst)
		return;
	n = report_burst(rc, &top, NULL);
	fprintf(rc->out, "Top %zu %s by peak second (%s):\n", rc->top,
	    rc->view->spec.name, agg_order_name(rc->view->order));
	fprintf(rc->out, "%4s  %-39s %-20s %12s %10s %10s %12s %14s\n", "#",
	    rc->view->spec.name, "peak second", "peak bps", "peak pps",
	    "flows", "packets", "bytes");
	for (i = 0; i < n; i++) {
		key_label(rc, &top[i].key, label, sizeof(label));
		fprintf(rc->out, "%4zu  %-39s %-20s %12.0f %10" PRIu64
		    " %10" PRIu64 " %12" PRIu64 " %14" PRIu64 "\n", i + 1,
		    label, clock_fmt_iso(top[i].peak_sec * 1000, tbuf,
		    sizeof(tbuf)), top[i].peak.bytes * 8.0, top[i].peak.pkts,
		    top[i].total.flows, top[i].total.pkts, top[i].total.bytes);
	}
	free(top);
}

/* The columns --burst adds: the header's, then each row's cells. */
void
report_csv_burst_header(struct report_ctx *rc)
{
	if (rc->burst)
		fputs(",peak_time,total_flows,total_packets,total_bytes",
		    rc->out);
}

/* Empty but for a peakN row (b, its entry), so rows keep their width. */
void
report_csv_burst_cells(struct report_ctx *rc, const struct burst_entry *b)
{
	char tbuf[32];

	if (!rc->burst)
		return;
	if (b == NULL) {
		fputs(",,,,", rc->out);
		return;
	}
	fprintf(rc->out, ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64,
	    clock_fmt_iso(b->peak_sec * 1000, tbuf, sizeof(tbuf)),
	    b->total.flows, b->total.pkts, b->total.bytes);
}

/*
 * One row of exact counts c over secs seconds (error columns 0), and
 * the burst cells: b's for a peakN row, else empty.
 */
static void
csv_row(struct report_ctx *rc, const char *time, const char *window,
    const char *filter, const char *aggregate, const char *rank,
    const struct key *key, const struct agg_counts *c, double secs,
    const struct burst_entry *b)
{
	const struct key_spec *ks = &rc->view->spec;
	char kbuf[64];
	int f;

	fprintf(rc->out, "%s,%s,", time, window);
	report_csv_string(rc->out, filter);
	fputc(',', rc->out);
	report_csv_string(rc->out, aggregate);
	fprintf(rc->out, ",%s,", agg_order_name(rc->view->order));
	report_csv_string(rc->out, rank);
	for (f = 0; f < ks->n; f++) {
		fputc(',', rc->out);
		if (key != NULL)
			report_csv_string(rc->out, key_format_field(ks, key, f,
			    rc->sources, kbuf, sizeof(kbuf)));
	}
	fprintf(rc->out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
	    ",%.1f,%.1f,0,0,0", c->flows, c->pkts, c->bytes,
	    c->bytes * 8.0 / secs, c->pkts / secs);
	report_csv_burst_cells(rc, b);
	fputc('\n', rc->out);
}

/* Each channel, then its profile's union, profile by profile. */
static void
csv_channels(struct report_ctx *rc, const char *time, const char *window)
{
	const struct channel_set *cs = rc->channels;
	const struct channel *list[CHANNEL_MAX];
	char rank[2 * CHANNEL_NAME_MAX + 2];
	double secs = channel_set_seconds(cs);
	size_t i, n;
	int p;

	for (p = 0; p < cs->nprofiles; p++) {
		n = channel_list(cs, p, list, CHANNEL_MAX);
		for (i = 0; i < n; i++) {
			snprintf(rank, sizeof(rank), "%s/%s",
			    cs->profiles[p].name, list[i]->name);
			csv_row(rc, time, window, filter_text(list[i]->filter),
			    "channel", rank, NULL, &list[i]->totals, secs,
			    NULL);
		}
		csv_row(rc, time, window, "", "profile", cs->profiles[p].name,
		    NULL, &cs->profiles[p].totals, secs, NULL);
	}
}

void
report_csv_analysis(struct report_ctx *rc, const char *time,
    const char *window)
{
	struct burst_entry *top;
	char rank[32];
	size_t i, n;

	if (rc->channels != NULL)
		csv_channels(rc, time, window);
	if (!rc->burst)
		return;
	n = report_burst(rc, &top, NULL);
	for (i = 0; i < n; i++) {
		snprintf(rank, sizeof(rank), "peak%zu", i + 1);
		/* The busiest second's counts over its one second. */
		csv_row(rc, time, window, filter_text(rc->view->filter),
		    rc->view->spec.name, rank, &top[i].key, &top[i].peak, 1.0,
		    &top[i]);
	}
	free(top);
}

static void
json_msec(FILE *out, const char *name, uint64_t msec)
{
	char tbuf[32];

	fprintf(out, ",\"%s\":%" PRIu64 ",\"%s_time\":\"%s\"", name, msec,
	    name, clock_fmt_iso(msec, tbuf, sizeof(tbuf)));
}

/* One alert event as a JSON line (schema in README and nftop.1). */
void
report_alert(FILE *out, const struct alert *a, int fired)
{
	char addr[FLOW_ADDR_STRLEN];

	fprintf(out, "{\"alert\":");
	report_json_string(out, a->name);
	fprintf(out, ",\"kind\":\"%s\",\"event\":\"%s\",\"id\":%" PRIu64
	    ",\"state\":\"%s\",\"subject\":\"%s\",\"role\":\"%s\","
	    "\"filter\":", alert_kind_name(a->kind), fired ? "fired" :
	    "cleared", a->id, a->state == ALERT_ACTIVE ? "active" : "cleared",
	    flow_addr_fmt(&a->subject, addr, sizeof(addr)),
	    a->subject_is_src ? "src" : "dst");
	report_json_string(out, a->filter);
	json_msec(out, "first", a->first_msec);
	json_msec(out, "fired", a->fired_msec);
	json_msec(out, "last", a->last_msec);
	if (a->cleared_msec != 0)
		json_msec(out, "cleared", a->cleared_msec);
	fprintf(out, ",\"magnitude\":%.1f,\"peak\":%.1f,\"unit\":\"%s\","
	    "\"threshold\":%.1f,\"baseline\":%.1f}\n", a->magnitude, a->peak,
	    alert_unit_name(a->unit), a->threshold, a->baseline);
	fflush(out);
}

/* --flows: the countries enrichment found (geo.h). */
void
report_flow_json_geo(struct report_ctx *rc, const struct flow_rec *r)
{
	if (r->src_cc != 0)
		fprintf(rc->out, ",\"src_country\":\"%s\"",
		    geo_country_code(r->src_cc));
	if (r->dst_cc != 0)
		fprintf(rc->out, ",\"dst_country\":\"%s\"",
		    geo_country_code(r->dst_cc));
}

/*
 * An interface's name: the exporter's own, else the --ifnames file's
 * (both sanitized when read).
 */
const char *
report_ifname(const struct report_ctx *rc, const struct flow_rec *r,
    uint32_t ifindex)
{
	const char *name = NULL;

	if (rc->dec != NULL && rc->dec->tmpls != NULL)
		name = tmpl_ifname(rc->dec->tmpls, r->source, ifindex);
	if (name == NULL && rc->ifnames != NULL && r->source < rc->sources->n)
		name = ifnames_get(rc->ifnames,
		    &rc->sources->v[r->source].addr, ifindex);
	return name;
}
