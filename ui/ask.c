/*
 * ask.c - the prompts (ask.h): opening one, its keys, completion, history
 * and what Enter does for each kind.  ui.c hands keys here while
 * ui.prompting is set; draw.c draws the prompt, the error and caret under
 * it, and the completions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ask.h"
#include "cmd.h"
#include "engine.h"
#include "export.h"
#include "filter.h"
#include "history.h"
#include "keymap.h"
#include "keyname.h"
#include "keys.h"
#include "ui-int.h"

#define ASK_CAND_MAX	64

static const char *const ask_labels[UI_PROMPT_MAX] = {
	[UI_PROMPT_FILTER] = "filter: ",
	[UI_PROMPT_AGGREGATE] = "aggregate: ",
	[UI_PROMPT_LIMIT] = "limit: ",
	[UI_PROMPT_COMMAND] = ":",
	[UI_PROMPT_EXPORT] = "export to: ",
};

/* What Tab offers in the aggregate prompt, after the last comma. */
static const char *const ask_keys[] = {
	"srcip", "dstip", "ip", "pair", "5tuple", "srcport", "dstport", "port",
	"proto", "tos", "srcas", "dstas", "as", "inif", "outif", "if",
	"nexthop", "exporter",
};

void
ask_init(struct ui *u)
{
	char path[4096];
	int k;

	for (k = 0; k < UI_PROMPT_MAX; k++)
		u->hist[k] = history_create(k == UI_PROMPT_FILTER &&
		    history_default_path("history", path, sizeof(path)) == 0 ?
		    path : NULL);
}

void
ask_free(struct ui *u)
{
	int k;

	for (k = 0; k < UI_PROMPT_MAX; k++) {
		history_free(u->hist[k]);
		u->hist[k] = NULL;
	}
}

void
ask_open(struct ui *u, enum ui_prompt_kind kind, const char *text)
{
	u->prompting = 1;
	u->pkind = kind;
	u->help = 0;
	u->has_perr = 0;
	u->pinfo[0] = '\0';
	u->hist_pos = 0;
	prompt_init(&u->prompt, ask_labels[kind], text);
}

static void
ask_close(struct ui *u)
{
	u->prompting = 0;
	u->has_perr = 0;
	u->pinfo[0] = '\0';
}

/* Shows err under the prompt, the caret at bytes [off, off + len). */
static void
ask_error(struct ui *u, const char *text, size_t off, size_t len,
    const char *err)
{
	u->has_perr = 1;
	snprintf(u->perr, sizeof(u->perr), "%s", err);
	u->perr_at = prompt_chars(text, off);
	u->perr_len = prompt_chars(text, off + len) - u->perr_at;
	if (u->perr_len == 0)
		u->perr_len = 1;
}

static void
ask_history_add(struct ui *u, const char *text)
{
	char err[512];

	if (history_add(u->hist[u->pkind], text, err, sizeof(err)) != 0)
		ui_message(u, 1, "history not saved: %s", err);
}

static void
ask_filter(struct ui *u, char *text)
{
	struct filter_error fe;
	struct filter *f;
	char err[600];

	if (text[0] == '\0')
		snprintf(text, UI_FILTER_MAX, "any");
	if ((f = filter_compile_ex(text, 0, &fe)) == NULL) {
		ask_error(u, text, fe.offset, fe.length, fe.message);
		return;
	}
	filter_free(f);
	drill_reset(u);
	if (engine_set_filter(u->e, text, err, sizeof(err)) != 0) {
		ask_error(u, text, 0, 0, err);
		return;
	}
	ask_history_add(u, text);
	ask_close(u);
	u->frozen = 0;
	ui_home(u, u->cur);
	ui_snap(u, 1);
}

/* The quoted word of a message ("unknown aggregate key 'x'") in text. */
static size_t
ask_quoted(const char *text, const char *err, size_t *len)
{
	const char *q = strchr(err, '\''), *e, *at;
	char word[128];

	*len = 0;
	if (q == NULL || (e = strchr(q + 1, '\'')) == NULL ||
	    (size_t)(e - q - 1) >= sizeof(word) || e == q + 1)
		return 0;
	memcpy(word, q + 1, (size_t)(e - q - 1));
	word[e - q - 1] = '\0';
	if ((at = strstr(text, word)) == NULL)
		return 0;
	*len = strlen(word);
	return (size_t)(at - text);
}

static void
ask_aggregate(struct ui *u, const char *text)
{
	char err[256];
	size_t off, len;

	if (engine_set_aggregate(u->e, text, err, sizeof(err)) != 0) {
		off = ask_quoted(text, err, &len);
		ask_error(u, text, off, len, err);
		return;
	}
	ask_history_add(u, text);
	ask_close(u);
	u->frozen = 0;
	ui_home(u, UI_SCREEN_TOP);
	ui_show(u, UI_SCREEN_TOP);
	ui_snap(u, 1);
}

static void
ask_limit(struct ui *u, const char *text)
{
	char err[256];
	int col;

	if (limit_set(u, text, err, sizeof(err), &col) != 0) {
		ask_error(u, text, col < 0 ? 0 : (size_t)col, 1, err);
		return;
	}
	ask_history_add(u, text);
	ask_close(u);
	ui_home(u, u->cur);
	if (text[0] != '\0')
		ui_message(u, 0, "rows limited to labels matching /%s/;"
		    " totals count everything", text);
	ui_snap(u, 1);
}

/*
 * Where the words after the first n of line start: blanks and quoted
 * words are skipped as keymap_split() reads them.  NULL if fewer.
 */
static const char *
ask_after_words(const char *line, int n)
{
	const char *p = line;
	char q;

	for (; n > 0; n--) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return NULL;
		if (*p == '\'' || *p == '"') {
			for (q = *p++; *p != '\0' && *p != q; p++)
				if (q == '"' && *p == '\\' && p[1] != '\0')
					p++;
			if (*p != '\0')
				p++;
		} else
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	return *p != '\0' ? p : NULL;
}

/*
 * For a command whose argument N takes the rest of the line: the words
 * before it as keymap_split() makes them, then the rest as one word
 * (unquoted if it is one quoted word).  Returns the number of words.
 */
static int
ask_split_rest(const struct cmd_entry *c, const char *line, char *buf,
    size_t len, char *tail, size_t tlen, char **word, char *err,
    size_t errlen)
{
	const char *rest = ask_after_words(line, c->rest);
	char *one[KEYMAP_WORDS_MAX];
	size_t head;
	int n;

	head = rest != NULL ? (size_t)(rest - line) : strlen(line);
	snprintf(buf, len, "%.*s", (int)head, line);
	if ((n = keymap_split(buf, word, err, errlen)) < 0 || rest == NULL)
		return n;
	snprintf(tail, tlen, "%s", rest);
	if ((*rest == '\'' || *rest == '"') &&
	    keymap_split(tail, one, err, errlen) == 1) {
		word[n] = one[0];
		return n + 1;
	}
	word[n] = tail;
	return n + 1;
}

/* The command the first word of line names, or NULL. */
static const struct cmd_entry *
ask_first_command(const char *line)
{
	char name[64];
	size_t i = 0;

	while (*line == ' ' || *line == '\t')
		line++;
	while (line[i] != '\0' && line[i] != ' ' && line[i] != '\t' &&
	    i < sizeof(name) - 1) {
		name[i] = line[i];
		i++;
	}
	name[i] = '\0';
	return cmd_find(name);
}

/*
 * Runs one command line as a binding would ("sort bps", "view flows").
 * From the prompt, errors stay under it; otherwise they are a message.
 */
void
ask_command(struct ui *u, const char *line)
{
	const struct cmd_entry *c;
	char buf[KEYMAP_LINE_MAX + 1], err[256], *word[KEYMAP_WORDS_MAX];
	char tail[KEYMAP_LINE_MAX + 1];
	int n, from_prompt = u->prompting;

	/* The command's name first: it says how to split the rest. */
	snprintf(buf, sizeof(buf), "%s", line);
	if ((n = keymap_split(buf, word, err, sizeof(err))) < 0 &&
	    (c = ask_first_command(line)) != NULL && c->rest > 0)
		n = 1;
	if (n <= 0) {
		if (n < 0 && from_prompt)
			ask_error(u, line, 0, strlen(line), err);
		else if (from_prompt)
			ask_close(u);
		return;
	}
	if ((c = cmd_find(word[0])) == NULL) {
		snprintf(err, sizeof(err), "unknown command '%s'", word[0]);
		if (from_prompt)
			ask_error(u, line, (size_t)(strstr(line, word[0]) -
			    line), strlen(word[0]), err);
		else
			ui_message(u, 1, "%s", err);
		return;
	}
	if (c->rest > 0 && (n = ask_split_rest(c, line, buf, sizeof(buf),
	    tail, sizeof(tail), word, err, sizeof(err))) < 0) {
		if (from_prompt)
			ask_error(u, line, 0, strlen(line), err);
		else
			ui_message(u, 1, "%s", err);
		return;
	}
	if (cmd_check(c, n - 1, word + 1, err, sizeof(err)) != 0) {
		if (from_prompt)
			ask_error(u, line, 0, strlen(line), err);
		else
			ui_message(u, 1, "%s", err);
		return;
	}
	if (from_prompt) {
		ask_history_add(u, line);
		ask_close(u);
	}
	c->exec(u, n - 1, word + 1);
}

static void
ask_accept(struct ui *u)
{
	char text[UI_FILTER_MAX];

	if (prompt_text(&u->prompt, text, sizeof(text)) != 0) {
		ask_error(u, "", 0, 0, "the text cannot be encoded");
		return;
	}
	u->has_perr = 0;
	u->pinfo[0] = '\0';
	switch (u->pkind) {
	case UI_PROMPT_FILTER:
		ask_filter(u, text);
		break;
	case UI_PROMPT_AGGREGATE:
		ask_aggregate(u, text);
		break;
	case UI_PROMPT_LIMIT:
		ask_limit(u, text);
		break;
	case UI_PROMPT_COMMAND:
		ask_command(u, text);
		break;
	case UI_PROMPT_EXPORT:
		ask_close(u);
		if (text[0] != '\0') {
			ask_history_add(u, text);
			export_write(u, NULL, text);
		}
		break;
	default:
		ask_close(u);
		break;
	}
}

/* Up (back = 1) and Down (back = 0) through the history. */
static void
ask_history(struct ui *u, int back)
{
	const struct history *h = u->hist[u->pkind];
	const char *s;

	if (back) {
		if (u->hist_pos >= history_count(h))
			return;
		if (u->hist_pos == 0 && prompt_text(&u->prompt,
		    u->hist_saved, sizeof(u->hist_saved)) != 0)
			u->hist_saved[0] = '\0';
		s = history_get(h, u->hist_pos++);
	} else {
		if (u->hist_pos == 0)
			return;
		u->hist_pos--;
		s = u->hist_pos == 0 ? u->hist_saved :
		    history_get(h, u->hist_pos - 1);
	}
	if (s != NULL)
		prompt_set(&u->prompt, s);
}

/* Candidates for the word that ends at byte cur of text. */
static size_t
ask_candidates(const struct ui *u, const char *text, size_t cur,
    size_t *start, const char **out, size_t max)
{
	const struct cmd_entry *c;
	const char *word;
	size_t n = 0, i, len;

	switch (u->pkind) {
	case UI_PROMPT_FILTER:
		*start = filter_complete_start(text, cur);
		return filter_complete(text, cur, out, max);
	case UI_PROMPT_AGGREGATE:
		for (i = cur; i > 0 && text[i - 1] != ',' && text[i - 1] !=
		    ' '; i--)
			;
		*start = i;
		word = text + i;
		len = cur - i;
		for (i = 0; i < sizeof(ask_keys) / sizeof(ask_keys[0]); i++)
			if (strncasecmp(ask_keys[i], word, len) == 0 &&
			    n < max)
				out[n++] = ask_keys[i];
		return n;
	case UI_PROMPT_COMMAND:
		if (memchr(text, ' ', cur) != NULL)
			return 0;
		*start = 0;
		for (i = 0; (c = cmd_at(i)) != NULL; i++)
			if (strncmp(c->name, text, cur) == 0 && n < max)
				out[n++] = c->name;
		return n;
	default:
		return 0;
	}
}

/* Tab: completes a single candidate, else the common part, and lists. */
static void
ask_complete(struct ui *u)
{
	const char *cand[ASK_CAND_MAX], *real[ASK_CAND_MAX];
	char text[UI_FILTER_MAX], common[256], ins[260];
	size_t cur, start, n, nreal = 0, i, j, off = 0;

	u->pinfo[0] = '\0';
	if (prompt_text(&u->prompt, text, sizeof(text)) != 0)
		return;
	cur = prompt_bytes(&u->prompt, u->prompt.cur);
	n = ask_candidates(u, text, cur, &start, cand, ASK_CAND_MAX);
	if (n > ASK_CAND_MAX)
		n = ASK_CAND_MAX;
	for (i = 0; i < n; i++)
		if (cand[i][0] != '<')
			real[nreal++] = cand[i];
	if (nreal == 1) {
		snprintf(ins, sizeof(ins), "%s%s", real[0], u->pkind ==
		    UI_PROMPT_AGGREGATE ? "" : " ");
		prompt_replace(&u->prompt, prompt_chars(text, start),
		    u->prompt.cur, ins);
		return;
	}
	if (nreal > 1) {
		snprintf(common, sizeof(common), "%s", real[0]);
		for (i = 1; i < nreal; i++) {
			for (j = 0; common[j] != '\0' &&
			    common[j] == real[i][j]; j++)
				;
			common[j] = '\0';
		}
		if (strlen(common) > cur - start)
			prompt_replace(&u->prompt, prompt_chars(text, start),
			    u->prompt.cur, common);
	}
	for (i = 0; i < n && i < UI_CANDIDATES * 4 && off < sizeof(u->pinfo);
	    i++)
		off += (size_t)snprintf(u->pinfo + off, sizeof(u->pinfo) - off,
		    "%s%s", i > 0 ? "  " : "", cand[i]);
	if (n == 0)
		snprintf(u->pinfo, sizeof(u->pinfo), "no completion here");
}

void
ask_key(struct ui *u, int key)
{
	size_t len = u->prompt.len;
	wchar_t before[PROMPT_MAX + 1];

	switch (key) {
	case KEYNAME_SPECIAL | KEY_UP:
		ask_history(u, 1);
		return;
	case KEYNAME_SPECIAL | KEY_DOWN:
		ask_history(u, 0);
		return;
	case KEYNAME_TAB:
		ask_complete(u);
		return;
	}
	wmemcpy(before, u->prompt.buf, len + 1);
	switch (prompt_key(&u->prompt, key)) {
	case PROMPT_ACCEPT:
		ask_accept(u);
		break;
	case PROMPT_CANCEL:
		ask_close(u);
		break;
	case PROMPT_EDITING:
		/* The error speaks of the old text; an edit retires it. */
		if (u->prompt.len != len ||
		    wmemcmp(before, u->prompt.buf, len) != 0) {
			u->has_perr = 0;
			u->pinfo[0] = '\0';
		}
		break;
	}
}
