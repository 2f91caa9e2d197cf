/*
 * spark.c - one character per sample, nine heights (blank and eight
 * blocks), scaled to the largest sample shown; and horizontal bars in
 * eighths of a cell.
 *
 * A sample above zero always gets at least the lowest block, so that a
 * trickle next to a burst still shows that something arrived.
 */
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

/* Writes n characters and a terminating L'\0' to out. */
void
spark_line(const uint64_t *v, size_t n, uint64_t max, int utf8,
    wchar_t *out)
{
	const wchar_t *set = utf8 ? spark_utf8 : spark_ascii;
	unsigned level;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == 0 || max == 0)
			level = 0;
		else {
			level = (unsigned)((v[i] * (double)SPARK_LEVELS +
			    max / 2.0) / max);
			if (level < 1)
				level = 1;
			if (level > SPARK_LEVELS)
				level = SPARK_LEVELS;
		}
		out[i] = set[level];
	}
	out[n] = L'\0';
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
