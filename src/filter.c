/*
 * filter.c - the flow filter compiler; today only "any".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "xmalloc.h"

struct filter {
	char	*text;
};

static int
filter_is_any(const char *s)
{
	const char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	return e == s || (e - s == 3 && strncasecmp(s, "any", 3) == 0);
}

struct filter *
filter_compile(const char *text, char *err, size_t errlen)
{
	struct filter *f;

	if (!filter_is_any(text)) {
		snprintf(err, errlen, "Line 1: filter expressions other than"
		    " 'any' are not supported yet at '%s'", text);
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->text = xstrdup("any");
	return f;
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	free(f->text);
	free(f);
}

int
filter_match(const struct filter *f, const struct flow_rec *r)
{
	(void)f;
	(void)r;
	return 1;
}

const char *
filter_text(const struct filter *f)
{
	return f->text;
}
