/*
 * keymap.h - key bindings read from a keymap file.
 *
 * A keymap file holds lines "bind KEY COMMAND [ARGS]" and "unbind KEY" in
 * tmux's syntax, with '#' comments and blank lines.  keymap_load() finds
 * the file by name (see keymap.c for where it looks), then reads the
 * user's own bindings on top ($XDG_CONFIG_HOME/nftop/keys), checks every
 * line and fails with "FILE:LINE: message" on the first bad one.  The
 * keymap owns its bindings; the help screen walks them in file order.
 */
#ifndef NFTOP_UI_KEYMAP_H
#define NFTOP_UI_KEYMAP_H

#include <limits.h>
#include <stddef.h>

#include "cmd.h"

#define KEYMAP_BINDINGS_MAX	512
#define KEYMAP_LINE_MAX		1024
#define KEYMAP_WORDS_MAX	(3 + CMD_ARGS_MAX)

struct keymap_binding {
	int			 key;
	const struct cmd_entry	*cmd;
	int			 argc;
	char			*argv[CMD_ARGS_MAX];
	char			*text;		/* "sort packets", for help */
};

struct keymap {
	struct keymap_binding	*v;
	size_t			 n;
	char			 path[PATH_MAX];
	char			 user[PATH_MAX];	/* "" if none read */
};

struct keymap	*keymap_load(const char *name, char *err, size_t errlen);
struct keymap	*keymap_parse(const char *text, size_t len, const char *name,
		    char *err, size_t errlen);
void		 keymap_free(struct keymap *);
const struct keymap_binding *keymap_lookup(const struct keymap *, int key);
const struct keymap_binding *keymap_find_cmd(const struct keymap *,
		    const char *cmd, const char *arg);
int		 keymap_split(char *line, char **word, char *err,
		    size_t errlen);

#endif
