/*
 * history.h - the lines a prompt was given, newest last, bounded; kept
 * across runs in a file for the filter prompt.
 *
 * The file is $XDG_STATE_HOME/nftop/history ($HOME/.local/state when
 * unset), one entry a line, at most HISTORY_MAX of them; it is opened
 * when the UI starts (before root is dropped) and rewritten whole through
 * that descriptor when a line is added.  A history that cannot be saved
 * still works for the session.
 */
#ifndef NFTOP_UI_HISTORY_H
#define NFTOP_UI_HISTORY_H

#include <stddef.h>

#define HISTORY_MAX		200
#define HISTORY_LINE_MAX	4096

struct history;

struct history	*history_create(const char *file);
void		 history_free(struct history *);
int		 history_add(struct history *, const char *, char *err,
		    size_t errlen);
size_t		 history_count(const struct history *);
const char	*history_get(const struct history *, size_t back);
int		 history_default_path(const char *name, char *, size_t);

#endif
