/*
 * units.h - numbers for people (26.6K, 9.39M) or exactly as counted.
 *
 * Human forms use decimal (SI) prefixes, as network rates always do, with
 * three significant digits.  The unit is never folded into the number:
 * the screen labels it ("bytes", "bits/s", "packets/s"), so bits and
 * bytes cannot be confused.  The exact forms print the integer the engine
 * counted, for people who need it and for tests that compare with the
 * batch output.
 */
#ifndef NFTOP_UI_UNITS_H
#define NFTOP_UI_UNITS_H

#include <stddef.h>
#include <stdint.h>

const char	*units_count(uint64_t, int exact, char *, size_t);
const char	*units_rate(double per_sec, int exact, char *, size_t);
const char	*units_duration(uint64_t msec, char *, size_t);

#endif
