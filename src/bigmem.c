/*
 * bigmem.c - large zeroed allocations on 2 MiB-aligned anonymous maps
 * with transparent huge pages asked for (see bigmem.h for why).
 *
 * The kernel only backs an aligned 2 MiB range with a huge page, so the
 * map is made 2 MiB longer than asked and the unaligned ends are given
 * back.  Pages stay unbacked until touched, as with calloc.
 */
#include <sys/mman.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"
#include "fault.h"
#include "log.h"

#define BIGMEM_HUGE	((size_t)2 << 20)
#define BIGMEM_LINE	64
/* Below this, the heap serves (a map per small table would waste more). */
#define BIGMEM_MIN	((size_t)1 << 20)

/*
 * A map is a whole number of huge pages (so that its ends are page
 * aligned, as munmap wants; the pages past len are never touched and
 * cost nothing), a heap block a whole number of cache lines.
 */
static size_t
bigmem_round(size_t len)
{
	size_t unit;

	if (len > SIZE_MAX / 2 - BIGMEM_HUGE)
		fatalx("bigmem: %zu bytes is too large", len);
	unit = len < BIGMEM_MIN ? BIGMEM_LINE : BIGMEM_HUGE;
	return (len + unit - 1) & ~(unit - 1);
}

void *
bigmem_try_alloc(size_t len)
{
	uintptr_t p, start;
	void *m;

	len = bigmem_round(len == 0 ? 1 : len);
	if (len < BIGMEM_MIN) {
		if ((m = aligned_alloc(BIGMEM_LINE, len)) == NULL) {
			fault_count(FAULT_ALLOC);
			return NULL;
		}
		return memset(m, 0, len);
	}
	m = mmap(NULL, len + BIGMEM_HUGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		fault_count(FAULT_ALLOC);
		return NULL;
	}
	p = (uintptr_t)m;
	start = (p + BIGMEM_HUGE - 1) & ~(uintptr_t)(BIGMEM_HUGE - 1);
	if (start > p)
		munmap(m, start - p);
	munmap((void *)(start + len), p + BIGMEM_HUGE - start);
	/* Advice only: without huge pages the table still works. */
	(void)madvise((void *)start, len, MADV_HUGEPAGE);
	return (void *)start;
}

void *
bigmem_alloc(size_t len)
{
	void *m;

	if ((m = bigmem_try_alloc(len)) == NULL)
		fatal("bigmem: cannot allocate %zu bytes", len);
	return m;
}

void
bigmem_free(void *m, size_t len)
{
	if (m == NULL)
		return;
	len = bigmem_round(len == 0 ? 1 : len);
	if (len < BIGMEM_MIN)
		free(m);
	else
		munmap(m, len);
}

/*
 * One write per 4 KiB page (a zero over a zero: the contents stay);
 * with huge pages the first write of each 2 MiB does the work.
 */
void
bigmem_prefault(void *m, size_t len)
{
	volatile uint8_t *p = m;
	size_t i;

	for (i = 0; i < len; i += 4096)
		p[i] = 0;
}
