/*
 * keyname.c - key names for keymap files and the help screen.
 *
 * Names follow tmux: Up Down Left Right Home End PageUp (PPage, PgUp)
 * PageDown (NPage, PgDn) IC DC BTab Tab Enter Escape Space BSpace F1..F12,
 * C-x or ^x for control keys, and any single character for itself.  Names
 * match without regard to case; the first spelling in the table is the one
 * the help screen prints.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include <curses.h>

#include "keyname.h"

static const struct {
	const char	*name;
	int		 key;
} keyname_table[] = {
	{ "Up", KEYNAME_SPECIAL | KEY_UP },
	{ "Down", KEYNAME_SPECIAL | KEY_DOWN },
	{ "Left", KEYNAME_SPECIAL | KEY_LEFT },
	{ "Right", KEYNAME_SPECIAL | KEY_RIGHT },
	{ "Home", KEYNAME_SPECIAL | KEY_HOME },
	{ "End", KEYNAME_SPECIAL | KEY_END },
	{ "PageUp", KEYNAME_SPECIAL | KEY_PPAGE },
	{ "PPage", KEYNAME_SPECIAL | KEY_PPAGE },
	{ "PgUp", KEYNAME_SPECIAL | KEY_PPAGE },
	{ "PageDown", KEYNAME_SPECIAL | KEY_NPAGE },
	{ "NPage", KEYNAME_SPECIAL | KEY_NPAGE },
	{ "PgDn", KEYNAME_SPECIAL | KEY_NPAGE },
	{ "IC", KEYNAME_SPECIAL | KEY_IC },
	{ "Insert", KEYNAME_SPECIAL | KEY_IC },
	{ "DC", KEYNAME_SPECIAL | KEY_DC },
	{ "Delete", KEYNAME_SPECIAL | KEY_DC },
	{ "BTab", KEYNAME_SPECIAL | KEY_BTAB },
	{ "Tab", KEYNAME_TAB },
	{ "Enter", KEYNAME_ENTER },
	{ "Escape", KEYNAME_ESCAPE },
	{ "Esc", KEYNAME_ESCAPE },
	{ "Space", KEYNAME_SPACE },
	{ "BSpace", KEYNAME_BSPACE },
};

#define KEYNAME_NTABLE	(sizeof(keyname_table) / sizeof(keyname_table[0]))
#define KEYNAME_FMAX	12

/* "C-x" / "^x": the control character, or -1. */
static int
keyname_ctrl(const char *s)
{
	unsigned char c;

	if (strcasecmp(s, "Space") == 0 || strcmp(s, "@") == 0)
		return 0;
	if (strlen(s) != 1)
		return -1;
	c = (unsigned char)s[0];
	if (isalpha(c))
		return toupper(c) & 0x1f;
	if (c == '?')
		return KEYNAME_BSPACE;
	if (c >= '[' && c <= '_')
		return c & 0x1f;
	return -1;
}

/* One whole character, in the locale's encoding (UTF-8 in practice). */
static int
keyname_char(const char *s)
{
	mbstate_t st;
	wchar_t wc;
	size_t n, len = strlen(s);

	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n != len || wc <= 32 ||
	    wc == 127)
		return KEYNAME_NONE;
	return (int)wc;
}

/* Returns the key a name stands for, or KEYNAME_NONE. */
int
keyname_parse(const char *s)
{
	char *end;
	size_t i;
	long f;
	int k;

	if (*s == '\0')
		return KEYNAME_NONE;
	if ((k = keyname_char(s)) != KEYNAME_NONE)
		return k;
	for (i = 0; i < KEYNAME_NTABLE; i++)
		if (strcasecmp(s, keyname_table[i].name) == 0)
			return keyname_table[i].key;
	if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-')
		return (k = keyname_ctrl(s + 2)) < 0 ? KEYNAME_NONE : k;
	if (s[0] == '^' && s[1] != '\0')
		return (k = keyname_ctrl(s + 1)) < 0 ? KEYNAME_NONE : k;
	if ((s[0] == 'F' || s[0] == 'f') && isdigit((unsigned char)s[1])) {
		f = strtol(s + 1, &end, 10);
		if (*end == '\0' && f >= 1 && f <= KEYNAME_FMAX)
			return KEYNAME_SPECIAL | KEY_F(f);
	}
	return KEYNAME_NONE;
}

/* Writes the code point as UTF-8; the screen sanitizes it on output. */
static void
keyname_utf8(int c, char *buf, size_t len)
{
	unsigned char u[5];
	size_t n;

	if (c < 0x80) {
		u[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (unsigned char)(0xc0 | c >> 6);
		u[1] = (unsigned char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (unsigned char)(0xe0 | c >> 12);
		u[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | c >> 18);
		u[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (c & 0x3f));
		n = 4;
	}
	u[n] = '\0';
	snprintf(buf, len, "%s", (char *)u);
}

/* The name the help screen shows for a key. */
const char *
keyname_format(int key, char *buf, size_t len)
{
	size_t i;
	int f;

	for (i = 0; i < KEYNAME_NTABLE; i++)
		if (keyname_table[i].key == key) {
			snprintf(buf, len, "%s", keyname_table[i].name);
			return buf;
		}
	for (f = 1; f <= KEYNAME_FMAX; f++)
		if (key == (KEYNAME_SPECIAL | KEY_F(f))) {
			snprintf(buf, len, "F%d", f);
			return buf;
		}
	if (key & KEYNAME_SPECIAL)
		snprintf(buf, len, "key-%d", key & ~KEYNAME_SPECIAL);
	else if (key == 0)
		snprintf(buf, len, "C-Space");
	else if (key >= 1 && key <= 26)
		snprintf(buf, len, "C-%c", 'a' + key - 1);
	else if (key < 32)
		snprintf(buf, len, "C-%c", key | 0x40);
	else
		keyname_utf8(key, buf, len);
	return buf;
}

/*
 * From get_wch()'s result to a key: Enter arrives as CR, LF or KEY_ENTER,
 * Backspace as DEL or KEY_BACKSPACE; each becomes one code.
 */
int
keyname_from_input(int status, unsigned int wch)
{
	if (status == KEY_CODE_YES) {
		if (wch == KEY_ENTER)
			return KEYNAME_ENTER;
		if (wch == KEY_BACKSPACE)
			return KEYNAME_BSPACE;
		return KEYNAME_SPECIAL | (int)wch;
	}
	if (status != OK)
		return KEYNAME_NONE;
	if (wch == '\n')
		return KEYNAME_ENTER;
	if (wch > 0x10ffff)
		return KEYNAME_NONE;
	return (int)wch;
}
