/*
 * test-ch.c - the ClickHouse pieces that need no server: the RowBinary
 * row (its length and byte order), table names that may go into SQL, and
 * the filter-to-SQL compiler's refusals and limits.  That the SQL means
 * what the filter means is checked against a real server, on random
 * filters, by tests/integ/clickhouse.t.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ch-schema.h"
#include "filter-sql.h"
#include "flow.h"

static void
test_row_length(void **state)
{
	static const size_t width[] = { [CH_U8] = 1, [CH_U16] = 2,
	    [CH_U32] = 4, [CH_U64] = 8, [CH_ADDR] = 16, [CH_EXPORTER] = 16,
	    [CH_FLOWS] = 1, [CH_ORIGIN] = 1 };
	uint8_t buf[CH_ROW_BYTES + 16];
	struct flow_rec r;
	size_t i, sum = 0;

	for (i = 0; i < ch_ncolumns; i++)
		sum += width[ch_columns[i].kind];
	assert_int_equal(sum, CH_ROW_BYTES);
	memset(&r, 0, sizeof(r));
	r.recv_msec = 0x0102030405060708ULL;
	flow_addr_set4(&r.src, 0x0a000001);
	r.srcport = 0x1234;
	r.origin = FLOW_ORIGIN_IPFIX;
	r.flags = FLOW_F_CONT;
	memset(buf, 0xee, sizeof(buf));
	ch_row_encode(buf, &r, NULL);
	for (i = CH_ROW_BYTES; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xee);
	/* received: little-endian, first. */
	assert_int_equal(buf[0], 0x08);
	assert_int_equal(buf[7], 0x01);
	/* srcip after received, first, last and exporter: ::ffff:10.0.0.1 */
	assert_int_equal(buf[24 + 16 + 10], 0xff);
	assert_int_equal(buf[24 + 16 + 12], 10);
	assert_int_equal(buf[24 + 16 + 15], 1);
	/* srcport after the four addresses. */
	assert_int_equal(buf[88], 0x34);
	assert_int_equal(buf[89], 0x12);
	/* flows 0 (an update), then the protocol. */
	assert_int_equal(buf[CH_ROW_BYTES - 2], 0);
	assert_int_equal(buf[CH_ROW_BYTES - 1], FLOW_ORIGIN_IPFIX);
}

static void
test_table_names(void **state)
{
	assert_true(ch_table_ok("flows"));
	assert_true(ch_table_ok("netflow.flows_all"));
	assert_true(ch_table_ok("_t1"));
	assert_false(ch_table_ok(""));
	assert_false(ch_table_ok("1flows"));
	assert_false(ch_table_ok("a.b.c"));
	assert_false(ch_table_ok("flows;DROP TABLE x"));
	assert_false(ch_table_ok("flows "));
	assert_false(ch_table_ok(".flows"));
	assert_false(ch_table_ok("db."));
	assert_false(ch_table_ok("db.1x"));
}

static void
test_create_sql(void **state)
{
	char sql[2048], small[64];

	assert_int_equal(ch_create_sql(sql, sizeof(sql), "flows"), 0);
	assert_non_null(strstr(sql, "CREATE TABLE IF NOT EXISTS flows ("));
	assert_non_null(strstr(sql, "'ipfix' = 5"));
	assert_non_null(strstr(sql, "ORDER BY received"));
	assert_int_equal(ch_create_sql(small, sizeof(small), "flows"), -1);
	assert_int_equal(ch_insert_sql(sql, sizeof(sql), "flows"), 0);
	assert_non_null(strstr(sql, ") FORMAT RowBinary"));
}

/* What SQL cannot say is refused, naming it; never left out. */
static void
test_refusals(void **state)
{
	static const struct {
		const char *filter;
		const char *names;
	} cases[] = {
		{ "vlan 5", "'vlan'" },
		{ "proto tcp and not src mac 00:11:22:33:44:55", "'mac'" },
		{ "mpls label1 100", "'mpls'" },
		{ "src mask 24", "'mask'" },
		{ "engine-type 1", "engine" },
		{ "sysid 2", "'sysid'" },
		{ "port 80 or src nat ip 10.0.0.1", "'nat ip'" },
	};
	char err[512], *sql;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		sql = filter_sql(cases[i].filter, err, sizeof(err));
		if (sql != NULL)
			fail_msg("'%s' gave SQL: %s", cases[i].filter, sql);
		if (strstr(err, cases[i].names) == NULL ||
		    strstr(err, "cannot be computed by ClickHouse") == NULL)
			fail_msg("'%s': %s", cases[i].filter, err);
	}
}

static void
test_conditions(void **state)
{
	char err[512], *sql;

	sql = filter_sql("any", err, sizeof(err));
	assert_string_equal(sql, "1");
	free(sql);
	sql = filter_sql("src port 80 and not proto udp", err, sizeof(err));
	assert_non_null(sql);
	assert_non_null(strstr(sql, "srcport = 80"));
	assert_non_null(strstr(sql, "NOT (proto = 17)"));
	free(sql);
	/* v5 records have no VLAN, yet AS: "src as" tests the protocol. */
	sql = filter_sql("src as 65000", err, sizeof(err));
	assert_non_null(sql);
	assert_non_null(strstr(sql, "protocol NOT IN ('netflow-v1'"));
	free(sql);
	sql = filter_sql("net 10.0.0.0/8", err, sizeof(err));
	assert_non_null(strstr(sql, "BETWEEN toFixedString(unhex("
	    "'00000000000000000000FFFF0A000000'), 16) AND toFixedString("
	    "unhex('00000000000000000000FFFF0AFFFFFF'), 16)"));
	free(sql);
	assert_null(filter_sql("proto tcp and", err, sizeof(err)));
	assert_non_null(strstr(err, "syntax error"));
}

/* A list too long for one query is refused, not cut. */
static void
test_too_large(void **state)
{
	char err[512], *text, *sql;
	size_t n = 20000, i, off;

	size_t len = n * 20 + 32;

	text = malloc(len);
	assert_non_null(text);
	off = (size_t)snprintf(text, len, "ip in [");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, len - off, " 10.%zu.%zu.1",
		    i / 256, i % 256);
	snprintf(text + off, len - off, " ]");
	sql = filter_sql(text, err, sizeof(err));
	assert_null(sql);
	assert_non_null(strstr(err, "too large"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_length),
		cmocka_unit_test(test_table_names),
		cmocka_unit_test(test_create_sql),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests_name("clickhouse", tests, NULL, NULL);
}
