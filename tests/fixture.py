"""fixture.py: writes the wheels, projects and metadata the tests install.

Used by the tests (the shell function fixture of tests/lib.sh) and
bench/b_freeze.sh; no network, no build tools: wheels are written with
zipfile, sdists with tarfile.

  python3 fixture.py wheel OUTDIR NAME VERSION [DISTINFO_NAME [META_VERSION]]
  python3 fixture.py app OUTDIR NAME VERSION MESSAGE
                   (a wheel whose console script NAME prints MESSAGE)
  python3 fixture.py project DIR NAME VERSION      (setup.py + pyproject.toml)
  python3 fixture.py sdist OUTDIR NAME VERSION     (a .tar.gz of such a project)
  python3 fixture.py distinfo SITEDIR DIRNAME [Header: value]...   (a hand-made .dist-info)
  python3 fixture.py many OUTDIR COUNT             (COUNT tiny wheels bench0000...)
"""
import base64
import hashlib
import io
import os
import sys
import tarfile
import zipfile


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def wheel(outdir, name, version, distinfo=None, meta_version=None, message=None):
    """A pure-Python wheel with one module; returns its path.  With a
    message, the module's main() prints it, and a console script named
    as the distribution runs main()."""
    fname_name = name.replace("-", "_").replace(".", "_")
    distinfo = distinfo or f"{fname_name}-{version}.dist-info"
    module = fname_name.lower() + "_mod"
    source = f"VERSION = {version!r}\n"
    if message is not None:
        source += f"\ndef main():\n    print({message!r})\n    return 0\n"
    files = {
        f"{module}/__init__.py": source.encode(),
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


def project(directory, name, version):
    """A setuptools project (legacy setup.py plus a pyproject.toml)."""
    module = name.replace("-", "_").replace(".", "_").lower() + "_mod"
    os.makedirs(os.path.join(directory, module), exist_ok=True)
    with open(os.path.join(directory, module, "__init__.py"), "w") as f:
        f.write(f"VERSION = {version!r}\n")
    with open(os.path.join(directory, "setup.py"), "w") as f:
        f.write(
            "from setuptools import setup\n"
            f"setup(name={name!r}, version={version!r}, packages=[{module!r}])\n"
        )
    with open(os.path.join(directory, "pyproject.toml"), "w") as f:
        f.write('[build-system]\nrequires = ["setuptools"]\n'
                'build-backend = "setuptools.build_meta"\n')


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


def distinfo(sitedir, dirname, headers):
    d = os.path.join(sitedir, dirname)
    os.makedirs(d, exist_ok=True)
    name = "PKG-INFO" if dirname.endswith(".egg-info") else "METADATA"
    with open(os.path.join(d, name), "w") as f:
        for h in headers:
            f.write(h + "\n")
        f.write("\nbody\n")


def many(outdir, count):
    for i in range(count):
        wheel(outdir, f"bench{i:04d}", f"1.{i}.0")


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "wheel":
        print(wheel(*args))
    elif cmd == "app":
        print(wheel(args[0], args[1], args[2], message=args[3]))
    elif cmd == "project":
        project(*args)
    elif cmd == "sdist":
        print(sdist(*args))
    elif cmd == "distinfo":
        distinfo(args[0], args[1], args[2:])
    elif cmd == "many":
        many(args[0], int(args[1]))
    else:
        sys.exit(f"fixture.py: unknown command {cmd!r}")


if __name__ == "__main__":
    main(sys.argv)
