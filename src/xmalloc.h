/*
 * xmalloc.h - allocation that either succeeds or ends the program.
 *
 * Used for bounded, startup-time and per-view allocations only; the
 * per-record hot path never allocates.
 */
#ifndef NFTOP_XMALLOC_H
#define NFTOP_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);

#endif
