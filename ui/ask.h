/*
 * ask.h - the prompts on the bottom line: the flow filter, an aggregate,
 * the row label limit, a command, an export file name.
 *
 * Each keeps a history (Up and Down browse it; the filter's is saved
 * across runs), Tab completes (filter words through filter_complete(),
 * aggregate keys, command names), and a line that does not parse stays
 * in the prompt with the error under it and a caret at the offending
 * column, while what was in force stays in force.
 */
#ifndef NFTOP_UI_ASK_H
#define NFTOP_UI_ASK_H

#include "ui-int.h"

void	ask_init(struct ui *);
void	ask_free(struct ui *);
void	ask_open(struct ui *, enum ui_prompt_kind, const char *text);
void	ask_key(struct ui *, int key);
void	ask_command(struct ui *, const char *line);

#endif
