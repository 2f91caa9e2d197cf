/*
 * spark.h - sparklines and share bars as strings of block characters.
 *
 * Both come out as wide-character strings ready for addnwstr(): Unicode
 * blocks (U+2581..U+2588 for heights, U+258F..U+2589 for eighths of a
 * cell) in a UTF-8 locale, plain ASCII otherwise.
 */
#ifndef NFTOP_UI_SPARK_H
#define NFTOP_UI_SPARK_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#define SPARK_LEVELS	8

uint64_t	spark_max(const uint64_t *, size_t);
void		spark_line(const uint64_t *, size_t, uint64_t max, int utf8,
		    wchar_t *);
void		spark_bar(double frac, size_t width, int utf8, wchar_t *);

#endif
