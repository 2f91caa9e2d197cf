/*
 * table.h - the column layout every panel's table uses.
 *
 * A panel fills a struct table with its columns, widens each to its
 * widest cell on screen, and table_layout() decides what fits: columns
 * go, lowest priority first, until the rest fit the terminal (priority 0
 * never goes); then flexible columns (sparklines, bars) share what is
 * left.  Headers are drawn in one attribute with the sorted column
 * marked; a click on the header line maps back to a column.
 */
#ifndef NFTOP_UI_TABLE_H
#define NFTOP_UI_TABLE_H

#include <stddef.h>

#define TABLE_COLS_MAX	24
#define TABLE_GAP	2

struct ui;

enum table_align {
	TABLE_LEFT,
	TABLE_RIGHT
};

struct table_col {
	const char	*name;		/* header */
	enum table_align align;
	int		 prio;		/* 0: always shown; else higher stays */
	int		 flex;		/* shares the room left over */
	int		 minw;		/* flexible: narrowest worth showing */
	int		 maxw;		/* widest (0: as wide as the cells) */
	int		 elide;		/* too wide: the middle gives way */
	int		 w;		/* width (measured, then laid out) */
	int		 x;
	int		 show;
};

struct table {
	struct table_col col[TABLE_COLS_MAX];
	int		 n;
	int		 sorted;	/* column marked in the header, or -1 */
};

void	table_init(struct table *);
int	table_add(struct table *, const char *name, enum table_align,
	    int prio);
int	table_add_flex(struct table *, const char *name, int prio, int minw,
	    int maxw);
void	table_fit(struct table *, int col, const char *cell);
void	table_cap(struct table *, int col, int maxw);
void	table_layout(struct table *, int width);
void	table_header(struct ui *, const struct table *, int y);
void	table_cell(const struct table *, int col, int y, const char *);
int	table_col_at(const struct table *, int x);
void	table_row_attr(struct ui *, int y, int selected);
void	table_row_end(struct ui *, int selected);

#endif
