/*
 * drill.c - drill-down: Enter on a row narrows the flow filter to that
 * row ("src ip 10.0.0.1", "dst port 443", "proto tcp": nfdump syntax) and
 * shows the view that says most about it; Backspace undoes the last one.
 *
 * The filter in force is rebuilt from the filter before the first push
 * (the base) and the pushed pieces: "(base) and piece and piece".  Each
 * push remembers the screen, aggregate and selection it left, and the
 * pop restores them.  Typing a new filter at the prompt makes it the new
 * base and forgets the pushes.  The breadcrumb in the header reads
 * "base > piece > piece".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "filter.h"
#include "ui-int.h"
#include "view.h"
#include "xmalloc.h"

/* An address, or a network when bits is shorter than the address. */
const char *
drill_addr(const struct flow_addr *a, unsigned bits, char *buf, size_t len)
{
	size_t off;

	flow_addr_fmt(a, buf, len);
	if (bits < (flow_addr_is4(a) ? 32u : 128u)) {
		off = strlen(buf);
		snprintf(buf + off, len - off, "/%u", bits);
	}
	return buf;
}

/* The base and the first n pieces as one filter text. */
static char *
drill_compose(const struct ui *u, int n, const char *more)
{
	const char *base = u->crumb_base;
	size_t len = 16;
	char *s;
	int i;

	len += strlen(base) + (more != NULL ? strlen(more) + 5 : 0);
	for (i = 0; i < n; i++)
		len += strlen(u->crumbs[i].piece) + 5;
	s = xcalloc(1, len);
	/* Back at the base, it is the filter as it was typed. */
	if (n == 0 && more == NULL) {
		snprintf(s, len, "%s", base);
		return s;
	}
	if (strcmp(base, "any") != 0)
		snprintf(s, len, "(%s)", base);
	for (i = 0; i <= n; i++) {
		const char *p = i < n ? u->crumbs[i].piece : more;

		if (p == NULL)
			continue;
		if (s[0] != '\0')
			strncat(s, " and ", len - strlen(s) - 1);
		strncat(s, p, len - strlen(s) - 1);
	}
	if (s[0] == '\0')
		snprintf(s, len, "any");
	return s;
}

void
drill_reset(struct ui *u)
{
	int i;

	for (i = 0; i < u->ncrumbs; i++)
		free(u->crumbs[i].piece);
	u->ncrumbs = 0;
	free(u->crumb_base);
	u->crumb_base = NULL;
}

int
drill_push(struct ui *u)
{
	const struct ui_panel *p = ui_panel(u->cur);
	struct ui_drill d;
	struct ui_crumb *c;
	char err[600], *text;
	int fresh = u->ncrumbs == 0;

	if (p->drill == NULL || p->count(u) == 0) {
		ui_message(u, 0, "nothing to drill into here");
		return -1;
	}
	if (u->ncrumbs == UI_DRILL_MAX) {
		ui_message(u, 1, "drill: %d filters deep already; BSpace goes"
		    " back", UI_DRILL_MAX);
		return -1;
	}
	memset(&d, 0, sizeof(d));
	if (p->drill(u, u->sel[u->cur], &d) != 0)
		return -1;
	if (fresh)
		u->crumb_base = xstrdup(filter_text(u->e->view->filter));
	text = drill_compose(u, u->ncrumbs, d.filter);
	if (engine_set_filter(u->e, text, err, sizeof(err)) != 0) {
		ui_message(u, 1, "drill: %s: %s", d.filter, err);
		free(text);
		if (fresh)
			drill_reset(u);
		return -1;
	}
	free(text);
	c = &u->crumbs[u->ncrumbs++];
	c->piece = xstrdup(d.filter);
	c->screen = u->cur;
	snprintf(c->aggregate, sizeof(c->aggregate), "%s",
	    u->e->view->spec.name);
	c->sel = u->sel[u->cur];
	c->scroll = u->scroll[u->cur];
	u->frozen = 0;
	if (d.aggregate[0] != '\0' &&
	    engine_set_aggregate(u->e, d.aggregate, err, sizeof(err)) != 0)
		ui_message(u, 1, "drill: %s", err);
	ui_home(u, d.screen);
	ui_show(u, d.screen);
	ui_snap(u, 1);
	return 0;
}

int
drill_pop(struct ui *u)
{
	struct ui_crumb *c;
	char err[600], *text;

	if (u->ncrumbs == 0) {
		ui_message(u, 0, "nothing to go back to: Enter on a row"
		    " drills down");
		return -1;
	}
	c = &u->crumbs[u->ncrumbs - 1];
	text = drill_compose(u, u->ncrumbs - 1, NULL);
	if (engine_set_filter(u->e, text, err, sizeof(err)) != 0) {
		ui_message(u, 1, "back: %s", err);
		free(text);
		return -1;
	}
	free(text);
	u->frozen = 0;
	if (strcmp(c->aggregate, u->e->view->spec.name) != 0)
		engine_set_aggregate(u->e, c->aggregate, err, sizeof(err));
	ui_show(u, c->screen);
	u->sel[c->screen] = c->sel;
	u->scroll[c->screen] = c->scroll;
	u->sel_home = 1;		/* this row, not the old one's key */
	free(c->piece);
	u->ncrumbs--;
	if (u->ncrumbs == 0) {
		free(u->crumb_base);
		u->crumb_base = NULL;
	}
	ui_snap(u, 1);
	return 0;
}

/* "any > src ip 10.0.0.1 > dst port 443", or the filter alone. */
void
drill_breadcrumb(const struct ui *u, char *buf, size_t len)
{
	const char *sep = u->utf8 ? " \u203a " : " > ";
	size_t off;
	int i;

	if (u->ncrumbs == 0) {
		snprintf(buf, len, "%s", u->hdr.filter);
		return;
	}
	off = (size_t)snprintf(buf, len, "%s", u->crumb_base);
	for (i = 0; i < u->ncrumbs && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", sep,
		    u->crumbs[i].piece);
}
