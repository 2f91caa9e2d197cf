/*
 * view-alert.c - the alerts the engine's detectors raised (alert.h):
 * active ones first, then recent ones that cleared, each with its kind,
 * subject, magnitude against its threshold, when it fired, how long it
 * has lasted, and the nfdump filter that shows its flows.
 *
 * Enter on an alert, or the jump key (alert-jump) anywhere, makes that
 * filter the view's and moves the history cursor to the moment the
 * alert fired, so the top talkers show the attack as it began; BSpace
 * goes back as after any drill-down, and the cursor's live key returns
 * to now.  From another view the jump key takes the newest active alert
 * (or the newest one, if none is active).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "clock.h"
#include "engine.h"
#include "store.h"
#include "table.h"
#include "text.h"
#include "ui-int.h"
#include "units.h"
#include "xmalloc.h"

#define ALERT_CELL	(ALERT_FILTER_MAX + 64)

/* What one alert shows, copied: the engine may forget it next tick. */
struct alert_row {
	char		 kind[ALERT_NAME_MAX];
	char		 subject[FLOW_ADDR_STRLEN];
	char		 filter[ALERT_FILTER_MAX];
	const char	*unit;		/* static: alert_unit_name() */
	double		 magnitude;
	double		 threshold;
	uint64_t	 fired_msec;
	uint64_t	 first_msec;
	uint64_t	 last_msec;
	int		 active;
};

struct alert_view {
	struct alert_row	 row[ALERT_KEEP];
	size_t			 n;
	uint64_t		 gen, now_sec;
	int			 valid;
};

struct alert_cols {
	int	state, kind, subject, magnitude, threshold, fired, lasted,
		filter;
};

static struct alert_view *
alert_view(const struct ui *u)
{
	return u->state[UI_SCREEN_ALERT];
}

static void
alert_create(struct ui *u)
{
	u->state[UI_SCREEN_ALERT] = xcalloc(1, sizeof(struct alert_view));
}

static void
alert_destroy(struct ui *u)
{
	struct alert_view *as = alert_view(u);

	if (as == NULL)
		return;
	free(as);
	u->state[UI_SCREEN_ALERT] = NULL;
}

static void
alert_copy(struct alert_row *r, const struct alert *a)
{
	snprintf(r->kind, sizeof(r->kind), "%s", a->name);
	flow_addr_fmt(&a->subject, r->subject, sizeof(r->subject));
	snprintf(r->filter, sizeof(r->filter), "%s", a->filter);
	r->unit = alert_unit_name(a->unit);
	r->magnitude = a->magnitude;
	r->threshold = a->threshold;
	r->fired_msec = a->fired_msec;
	r->first_msec = a->first_msec;
	r->last_msec = a->last_msec;
	r->active = a->state == ALERT_ACTIVE;
}

/* Active alerts first, then cleared ones; newest first in each. */
static int
alert_snap(struct ui *u, int force)
{
	struct alert_view *as = alert_view(u);
	const struct alert *list[ALERT_KEEP];
	const struct alerts *a = u->e->alerts;
	uint64_t now_sec = u->e->store->now_msec / 1000;
	size_t n, i;
	int pass;

	if (a == NULL) {
		as->n = 0;
		return !as->valid ? (as->valid = 1) : 0;
	}
	/* The clock too: "fired 2m ago" moves with it. */
	if (!force && as->valid && as->gen == alerts_generation(a) &&
	    as->now_sec == now_sec)
		return 0;
	n = alerts_list(a, list, ALERT_KEEP);
	as->n = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++)
			if ((list[i]->state == ALERT_ACTIVE) == (pass == 0))
				alert_copy(&as->row[as->n++], list[i]);
	as->gen = alerts_generation(a);
	as->now_sec = now_sec;
	as->valid = 1;
	return 1;
}

static void
alert_leave(struct ui *u)
{
	alert_view(u)->valid = 0;
}

static size_t
alert_count(const struct ui *u)
{
	return alert_view(u)->n;
}

static void
alert_columns(struct table *t, struct alert_cols *ac)
{
	table_init(t);
	ac->state = table_add(t, "state", TABLE_LEFT, 0);
	ac->kind = table_add(t, "kind", TABLE_LEFT, 0);
	ac->subject = table_add(t, "subject", TABLE_LEFT, 0);
	ac->magnitude = table_add(t, "magnitude", TABLE_RIGHT, 6);
	ac->threshold = table_add(t, "threshold", TABLE_RIGHT, 2);
	ac->fired = table_add(t, "fired", TABLE_LEFT, 4);
	ac->lasted = table_add(t, "lasted", TABLE_RIGHT, 3);
	ac->filter = table_add(t, "filter", TABLE_LEFT, 5);
	table_cap(t, ac->subject, 40);
}

/* 9.39M, or 12.5 under a thousand: magnitudes are often fractions. */
static const char *
alert_number(const struct ui *u, double v, char *buf, size_t len)
{
	return units_rate(v, u->exact, buf, len);
}

/* "06:41:10, 2m10s ago": the clock time, and how long before now. */
static const char *
alert_when(const struct ui *u, uint64_t msec, char *buf, size_t len)
{
	uint64_t now = u->e->store->now_msec;
	char iso[32], ago[32];
	const char *t;

	clock_fmt_iso(msec, iso, sizeof(iso));
	t = strchr(iso, 'T');
	units_duration(now > msec ? now - msec : 0, ago, sizeof(ago));
	snprintf(buf, len, "%.8s, %s ago", t != NULL ? t + 1 : iso, ago);
	return buf;
}

static const char *
alert_cell(const struct ui *u, const struct alert_cols *ac,
    const struct alert_row *r, int col, char *buf, size_t len)
{
	char n[32];

	buf[0] = '\0';
	if (col == ac->state)
		snprintf(buf, len, "%s", r->active ? "ACTIVE" : "cleared");
	else if (col == ac->kind)
		snprintf(buf, len, "%s", r->kind);
	else if (col == ac->subject)
		snprintf(buf, len, "%s", r->subject);
	else if (col == ac->magnitude)
		snprintf(buf, len, "%s %s", alert_number(u, r->magnitude, n,
		    sizeof(n)), r->unit);
	else if (col == ac->threshold)
		alert_number(u, r->threshold, buf, len);
	else if (col == ac->fired)
		alert_when(u, r->fired_msec, buf, len);
	else if (col == ac->lasted)
		units_duration(r->last_msec > r->first_msec ? r->last_msec -
		    r->first_msec : 0, buf, len);
	else if (col == ac->filter)
		snprintf(buf, len, "%s", r->filter);
	return buf;
}

/*
 * Filters are long ("proto tcp and dst ip ... and not flags A ..."): the
 * filter column gets what the columns that fit beside it leave, its
 * middle elided, rather than pushing them off the screen.
 */
static void
alert_layout(struct table *t, const struct alert_cols *ac)
{
	int c, used = 1, want = t->col[ac->filter].w;

	table_cap(t, ac->filter, 24);
	table_layout(t, COLS);
	for (c = 0; c < t->n; c++)
		if (c != ac->filter && t->col[c].show)
			used += t->col[c].w + TABLE_GAP;
	t->col[ac->filter].maxw = COLS - used > 24 ? COLS - used : 24;
	t->col[ac->filter].w = want < t->col[ac->filter].maxw ? want :
	    t->col[ac->filter].maxw;
	table_layout(t, COLS);
}

/*
 * A full subject table refuses new subjects and a full fingerprint set
 * new probes for the rest of the bin: detection is blind to them then,
 * and the screen says so rather than show a quiet list.
 */
static int
alert_full_line(const struct ui *u, char *buf, size_t len)
{
	const struct alert_stats *st;

	if (u->e->alerts == NULL)
		return 0;
	st = alerts_stats(u->e->alerts);
	if (st->subjects_full == 0 && st->pairs_full == 0)
		return 0;
	snprintf(buf, len, "since start, detectors full: %" PRIu64 " records"
	    " found their subject table full, %" PRIu64 " probes the"
	    " fingerprint set; not counted", st->subjects_full,
	    st->pairs_full);
	return 1;
}

static void
alert_draw(struct ui *u, int y, int rows)
{
	const struct alert_view *s = alert_view(u);
	struct table t;
	struct alert_cols ac;
	char buf[ALERT_CELL];
	size_t i, j, first;
	int c, sel, yy;

	if (rows < 1)
		return;
	/* The last line says what the detectors could not count, if any. */
	if (alert_full_line(u, buf, sizeof(buf)) && rows > 2) {
		rows--;
		text_put(y + rows + 1, 1, COLS - 1, buf);
	}
	ui_scroll_keep(u, s->n, rows);
	first = u->scroll[UI_SCREEN_ALERT];
	alert_columns(&t, &ac);
	for (i = first; i < s->n && i < first + (size_t)rows; i++)
		for (c = 0; c < t.n; c++)
			table_fit(&t, c, alert_cell(u, &ac, &s->row[i], c,
			    buf, sizeof(buf)));
	table_fit(&t, ac.state, "cleared");
	alert_layout(&t, &ac);
	table_header(u, &t, y);
	if (s->n == 0) {
		text_put(y + 1, 1, COLS - 1, "no alerts: the detectors have"
		    " seen nothing over their thresholds");
		return;
	}
	for (j = 0; j < (size_t)rows && first + j < s->n; j++) {
		i = first + j;
		yy = y + 1 + (int)j;
		sel = i == u->sel[UI_SCREEN_ALERT];
		ui_line_row(u, yy, i);
		table_row_attr(u, yy, sel);
		for (c = 0; c < t.n; c++) {
			if (c == ac.state && s->row[i].active && !sel)
				attron(u->attr[UI_ATTR_ALERT]);
			table_cell(&t, c, yy, alert_cell(u, &ac, &s->row[i],
			    c, buf, sizeof(buf)));
			if (c == ac.state && s->row[i].active && !sel)
				attroff(u->attr[UI_ATTR_ALERT]);
		}
		table_row_end(u, sel);
	}
}

static int
alert_drill(struct ui *u, size_t row, struct ui_drill *d)
{
	const struct alert_view *s = alert_view(u);

	if (row >= s->n)
		return -1;
	if (snprintf(d->filter, sizeof(d->filter), "%s", s->row[row].filter)
	    >= (int)sizeof(d->filter)) {
		ui_message(u, 1, "drill: the alert's filter is too long");
		return -1;
	}
	d->screen = UI_SCREEN_TOP;
	d->aggregate[0] = '\0';
	return 0;
}

/* The alert the jump key takes: the selected one here, else the newest
 * active one, else the newest. */
static const struct alert_row *
alert_pick(struct ui *u)
{
	const struct alert_view *s;

	if (u->cur != UI_SCREEN_ALERT)
		alert_snap(u, 1);
	s = alert_view(u);
	if (s->n == 0)
		return NULL;
	if (u->cur == UI_SCREEN_ALERT && u->sel[UI_SCREEN_ALERT] < s->n)
		return &s->row[u->sel[UI_SCREEN_ALERT]];
	return &s->row[0];	/* active first, newest first */
}

/* The alert's filter (a drill-down, so BSpace undoes it) and the
 * history cursor at the moment it fired. */
void
alert_jump(struct ui *u, int argc, char *const *argv)
{
	const struct alert_row *pick = alert_pick(u);
	struct alert_row r;
	char when[64];

	if (pick == NULL) {
		ui_message(u, 0, "no alerts to jump to");
		return;
	}
	r = *pick;		/* the drill-down takes new snapshots */
	if (u->cur != UI_SCREEN_ALERT)
		ui_show(u, UI_SCREEN_ALERT);
	u->sel[UI_SCREEN_ALERT] = (size_t)(pick - alert_view(u)->row);
	if (drill_push(u) != 0 || cursor_set(u, r.fired_msec) != 0)
		return;
	ui_message(u, 0, "alert %s %s: its flows, as they were at %s", r.kind,
	    r.subject, alert_when(u, r.fired_msec, when, sizeof(when)));
}

const struct ui_panel view_alert_panel = {
	.name = "alerts",
	.label = "Alerts",
	.short_label = "Alerts",
	.create = alert_create,
	.destroy = alert_destroy,
	.enter = NULL,
	.leave = alert_leave,
	.snap = alert_snap,
	.count = alert_count,
	.draw = alert_draw,
	.drill = alert_drill,
	.click = NULL,
};
