"""pip_oracle.py FILE...: what the running pip makes of each requirements file.

Run with an env's python, so that the env's own pip answers.  Prints one
line per file: "ok" when pip install -r reads it (every line parsed, every
requirement built, every marker evaluated: what pip does before it
resolves), else "refused: " and why.
"""
import sys

from pip._internal.network.session import PipSession
from pip._internal.req.constructors import install_req_from_parsed_requirement
from pip._internal.req.req_file import parse_requirements


def verdict(path, session):
    try:
        for parsed in parse_requirements(path, session=session):
            install_req_from_parsed_requirement(parsed).match_markers()
    except (Exception, RecursionError, SystemExit) as e:
        why = str(e).strip().splitlines()
        return f"refused: {type(e).__name__}: {why[-1] if why else ''}"
    return "ok"


def main():
    session = PipSession()
    for path in sys.argv[1:]:
        print(f"{verdict(path, session)}"[:300])


if __name__ == "__main__":
    main()
