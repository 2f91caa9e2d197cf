/*
 * chanfile.h - the channels file's line reader, shared by its sections'
 * owners (channel.c for [profile ...], alert.c for [alerts] and
 * [signatures]).
 *
 * Lines are "[SECTION]" or "KEY = VALUE" (split at the first '=', both
 * sides trimmed); '#' at the start of a line (after blanks) makes it a
 * comment, and so does " #" after a value when the value is not a filter
 * (see chanfile_strip_comment).  The callback gets every KEY = VALUE line
 * with the section it is in ("" before the first); it writes a message to
 * err and returns -1 to stop, and the reader prefixes "FILE:LINE: ".
 */
#ifndef NFTOP_CHANFILE_H
#define NFTOP_CHANFILE_H

#include <stddef.h>

#define CHANFILE_LINE_MAX	4096

typedef int (*chanfile_cb)(void *ctx, const char *section, const char *key,
		    const char *value, char *err, size_t errlen);

int	chanfile_read(const char *path, chanfile_cb, void *ctx, char *err,
	    size_t errlen);
/* Cuts a trailing " # comment" off a settings value, in place. */
void	chanfile_strip_comment(char *);
/* $XDG_CONFIG_HOME/nftop/channels (or ~/.config/...); -1 if no home. */
int	chanfile_default_path(char *, size_t);

#endif
