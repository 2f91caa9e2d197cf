/*
 * sanitize.c - escapes untrusted text: C0 and C1 controls, DEL, bidi
 * controls and invalid UTF-8 become \xHH or \u{XXXX}; valid printable
 * UTF-8 is kept.  The output is always NUL-terminated, never longer than
 * dstlen - 1, and never ends in a cut escape or a cut character.
 */
#include <stdio.h>
#include <string.h>

#include "sanitize.h"

/* Decodes one UTF-8 character; returns its length, or 0 if invalid. */
static size_t
utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

static int
unsafe_codepoint(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

size_t
sanitize_label(char *dst, size_t dstlen, const uint8_t *src, size_t len)
{
	char esc[16];
	size_t o = 0, i = 0, n, el;
	uint32_t cp;

	if (dstlen == 0)
		return 0;
	while (i < len && src[i] != '\0') {
		n = utf8_decode(src + i, len - i, &cp);
		if (n == 0) {
			el = (size_t)snprintf(esc, sizeof(esc), "\\x%02x",
			    src[i]);
			n = 1;
		} else if (unsafe_codepoint(cp)) {
			if (cp < 0x80)
				el = (size_t)snprintf(esc, sizeof(esc),
				    "\\x%02x", cp);
			else
				el = (size_t)snprintf(esc, sizeof(esc),
				    "\\u{%x}", cp);
		} else {
			memcpy(esc, src + i, n);
			el = n;
		}
		if (o + el >= dstlen)
			break;
		memcpy(dst + o, esc, el);
		o += el;
		i += n;
	}
	dst[o] = '\0';
	return o;
}
