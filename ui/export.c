/*
 * export.c - the view to a file (export.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ask.h"
#include "clock.h"
#include "engine.h"
#include "export.h"
#include "privdrop.h"
#include "report.h"
#include "store.h"
#include "ui-int.h"
#include "view.h"

int
export_format_ok(const char *s)
{
	enum report_format f;

	return report_format_parse(s, &f) == 0;
}

static const char *
export_ext(enum report_format f)
{
	switch (f) {
	case REPORT_JSON:
		return "json";
	case REPORT_CSV:
		return "csv";
	default:
		return "txt";
	}
}

/* The format a file name asks for: .json, .csv, anything else text. */
static enum report_format
export_by_name(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot != NULL && strcmp(dot, ".json") == 0)
		return REPORT_JSON;
	if (dot != NULL && strcmp(dot, ".csv") == 0)
		return REPORT_CSV;
	return REPORT_TEXT;
}

/* nftop-top-20261126T120000Z.json, where nftop can write. */
const char *
export_default_path(const struct ui *u, const char *format, char *buf,
    size_t len)
{
	enum report_format f = REPORT_JSON;
	const char *dir = ".", *tmp = getenv("TMPDIR");
	char stamp[32];
	time_t t = (time_t)(clock_now_msec() / 1000);
	struct tm tm;

	if (format != NULL)
		report_format_parse(format, &f);
	if (access(".", W_OK) != 0)
		dir = tmp != NULL && *tmp == '/' ? tmp : "/tmp";
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(stamp, sizeof(stamp), "now");
	snprintf(buf, len, "%s/nftop-%s-%s.%s", dir, ui_panel(u->cur)->name,
	    stamp, export_ext(f));
	return buf;
}

void
export_prompt(struct ui *u, const char *format)
{
	char path[4096];

	ask_open(u, UI_PROMPT_EXPORT, export_default_path(u, format, path,
	    sizeof(path)));
}

/* The window's records that pass the filter, oldest first. */
static size_t
export_flows(struct ui *u, struct report_ctx *rc)
{
	const struct view *v = u->e->view;
	const struct store *st = v->store;
	const struct flow_rec *r;
	uint64_t seq = store_oldest(st);
	unsigned bit = 1u << v->slot;
	size_t n = 0;

	if (v->window_msec != 0 && v->win_start > seq)
		seq = v->win_start;
	if (st->head > EXPORT_FLOWS_MAX && seq < st->head - EXPORT_FLOWS_MAX)
		seq = st->head - EXPORT_FLOWS_MAX;
	for (; seq < st->head; seq++) {
		store_poll(st, seq);
		r = store_get(st, seq);
		if (!(r->views & bit))
			continue;
		report_flow(rc, r);
		n++;
	}
	return n;
}

/*
 * Says why a file could not be created.  Started as root, nftop runs as
 * its --user by now, which may not write where root could (its home).
 */
static void
export_fail(struct ui *u, const char *path, int err)
{
	char hint[96] = "";

	if (err == EACCES && privdrop_user() != NULL)
		snprintf(hint, sizeof(hint), " (nftop runs as %s now)",
		    privdrop_user());
	ui_message(u, 1, "export: cannot create %s: %s%s", path,
	    strerror(err), hint);
}

/*
 * Writes the view to path in format (NULL: by the name's extension).
 * Returns 0, or -1 after saying why on the message line.
 */
int
export_write(struct ui *u, const char *format, const char *path)
{
	struct report_ctx rc;
	enum report_format f;
	FILE *out;
	size_t n;
	int fd;

	if (format == NULL)
		f = export_by_name(path);
	else if (report_format_parse(format, &f) != 0) {
		ui_message(u, 1, "export: '%s' is not json, csv or text",
		    format);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0 || (out = fdopen(fd, "w")) == NULL) {
		export_fail(u, path, errno);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	memset(&rc, 0, sizeof(rc));
	rc.out = out;
	rc.format = f;
	rc.top = UI_ROWS_MAX;
	rc.view = u->e->view;
	rc.sources = u->e->sources;
	rc.dec = &u->e->dec;
	rc.coll = u->e->coll;
	rc.alerts = u->e->alerts;
	if (u->cur == UI_SCREEN_FLOWS)
		n = export_flows(u, &rc);
	else {
		report_print(&rc);
		n = u->hdr.nkeys < UI_ROWS_MAX ? u->hdr.nkeys : UI_ROWS_MAX;
	}
	if (ferror(out) | (fclose(out) != 0)) {
		ui_message(u, 1, "export: writing %s: %s", path,
		    strerror(errno));
		return -1;
	}
	ui_message(u, 0, "wrote %zu %s to %s", n, u->cur == UI_SCREEN_FLOWS ?
	    "flow records" : "keys and the report", path);
	return 0;
}
