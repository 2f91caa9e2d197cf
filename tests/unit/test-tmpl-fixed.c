/*
 * test-tmpl-fixed.c - a template of fixed length is read by its compiled
 * steps (tmpl_fixed_record); every field must come out as the generic
 * reader (tmpl_field, over each field in turn) gives it.  Random templates
 * of every element nftop knows, at every length its kind allows (reduced
 * widths, odd widths, fields repeated), and lengths it must skip; random
 * record bytes, in a buffer exactly one record long so that a sanitizer
 * build sees any read past it.  And the cases where the compiled steps
 * must keep the template's order (two fields writing one place), and
 * where they need not and are grouped by kind.
 *
 * tmpl.c is included for its static functions; the library's copy is then
 * not linked in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tmpl.c"
#include "xorshift.h"

#define TEMPLATES	20000

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	return xorshift64(&rng);
}

/* The elements nftop reads, from its own table. */
static uint16_t known[1024];
static size_t nknown;

static void
known_init(void)
{
	uint32_t id;

	for (id = 1; id < 1024 && nknown < 1024; id++)
		if (ie_lookup((uint16_t)id) != NULL)
			known[nknown++] = (uint16_t)id;
}

/* A length for element id: usually one its kind allows, sometimes not. */
static uint16_t
field_len(uint16_t id)
{
	const struct ie_def *ie = ie_lookup(id);
	static const uint16_t odd[] = { 1, 2, 3, 5, 6, 7, 9, 12, 16, 17 };

	if (ie == NULL || rnd() % 10 == 0)
		return odd[rnd() % (sizeof(odd) / sizeof(odd[0]))];
	switch (ie->kind) {
	case IE_KIND_UINT:
		return (uint16_t)(1 + rnd() % 8);
	case IE_KIND_ADDR4:
		return 4;
	case IE_KIND_ADDR6:
		return 16;
	case IE_KIND_MAC:
		return 6;
	case IE_KIND_MPLS:
		return 3;
	case IE_KIND_TIME64:
		return 8;
	}
	return (uint16_t)(1 + rnd() % 40);	/* a string */
}

static void
random_def(struct tmpl_def *def)
{
	uint16_t i;

	memset(def, 0, sizeof(*def));
	def->id = (uint16_t)(256 + rnd() % 1000);
	def->options = rnd() % 4 == 0;
	def->nfields = (uint16_t)(1 + rnd() % (rnd() % 8 == 0 ?
	    TMPL_FIELDS_MAX : 24));
	for (i = 0; i < def->nfields; i++) {
		/* Unknown elements, and a few repeated ones. */
		if (rnd() % 8 == 0)
			def->ids[i] = (uint16_t)(1000 + rnd() % 2000);
		else if (i > 0 && rnd() % 8 == 0)
			def->ids[i] = def->ids[rnd() % i];
		else
			def->ids[i] = known[rnd() % nknown];
		def->lens[i] = field_len(def->ids[i]);
	}
}

/* The generic reader, field after field, as for any template. */
static void
read_generic(struct tmpl_vals *v, const struct tmpl *t, const uint8_t *rec)
{
	struct rd r;
	uint16_t i;

	memset(v, 0, sizeof(*v));
	rd_init(&r, rec, t->min_len);
	for (i = 0; i < t->nops; i++)
		tmpl_field(v, &t->ops[i], tmpl_field_len(&t->ops[i], &r), &r);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.len, 0);
}

/*
 * Random bytes in rec (min_len of them), read by the compiled steps and
 * by the generic reader: whether the two give the same values.
 */
static int
reads_alike(const struct tmpl *t, uint8_t *rec)
{
	struct tmpl_vals a, b;
	size_t i;

	for (i = 0; i < t->min_len; i++)
		rec[i] = (uint8_t)rnd();
	read_generic(&a, t, rec);
	memset(&b, 0, sizeof(b));
	tmpl_fixed_record(&b, t, rec);
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void
test_compiled_equals_generic(void **state)
{
	struct tmpl_def def;
	struct tmpl *t = malloc(sizeof(*t));
	uint64_t bad;
	uint8_t *rec;
	size_t k, checked = 0;

	(void)state;
	assert_non_null(t);
	known_init();
	assert_true(nknown > 40);
	for (k = 0; k < TEMPLATES; k++) {
		random_def(&def);
		bad = 0;
		if (tmpl_def_check(&def, t, &bad) != 0 || t->varlen)
			continue;
		rec = malloc(t->min_len);
		assert_non_null(rec);
		if (!reads_alike(t, rec))
			fail_msg("template %zu (%u fields): the compiled steps"
			    " read another record than the generic reader", k,
			    t->nops);
		free(rec);
		checked++;
	}
	assert_true(checked > TEMPLATES / 2);
	free(t);
}

/* Compiles a template of the given (id, length) pairs. */
static void
compile_fields(struct tmpl *t, const uint16_t (*f)[2], uint16_t n)
{
	struct tmpl_def def;
	uint64_t bad = 0;
	uint16_t i;

	memset(&def, 0, sizeof(def));
	def.id = 300;
	def.nfields = n;
	for (i = 0; i < n; i++) {
		def.ids[i] = f[i][0];
		def.lens[i] = f[i][1];
	}
	assert_int_equal(tmpl_def_check(&def, t, &bad), 0);
	assert_int_equal(bad, 0);
}

/* Whether the plain steps come first, by kind: the template was grouped. */
static int
grouped(const struct tmpl *t)
{
	size_t i;

	for (i = 1; i < t->nsteps; i++)
		if (t->steps[i].kind < TK_SRC4 &&
		    t->steps[i - 1].kind > t->steps[i].kind)
			return 0;
	return 1;
}

static size_t
runs(const struct tmpl *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->nsteps; i += t->steps[i].run)
		n++;
	return n;
}

/*
 * Steps are read kind by kind only where the order cannot matter; where
 * two fields write one place, the later one wins, as on the wire.  (The
 * random templates above meet these cases too rarely to be relied on.)
 */
static void
test_order_kept(void **state)
{
	static const struct {
		uint16_t f[6][2];
		uint16_t n;
		int grouped;
	} cases[] = {
		/* flowStartSeconds, then flowStartMilliseconds: one place. */
		{ { { 150, 4 }, { 4, 1 }, { 152, 8 } }, 3, 0 },
		{ { { 152, 8 }, { 4, 1 }, { 150, 4 } }, 3, 0 },
		/* octetDeltaCount twice, in two widths. */
		{ { { 1, 8 }, { 7, 2 }, { 1, 4 } }, 3, 0 },
		/* Addresses of two families for one side: in order. */
		{ { { 8, 4 }, { 7, 2 }, { 27, 16 }, { 4, 1 } }, 4, 1 },
		{ { { 27, 16 }, { 7, 2 }, { 8, 4 }, { 4, 1 } }, 4, 1 },
		/* A usual v9 template: six plain fields of three kinds. */
		{ { { 1, 4 }, { 7, 2 }, { 4, 1 }, { 11, 2 }, { 2, 4 },
		    { 5, 1 } }, 6, 1 },
	};
	struct tmpl *t = malloc(sizeof(*t));
	uint8_t rec[64];
	size_t k;

	(void)state;
	assert_non_null(t);
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		compile_fields(t, cases[k].f, cases[k].n);
		assert_true(t->min_len <= sizeof(rec));
		if (!reads_alike(t, rec))
			fail_msg("case %zu: read out of order", k);
		if (grouped(t) != cases[k].grouped)
			fail_msg("case %zu: grouped %d, not %d", k, grouped(t),
			    cases[k].grouped);
	}
	/* The last, grouped, reads its six fields in three runs. */
	assert_int_equal(runs(t), 3);
	free(t);
}

/*
 * tmpl_bytes_action names exactly the actions tmpl_field_bytes reads:
 * grouping trusts it to know which fields store no number.
 */
static void
test_bytes_actions(void **state)
{
	static const uint8_t field[16] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct tmpl_vals v;
	struct tmpl_op op;
	struct rd r;
	unsigned a;

	(void)state;
	for (a = 0; a < IE_ACTION_MAX; a++) {
		memset(&v, 0, sizeof(v));
		op = (struct tmpl_op){ .len = 16, .action = (uint8_t)a };
		rd_init(&r, field, sizeof(field));
		tmpl_field_bytes(&v, &op, op.len, &r);
		if ((r.len < sizeof(field)) != tmpl_bytes_action[a])
			fail_msg("action %u: tmpl_bytes_action says %d", a,
			    tmpl_bytes_action[a]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compiled_equals_generic),
		cmocka_unit_test(test_order_kept),
		cmocka_unit_test(test_bytes_actions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
