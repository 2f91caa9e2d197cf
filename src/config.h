/*
 * config.h - the settings file: defaults for options and for the screen.
 *
 * $XDG_CONFIG_HOME/nftop/config ($HOME/.config/nftop/config when unset)
 * holds "key value" lines; '#' starts a comment, blank lines are ignored
 * and the value is the rest of the line, trimmed.  A key may repeat:
 * "listen" and "sflow" collect every value, the others take the last.
 * config_load() knows the keys and fails on an unknown one with
 * "FILE:LINE: message"; the meaning of each value is checked by whoever
 * uses it (main.c for the options, the UI for the screen), and their
 * errors name the file and line through config_where().
 */
#ifndef NFTOP_CONFIG_H
#define NFTOP_CONFIG_H

#include <limits.h>
#include <stddef.h>

#define CONFIG_ENTRIES_MAX	128
#define CONFIG_LINE_MAX		1024

struct config_entry {
	char		*key;
	char		*value;
	unsigned	 line;
};

struct config {
	char			 path[PATH_MAX];	/* "" when none was read */
	struct config_entry	*v;
	size_t			 n;
};

int		 config_default_path(char *, size_t);
int		 config_load(struct config *, const char *path, int must_exist,
		    char *err, size_t errlen);
void		 config_free(struct config *);
const char	*config_get(const struct config *, const char *key);
size_t		 config_get_all(const struct config *, const char *key,
		    const char **out, size_t max);
const char	*config_where(const struct config *, const char *key,
		    char *, size_t);
int		 config_bool(const char *value, int *out);

#endif
