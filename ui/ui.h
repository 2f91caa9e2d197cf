/*
 * ui.h - the ncurses front end, as main.c sees it.
 *
 * The UI adds its own read event for the terminal to the engine's event
 * loop, reads the engine's view each tick, and changes the engine only
 * through engine_set_* calls.  It ends the loop (event_base_loopbreak) when
 * the user quits.
 */
#ifndef NFTOP_UI_H
#define NFTOP_UI_H

#include <stddef.h>

struct engine;
struct ui;

struct ui	*ui_create(struct engine *, const char *keymap, char *err,
		    size_t errlen);
void		 ui_free(struct ui *);
void		 ui_tick(struct ui *);
void		 ui_resize(struct ui *);
void		 ui_restore_terminal(void);
int		 ui_keymap_check(const char *keymap, char *err, size_t errlen);

#endif
