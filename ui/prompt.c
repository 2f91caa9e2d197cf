/*
 * prompt.c - line editing in the style of readline's defaults: printable
 * characters insert at the cursor; BSpace/C-h and DC/C-d delete;
 * Left/C-b, Right/C-f, Home/C-a, End/C-e move; C-u and C-k kill to the
 * start or end; C-w kills the word before the cursor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <curses.h>

#include "keyname.h"
#include "prompt.h"

#define PROMPT_CTRL(c)	((c) & 0x1f)

/* Starts editing text (a multibyte string; NULL for an empty line). */
void
prompt_init(struct prompt *p, const char *label, const char *text)
{
	size_t i, n = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->label, sizeof(p->label), "%s", label);
	if (text != NULL && (n = mbstowcs(p->buf, text, PROMPT_MAX)) ==
	    (size_t)-1)
		n = 0;
	p->buf[n] = L'\0';
	for (i = 0; i < n; i++)
		if (!iswprint((wint_t)p->buf[i]))
			p->buf[i] = L'?';
	p->len = p->cur = n;
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
