/*
 * bigmem.h - zeroed memory for large tables, on huge pages when it can.
 *
 * For the tables whose size follows the traffic (aggregate slots, burst
 * mode's scratch table): on the virtual machines nftop runs on, the
 * first touch of a 4 KiB page costs about 10 us (a fault, an exit to the
 * hypervisor, a page zeroed), so a 32 MiB table costs 80 ms before one
 * key is counted.  A 2 MiB transparent huge page costs one fault.
 *
 * bigmem_alloc() returns len zeroed bytes aligned to at least a cache
 * line (64 bytes), or ends the program; bigmem_free() takes the same len
 * back (NULL is fine).  Small sizes come from the heap.
 * bigmem_try_alloc() returns NULL instead of ending (counted in faults),
 * for tables that can go on at their size.
 *
 * bigmem_prefault() backs a range now rather than at first touch: for a
 * live collector's ring, whose first fill would otherwise cost the faults
 * while datagrams queue up (and overflow the socket at a few M records/s).
 */
#ifndef NFTOP_BIGMEM_H
#define NFTOP_BIGMEM_H

#include <stddef.h>

void	*bigmem_alloc(size_t len);
void	*bigmem_try_alloc(size_t len);
void	 bigmem_free(void *, size_t len);
void	 bigmem_prefault(void *, size_t len);

#endif
