/*
 * agg-minheap.c - the aggregate table's eviction heap: the slots of all
 * its entries, the smallest in the order's metric at the root, so that a
 * full table finds the entry to evict in O(1) and keeps the heap in
 * O(log keys) per change.  Each entry knows its place (hpos), because
 * entries move: counts change and deletes shift slots back.
 *
 * The heap exists only once the table has filled (agg.c builds it then):
 * until that moment an exact table pays nothing for it.  Its size is the
 * table's key count, t->n.
 */
#include <stdint.h>

#include "agg.h"
#include "xmalloc.h"

static uint64_t
minheap_key(const struct agg_table *t, size_t hp)
{
	return agg_metric(&t->slots[t->heap[hp]].c, t->order);
}

static void
minheap_put(struct agg_table *t, size_t hp, uint32_t slot)
{
	t->heap[hp] = slot;
	t->slots[slot].hpos = (uint32_t)hp;
}

static void
minheap_sift_up(struct agg_table *t, size_t hp)
{
	uint32_t slot = t->heap[hp];
	uint64_t k = agg_metric(&t->slots[slot].c, t->order);
	size_t parent;

	while (hp > 0) {
		parent = (hp - 1) / 2;
		if (minheap_key(t, parent) <= k)
			break;
		minheap_put(t, hp, t->heap[parent]);
		hp = parent;
	}
	minheap_put(t, hp, slot);
}

/* size: the heap's entries (t->n, or one less while removing). */
static void
minheap_sift_down(struct agg_table *t, size_t hp, size_t size)
{
	uint32_t slot = t->heap[hp];
	uint64_t k = agg_metric(&t->slots[slot].c, t->order);
	size_t c;

	while ((c = 2 * hp + 1) < size) {
		if (c + 1 < size && minheap_key(t, c + 1) < minheap_key(t, c))
			c++;
		if (minheap_key(t, c) >= k)
			break;
		minheap_put(t, hp, t->heap[c]);
		hp = c;
	}
	minheap_put(t, hp, slot);
}

/* Puts every entry in the heap: O(keys), when the table fills. */
void
agg_minheap_build(struct agg_table *t)
{
	size_t i, hp = 0;

	if (t->heap == NULL)
		t->heap = xreallocarray(NULL, t->max, sizeof(*t->heap));
	for (i = 0; i <= t->mask; i++)
		if (t->slots[i].hash != 0)
			minheap_put(t, hp++, (uint32_t)i);
	for (i = hp / 2; i-- > 0;)
		minheap_sift_down(t, i, hp);
}

/* Adds the entry at slot; t->n already counts it. */
void
agg_minheap_push(struct agg_table *t, size_t slot)
{
	minheap_put(t, t->n - 1, (uint32_t)slot);
	minheap_sift_up(t, t->n - 1);
}

/* Takes the entry at slot out; t->n still counts it. */
void
agg_minheap_remove(struct agg_table *t, size_t slot)
{
	size_t hp = t->slots[slot].hpos, last = t->n - 1;
	uint32_t moved;

	if (hp == last)
		return;
	/* The last entry fills the hole and goes up or down from there. */
	moved = t->heap[last];
	minheap_put(t, hp, moved);
	minheap_sift_up(t, hp);
	if (t->slots[moved].hpos == hp)
		minheap_sift_down(t, hp, last);
}

/* The entry at slot got smaller. */
void
agg_minheap_up(struct agg_table *t, size_t slot)
{
	minheap_sift_up(t, t->slots[slot].hpos);
}

/* The entry at slot got larger. */
void
agg_minheap_down(struct agg_table *t, size_t slot)
{
	minheap_sift_down(t, t->slots[slot].hpos, t->n);
}
