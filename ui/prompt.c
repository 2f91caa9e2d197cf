/*
 * prompt.c - line editing in the style of readline's defaults: printable
 * characters insert at the cursor; BSpace/C-h and DC/C-d delete;
 * Left/C-b, Right/C-f, Home/C-a, End/C-e move; C-u and C-k kill to the
 * start or end; C-w kills the word before the cursor.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>

#include "keyname.h"
#include "prompt.h"

#define PROMPT_CTRL(c)	((c) & 0x1f)

/* Multibyte text to at most max characters; unprintable ones as '?'. */
static size_t
prompt_decode(const char *text, wchar_t *out, size_t max)
{
	size_t i, n;

	if (text == NULL || (n = mbstowcs(out, text, max)) == (size_t)-1)
		n = 0;
	out[n] = L'\0';
	for (i = 0; i < n; i++)
		if (!iswprint((wint_t)out[i]))
			out[i] = L'?';
	return n;
}

/* Starts editing text (a multibyte string; NULL for an empty line). */
void
prompt_init(struct prompt *p, const char *label, const char *text)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->label, sizeof(p->label), "%s", label);
	p->len = p->cur = prompt_decode(text, p->buf, PROMPT_MAX);
}

/* Replaces the whole line, the cursor at its end. */
void
prompt_set(struct prompt *p, const char *text)
{
	p->len = p->cur = prompt_decode(text, p->buf, PROMPT_MAX);
}

/*
 * Replaces characters [from, to) with text and puts the cursor after it.
 * -1 (and nothing changed) if the line would grow past PROMPT_MAX.
 */
int
prompt_replace(struct prompt *p, size_t from, size_t to, const char *text)
{
	wchar_t w[PROMPT_MAX + 1];
	size_t n = prompt_decode(text, w, PROMPT_MAX);

	if (from > to || to > p->len || p->len - (to - from) + n > PROMPT_MAX)
		return -1;
	wmemmove(p->buf + from + n, p->buf + to, p->len - to + 1);
	wmemcpy(p->buf + from, w, n);
	p->len = p->len - (to - from) + n;
	p->cur = from + n;
	return 0;
}

/* Bytes the first chars characters take in the locale's encoding. */
size_t
prompt_bytes(const struct prompt *p, size_t chars)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t i, n, total = 0;

	memset(&st, 0, sizeof(st));
	for (i = 0; i < chars && i < p->len; i++)
		if ((n = wcrtomb(mb, p->buf[i], &st)) != (size_t)-1)
			total += n;
	return total;
}

/* The character at byte offset bytes of a multibyte text. */
size_t
prompt_chars(const char *text, size_t bytes)
{
	mbstate_t st;
	size_t i = 0, n, chars = 0, len = strlen(text);

	if (bytes > len)
		bytes = len;
	memset(&st, 0, sizeof(st));
	while (i < bytes) {
		n = mbrlen(text + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
		}
		i += n;
		chars++;
	}
	return chars;
}

static void
prompt_delete(struct prompt *p, size_t from, size_t to)
{
	if (from >= to || to > p->len)
		return;
	wmemmove(p->buf + from, p->buf + to, p->len - to + 1);
	p->len -= to - from;
	p->cur = from;
}

static void
prompt_insert(struct prompt *p, wchar_t c)
{
	if (p->len >= PROMPT_MAX) {
		p->full = 1;
		return;
	}
	wmemmove(p->buf + p->cur + 1, p->buf + p->cur, p->len - p->cur + 1);
	p->buf[p->cur++] = c;
	p->len++;
}

static size_t
prompt_word_start(const struct prompt *p)
{
	size_t i = p->cur;

	while (i > 0 && iswspace((wint_t)p->buf[i - 1]))
		i--;
	while (i > 0 && !iswspace((wint_t)p->buf[i - 1]))
		i--;
	return i;
}

enum prompt_result
prompt_key(struct prompt *p, int key)
{
	p->full = 0;
	switch (key) {
	case KEYNAME_ENTER:
		return PROMPT_ACCEPT;
	case KEYNAME_ESCAPE:
	case PROMPT_CTRL('g'):
		return PROMPT_CANCEL;
	case KEYNAME_BSPACE:
	case PROMPT_CTRL('h'):
		if (p->cur > 0)
			prompt_delete(p, p->cur - 1, p->cur);
		break;
	case KEYNAME_SPECIAL | KEY_DC:
	case PROMPT_CTRL('d'):
		prompt_delete(p, p->cur, p->cur + 1);
		break;
	case KEYNAME_SPECIAL | KEY_LEFT:
	case PROMPT_CTRL('b'):
		if (p->cur > 0)
			p->cur--;
		break;
	case KEYNAME_SPECIAL | KEY_RIGHT:
	case PROMPT_CTRL('f'):
		if (p->cur < p->len)
			p->cur++;
		break;
	case KEYNAME_SPECIAL | KEY_HOME:
	case PROMPT_CTRL('a'):
		p->cur = 0;
		break;
	case KEYNAME_SPECIAL | KEY_END:
	case PROMPT_CTRL('e'):
		p->cur = p->len;
		break;
	case PROMPT_CTRL('u'):
		prompt_delete(p, 0, p->cur);
		break;
	case PROMPT_CTRL('k'):
		p->buf[p->cur] = L'\0';
		p->len = p->cur;
		break;
	case PROMPT_CTRL('w'):
		prompt_delete(p, prompt_word_start(p), p->cur);
		break;
	default:
		if (key >= 0 && !(key & KEYNAME_SPECIAL) &&
		    iswprint((wint_t)key) && wcwidth((wchar_t)key) >= 1)
			prompt_insert(p, (wchar_t)key);
		break;
	}
	return PROMPT_EDITING;
}

/* The line as a multibyte string; -1 if it does not fit in len. */
int
prompt_text(const struct prompt *p, char *buf, size_t len)
{
	size_t n = wcstombs(buf, p->buf, len);

	if (n == (size_t)-1 || n >= len) {
		if (len > 0)
			buf[0] = '\0';
		return -1;
	}
	return 0;
}
