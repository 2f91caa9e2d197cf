/* Placeholder replaced by the real UI. */
#include <stddef.h>
#include "ui.h"
struct ui *ui_create(struct engine *e, const char *k, char *err, size_t n)
{ (void)e; (void)k; (void)err; (void)n; return NULL; }
void ui_free(struct ui *u) { (void)u; }
void ui_tick(struct ui *u) { (void)u; }
void ui_resize(struct ui *u) { (void)u; }
void ui_restore_terminal(void) {}
