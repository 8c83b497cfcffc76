/* activate_scripts.h: the activation scripts every env gets (shell/activate/),
 * embedded at build time.  Their placeholders (@ENV@, @BIN@, @PROMPT_VAR@,
 * @PROMPT_PREFIX@) are filled in with quote_fill (quote.h). */
#ifndef VENVHOOK_ACTIVATE_SCRIPTS_H
#define VENVHOOK_ACTIVATE_SCRIPTS_H

extern const char script_activate[];
extern const char script_activate_fish[];
extern const char script_activate_csh[];

#endif
