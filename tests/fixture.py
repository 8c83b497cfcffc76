"""fixture.py: writes the wheels, projects and metadata the tests install.

Used by the tests (the shell function fixture of tests/lib.sh) and
bench/b_freeze.sh; no network, no build tools: wheels are written with
zipfile, sdists with tarfile.  Several commands in one Python start are
separated by "--"; each prints what it prints alone.

  python3 fixture.py wheel OUTDIR NAME VERSION [DISTINFO_NAME [META_VERSION]]
  python3 fixture.py app OUTDIR NAME VERSION MESSAGE
                   (a wheel whose console script NAME prints MESSAGE)
  python3 fixture.py project DIR NAME VERSION [setuptools]
                   (pyproject.toml; built by this file, or setuptools and setup.py)
  python3 fixture.py sdist OUTDIR NAME VERSION     (a .tar.gz of such a project)
  python3 fixture.py many OUTDIR COUNT             (COUNT tiny wheels bench0000...)

It is also the build backend of the projects it makes (build_wheel and
build_editable below), for pip install with --no-build-isolation: building
one with setuptools takes pip four Python starts that import it, a second
of CPU; with this file, a tenth of that.
"""
import base64
import hashlib
import io
import os
import re
import shutil
import sys
import tarfile
import zipfile


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def wheel(outdir, name, version, distinfo=None, meta_version=None, message=None, files=None):
    """A pure-Python wheel with one module; returns its path.  With a
    message, the module's main() prints it, and a console script named
    as the distribution runs main().  With files (path: bytes), those
    instead of the module."""
    fname_name = name.replace("-", "_").replace(".", "_")
    distinfo = distinfo or f"{fname_name}-{version}.dist-info"
    module = _module(name)
    if files is None:
        source = f"VERSION = {version!r}\n"
        if message is not None:
            source += f"\ndef main():\n    print({message!r})\n    return 0\n"
        files = {f"{module}/__init__.py": source.encode()}
    files = {
        **files,
        f"{distinfo}/METADATA": (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {meta_version or version}\n"
            f"Summary: test distribution {name}\n\nA long description.\n"
        ).encode(),
        f"{distinfo}/WHEEL": b"Wheel-Version: 1.0\nGenerator: fixture.py\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    if message is not None:
        files[f"{distinfo}/entry_points.txt"] = f"[console_scripts]\n{name} = {module}:main\n".encode()
    record = [_record_line(p, d) for p, d in files.items()]
    record.append(f"{distinfo}/RECORD,,")
    files[f"{distinfo}/RECORD"] = ("\n".join(record) + "\n").encode()
    path = os.path.join(outdir, f"{fname_name}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w") as z:
        for p, d in files.items():
            z.writestr(p, d)
    return path


def _module(name):
    return name.replace("-", "_").replace(".", "_").lower() + "_mod"


def project(directory, name, version, backend="fixture"):
    """A project pip builds: its package and a pyproject.toml.  Built by a
    copy of this file (backend-path, below: a Python start, no imports that
    cost), or with backend "setuptools" by setuptools (and a legacy
    setup.py), as most projects are."""
    module = _module(name)
    os.makedirs(os.path.join(directory, module), exist_ok=True)
    with open(os.path.join(directory, module, "__init__.py"), "w") as f:
        f.write(f"VERSION = {version!r}\n")
    if backend == "setuptools":
        with open(os.path.join(directory, "setup.py"), "w") as f:
            f.write(
                "from setuptools import setup\n"
                f"setup(name={name!r}, version={version!r}, packages=[{module!r}])\n"
            )
        build = 'requires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
    elif backend == "fixture":
        shutil.copyfile(__file__, os.path.join(directory, "fixture_backend.py"))
        build = 'requires = []\nbuild-backend = "fixture_backend"\nbackend-path = ["."]\n'
    else:
        sys.exit(f"fixture.py: unknown backend {backend!r}")
    with open(os.path.join(directory, "pyproject.toml"), "w") as f:
        f.write(f'[build-system]\n{build}\n[project]\nname = "{name}"\nversion = "{version}"\n')


def sdist(outdir, name, version):
    base = f"{name}-{version}"
    tmp = os.path.join(outdir, base + ".src")
    project(tmp, name, version)
    path = os.path.join(outdir, base + ".tar.gz")
    with tarfile.open(path, "w:gz") as t:
        t.add(tmp, arcname=base)
        pkg_info = (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n").encode()
        info = tarfile.TarInfo(base + "/PKG-INFO")
        info.size = len(pkg_info)
        t.addfile(info, io.BytesIO(pkg_info))
    return path


# The PEP 517 and PEP 660 hooks pip calls in a project made by project(), in
# its directory (the others are optional): its name and version are read
# back from the pyproject.toml project() wrote.
def _pyproject():
    with open("pyproject.toml") as f:
        found = dict(re.findall(r'^(name|version) = "(.*)"$', f.read(), re.M))
    return found["name"], found["version"]


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name, version = _pyproject()
    module = _module(name)
    with open(os.path.join(module, "__init__.py"), "rb") as f:
        files = {f"{module}/__init__.py": f.read()}
    return os.path.basename(wheel(wheel_directory, name, version, files=files))


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    name, version = _pyproject()
    pth = f"__editable__.{_module(name)}.pth"
    return os.path.basename(wheel(wheel_directory, name, version, files={pth: (os.getcwd() + "\n").encode()}))


def many(outdir, count):
    for i in range(count):
        wheel(outdir, f"bench{i:04d}", f"1.{i}.0")


def run(cmd, args):
    if cmd == "wheel":
        print(wheel(*args))
    elif cmd == "app":
        print(wheel(args[0], args[1], args[2], message=args[3]))
    elif cmd == "project":
        project(*args)
    elif cmd == "sdist":
        print(sdist(*args))
    elif cmd == "many":
        many(args[0], int(args[1]))
    else:
        sys.exit(f"fixture.py: unknown command {cmd!r}")


def main(argv):
    words = argv[1:]
    while words:
        end = words.index("--") if "--" in words else len(words)
        run(words[0], words[1:end])
        words = words[end + 1:]


if __name__ == "__main__":
    main(sys.argv)
