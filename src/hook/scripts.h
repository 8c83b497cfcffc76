/* scripts.h: the shell integration scripts (shell/), embedded at build time. */
#ifndef VENVHOOK_SCRIPTS_H
#define VENVHOOK_SCRIPTS_H

extern const char script_venvhook_bash[];
extern const char script_venvhook_zsh[];
extern const char script_venvhook_fish[];

#endif
