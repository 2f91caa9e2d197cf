/*
 * cursor.c - the history cursor and burst mode, as the keys drive them.
 *
 * The cursor pins every view to a moment in the retained history: the
 * window then ends there, and the top talkers, protocols and channels
 * show what they showed at that moment.  A step is a tenth of the window
 * (one second at least; ten seconds when the window is "all"), so ten
 * steps move by a whole window whatever its length.  The cursor stays
 * within the retained records: it cannot go before the oldest one, and
 * going past now returns to live.  The engine does the pinning
 * (engine_set_pin moves the views and the channels together); this file
 * only decides where to, and says where the cursor is for the status
 * line.
 *
 * Burst mode ranks the top talkers by their busiest second in the window
 * (who spiked) instead of their total (who talked most); the top view
 * asks the engine for that order (burst.h) while it is on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "engine.h"
#include "store.h"
#include "ui-int.h"
#include "units.h"
#include "view.h"

#define CURSOR_ALL_STEP_MSEC	10000	/* a step when the window is all */

/* A tenth of the window, whole seconds, one at least. */
static uint64_t
cursor_step_msec(const struct ui *u)
{
	uint64_t w = u->e->view->window_msec, step;

	if (w == 0)
		return CURSOR_ALL_STEP_MSEC;
	step = w / CURSOR_STEPS_WINDOW / 1000 * 1000;
	return step < 1000 ? 1000 : step;
}

/* Where the cursor is: its moment, or now when live. */
static uint64_t
cursor_now(const struct ui *u)
{
	uint64_t at = u->e->pin_msec;

	return at != 0 ? at : u->e->store->now_msec;
}

/*
 * Pins the views at msec (0: live), clamped to the retained history (at
 * or past the newest moment: live).  -1 with a message if nothing is
 * retained to go back to.
 */
int
cursor_set(struct ui *u, uint64_t msec)
{
	const struct store *st = u->e->store;
	uint64_t oldest, newest;

	if (msec != 0 && st->head == st->evicted) {
		ui_message(u, 1, "history: nothing is retained to go back to");
		return -1;
	}
	if (msec != 0) {
		engine_history_span(u->e, &oldest, &newest);
		if (msec < oldest)
			msec = oldest;
		if (msec >= st->now_msec)
			msec = 0;
	}
	engine_set_pin(u->e, msec);
	u->frozen = 0;
	u->scroll[u->cur] = 0;
	ui_snap(u, 1);
	return 0;
}

/* history back|forward [STEPS], history live. */
void
cursor_cmd(struct ui *u, int argc, char *const *argv)
{
	uint64_t step = cursor_step_msec(u), now = cursor_now(u), d;
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
	char buf[128];

	if (strcmp(argv[0], "live") == 0) {
		if (cursor_set(u, 0) == 0)
			ui_message(u, 0, "history: %s",
			    cursor_status(u, buf, sizeof(buf)));
		return;
	}
	d = step * n;
	if (strcmp(argv[0], "back") == 0) {
		if (now <= d)
			d = now - 1;
		if (cursor_set(u, now - d) != 0)
			return;
	} else if (u->e->pin_msec == 0) {
		ui_message(u, 0, "history: %s already",
		    cursor_status(u, buf, sizeof(buf)));
		return;
	} else if (cursor_set(u, now + d) != 0)
		return;
	ui_message(u, 0, "history: %s", cursor_status(u, buf, sizeof(buf)));
}

/*
 * "at 06:41:10, 2m10s ago", or where the present is: "live", or with
 * --read the file's last record ("reading file" until it is all read).
 */
const char *
cursor_status(const struct ui *u, char *buf, size_t len)
{
	uint64_t at = u->e->pin_msec, now = u->e->store->now_msec;
	char iso[32], ago[32];
	const char *t;

	if (at == 0) {
		snprintf(buf, len, "%s", u->e->read_path == NULL ? "live" :
		    u->e->read_done ? "end of file" : "reading file");
		return buf;
	}
	clock_fmt_iso(at, iso, sizeof(iso));
	t = strchr(iso, 'T');
	units_duration(now > at ? now - at : 0, ago, sizeof(ago));
	snprintf(buf, len, "at %.8s, %s ago", t != NULL ? t + 1 : iso, ago);
	return buf;
}

/* burst [on|off]: the top talkers by their peak second, or by total. */
void
cursor_burst(struct ui *u, int argc, char *const *argv)
{
	u->burst = argc == 0 ? !u->burst : strcmp(argv[0], "on") == 0;
	u->frozen = 0;
	ui_home(u, UI_SCREEN_TOP);
	ui_message(u, 0, "%s", u->burst ? "burst mode: top talkers by their"
	    " busiest second in the window (who spiked)" : "top talkers by"
	    " their total in the window again");
	if (u->cur != UI_SCREEN_TOP)
		ui_show(u, UI_SCREEN_TOP);
	ui_snap(u, 1);
}
