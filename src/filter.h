/*
 * filter.h - flow filters in nfdump's syntax, compiled once and matched
 * per record without allocation.
 *
 * The full nfdump grammar is its own piece of work (FILTER.md); until it
 * lands this compiler accepts only the filter that matches everything
 * ("any", or an empty text) and rejects anything else with a clear error,
 * so no view ever silently ignores a filter it was given.
 */
#ifndef NFTOP_FILTER_H
#define NFTOP_FILTER_H

#include <stddef.h>

#include "flow.h"

struct filter;

struct filter	*filter_compile(const char *, char *err, size_t errlen);
void		 filter_free(struct filter *);
int		 filter_match(const struct filter *, const struct flow_rec *);
const char	*filter_text(const struct filter *);

#endif
