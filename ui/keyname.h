/*
 * keyname.h - key codes and their names, in tmux's spelling.
 *
 * A key is an int: a character is its Unicode code point (control keys
 * are the control characters, so C-l is 12 and Tab is 9); a function or
 * cursor key is KEYNAME_SPECIAL | its curses code.  keyname_from_input()
 * turns what get_wch() returns into this form, folding the ways terminals
 * send Enter and Backspace into one code each.
 */
#ifndef NFTOP_UI_KEYNAME_H
#define NFTOP_UI_KEYNAME_H

#include <stddef.h>

#define KEYNAME_SPECIAL	0x1000000
#define KEYNAME_NONE	(-1)

#define KEYNAME_TAB	9
#define KEYNAME_ENTER	13
#define KEYNAME_ESCAPE	27
#define KEYNAME_SPACE	32
#define KEYNAME_BSPACE	127

int		 keyname_parse(const char *);
const char	*keyname_format(int, char *, size_t);
int		 keyname_from_input(int status, unsigned int wch);

#endif
