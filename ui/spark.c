/*
 * spark.c - one character per sample, nine heights (blank and eight
 * blocks), or two samples per braille cell with five heights each, scaled
 * to the largest sample shown; and horizontal bars in eighths of a cell.
 *
 * A sample above zero always gets at least the lowest mark, so that a
 * trickle next to a burst still shows that something arrived.
 */
#include <string.h>
#include <strings.h>

#include "spark.h"

static const wchar_t spark_utf8[SPARK_LEVELS + 1] = {
	L' ', 0x2581, 0x2582, 0x2583, 0x2584, 0x2585, 0x2586, 0x2587, 0x2588
};
static const wchar_t spark_ascii[SPARK_LEVELS + 1] = {
	L' ', L'.', L',', L':', L'-', L'=', L'+', L'*', L'#'
};
/* Left blocks of one to seven eighths of a cell. */
static const wchar_t spark_eighths[SPARK_LEVELS] = {
	L' ', 0x258f, 0x258e, 0x258d, 0x258c, 0x258b, 0x258a, 0x2589
};
/* Braille dots filled from the bottom: left and right column, 0..4. */
static const unsigned spark_dots_left[5] = { 0, 0x40, 0x44, 0x46, 0x47 };
static const unsigned spark_dots_right[5] = { 0, 0x80, 0xa0, 0xb0, 0xb8 };

static const char *const spark_names[SPARK_STYLE_MAX] = {
	[SPARK_ASCII] = "ascii",
	[SPARK_BLOCK] = "block",
	[SPARK_BRAILLE] = "braille",
};

uint64_t
spark_max(const uint64_t *v, size_t n)
{
	uint64_t max = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	return max;
}

/* How many samples fit in cells characters. */
size_t
spark_samples(enum spark_style s, size_t cells)
{
	return s == SPARK_BRAILLE ? cells * 2 : cells;
}

/* Height 0..levels of v against max, at least 1 when v > 0. */
static unsigned
spark_level(uint64_t v, uint64_t max, unsigned levels)
{
	unsigned l;

	if (v == 0 || max == 0)
		return 0;
	l = (unsigned)((v * (double)levels + max / 2.0) / max);
	if (l < 1)
		l = 1;
	return l > levels ? levels : l;
}

/*
 * Writes the characters for n samples and a terminating L'\0' to out;
 * returns how many characters (n, or (n + 1) / 2 for braille, where an
 * odd first sample sits alone in the right column).
 */
size_t
spark_line(const uint64_t *v, size_t n, uint64_t max, enum spark_style s,
    wchar_t *out)
{
	const wchar_t *set = s == SPARK_BLOCK ? spark_utf8 : spark_ascii;
	size_t i, o = 0, first;

	if (s != SPARK_BRAILLE) {
		for (i = 0; i < n; i++)
			out[i] = set[spark_level(v[i], max, SPARK_LEVELS)];
		out[n] = L'\0';
		return n;
	}
	/* The newest sample ends up in the right column of the last cell. */
	first = n % 2;
	if (first)
		out[o++] = (wchar_t)(0x2800 +
		    spark_dots_right[spark_level(v[0], max, 4)]);
	for (i = first; i < n; i += 2)
		out[o++] = (wchar_t)(0x2800 +
		    spark_dots_left[spark_level(v[i], max, 4)] +
		    spark_dots_right[spark_level(v[i + 1], max, 4)]);
	out[o] = L'\0';
	return o;
}

/*
 * A bar of frac (0..1) of width cells, padded with blanks to width;
 * out holds width + 1 characters.
 */
void
spark_bar(double frac, size_t width, int utf8, wchar_t *out)
{
	size_t i, full, eighths;

	if (!(frac > 0))
		frac = 0;
	if (frac > 1)
		frac = 1;
	eighths = (size_t)(frac * width * SPARK_LEVELS + 0.5);
	if (!utf8)
		eighths = (eighths + SPARK_LEVELS / 2) / SPARK_LEVELS *
		    SPARK_LEVELS;
	full = eighths / SPARK_LEVELS;
	for (i = 0; i < width; i++) {
		if (i < full)
			out[i] = utf8 ? 0x2588 : L'#';
		else if (i == full && utf8)
			out[i] = spark_eighths[eighths % SPARK_LEVELS];
		else
			out[i] = L' ';
	}
	out[width] = L'\0';
}

int
spark_style_parse(const char *s, enum spark_style *out)
{
	int i;

	for (i = 0; i < SPARK_STYLE_MAX; i++)
		if (strcasecmp(s, spark_names[i]) == 0) {
			*out = (enum spark_style)i;
			return 0;
		}
	return -1;
}

const char *
spark_style_name(enum spark_style s)
{
	return (unsigned)s < SPARK_STYLE_MAX ? spark_names[s] : "?";
}
