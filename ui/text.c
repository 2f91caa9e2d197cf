/*
 * text.c - the one sanitizer, and clipped output on top of it.
 *
 * text_init() records whether the locale is UTF-8 (ui_create decides it
 * once, from nl_langinfo); the rest of the UI only calls text_put() and
 * friends and never hands raw bytes to curses.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "ui-int.h"
#include "text.h"

#define TEXT_MAX	1024	/* longest string drawn, in characters */

static int text_utf8;

void
text_init(int utf8)
{
	text_utf8 = utf8;
}

/*
 * Copies in to out, replacing anything that is not a printable character
 * of one or two columns by '?'.  out is always terminated.
 */
void
text_sanitize(const char *in, char *out, size_t len)
{
	mbstate_t st;
	wchar_t wc;
	size_t n, o = 0, i = 0, inlen = strlen(in);
	int w;

	if (len == 0)
		return;
	memset(&st, 0, sizeof(st));
	while (i < inlen && o + 1 < len) {
		if (!text_utf8 || (unsigned char)in[i] < 0x80) {
			unsigned char c = (unsigned char)in[i++];

			out[o++] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
			continue;
		}
		n = mbrtowc(&wc, in + i, inlen - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			out[o++] = '?';
			i++;
			continue;
		}
		w = wcwidth(wc);
		if (!iswprint((wint_t)wc) || w < 1 || w > 2) {
			out[o++] = '?';
		} else if (o + n < len) {
			memcpy(out + o, in + i, n);
			o += n;
		} else
			break;
		i += n;
	}
	out[o] = '\0';
}

/* Sanitized, as wide characters; returns how many. */
static size_t
text_wide(const char *s, wchar_t *w, size_t wlen)
{
	char clean[TEXT_MAX * 4];
	size_t n;

	text_sanitize(s, clean, sizeof(clean));
	n = mbstowcs(w, clean, wlen - 1);
	if (n == (size_t)-1)
		n = 0;
	w[n] = L'\0';
	return n;
}

/* Columns the string takes on screen, once sanitized. */
int
text_width(const char *s)
{
	wchar_t w[TEXT_MAX];
	size_t i, n = text_wide(s, w, TEXT_MAX);
	int cols = 0;

	for (i = 0; i < n; i++)
		cols += wcwidth(w[i]) > 1 ? 2 : 1;
	return cols;
}

/*
 * Draws s at (y, x) in at most maxw columns with the current attributes.
 * Returns the columns used.
 */
int
text_put(int y, int x, int maxw, const char *s)
{
	wchar_t w[TEXT_MAX];
	size_t i, n = text_wide(s, w, TEXT_MAX);
	int cols = 0, cw;

	if (maxw <= 0 || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return 0;
	if (maxw > COLS - x)
		maxw = COLS - x;
	for (i = 0; i < n; i++) {
		cw = wcwidth(w[i]) > 1 ? 2 : 1;
		if (cols + cw > maxw)
			break;
		cols += cw;
	}
	mvaddnwstr(y, x, w, (int)i);
	return cols;
}

/*
 * Draws s in w columns; when it is wider, its middle gives way to one
 * '~' (an ellipsis in UTF-8) so that both ends show: the start of an
 * address and its port.
 */
int
text_put_elided(int y, int x, int w, const char *s)
{
	wchar_t in[TEXT_MAX], out[TEXT_MAX];
	size_t n = text_wide(s, in, TEXT_MAX), i, head = 0, tail;
	int cols = 0, hw = 0, tw = 0;

	for (i = 0; i < n; i++)
		cols += wcwidth(in[i]) > 1 ? 2 : 1;
	if (cols <= w || w < 5)
		return text_put(y, x, w, s);
	/* Two thirds of the room for the head, the rest for the tail. */
	while (head < n && hw + (wcwidth(in[head]) > 1 ? 2 : 1) <=
	    (w - 1) * 2 / 3)
		hw += wcwidth(in[head++]) > 1 ? 2 : 1;
	tail = n;
	while (tail > head && tw + hw + 1 + (wcwidth(in[tail - 1]) > 1 ? 2 :
	    1) <= w)
		tw += wcwidth(in[--tail]) > 1 ? 2 : 1;
	wmemcpy(out, in, head);
	out[head] = text_utf8 ? 0x2026 : L'~';
	wmemcpy(out + head + 1, in + tail, n - tail);
	if (x < 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	mvaddnwstr(y, x, out, (int)(head + 1 + n - tail));
	return hw + 1 + tw;
}

/*
 * Lays s out in lines of at most w columns, broken after a space where
 * one falls in the line, at most maxlines of them (the rest is cut), and
 * draws them from (y, x) down when draw is set.  Returns the lines.
 */
static int
text_wrap(int y, int x, int w, int maxlines, const char *s, int draw)
{
	wchar_t in[TEXT_MAX];
	size_t n = text_wide(s, in, TEXT_MAX), start = 0, i, brk;
	int lines = 0, cols, cw;

	if (w <= 0)
		return 0;
	while (start < n && lines < maxlines) {
		cols = 0;
		brk = 0;
		for (i = start; i < n; i++) {
			cw = wcwidth(in[i]) > 1 ? 2 : 1;
			if (cols + cw > w)
				break;
			cols += cw;
			if (in[i] == L' ')
				brk = i + 1;
		}
		if (i < n && brk > start)
			i = brk;
		if (i == start)		/* a character wider than w */
			i++;
		if (draw && y + lines >= 0 && y + lines < LINES && x >= 0 &&
		    x < COLS)
			mvaddnwstr(y + lines, x, in + start, (int)(i - start));
		lines++;
		start = i;
	}
	return lines;
}

/* Draws s wrapped in w columns from (y, x) down; returns the lines. */
int
text_put_wrapped(int y, int x, int w, int maxlines, const char *s)
{
	return text_wrap(y, x, w, maxlines, s, 1);
}

/* The lines text_put_wrapped would take. */
int
text_wrapped_lines(int w, int maxlines, const char *s)
{
	return text_wrap(0, 0, w, maxlines, s, 0);
}

/* Draws s right-aligned in the w columns that start at x. */
int
text_put_right(int y, int x, int w, const char *s)
{
	int sw = text_width(s);

	if (sw > w)
		return text_put(y, x, w, s);
	return text_put(y, x + w - sw, sw, s) + (w - sw);
}
