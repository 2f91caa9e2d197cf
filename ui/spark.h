/*
 * spark.h - sparklines, share bars and stacked columns as strings of
 * block characters.
 *
 * They come out as wide-character strings ready for addnwstr().  A
 * sparkline has three styles: Unicode blocks (U+2581..U+2588, one sample
 * and nine heights per cell), braille (U+2800.., two samples and five
 * heights per cell, as htop and btop draw graphs) and ASCII for locales
 * that are not UTF-8.  Bars use eighths of a cell (U+258F..U+2589) or '#'.
 */
#ifndef NFTOP_UI_SPARK_H
#define NFTOP_UI_SPARK_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#define SPARK_LEVELS	8

enum spark_style {
	SPARK_ASCII,
	SPARK_BLOCK,
	SPARK_BRAILLE,
	SPARK_STYLE_MAX
};

uint64_t	 spark_max(const uint64_t *, size_t);
size_t		 spark_samples(enum spark_style, size_t cells);
size_t		 spark_line(const uint64_t *, size_t, uint64_t max,
		    enum spark_style, wchar_t *);
void		 spark_bar(double frac, size_t width, int utf8, wchar_t *);
int		 spark_style_parse(const char *, enum spark_style *);
const char	*spark_style_name(enum spark_style);

#endif
