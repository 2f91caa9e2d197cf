/*
 * table.c - column layout and drawing for the panels' tables (table.h).
 */
#include <string.h>

#include "table.h"
#include "text.h"
#include "ui-int.h"

void
table_init(struct table *t)
{
	memset(t, 0, sizeof(*t));
	t->sorted = -1;
}

/* Adds a column as wide as its name; returns its index. */
int
table_add(struct table *t, const char *name, enum table_align align,
    int prio)
{
	struct table_col *c;

	if (t->n == TABLE_COLS_MAX)
		return TABLE_COLS_MAX - 1;
	c = &t->col[t->n];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->align = align;
	c->prio = prio;
	c->w = text_width(name);
	return t->n++;
}

int
table_add_flex(struct table *t, const char *name, int prio, int minw,
    int maxw)
{
	int i = table_add(t, name, TABLE_LEFT, prio);

	t->col[i].flex = 1;
	t->col[i].minw = minw;
	t->col[i].maxw = maxw;
	t->col[i].w = 0;
	return i;
}

/* Widens column col to hold cell. */
void
table_fit(struct table *t, int col, const char *cell)
{
	int w = text_width(cell);

	if (col < 0 || col >= t->n)
		return;
	if (!t->col[col].flex && t->col[col].maxw > 0 && w > t->col[col].maxw)
		w = t->col[col].maxw;
	if (w > t->col[col].w)
		t->col[col].w = w;
}

/* Column col is never wider than maxw; wider cells lose their middle. */
void
table_cap(struct table *t, int col, int maxw)
{
	if (col < 0 || col >= t->n)
		return;
	t->col[col].maxw = maxw;
	t->col[col].elide = 1;
	if (t->col[col].w > maxw)
		t->col[col].w = maxw;
}

static int
table_width(const struct table *t)
{
	int c, w = 0, n = 0;

	for (c = 0; c < t->n; c++)
		if (t->col[c].show) {
			w += t->col[c].flex ? t->col[c].minw : t->col[c].w;
			n++;
		}
	return w + (n > 1 ? (n - 1) * TABLE_GAP : 0);
}

/* The shown column of lowest priority, or -1. */
static int
table_weakest(const struct table *t)
{
	int c, best = -1;

	for (c = 0; c < t->n; c++)
		if (t->col[c].show && t->col[c].prio > 0 &&
		    (best < 0 || t->col[c].prio < t->col[best].prio))
			best = c;
	return best;
}

/* Decides which columns show in width columns, and where. */
void
table_layout(struct table *t, int width)
{
	int c, x, room, best, w, done[TABLE_COLS_MAX];

	width -= 1;			/* a blank at the left edge */
	for (c = 0; c < t->n; c++)
		t->col[c].show = 1;
	while (table_width(t) > width && (c = table_weakest(t)) >= 0)
		t->col[c].show = 0;
	/* Flexible columns: their narrowest, then the rest by priority. */
	room = width - table_width(t);
	for (c = 0; c < t->n; c++) {
		done[c] = !t->col[c].show || !t->col[c].flex;
		if (!done[c])
			t->col[c].w = t->col[c].minw;
	}
	while (room > 0) {
		for (c = 0, best = -1; c < t->n; c++)
			if (!done[c] && (best < 0 ||
			    t->col[c].prio > t->col[best].prio))
				best = c;
		if (best < 0)
			break;
		w = t->col[best].minw + room;
		if (w > t->col[best].maxw)
			w = t->col[best].maxw;
		room -= w - t->col[best].minw;
		t->col[best].w = w;
		done[best] = 1;
	}
	for (c = 0, x = 1; c < t->n; c++)
		if (t->col[c].show) {
			t->col[c].x = x;
			x += t->col[c].w + TABLE_GAP;
		}
}

void
table_cell(const struct table *t, int col, int y, const char *s)
{
	const struct table_col *c;

	if (col < 0 || col >= t->n || !t->col[col].show)
		return;
	c = &t->col[col];
	if (c->align == TABLE_RIGHT)
		text_put_right(y, c->x, c->w, s);
	else if (c->elide)
		text_put_elided(y, c->x, c->w, s);
	else
		text_put(y, c->x, col + 1 < t->n ? c->w : COLS - c->x, s);
}

void
table_header(struct ui *u, const struct table *t, int y)
{
	int c, a;

	u->table_y = y;
	attron(u->attr[UI_ATTR_COLUMNS]);
	mvhline(y, 0, ' ', COLS);
	for (c = 0; c < t->n; c++) {
		if (!t->col[c].show)
			continue;
		a = c == t->sorted ? u->attr[UI_ATTR_SORTED] : 0;
		attron(a);
		table_cell(t, c, y, t->col[c].name);
		attroff(a);
		attron(u->attr[UI_ATTR_COLUMNS]);
	}
	attroff(u->attr[UI_ATTR_COLUMNS]);
}

/* The column under screen column x, or -1. */
int
table_col_at(const struct table *t, int x)
{
	int c;

	for (c = 0; c < t->n; c++)
		if (t->col[c].show && x >= t->col[c].x - 1 &&
		    x < t->col[c].x + t->col[c].w + 1)
			return c;
	return -1;
}

/* Starts a row: the selected one is drawn across in its attribute. */
void
table_row_attr(struct ui *u, int y, int selected)
{
	if (!selected)
		return;
	attron(u->attr[UI_ATTR_SELECT]);
	mvhline(y, 0, ' ', COLS);
}

void
table_row_end(struct ui *u, int selected)
{
	if (selected)
		attroff(u->attr[UI_ATTR_SELECT]);
}
