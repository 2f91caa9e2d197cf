/*
 * report.c - the batch printers.
 *
 * JSON: one object per report per line; keys named as the aggregate keys;
 * addresses as strings, numbers as numbers.  CSV: a header, then one row
 * per table entry (rank 1..N, then a "total" row).  Text: for people, in
 * the spirit of nfdump -s; its --flows lines, under a header, carry
 * RFC 3339 times with milliseconds and IPv6 endpoints as [ADDR]:PORT.
 * Strings that came from outside (the filter text) are escaped for the
 * format they go into.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "alert.h"
#include "clock.h"
#include "ch-sink.h"
#include "ch-source.h"
#include "collector.h"
#include "dec-sflow.h"
#include "decode.h"
#include "fault.h"
#include "forward.h"
#include "log.h"
#include "meter.h"
#include "pcapread.h"
#include "filter.h"
#include "report.h"
#include "source.h"
#include "store.h"
#include "tmpl.h"
#include "view.h"
#include "xmalloc.h"

int
report_format_parse(const char *s, enum report_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = REPORT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = REPORT_JSON;
	else if (strcmp(s, "csv") == 0)
		*f = REPORT_CSV;
	else
		return -1;
	return 0;
}

/* Writes s as a JSON string: quotes, backslashes and controls escaped. */
void
report_json_string(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* Writes s as a CSV field, quoted when it holds a comma or a quote. */
void
report_csv_string(FILE *out, const char *s)
{
	const unsigned char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		for (p = (const unsigned char *)s; *p != '\0'; p++)
			fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
		return;
	}
	fputc('"', out);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"')
			fputs("\"\"", out);
		else
			fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
	}
	fputc('"', out);
}

/* A key as an object of its fields (also for report-analysis.c). */
void
report_json_key(struct report_ctx *rc, const struct key *key)
{
	const struct key_spec *ks = &rc->view->spec;
	char buf[64];
	int i;

	fputc('{', rc->out);
	for (i = 0; i < ks->n; i++) {
		fprintf(rc->out, "%s\"%s\":", i > 0 ? "," : "",
		    key_field_name(ks->field[i]));
		key_format_field(ks, key, i, rc->sources, buf, sizeof(buf));
		if (key_field_is_numeric(ks->field[i]))
			fputs(buf, rc->out);
		else
			report_json_string(rc->out, buf);
	}
	fputc('}', rc->out);
}

static void
report_json_sources(struct report_ctx *rc)
{
	const struct source_table *t = rc->sources;
	const struct source *s;
	char addr[FLOW_ADDR_STRLEN];
	uint32_t i, k;
	int r;

	fputs("\"sources\":[", rc->out);
	for (i = 0, k = 0; i < t->n; i++) {
		s = &t->v[i];
		/* The packet meter's entry before any packet: nothing yet. */
		if (s->datagrams == 0 && s->records == 0)
			continue;
		fprintf(rc->out, "%s{\"exporter\":", k++ > 0 ? "," : "");
		report_json_string(rc->out,
		    flow_addr_fmt(&s->addr, addr, sizeof(addr)));
		fprintf(rc->out, ",\"protocol\":\"%s\",\"domain\":%" PRIu32
		    ",\"datagrams\":%" PRIu64 ",\"records\":%" PRIu64
		    ",\"lost\":%" PRIu64 ",\"malformed\":%" PRIu64
		    ",\"dropped\":%" PRIu64 ",\"sampling\":%" PRIu32
		    ",\"seq_resets\":%" PRIu64 ",\"trailing\":%" PRIu64
		    ",\"implausible\":%" PRIu64 ",\"port\":%u",
		    flow_origin_name(s->origin), s->domain, s->datagrams,
		    s->records, s->lost, s->malformed, s->dropped,
		    s->sampling, s->seq_resets, s->trailing, s->implausible,
		    s->port);
		if (s->origin == FLOW_ORIGIN_NF9 ||
		    s->origin == FLOW_ORIGIN_IPFIX)
			fprintf(rc->out, ",\"templates\":%" PRIu64
			    ",\"templates_rejected\":%" PRIu64
			    ",\"template_limit\":%" PRIu64
			    ",\"bad_fields\":%" PRIu64
			    ",\"enterprise_fields\":%" PRIu64
			    ",\"withdrawals\":%" PRIu64
			    ",\"options_records\":%" PRIu64
			    ",\"waiting\":%" PRIu64
			    ",\"waiting_decoded\":%" PRIu64
			    ",\"waiting_expired\":%" PRIu64
			    ",\"reserved_sets\":%" PRIu64, s->templates,
			    s->tmpl_rejected, s->tmpl_limit,
			    s->tmpl_bad_fields, s->enterprise_fields,
			    s->withdrawals, s->options_records, s->waiting,
			    s->waiting_decoded, s->waiting_expired,
			    s->reserved_sets);
		if (s->origin == FLOW_ORIGIN_SFLOW)
			fprintf(rc->out, ",\"flow_samples\":%" PRIu64
			    ",\"counter_samples\":%" PRIu64
			    ",\"samples_lost\":%" PRIu64
			    ",\"sample_drops\":%" PRIu64
			    ",\"bad_samples\":%" PRIu64
			    ",\"unknown_formats\":%" PRIu64
			    ",\"no_header\":%" PRIu64, s->flow_samples,
			    s->counter_samples, s->samples_lost,
			    s->sample_drops, s->bad_samples,
			    s->unknown_formats, s->no_header);
		fputs(",\"malformed_by\":{", rc->out);
		for (r = 0; r < SOURCE_REASON_MAX; r++)
			fprintf(rc->out, "%s\"%s\":%" PRIu64, r > 0 ? "," : "",
			    source_reason_name(r), s->malformed_by[r]);
		fputs("}}", rc->out);
	}
	fputc(']', rc->out);
}

/* sFlow counter samples: the latest counters of each agent's interface. */
static void
report_json_ifaces(struct report_ctx *rc)
{
	const struct sflow_iface *ifc;
	char addr[FLOW_ADDR_STRLEN];
	uint32_t n, i, k = 0;

	if (rc->dec == NULL)
		return;
	ifc = sflow_ifaces(rc->dec->sflow, &n);
	if (n == 0)
		return;
	fputs(",\"interfaces\":[", rc->out);
	for (i = 0; i < SFLOW_IFACES_MAX; i++) {
		if (!ifc[i].in_use || ifc[i].source >= rc->sources->n)
			continue;
		fprintf(rc->out, "%s{\"exporter\":\"%s\",\"ifindex\":%" PRIu32
		    ",\"iftype\":%" PRIu32 ",\"speed\":%" PRIu64
		    ",\"status\":%u,\"in_octets\":%" PRIu64
		    ",\"out_octets\":%" PRIu64 ",\"in_packets\":%" PRIu64
		    ",\"out_packets\":%" PRIu64 ",\"in_errors\":%" PRIu64
		    ",\"out_errors\":%" PRIu64 ",\"in_discards\":%" PRIu64
		    ",\"out_discards\":%" PRIu64 ",\"in_bps\":%.1f"
		    ",\"out_bps\":%.1f,\"samples\":%" PRIu64 "}",
		    k++ > 0 ? "," : "", flow_addr_fmt(
		    &rc->sources->v[ifc[i].source].addr, addr, sizeof(addr)),
		    ifc[i].ifindex, ifc[i].iftype, ifc[i].speed,
		    ifc[i].status, ifc[i].in_octets, ifc[i].out_octets,
		    ifc[i].in_pkts, ifc[i].out_pkts, ifc[i].in_errors,
		    ifc[i].out_errors, ifc[i].in_discards,
		    ifc[i].out_discards, ifc[i].in_bps, ifc[i].out_bps,
		    ifc[i].samples);
	}
	fputc(']', rc->out);
}

/* The ClickHouse sink's and source's counters, inside "stats". */
static void
report_json_ch(struct report_ctx *rc)
{
	struct ch_sink_stats k;
	struct ch_source_stats q;

	if (rc->ch_sink != NULL) {
		ch_sink_stats(rc->ch_sink, &k);
		fprintf(rc->out, ",\"clickhouse\":{\"queued\":%" PRIu64
		    ",\"sent\":%" PRIu64 ",\"dropped\":%" PRIu64
		    ",\"requests\":%" PRIu64 ",\"failed\":%" PRIu64
		    ",\"retries\":%" PRIu64 ",\"bytes\":%" PRIu64
		    ",\"connected\":%s,\"error\":", k.queued, k.sent,
		    k.dropped, k.requests, k.failed, k.retries, k.bytes,
		    k.connected ? "true" : "false");
		report_json_string(rc->out, k.error);
		fputc('}', rc->out);
	}
	if (rc->ch_source != NULL) {
		ch_source_stats(rc->ch_source, &q);
		fprintf(rc->out, ",\"from_clickhouse\":{\"rounds\":%" PRIu64
		    ",\"queries\":%" PRIu64 ",\"failed\":%" PRIu64
		    ",\"rows\":%" PRIu64 ",\"round_ms\":%" PRIu64
		    ",\"connected\":%s,\"error\":", q.rounds, q.queries,
		    q.failed, q.rows, q.round_msec,
		    q.connected ? "true" : "false");
		report_json_string(rc->out, q.error);
		fputc('}', rc->out);
	}
}

static void
report_text_ch(struct report_ctx *rc)
{
	struct ch_sink_stats k;
	struct ch_source_stats q;

	if (rc->ch_sink != NULL) {
		ch_sink_stats(rc->ch_sink, &k);
		fprintf(rc->out, "ClickHouse %s: sent %" PRIu64 ", queued %"
		    PRIu64 ", dropped %" PRIu64 ", failed requests %" PRIu64
		    ", retries %" PRIu64 "%s%s\n", ch_sink_url(rc->ch_sink),
		    k.sent, k.queued, k.dropped, k.failed, k.retries,
		    k.error[0] != '\0' ? "; last error: " : "", k.error);
	}
	if (rc->ch_source != NULL) {
		ch_source_stats(rc->ch_source, &q);
		fprintf(rc->out, "From ClickHouse %s: %" PRIu64 " rows, round %"
		    PRIu64 " ms, failed queries %" PRIu64 "%s%s\n",
		    ch_source_url(rc->ch_source), q.rows, q.round_msec,
		    q.failed, q.error[0] != '\0' ? "; last error: " : "",
		    q.error);
	}
}

/* Faults survived, and how a --read file went (DESIGN: "stats"). */
static void
report_json_faults(struct report_ctx *rc)
{
	int k;

	fputs(",\"faults\":{", rc->out);
	for (k = 0; k < FAULT_MAX; k++)
		fprintf(rc->out, "%s\"%s\":%" PRIu64, k > 0 ? "," : "",
		    fault_name(k), fault_get(k));
	fputc('}', rc->out);
	if (rc->read != NULL)
		fprintf(rc->out, ",\"read\":{\"packets\":%" PRIu64
		    ",\"exports\":%" PRIu64 ",\"other\":%" PRIu64
		    ",\"truncated\":%" PRIu64 ",\"errors\":%" PRIu64
		    ",\"filtered\":%" PRIu64 ",\"unsupported_link\":%" PRIu64
		    "}", rc->read->packets, rc->read->exports, rc->read->other,
		    rc->read->truncated, rc->read->errors, rc->read->filtered,
		    rc->read->unsupported_link);
}

/* Every datagram's one outcome: datagrams = the sum of the others. */
static void
report_json_stats(struct report_ctx *rc)
{
	const struct decode_stats *st;
	int o;

	if (rc->dec == NULL)
		return;
	st = &rc->dec->stats;
	fprintf(rc->out, ",\"stats\":{\"datagrams\":%" PRIu64
	    ",\"records\":%" PRIu64, st->datagrams, st->records);
	for (o = 0; o < DECODE_OUTCOME_MAX; o++)
		fprintf(rc->out, ",\"%s\":%" PRIu64, decode_outcome_name(o),
		    st->outcome[o]);
	fprintf(rc->out, ",\"denied_allow\":%" PRIu64, st->denied_acl);
	if (rc->coll != NULL && rc->coll->fwd != NULL) {
		int k;

		fputs(",\"forward\":[", rc->out);
		for (k = 0; k < rc->coll->fwd->n; k++)
			fprintf(rc->out, "%s{\"target\":\"%s\",\"sent\":%"
			    PRIu64 ",\"dropped\":%" PRIu64 "}",
			    k > 0 ? "," : "", rc->coll->fwd->t[k].name,
			    rc->coll->fwd->t[k].sent,
			    rc->coll->fwd->t[k].dropped);
		fputc(']', rc->out);
	}
	report_json_ch(rc);
	fprintf(rc->out, ",\"kernel_drops\":%" PRIu64 ",\"read_ahead\":%"
	    PRIu64 ",\"read_ahead_peak\":%zu,\"retained\":%"
	    PRIu64 ",\"evicted\":%" PRIu64 ",\"keys_capped\":%" PRIu64
	    ",\"keys\":%zu,\"keys_max\":%zu,\"keys_refilled\":%" PRIu64,
	    rc->coll != NULL ? collector_drops(rc->coll) : 0,
	    rc->coll != NULL ? rc->coll->backlog.pushed : 0,
	    rc->coll != NULL ? rc->coll->backlog.peak : 0,
	    rc->view->store->head - rc->view->store->evicted,
	    rc->view->store->evicted, rc->view->tab->capped,
	    rc->view->tab->n, rc->view->tab->max, rc->view->refills);
	if (rc->alerts != NULL) {
		const struct alert_stats *a = alerts_stats(rc->alerts);

		/* What the detectors could not count: a subject refused by
		 * a full table, a pair by a full set (README: Alerts). */
		fprintf(rc->out, ",\"alerts\":{\"records\":%" PRIu64
		    ",\"bins\":%" PRIu64 ",\"subjects_full\":%" PRIu64
		    ",\"pairs_full\":%" PRIu64 ",\"late\":%" PRIu64 "}",
		    a->records, a->bins, a->subjects_full, a->pairs_full,
		    a->late);
	}
	fputc('}', rc->out);
	if (rc->meter != NULL) {
		const struct meter_stats *m = meter_stats(rc->meter);

		fprintf(rc->out, ",\"meter\":{\"packets\":%" PRIu64
		    ",\"not_ip\":%" PRIu64 ",\"truncated\":%" PRIu64
		    ",\"malformed\":%" PRIu64 ",\"fragments\":%" PRIu64
		    ",\"flows\":%" PRIu64 ",\"active\":%zu"
		    ",\"ended_inactive\":%" PRIu64 ",\"ended_active\":%"
		    PRIu64 ",\"ended_tcp\":%" PRIu64 ",\"ended_full\":%"
		    PRIu64 ",\"ended_flush\":%" PRIu64 ",\"updates\":%"
		    PRIu64 "}", m->packets, m->not_ip, m->truncated,
		    m->malformed, m->fragments, m->flows,
		    meter_active(rc->meter), m->end_inactive, m->end_active,
		    m->end_tcp, m->end_full, m->end_flush, m->updates);
	}
	report_json_faults(rc);
}

/* Whether a row's counts are an estimate (the key table was full). */
static int
report_estimated(const struct agg_entry *e)
{
	return (e->err.flows | e->err.pkts | e->err.bytes) != 0;
}

static void
report_json_counts(FILE *out, const char *name, const struct agg_counts *c)
{
	fprintf(out, ",\"%s\":{\"flows\":%" PRIu64 ",\"packets\":%" PRIu64
	    ",\"bytes\":%" PRIu64 "}", name, c->flows, c->pkts, c->bytes);
}

/*
 * In totals: whether rows may be estimates, and then the bound: what a
 * key not listed may have at most (rows carry their own "error").
 */
static void
report_json_estimates(struct report_ctx *rc)
{
	const struct agg_table *t = rc->view->tab;
	struct agg_counts b;

	fprintf(rc->out, ",\"approximate\":%s",
	    agg_approximate(t) ? "true" : "false");
	if (!agg_approximate(t))
		return;
	agg_bound(t, &b);
	report_json_counts(rc->out, "bound", &b);
}

static void
report_json(struct report_ctx *rc, const struct agg_entry *top, size_t n)
{
	const struct view *v = rc->view;
	double secs = view_seconds(v);
	char tbuf[32], pbuf[8];
	const char *pname;
	size_t i;
	int p, first = 1;

	fprintf(rc->out, "{\"time\":\"%s\",\"window\":",
	    clock_fmt_iso(view_end_msec(v), tbuf, sizeof(tbuf)));
	if (v->window_msec == 0)
		fputs("\"all\"", rc->out);
	else
		fprintf(rc->out, "%" PRIu64, v->window_msec / 1000);
	fputs(",\"filter\":", rc->out);
	report_json_string(rc->out, filter_text(v->filter));
	fprintf(rc->out, ",\"aggregate\":\"%s\",\"order\":\"%s\","
	    "\"totals\":{\"flows\":%" PRIu64 ",\"packets\":%" PRIu64
	    ",\"bytes\":%" PRIu64, v->spec.name,
	    agg_order_name(v->order), v->totals.flows, v->totals.pkts,
	    v->totals.bytes);
	report_json_estimates(rc);
	fputs("},\"top\":[", rc->out);
	for (i = 0; i < n; i++) {
		fprintf(rc->out, "%s{\"key\":", i > 0 ? "," : "");
		report_json_key(rc, &top[i].key);
		fprintf(rc->out, ",\"flows\":%" PRIu64 ",\"packets\":%" PRIu64
		    ",\"bytes\":%" PRIu64 ",\"bps\":%.1f,\"pps\":%.1f",
		    top[i].c.flows, top[i].c.pkts, top[i].c.bytes,
		    top[i].c.bytes * 8 / secs, top[i].c.pkts / secs);
		if (report_estimated(&top[i]))
			report_json_counts(rc->out, "error", &top[i].err);
		fputc('}', rc->out);
	}
	fputs("],\"protocols\":[", rc->out);
	for (p = 0; p < 256; p++) {
		if (v->proto[p].flows == 0)
			continue;
		pname = flow_proto_name((uint8_t)p, pbuf, sizeof(pbuf));
		fprintf(rc->out, "%s{\"proto\":%d,\"name\":\"%s\",\"flows\":%"
		    PRIu64 ",\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 "}",
		    first ? "" : ",", p, pname, v->proto[p].flows,
		    v->proto[p].pkts, v->proto[p].bytes);
		first = 0;
	}
	fputs("],", rc->out);
	report_json_sources(rc);
	report_json_ifaces(rc);
	report_json_stats(rc);
	report_json_analysis(rc);
	fputs("}\n", rc->out);
}

static void
report_csv(struct report_ctx *rc, const struct agg_entry *top, size_t n)
{
	const struct view *v = rc->view;
	const struct key_spec *ks = &v->spec;
	static const struct agg_counts exact;
	double secs = view_seconds(v);
	char tbuf[32], wbuf[16], kbuf[64];
	size_t i;
	int f;

	if (!rc->header_done) {
		fputs("time,window,filter,aggregate,order,rank", rc->out);
		for (f = 0; f < ks->n; f++)
			fprintf(rc->out, ",%s", key_field_name(ks->field[f]));
		fputs(",flows,packets,bytes,bps,pps,error_flows,"
		    "error_packets,error_bytes", rc->out);
		report_csv_burst_header(rc);
		fputc('\n', rc->out);
		rc->header_done = 1;
	}
	clock_fmt_iso(view_end_msec(v), tbuf, sizeof(tbuf));
	view_window_fmt(v->window_msec, wbuf, sizeof(wbuf));
	for (i = 0; i <= n; i++) {
		const struct agg_counts *c = i < n ? &top[i].c : &v->totals;
		const struct agg_counts *e = i < n ? &top[i].err : &exact;

		fprintf(rc->out, "%s,%s,", tbuf, wbuf);
		report_csv_string(rc->out, filter_text(v->filter));
		fputc(',', rc->out);
		report_csv_string(rc->out, ks->name);
		fprintf(rc->out, ",%s,", agg_order_name(v->order));
		if (i < n)
			fprintf(rc->out, "%zu", i + 1);
		else
			fputs("total", rc->out);
		for (f = 0; f < ks->n; f++) {
			fputc(',', rc->out);
			if (i < n)
				report_csv_string(rc->out, key_format_field(ks,
				    &top[i].key, f, rc->sources, kbuf,
				    sizeof(kbuf)));
		}
		fprintf(rc->out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		    ",%.1f,%.1f,%" PRIu64 ",%" PRIu64 ",%" PRIu64,
		    c->flows, c->pkts, c->bytes, c->bytes * 8 / secs,
		    c->pkts / secs, e->flows, e->pkts, e->bytes);
		report_csv_burst_cells(rc, NULL);
		fputc('\n', rc->out);
	}
	report_csv_analysis(rc, tbuf, wbuf);
}

/* What the detectors could not count, when anything (README: Alerts). */
static void
report_text_alerts(struct report_ctx *rc)
{
	const struct alert_stats *a;

	if (rc->alerts == NULL)
		return;
	a = alerts_stats(rc->alerts);
	if (a->subjects_full == 0 && a->pairs_full == 0)
		return;
	fprintf(rc->out, "Detectors full: %" PRIu64 " records found their"
	    " subject table full, %" PRIu64 " probes their fingerprint set"
	    " full, and were not counted\n", a->subjects_full,
	    a->pairs_full);
}

/* When rows are estimates: what "~" means, and the bound. */
static void
report_text_estimates(struct report_ctx *rc)
{
	const struct agg_table *t = rc->view->tab;
	struct agg_counts b;

	if (!agg_approximate(t))
		return;
	agg_bound(t, &b);
	fprintf(rc->out, "Estimated: the key table is full (%zu keys, %" PRIu64
	    " new keys evicted others); rows marked ~ are upper bounds; a key"
	    " not listed has at most %" PRIu64 " flows, %" PRIu64 " packets, %"
	    PRIu64 " bytes\n", t->max, t->capped, b.flows, b.pkts, b.bytes);
}

static void
report_text(struct report_ctx *rc, const struct agg_entry *top, size_t n)
{
	const struct view *v = rc->view;
	const struct key_spec *ks = &v->spec;
	const struct source *s;
	double secs = view_seconds(v);
	char tbuf[32], wbuf[16], kbuf[64], label[160];
	size_t i, off;
	uint32_t j;
	int f;

	fprintf(rc->out, "%s  window %s  filter '%s'\n",
	    clock_fmt_iso(view_end_msec(v), tbuf, sizeof(tbuf)),
	    view_window_fmt(v->window_msec, wbuf, sizeof(wbuf)),
	    filter_text(v->filter));
	fprintf(rc->out, "Top %zu %s ordered by %s:\n", rc->top, ks->name,
	    agg_order_name(v->order));
	fprintf(rc->out, "%4s  %-39s %10s %12s %14s %12s %10s %6s\n", "#",
	    ks->name, "flows", "packets", "bytes", "bps", "pps", "bytes%");
	for (i = 0; i < n; i++) {
		label[0] = '\0';
		for (f = 0, off = 0; f < ks->n && off < sizeof(label); f++)
			off += snprintf(label + off, sizeof(label) - off,
			    "%s%s", f > 0 ? " " : "", key_format_field(ks,
			    &top[i].key, f, rc->sources, kbuf, sizeof(kbuf)));
		fprintf(rc->out, "%4zu%c %-39s %10" PRIu64 " %12" PRIu64
		    " %14" PRIu64 " %12.0f %10.1f %6.2f\n", i + 1,
		    report_estimated(&top[i]) ? '~' : ' ', label,
		    top[i].c.flows, top[i].c.pkts, top[i].c.bytes,
		    top[i].c.bytes * 8 / secs, top[i].c.pkts / secs,
		    v->totals.bytes ? 100.0 * top[i].c.bytes /
		    v->totals.bytes : 0.0);
	}
	fprintf(rc->out, "Summary: flows %" PRIu64 ", packets %" PRIu64
	    ", bytes %" PRIu64 ", %.0f bps, %.1f pps over %.0f s\n",
	    v->totals.flows, v->totals.pkts, v->totals.bytes,
	    v->totals.bytes * 8 / secs, v->totals.pkts / secs, secs);
	report_text_estimates(rc);
	report_text_alerts(rc);
	report_text_analysis(rc);
	for (j = 0; j < rc->sources->n; j++) {
		s = &rc->sources->v[j];
		if (s->datagrams == 0 && s->records == 0)
			continue;
		fprintf(rc->out, "Source %s %s domain %" PRIu32 ": datagrams %"
		    PRIu64 ", records %" PRIu64 ", lost %" PRIu64
		    ", malformed %" PRIu64 ", dropped %" PRIu64
		    ", sampling %" PRIu32 "\n",
		    source_name(s, kbuf, sizeof(kbuf)),
		    flow_origin_name(s->origin), s->domain, s->datagrams,
		    s->records, s->lost, s->malformed, s->dropped,
		    s->sampling);
	}
	report_text_ch(rc);
	if (fault_total() > 0) {
		fputs("Faults survived:", rc->out);
		for (j = 0; j < FAULT_MAX; j++)
			if (fault_get(j) > 0)
				fprintf(rc->out, " %s %" PRIu64, fault_name(j),
				    fault_get(j));
		fputc('\n', rc->out);
	}
	fputc('\n', rc->out);
}

/*
 * Output that cannot be written (stdout closed, the reader of the pipe
 * gone) is counted, said once on stderr, and collecting goes on: the
 * counters stay right for whatever still reads them (the exit status
 * says so too, see main.c).
 */
void
report_check_output(struct report_ctx *rc)
{
	if (fflush(rc->out) == 0 && !ferror(rc->out))
		return;
	if (fault_get(FAULT_WRITE) == 0)
		log_warnx("cannot write the reports (%s); still collecting",
		    strerror(errno));
	fault_count(FAULT_WRITE);
	clearerr(rc->out);
}

void
report_print(struct report_ctx *rc)
{
	struct agg_entry *top;
	size_t n;

	/* Out of memory, this report is skipped (counted); the next one
	 * comes as usual. */
	if ((top = tryreallocarray(NULL, rc->top ? rc->top : 1,
	    sizeof(*top))) == NULL)
		return;
	n = agg_top(rc->view->tab, rc->view->order, rc->top, top);
	switch (rc->format) {
	case REPORT_JSON:
		report_json(rc, top, n);
		break;
	case REPORT_CSV:
		report_csv(rc, top, n);
		break;
	case REPORT_TEXT:
		report_text(rc, top, n);
		break;
	}
	free(top);
	report_check_output(rc);
}

static void
report_mac(FILE *out, const char *name, const uint8_t m[6])
{
	fprintf(out, ",\"%s\":\"%02x:%02x:%02x:%02x:%02x:%02x\"", name,
	    m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* An address member; an unset one in an IPv4 record reads 0.0.0.0. */
static void
report_addr(FILE *out, const char *name, const struct flow_addr *a, int af)
{
	static const struct flow_addr zero;
	char buf[FLOW_ADDR_STRLEN];

	if (af == 4 && memcmp(a, &zero, sizeof(zero)) == 0)
		snprintf(buf, sizeof(buf), "0.0.0.0");
	else
		flow_addr_fmt(a, buf, sizeof(buf));
	fprintf(out, ",\"%s\":\"%s\"", name, buf);
}

/*
 * The members past the contract's: every other field of the record, and
 * interface names an exporter announced (already sanitized; escaped for
 * JSON here).
 */
static void
report_flow_json_more(struct report_ctx *rc, const struct flow_rec *r)
{
	const char *name;

	report_addr(rc->out, "nexthop", &r->nexthop, r->af);
	report_addr(rc->out, "bgp_nexthop", &r->bgp_nexthop, r->af);
	fprintf(rc->out, ",\"srcmask\":%u,\"dstmask\":%u,\"icmp_type\":%u,"
	    "\"icmp_code\":%u,\"vlan\":%u,\"mpls_label\":%" PRIu32
	    ",\"direction\":%u,\"end_reason\":%u,\"fwd_status\":%u,"
	    "\"sampling\":%" PRIu32 ",\"protocol\":\"%s\"", r->srcmask,
	    r->dstmask, r->icmp_type, r->icmp_code, r->vlan, r->mpls_label,
	    r->direction, r->end_reason, r->fwd_status, r->sampling,
	    flow_origin_name(r->origin));
	report_mac(rc->out, "src_mac", r->src_mac);
	report_mac(rc->out, "dst_mac", r->dst_mac);
	report_addr(rc->out, "xlate_srcip", &r->xlate_src, r->af);
	report_addr(rc->out, "xlate_dstip", &r->xlate_dst, r->af);
	fprintf(rc->out, ",\"xlate_srcport\":%u,\"xlate_dstport\":%u",
	    r->xlate_srcport, r->xlate_dstport);
	report_flow_json_geo(rc, r);
	if (rc->dec == NULL)
		return;
	if ((name = report_ifname(rc, r, r->inif)) != NULL) {
		fputs(",\"inif_name\":", rc->out);
		report_json_string(rc->out, name);
	}
	if ((name = report_ifname(rc, r, r->outif)) != NULL) {
		fputs(",\"outif_name\":", rc->out);
		report_json_string(rc->out, name);
	}
}

/*
 * A record's time for people: RFC 3339 in UTC with milliseconds, the
 * fraction before the "Z" ("2023-11-14T22:13:17.858Z").
 */
static const char *
report_fmt_msec(uint64_t msec, char *buf, size_t len)
{
	size_t n;

	n = strlen(clock_fmt_iso(msec, buf, len));
	if (n > 0 && buf[n - 1] == 'Z')
		snprintf(buf + n - 1, len - (n - 1), ".%03uZ",
		    (unsigned)(msec % 1000));
	return buf;
}

/*
 * An endpoint's address for the text records: an IPv6 address in
 * brackets, so that the ":port" after it cannot be read as one more
 * group (RFC 5952 section 6), as the Flows screen shows it.
 */
static const char *
report_fmt_host(const struct flow_addr *a, char *buf, size_t len)
{
	char addr[FLOW_ADDR_STRLEN];

	flow_addr_fmt(a, addr, sizeof(addr));
	snprintf(buf, len, flow_addr_is4(a) ? "%s" : "[%s]", addr);
	return buf;
}

/* A record as a line for people; a header names the columns first. */
static void
report_flow_text(struct report_ctx *rc, const struct flow_rec *r)
{
	char src[FLOW_ADDR_STRLEN + 2], dst[FLOW_ADDR_STRLEN + 2];
	char t1[40], pbuf[8];

	if (!rc->header_done) {
		fprintf(rc->out, "%-24s %8s %-5s %41s:%-5s    %41s:%-5s"
		    " %10s %12s\n", "first", "duration", "proto", "src addr",
		    "port", "dst addr", "port", "packets", "bytes");
		rc->header_done = 1;
	}
	fprintf(rc->out, "%-24s %8.3f %-5s %41s:%-5u -> %41s:%-5u"
	    " %10" PRIu64 " %12" PRIu64 "\n",
	    report_fmt_msec(r->first_msec, t1, sizeof(t1)),
	    r->last_msec >= r->first_msec ?
	    (r->last_msec - r->first_msec) / 1000.0 : 0.0,
	    flow_proto_name(r->proto, pbuf, sizeof(pbuf)),
	    report_fmt_host(&r->src, src, sizeof(src)), r->srcport,
	    report_fmt_host(&r->dst, dst, sizeof(dst)), r->dstport, r->pkts,
	    r->bytes);
}

/* One decoded record, for --flows. */
void
report_flow(struct report_ctx *rc, const struct flow_rec *r)
{
	char src[FLOW_ADDR_STRLEN], dst[FLOW_ADDR_STRLEN];
	char exp[FLOW_ADDR_STRLEN] = "";
	const struct source_table *t = rc->sources;

	if (rc->format != REPORT_TEXT) {	/* text has its own forms */
		flow_addr_fmt(&r->src, src, sizeof(src));
		flow_addr_fmt(&r->dst, dst, sizeof(dst));
		if (r->source < t->n)
			flow_addr_fmt(&t->v[r->source].addr, exp,
			    sizeof(exp));
	}
	switch (rc->format) {
	case REPORT_TEXT:
		report_flow_text(rc, r);
		break;
	case REPORT_JSON:
		fprintf(rc->out, "{\"first\":%" PRIu64 ",\"last\":%" PRIu64
		    ",\"srcip\":\"%s\",\"dstip\":\"%s\",\"srcport\":%u,"
		    "\"dstport\":%u,\"proto\":%u,\"tos\":%u,\"tcpflags\":%u,"
		    "\"inif\":%" PRIu32 ",\"outif\":%" PRIu32 ",\"srcas\":%"
		    PRIu32 ",\"dstas\":%" PRIu32 ",\"packets\":%" PRIu64
		    ",\"bytes\":%" PRIu64 ",\"exporter\":\"%s\"",
		    r->first_msec, r->last_msec, src, dst, r->srcport,
		    r->dstport, r->proto, r->tos, r->tcpflags, r->inif,
		    r->outif, r->srcas, r->dstas, r->pkts, r->bytes, exp);
		report_flow_json_more(rc, r);
		fputs("}\n", rc->out);
		break;
	case REPORT_CSV:
		if (!rc->header_done) {
			fputs("first,last,srcip,dstip,srcport,dstport,proto,"
			    "tos,tcpflags,inif,outif,srcas,dstas,packets,"
			    "bytes,exporter\n", rc->out);
			rc->header_done = 1;
		}
		fprintf(rc->out, "%" PRIu64 ",%" PRIu64 ",%s,%s,%u,%u,%u,%u,%u,"
		    "%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu64
		    ",%" PRIu64 ",%s\n", r->first_msec, r->last_msec, src, dst,
		    r->srcport, r->dstport, r->proto, r->tos, r->tcpflags,
		    r->inif, r->outif, r->srcas, r->dstas, r->pkts, r->bytes,
		    exp);
		break;
	}
}
