/*
 * prompt.h - a one-line editor for the prompts (filter, aggregate, limit,
 * command, export file).
 *
 * The text is kept as wide characters so that the cursor moves by
 * characters, not bytes.  prompt_key() takes one key (keyname.h codes)
 * and says whether the line is still being edited, was accepted with
 * Enter or was cancelled with Escape or C-g.  The length is bounded by
 * PROMPT_MAX; keys past it are refused.
 */
#ifndef NFTOP_UI_PROMPT_H
#define NFTOP_UI_PROMPT_H

#include <stddef.h>
#include <wchar.h>

#define PROMPT_MAX	1024	/* characters */

enum prompt_result {
	PROMPT_EDITING,
	PROMPT_ACCEPT,
	PROMPT_CANCEL
};

struct prompt {
	char		label[32];
	wchar_t		buf[PROMPT_MAX + 1];
	size_t		len;
	size_t		cur;		/* cursor, 0..len */
	int		full;		/* the last key hit PROMPT_MAX */
};

void		 prompt_init(struct prompt *, const char *label,
		    const char *text);
enum prompt_result prompt_key(struct prompt *, int key);
int		 prompt_text(const struct prompt *, char *, size_t);
void		 prompt_set(struct prompt *, const char *text);
int		 prompt_replace(struct prompt *, size_t from, size_t to,
		    const char *text);
size_t		 prompt_bytes(const struct prompt *, size_t chars);
size_t		 prompt_chars(const char *text, size_t bytes);

#endif
