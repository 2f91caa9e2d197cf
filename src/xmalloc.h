/*
 * xmalloc.h - allocation that either succeeds or ends the program.
 *
 * Used for bounded, startup-time and per-view allocations only; the
 * per-record hot path never allocates.  Work that runs while nftop runs
 * and can be put off (a report, a bigger table) uses tryreallocarray()
 * and goes on without it when memory is short.
 */
#ifndef NFTOP_XMALLOC_H
#define NFTOP_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);

/* For work that can be shed: NULL on failure, counted as a fault. */
void	*tryreallocarray(void *, size_t, size_t);

#endif
