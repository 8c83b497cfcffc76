/* migrate.h: the markers of the tools people come from, looked at last in
 * each directory: a pyenv-virtualenv .python-version, and virtualenvwrapper's
 * .project files (in the env, naming its project). */
#ifndef VENVHOOK_MIGRATE_H
#define VENVHOOK_MIGRATE_H

#include "marker.h"

/* Parses a .python-version file's text: the first version it names (the
 * first word of the first line that is neither blank nor a # comment), if
 * it can name a directory under $PYENV_ROOT/versions (no absolute path, no
 * "." or ".." part, no control byte).  NULL otherwise. */
char *python_version_parse(const char *text);

/* Looks at dir/.python-version: a marker only when it names a
 * pyenv-virtualenv env, $PYENV_ROOT/versions/NAME holding a pyvenv.cfg (a
 * plain version such as 3.12.1 is not one, and the walk goes on).  Returns
 * 1 and fills p (MARKER_PYTHON_VERSION) if it is one, else 0.  Without a
 * $PYENV_ROOT/versions directory (read once per process) nothing is looked at. */
int marker_python_version(const char *dir, struct project *p, struct watch *w);


/* Is dir the project of a virtualenvwrapper env, one whose .project file
 * ($WORKON_HOME/NAME/.project, written by mkproject or setvirtualenvproject)
 * names dir?  The .project files are read once per process; of several envs
 * naming one project, the first by name.  Returns 1 and fills p
 * (MARKER_WORKON_PROJECT) if so, else 0. */
int marker_workon_project(const char *dir, struct project *p, struct watch *w);

#endif
