/*
 * fuzz-keymap.c - libFuzzer target for the keymap parser (ui/keymap.c):
 * any bytes as a keymap file must load or fail with "NAME:LINE: message",
 * never crash, leak or read out of bounds.  A keymap that loads is walked
 * the way the help screen and the key loop use it: every binding's key
 * named and looked up, its command described, and a few lookups by
 * command.  The first line alone also goes through keymap_split(), the
 * word splitter the ":" command prompt shares.
 *
 * Build and run with "make fuzz" (clang, libFuzzer, ASan, UBSan); make
 * test replays tests/fuzz/corpus/keymap with tests/fuzz/replay.c.
 * keymap_parse() reads from memory: the fuzzer opens no file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "keymap.h"
#include "keyname.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
walk(const struct keymap *km)
{
	const struct keymap_binding *b;
	char name[64], desc[256];
	size_t i;

	for (i = 0; i < km->n; i++) {
		b = &km->v[i];
		(void)keyname_format(b->key, name, sizeof(name));
		if (keyname_parse(name) != b->key)
			abort();	/* a name must read back as its key */
		if (keymap_lookup(km, b->key) != b)
			abort();	/* one binding per key */
		(void)cmd_describe(b->cmd, b->argc, b->argv, desc,
		    sizeof(desc));
	}
	(void)keymap_find_cmd(km, "sort", "bytes");
	(void)keymap_find_cmd(km, "quit", NULL);
}

static void
split_first_line(const uint8_t *data, size_t size)
{
	char *line, *word[KEYMAP_WORDS_MAX], err[256];
	size_t n;

	for (n = 0; n < size && n < KEYMAP_LINE_MAX && data[n] != '\n'; n++)
		;
	if ((line = malloc(n + 1)) == NULL)
		return;
	memcpy(line, data, n);
	line[n] = '\0';
	(void)keymap_split(line, word, err, sizeof(err));
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keymap *km;
	char err[512];

	split_first_line(data, size);
	km = keymap_parse((const char *)data, size, "fuzz.keys", err,
	    sizeof(err));
	if (km != NULL) {
		walk(km);
		keymap_free(km);
	} else if (strncmp(err, "fuzz.keys", 9) != 0)
		abort();	/* every error names the file */
	return 0;
}
