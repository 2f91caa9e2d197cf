/*
 * agg-minheap.c - the aggregate table's eviction heap: every entry, the
 * smallest in the order's metric at the root, so that a full table finds
 * the entry to evict in O(1) and keeps the heap in O(log keys) per
 * change.  Each entry knows its place (hpos), because nodes move as
 * counts change, and a delete moves the last entry into the hole.
 *
 * Under a flood every record evicts the root, so the heap is built for
 * that: nodes carry their metric beside the entry's index (sifting reads
 * only the heap array, not entries scattered over the table), and it is
 * 4-ary (half the levels of a binary heap; four children share a cache
 * line).
 *
 * The heap exists only once the table has filled (agg.c builds it then):
 * until that moment an exact table pays nothing for it.  Its size is the
 * table's key count, t->n.
 */
#include <stdint.h>

#include "agg.h"
#include "xmalloc.h"

#define ARITY	4

static void
minheap_put(struct agg_table *t, size_t hp, struct agg_heap_node nd)
{
	t->heap[hp] = nd;
	t->ents[nd.ent].hpos = (uint32_t)hp;
}

static void
minheap_sift_up(struct agg_table *t, size_t hp)
{
	struct agg_heap_node nd = t->heap[hp];
	size_t parent;

	while (hp > 0) {
		parent = (hp - 1) / ARITY;
		if (t->heap[parent].key <= nd.key)
			break;
		minheap_put(t, hp, t->heap[parent]);
		hp = parent;
	}
	minheap_put(t, hp, nd);
}

/* size: the heap's nodes (t->n, or one less while removing). */
static void
minheap_sift_down(struct agg_table *t, size_t hp, size_t size)
{
	struct agg_heap_node nd = t->heap[hp];
	size_t c, first, last, best;

	for (;;) {
		first = ARITY * hp + 1;
		if (first >= size)
			break;
		last = first + ARITY < size ? first + ARITY : size;
		for (best = first, c = first + 1; c < last; c++)
			if (t->heap[c].key < t->heap[best].key)
				best = c;
		if (t->heap[best].key >= nd.key)
			break;
		minheap_put(t, hp, t->heap[best]);
		hp = best;
	}
	minheap_put(t, hp, nd);
}

static struct agg_heap_node
minheap_node(const struct agg_table *t, size_t ent)
{
	struct agg_heap_node nd;

	nd.key = agg_metric(&t->ents[ent].c, t->order);
	nd.ent = (uint32_t)ent;
	return nd;
}

/* Puts every entry in the heap: O(keys), when the table fills. */
void
agg_minheap_build(struct agg_table *t)
{
	size_t i, hp = 0;

	if (t->heap == NULL)
		t->heap = xreallocarray(NULL, t->max, sizeof(*t->heap));
	for (i = 0; i < t->n; i++)
		minheap_put(t, hp++, minheap_node(t, i));
	/* From the last node with children back to the root. */
	for (i = hp > 1 ? (hp - 2) / ARITY + 1 : 0; i-- > 0;)
		minheap_sift_down(t, i, hp);
}

/* Adds entry ent; t->n already counts it. */
void
agg_minheap_push(struct agg_table *t, size_t ent)
{
	minheap_put(t, t->n - 1, minheap_node(t, ent));
	minheap_sift_up(t, t->n - 1);
}

/* Takes entry ent out; t->n still counts it. */
void
agg_minheap_remove(struct agg_table *t, size_t ent)
{
	size_t hp = t->ents[ent].hpos, last = t->n - 1;
	struct agg_heap_node moved;

	if (hp == last)
		return;
	/* The last node fills the hole and goes up or down from there. */
	moved = t->heap[last];
	minheap_put(t, hp, moved);
	minheap_sift_up(t, hp);
	if (t->ents[moved.ent].hpos == hp)
		minheap_sift_down(t, hp, last);
}

/* Entry ent got smaller. */
void
agg_minheap_up(struct agg_table *t, size_t ent)
{
	size_t hp = t->ents[ent].hpos;

	t->heap[hp].key = agg_metric(&t->ents[ent].c, t->order);
	minheap_sift_up(t, hp);
}

/* Entry ent got larger. */
void
agg_minheap_down(struct agg_table *t, size_t ent)
{
	size_t hp = t->ents[ent].hpos;

	t->heap[hp].key = agg_metric(&t->ents[ent].c, t->order);
	minheap_sift_down(t, hp, t->n);
}
