/*
 * cmd.h - the commands keys are bound to, as tmux has them: a const table
 * of {name, usage, description, argument check, exec}.
 *
 * The keymap loader checks every binding's arguments once, when the file
 * is read, so a bad "sort bytez" is an error at start-up with its file and
 * line rather than a surprise when the key is pressed.  The command prompt
 * (":") runs the same commands from typed text.  The help screen prints
 * each binding with its command's description, made to fit the binding's
 * arguments where a command has them, and lists the commands no key runs.
 */
#ifndef NFTOP_UI_CMD_H
#define NFTOP_UI_CMD_H

#include <stddef.h>

#define CMD_ARGS_MAX	4

struct ui;

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* the arguments, "" for none */
	const char	*description;
	int		 args_min;
	int		 args_max;
	int		 scrolls;	/* also scrolls the help screen */
	int		(*check)(int argc, char *const *argv, char *err,
			    size_t errlen);
	void		(*exec)(struct ui *, int argc, char *const *argv);
	/* The description for these arguments; NULL: description. */
	void		(*describe)(int argc, char *const *argv, char *,
			    size_t);
	/* From the prompt, argument N (1-based) takes the rest of the
	 * line, blanks and all ("channel add web port 80 or port 443"). */
	int		 rest;
};

const struct cmd_entry *cmd_find(const char *);
const struct cmd_entry *cmd_at(size_t);
int		 cmd_check(const struct cmd_entry *, int argc,
		    char *const *argv, char *err, size_t errlen);
const char	*cmd_describe(const struct cmd_entry *, int argc,
		    char *const *argv, char *, size_t);

#endif
