#!/usr/bin/python3
"""model.py: the random walk of t_model.sh and the small model it is judged by.

    model.py SHELL SEED STEPS ROOT VENVHOOK OUTDIR

writes OUTDIR/main.SHELL (and OUTDIR/child-N.SHELL for the child shells), a
script for a non-interactive SHELL that takes STEPS random steps and after
each one calls the prompt hook and appends the shell's state to
OUTDIR/got, and OUTDIR/want, the state the model says it must be, one
line per step: "N<TAB>VIRTUAL_ENV<TAB>PATH<TAB>prompt<TAB>deactivate?".
OUTDIR/steps describes the steps, one a line.

The world, under ROOT: projects w/a, w/b, w/c and w/a/n (nested in a), each
with a .venv made from the template ROOT/tpl/.venv (its activate scripts
rewritten for their path) and allowed; plain directories; an env M at
ROOT/m/env that is only ever activated by hand.
"""
import random
import sys

SH, SEED, STEPS, ROOT, VH, OUT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:7]
rng = random.Random(SEED)
W = ROOT + "/w"
TPL = ROOT + "/tpl/.venv"
M = ROOT + "/m/env"
P0 = ["/usr/bin", "/bin"]
PROJECTS = [W + "/a", W + "/b", W + "/c", W + "/a/n"]
DIRS = PROJECTS + [W, W + "/plain", W + "/a/sub", W + "/a/n/deep", W + "/b/sub"]


def q(s):
    return "'" + s + "'"


# --- the filesystem and trust, as the model sees them ---------------------------
env_exists = {p: True for p in PROJECTS}
trust = {p: "allowed" for p in PROJECTS}


def within(d, top):
    return d == top or d.startswith(top + "/")


def project_of(cwd):
    """The nearest project at or above cwd with an env: (dir, verdict)."""
    best = None
    for p in PROJECTS:
        if within(cwd, p) and env_exists[p] and (best is None or len(p) > len(best)):
            best = p
    if best is None:
        return None, None
    return best, "activate" if trust[best] == "allowed" else trust[best]


# --- one shell ----------------------------------------------------------------------
class Frame:
    def __init__(self, parent=None):
        self.cwd = parent.cwd if parent else W + "/plain"
        self.venv = parent.venv if parent else None          # exported
        self.ours = parent.ours if parent else None          # exported __VENVHOOK_ENV
        self.path = list(parent.path) if parent else list(P0)
        self.applied = ""
        self.project = ""
        self.off = ""
        self.here = ""
        self.was = ""
        self.deact = None          # None, "ours", "venv", "orphan"
        self.orphaned = False
        self.ps1 = ""              # the prompt's prefix before "P> "
        self.old_path = None       # _OLD_VIRTUAL_PATH
        self.old_ps1 = None        # _OLD_VIRTUAL_PS1
        self.old_exp = False       # _OLD_VIRTUAL_PATH exported (activate.fish: set -gx)
        if parent and parent.old_exp and parent.old_path is not None:
            self.old_path = list(parent.old_path)
            self.old_exp = True


def remove_first(lst, e):
    if e in lst:
        lst.remove(e)


def name_of(proj):
    return "(" + proj.rsplit("/", 1)[1] + ") "


def manual_prompt(env):
    return "(.venv) " if env.endswith("/.venv") else "(env) "


def ours_deactivate(f, nondestructive):
    if not nondestructive:
        f.off = f.project
    # An activate script sourced over this same env: its prefix goes too.
    if f.venv and f.old_ps1 is not None and f.ps1 == manual_prompt(f.venv) + f.old_ps1:
        f.ps1 = f.old_ps1
    if f.ours:
        remove_first(f.path, f.ours + "/bin")
    forget(f)
    f.venv = None
    f.old_path = None
    f.old_exp = False
    f.old_ps1 = None
    if not nondestructive:
        f.deact = None


def forget(f):
    if f.applied and f.ps1.startswith(name_of(f.applied)):
        f.ps1 = f.ps1[len(name_of(f.applied)):]
    f.ours = None
    f.applied = ""


def venv_deactivate(f, nondestructive):
    if f.old_path is not None:
        f.path = f.old_path
        f.old_path = None
        f.old_exp = False
    if f.old_ps1 is not None:
        f.ps1 = f.old_ps1
        f.old_ps1 = None
    f.venv = None
    if not nondestructive:
        f.deact = None


def orphan_deactivate(f, nondestructive):
    if f.venv:
        remove_first(f.path, f.venv + "/bin")
    f.orphaned = False
    f.venv = None
    if not nondestructive:
        f.deact = None


def deactivate(f):
    {"ours": ours_deactivate, "venv": venv_deactivate, "orphan": orphan_deactivate}[f.deact](f, False)


def source_activate(f, env):
    # The script defines its own deactivate and runs it nondestructive.
    venv_deactivate(f, True)
    f.venv = env
    f.old_path = list(f.path)
    f.old_exp = SH == "fish"
    f.path = [env + "/bin"] + f.path
    f.old_ps1 = f.ps1
    f.ps1 = manual_prompt(env) + f.ps1
    f.deact = "venv"
    f.orphaned = False


def adopt(f, proj):
    f.applied = proj
    f.project = proj
    if f.path[:1] != [f.venv + "/bin"]:
        remove_first(f.path, f.venv + "/bin")
        f.path = [f.venv + "/bin"] + f.path
    f.old_path = [p for p in f.path]
    remove_first(f.old_path, f.venv + "/bin")
    f.deact = "ours"
    prefix = name_of(proj)
    if not f.ps1.startswith(prefix):
        f.ps1 = prefix + f.ps1
    f.old_ps1 = f.ps1[len(prefix):]


def hook(f):
    # shell side, before the helper
    if f.was and not f.venv and not f.off and f.deact is None:
        f.off = f.here
    if f.orphaned and not f.venv:
        f.deact = None
        f.orphaned = False
    # the helper
    venv, ours = f.venv, f.ours
    if ours and venv != ours:
        bin_ = ours + "/bin"
        remove_first(f.path, bin_)
        if f.old_path is not None:
            remove_first(f.old_path, bin_)
        if not venv:
            f.old_path = None
            f.old_exp = False
            f.old_ps1 = None
        forget(f)
        ours = None
    current = ours
    manual = bool(venv) and not current
    proj, verdict = project_of(f.cwd)
    want = proj + "/.venv" if verdict == "activate" else None
    f.here = proj or ""
    if f.off:
        if proj == f.off and within(f.cwd, f.off):
            want = None
        else:
            f.off = ""
    if manual:
        f.applied = ""
        if f.deact is None:
            f.deact = "orphan"
            f.orphaned = True
    elif current and want and current == want and (not f.applied or f.applied == proj):
        if not f.applied:
            adopt(f, proj)
    else:
        if current:
            ours_deactivate(f, True)
            f.deact = None
        if want:
            f.venv = want
            f.ours = want
            f.path = [want + "/bin"] + f.path
            adopt(f, proj)
    f.was = f.venv or ""


def state(f, n):
    return "\t".join([str(n), f.venv or "<unset>", ":".join(f.path), f.ps1 + "P> ",
                      "1" if f.deact else "0"])


# --- the shell's side of each step -----------------------------------------------------
# __snap N, in each shell: a line of N, VIRTUAL_ENV, PATH, the prompt and
# whether deactivate is defined, appended to the file given for its %s.
SNAP = {
    "bash": "__snap() { local d=0; declare -F deactivate >/dev/null && d=1; "
            "printf '%%s\\t%%s\\t%%s\\t%%s\\t%%s\\n' \"$1\" \"${VIRTUAL_ENV-<unset>}\" \"$PATH\" "
            "\"${PS1@P}\" \"$d\" >>%s; }",
    "zsh": "__snap() { local d=0; (( $+functions[deactivate] )) && d=1; "
           "print -r -- \"$1\"$'\\t'\"${VIRTUAL_ENV-<unset>}\"$'\\t'\"$PATH\"$'\\t'\"${(%%)PS1}\"$'\\t'\"$d\" "
           ">>%s; }",
}


def preamble(sh):
    got = OUT + "/got"
    if sh in SNAP:
        return "\n".join(["PS1='P> '", 'eval "$(%s init %s)"' % (q(VH), sh), SNAP[sh] % q(got), ""])
    return "\n".join([
        "function fish_prompt; printf 'P> '; end",
        "%s init fish | source" % q(VH),
        "function __snap",
        "  set -l d 0; functions -q deactivate; and set d 1",
        "  set -l ve '<unset>'; set -q VIRTUAL_ENV; and set ve \"$VIRTUAL_ENV\"",
        "  set -l p (fish_prompt | string collect)",
        "  printf '%%s\\t%%s\\t%%s\\t%%s\\t%%s\\n' $argv[1] \"$ve\" (string join : $PATH) \"$p\" $d >>%s" % q(got),
        "end", ""])


def sh_source(env):
    return ("source %s" % q(env + "/bin/activate.fish")) if SH == "fish" else (". %s" % q(env + "/bin/activate"))


def sh_path_prepend(d):
    return ("set -gx PATH %s $PATH" % d) if SH == "fish" else ("PATH=%s:$PATH" % d)


def sh_child(file):
    return {"bash": "bash --norc --noprofile ", "zsh": "zsh -f ", "fish": "fish --no-config "}[SH] + q(file)


def create_cmd(p):
    e = p + "/.venv"
    return ("cp -a %s %s && sed -i 's|%s|%s|g' %s %s" %
            (q(TPL), q(e), TPL, e, q(e + "/bin/activate"), q(e + "/bin/activate.fish")))


def remove_env(p):
    """The step that removes p's env: then it is not there, nor trusted."""
    env_exists[p] = False
    trust[p] = "unknown"
    return "rm -rf %s" % q(p + "/.venv"), "remove %s/.venv" % p


# --- the walk ----------------------------------------------------------------------------
files = {0: []}           # script lines per shell file (0: main)
stack = [(Frame(), 0)]    # frames and their file
want_lines, steps = [], []
nchild = 0
pathn = 0
code = files[0]
code.append("cd %s" % q(W + "/plain"))
code.append("__venvhook_hook; __snap 0")
hook(stack[-1][0])
want_lines.append(state(stack[-1][0], 0))
steps.append("0: start in %s" % (W + "/plain"))

for n in range(1, STEPS + 1):
    f, fid = stack[-1]
    code = files[fid]
    r = rng.random()
    line = None
    desc = None
    if r < 0.40:
        d = rng.choice(DIRS)
        f.cwd = d
        line, desc = "cd %s" % q(d), "cd " + d
    elif r < 0.48:
        proj, _ = project_of(f.cwd)
        env = proj + "/.venv" if proj and rng.random() < 0.6 else M
        source_activate(f, env)
        line, desc = sh_source(env), "source activate " + env
    elif r < 0.58:
        if f.deact is None:
            f.cwd = W + "/plain"
            line, desc = "cd %s" % q(f.cwd), "cd %s (no deactivate to type)" % f.cwd
        else:
            deactivate(f)
            line, desc = "deactivate", "deactivate"
    elif r < 0.64:
        pathn += 1
        d = "/nonexistent/x%d" % pathn
        f.path = [d] + f.path
        line, desc = sh_path_prepend(d), "PATH edit: prepend " + d
    elif r < 0.72:
        missing = [p for p in PROJECTS if not env_exists[p]]
        # Only the top shell makes envs: a parent shell does not see an env
        # removed and made again at the same path by its child (its watch
        # looks at what exists).
        if missing and len(stack) == 1:
            p = rng.choice(missing)
            how = rng.choice(["allow", "deny"])
            env_exists[p] = True
            trust[p] = "allowed" if how == "allow" else "denied"
            line = "%s && venvhook %s %s >/dev/null 2>&1" % (create_cmd(p), how, q(p))
            desc = "create %s/.venv and %s it" % (p, how)
        else:
            line, desc = remove_env(rng.choice(PROJECTS))
    elif r < 0.78:
        have = [p for p in PROJECTS if env_exists[p]]
        if have:
            line, desc = remove_env(rng.choice(have))
    elif r < 0.86:
        have = [p for p in PROJECTS if env_exists[p]]
        if have and len(stack) == 1:      # a parent would not see it (no watched file changes)
            p = rng.choice(have)
            how = rng.choice(["allow", "deny"])
            trust[p] = "allowed" if how == "allow" else "denied"
            line, desc = "venvhook %s %s >/dev/null 2>&1" % (how, q(p)), "%s %s" % (how, p)
    elif r < 0.93:
        if len(stack) < 3:
            nchild += 1
            cf = "%s/child-%d.%s" % (OUT, nchild, SH)
            files[nchild] = [preamble(SH)]
            code.append(sh_child(cf))
            child = Frame(f)
            stack.append((child, nchild))
            hook(child)
            files[nchild].append("__venvhook_hook; __snap %d" % n)
            want_lines.append(state(child, n))
            steps.append("%d: enter a child %s" % (n, SH))
            continue
    else:
        if len(stack) > 1:
            stack.pop()
            f, fid = stack[-1]
            hook(f)
            files[fid].append("__venvhook_hook; __snap %d" % n)
            want_lines.append(state(f, n))
            steps.append("%d: exit the child" % n)
            continue
    if line is None:
        d = rng.choice(DIRS)
        f.cwd = d
        line, desc = "cd %s" % q(d), "cd " + d
    code.append(line)
    hook(f)
    code.append("__venvhook_hook; __snap %d" % n)
    want_lines.append(state(f, n))
    steps.append("%d: %s" % (n, desc))

with open("%s/main.%s" % (OUT, SH), "w") as fh:
    fh.write(preamble(SH) + "\n".join(files[0]) + "\n")
for k in range(1, nchild + 1):
    with open("%s/child-%d.%s" % (OUT, k, SH), "w") as fh:
        fh.write("\n".join(files[k]) + "\n")
with open(OUT + "/want", "w") as fh:
    fh.write("\n".join(want_lines) + "\n")
with open(OUT + "/steps", "w") as fh:
    fh.write("\n".join(steps) + "\n")
