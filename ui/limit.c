/*
 * limit.c - iftop's screen filter: a regular expression (PCRE2, without
 * regard to case) that row labels must match to be shown.  It limits
 * what the table shows, never what is counted: totals and rates stay
 * those of the flow filter.  The compiled pattern lives in ui.limit.
 */
#define PCRE2_CODE_UNIT_WIDTH	8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-int.h"
#include "xmalloc.h"

struct limit {
	pcre2_code		*re;
	pcre2_match_data	*md;
};

static void
limit_free(struct limit *l)
{
	if (l == NULL)
		return;
	pcre2_match_data_free(l->md);
	pcre2_code_free(l->re);
	free(l);
}

/*
 * Sets the limit to pattern ("" removes it).  -1 with a message and the
 * character where the pattern went wrong in *col; the old limit stays.
 */
int
limit_set(struct ui *u, const char *pattern, char *err, size_t errlen,
    int *col)
{
	struct limit *l;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	uint32_t opts = PCRE2_CASELESS;
	int code;

	*col = -1;
	if (*pattern == '\0') {
		limit_free(u->limit);
		u->limit = NULL;
		u->limit_text[0] = '\0';
		return 0;
	}
	if (strlen(pattern) >= sizeof(u->limit_text)) {
		snprintf(err, errlen, "longer than %zu bytes",
		    sizeof(u->limit_text) - 1);
		return -1;
	}
	if (u->utf8)
		opts |= PCRE2_UTF;
	l = xcalloc(1, sizeof(*l));
	l->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
	    &code, &off, NULL);
	if (l->re == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errlen, "%s", (const char *)msg);
		*col = (int)off;
		free(l);
		return -1;
	}
	if ((l->md = pcre2_match_data_create_from_pattern(l->re, NULL)) ==
	    NULL) {
		snprintf(err, errlen, "out of memory");
		limit_free(l);
		return -1;
	}
	limit_free(u->limit);
	u->limit = l;
	snprintf(u->limit_text, sizeof(u->limit_text), "%s", pattern);
	return 0;
}

/* 1 if there is no limit or the label matches it. */
int
limit_match(const struct ui *u, const char *label)
{
	const struct limit *l = u->limit;

	if (l == NULL)
		return 1;
	return pcre2_match(l->re, (PCRE2_SPTR)label, strlen(label), 0, 0,
	    l->md, NULL) >= 0;
}

void
limit_clear(struct ui *u)
{
	limit_free(u->limit);
	u->limit = NULL;
	u->limit_text[0] = '\0';
}
