/*
 * test-config.c - the settings file (src/config.c), the extra views that
 * follow the active one (engine_view_add) and agg_get(): table-driven
 * cases on files written to a temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "agg.h"
#include "config.h"
#include "engine.h"
#include "filter.h"
#include "keys.h"
#include "source.h"
#include "store.h"
#include "view.h"

static char tmpdir[] = "/tmp/nftop-config.XXXXXX";

/* Writes text to a file in the temporary directory; returns its path. */
static const char *
write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_config_values(void **state)
{
	struct config c;
	const char *all[4];
	char err[256], where[600];
	int b;

	(void)state;
	assert_int_equal(config_load(&c, write_file("ok",
	    "# a comment\n"
	    "\n"
	    "window 5m\n"
	    "  aggregate   srcip/24,dstport   # trailing comment\n"
	    "listen 127.0.0.1:2055\n"
	    "listen tcp:4739\n"
	    "theme 256\n"
	    "window 1h\n"), 1, err, sizeof(err)), 0);
	assert_string_equal(config_get(&c, "window"), "1h");
	assert_string_equal(config_get(&c, "aggregate"), "srcip/24,dstport");
	assert_string_equal(config_get(&c, "THEME"), "256");
	assert_null(config_get(&c, "order"));
	assert_int_equal(config_get_all(&c, "listen", all, 4), 2);
	assert_string_equal(all[0], "127.0.0.1:2055");
	assert_string_equal(all[1], "tcp:4739");
	config_where(&c, "window", where, sizeof(where));
	assert_non_null(strstr(where, "/ok:8"));
	assert_int_equal(config_bool("on", &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(config_bool("No", &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(config_bool("maybe", &b), -1);
	config_free(&c);
}

static void
test_config_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		{ "window 1m\nfrobnicate 2\n",
		    ":2: unknown setting 'frobnicate'" },
		{ "theme\n", ":1: 'theme' needs a value" },
		{ "dns on\n  window   # nothing\n", ":2: 'window' needs a value" },
	};
	struct config c;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(config_load(&c, write_file("bad",
		    cases[i].text), 1, err, sizeof(err)), -1);
		assert_non_null(strstr(err, cases[i].want));
	}
	/* Missing: an error only when the file was asked for by name. */
	assert_int_equal(config_load(&c, "/nonexistent/nftop.conf", 0, err,
	    sizeof(err)), 0);
	assert_int_equal(c.n, 0);
	config_free(&c);
	assert_int_equal(config_load(&c, "/nonexistent/nftop.conf", 1, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
}

static void
test_config_default_path(void **state)
{
	char path[512];

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/y", 1);
	assert_int_equal(config_default_path(path, sizeof(path)), 0);
	assert_string_equal(path, "/x/y/nftop/config");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/u", 1);
	assert_int_equal(config_default_path(path, sizeof(path)), 0);
	assert_string_equal(path, "/home/u/.config/nftop/config");
}

static void
add_rec(struct store *s, uint32_t src, uint8_t proto, uint32_t inif,
    uint64_t bytes, uint64_t msec)
{
	struct flow_rec r;

	memset(&r, 0, sizeof(r));
	flow_addr_set4(&r.src, src);
	flow_addr_set4(&r.dst, 0xc0000201);
	r.proto = proto;
	r.inif = inif;
	r.pkts = 1;
	r.bytes = bytes;
	r.recv_msec = msec;
	r.af = 4;
	store_add(s, &r);
}

/* Extra views take the active filter and window, now and later. */
static void
test_engine_extra_views(void **state)
{
	struct engine e;
	struct key_spec ks;
	struct flow_rec probe;
	struct key k;
	struct view *fw, *own;
	const struct agg_entry *a;
	char err[256];
	int i;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.store = store_create(1000);
	e.sources = source_table_create(16, 1);
	assert_int_equal(key_spec_parse(&ks, "srcip", err, sizeof(err)), 0);
	e.view = view_create(e.store, filter_compile("any", err, sizeof(err)),
	    &ks, AGG_ORDER_BYTES, 0, 1000);
	for (i = 0; i < 10; i++)
		add_rec(e.store, 0x0a000001, i % 2 ? 6 : 17, 1 + i % 3, 100,
		    1000 * (uint64_t)(i + 1));
	fw = engine_view_add(&e, "exporter,inif", AGG_ORDER_BYTES,
	    ENGINE_WINDOW_FOLLOW, err, sizeof(err));
	own = engine_view_add(&e, "srcip", AGG_ORDER_BYTES, 3000, err,
	    sizeof(err));
	assert_non_null(fw);
	assert_non_null(own);
	assert_int_equal(fw->totals.bytes, 1000);
	assert_int_equal(own->totals.bytes, 300);	/* 8, 9, 10 s */
	/* agg_get: the (exporter 0, inif 2) key counts records 1, 4, 7. */
	memset(&probe, 0, sizeof(probe));
	probe.inif = 2;
	key_make(&fw->spec, &probe, 0, &k);
	assert_non_null(a = agg_get(fw->tab, &k));
	assert_int_equal(a->c.bytes, 300);
	probe.inif = 9;
	key_make(&fw->spec, &probe, 0, &k);
	assert_null(agg_get(fw->tab, &k));
	assert_int_equal(engine_set_filter(&e, "proto tcp", err,
	    sizeof(err)), 0);
	assert_int_equal(fw->totals.bytes, 500);
	assert_string_equal(filter_text(fw->filter), "proto tcp");
	assert_int_equal(engine_set_window(&e, "5s", err, sizeof(err)), 0);
	assert_int_equal(fw->window_msec, 5000);
	assert_int_equal(own->window_msec, 3000);
	assert_int_equal(engine_set_filter(&e, "proto ((", err, sizeof(err)),
	    -1);
	assert_string_equal(filter_text(fw->filter), "proto tcp");
	engine_view_remove(&e, fw);
	engine_view_remove(&e, own);
	assert_null(e.extra[0]);
	view_free(e.view);
	source_table_free(e.sources);
	store_free(e.store);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_values),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_default_path),
		cmocka_unit_test(test_engine_extra_views),
	};
	int r;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	r = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(write_file("ok", ""));
	unlink(write_file("bad", ""));
	rmdir(tmpdir);
	return r;
}
