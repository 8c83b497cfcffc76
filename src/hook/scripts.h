/* scripts.h: the shell integration scripts, embedded at build time. */
#ifndef VENVHOOK_SCRIPTS_H
#define VENVHOOK_SCRIPTS_H

extern const char script_bash[];
extern const char script_zsh[];
extern const char script_fish[];

#endif
