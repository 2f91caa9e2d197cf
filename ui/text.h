/*
 * text.h - putting strings on the screen safely.
 *
 * Every string the UI draws goes through text_put(), which sanitizes it
 * first: control characters, invalid UTF-8 and (outside a UTF-8 locale)
 * every non-ASCII byte become '?', so that nothing derived from the
 * network or from a file can move the cursor or change the terminal.  It
 * also clips to a number of screen columns, counting wide characters as
 * the terminal will.
 */
#ifndef NFTOP_UI_TEXT_H
#define NFTOP_UI_TEXT_H

#include <stddef.h>

void	text_init(int utf8);
void	text_sanitize(const char *, char *, size_t);
int	text_width(const char *);
int	text_put(int y, int x, int maxw, const char *);
int	text_put_right(int y, int x, int w, const char *);
int	text_put_elided(int y, int x, int w, const char *);
int	text_put_wrapped(int y, int x, int w, int maxlines, const char *);
int	text_wrapped_lines(int w, int maxlines, const char *);

#endif
