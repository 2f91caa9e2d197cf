/*
 * theme.h - colour themes: "default" (the eight ANSI colours on the
 * terminal's own background), "256" (a 256-colour palette) and "mono"
 * (bold, underline and reverse video only).  NO_COLOR (non-empty), or a
 * terminal without colours, makes every theme monochrome.  Meaning never
 * rests on colour alone: the sorted column is underlined, protocols in
 * the stacked graph have their own glyphs.
 */
#ifndef NFTOP_UI_THEME_H
#define NFTOP_UI_THEME_H

enum {
	THEME_DEFAULT,
	THEME_256,
	THEME_MONO,
	THEME_MAX
};

struct ui;

int		 theme_parse(const char *, int *);
const char	*theme_name(int);
void		 theme_start(struct ui *);
void		 theme_apply(struct ui *);

#endif
