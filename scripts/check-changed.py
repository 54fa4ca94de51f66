#!/usr/bin/env python3
"""clang-format and clang-tidy, warnings as errors, on the lines the last commit changed.

Only changed lines are checked: much of the tree predates these checks, and a one-line fix in an
old file must not have to reformat the whole file. C++ files (.cpp, .hpp) under src/ and tests/
count; clang-format reads .clang-format, clang-tidy reads .clang-tidy and the compile database of
build/ (run `cmake --preset release` first). A changed header is checked through its own .cpp
when it has one. CI runs this from .ci/run; locally: scripts/check-changed.py [BASE] (default
HEAD~1; with no parent commit, as in a one-commit shallow clone, there is nothing to compare and
the checks are skipped).
"""
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


def git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def changed_lines(base):
    """{path: [(first, last), ...]} for the C++ files changed since base (added lines only).

    One diff with rename detection: a file that was moved counts only its edited lines, so moving
    old code does not make it meet checks it predates.
    """
    diff = git("diff", "-M", "-U0", "--no-color", "--diff-filter=ACMR", base, "--", "src/*.cpp",
               "src/*.hpp", "tests/*.cpp", "tests/*.hpp")
    out = {}
    name = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[len("+++ b/"):] if line.startswith("+++ b/") else None
            continue
        m = HUNK.match(line)
        if name and m:
            first, count = int(m.group(1)), int(m.group(2) or "1")
            if count > 0:
                out.setdefault(name, []).append((first, first + count - 1))
    return out


def check_format(files):
    failed = []
    for name, ranges in files.items():
        lines = [f"--lines={a}:{b}" for a, b in ranges]
        r = subprocess.run(["clang-format", "--dry-run", "-Werror", "--style=file", *lines, name],
                           cwd=ROOT, capture_output=True, text=True)
        if r.returncode != 0:
            failed.append(name)
            sys.stdout.write(r.stderr)
    return failed


def tidy_binary():
    """$CLANG_TIDY, else the newest clang-tidy-N installed, else clang-tidy.

    clang-tidy 14 (Debian 12's default) cannot parse this tree: GCC 12's <source_location> needs
    __builtin_source_location, which clang has from 15 on (install-deps installs clang-tidy-16).
    """
    if os.environ.get("CLANG_TIDY"):
        return os.environ["CLANG_TIDY"]
    for version in range(25, 14, -1):
        if shutil.which(f"clang-tidy-{version}"):
            return f"clang-tidy-{version}"
    return "clang-tidy"


def check_tidy(files, build):
    database = build / "compile_commands.json"
    if not database.exists():
        print(f"check-changed: {database} is missing (run `cmake --preset release`)")
        return ["(no compile database)"]
    compiled = {pathlib.Path(e["file"]).resolve() for e in json.loads(database.read_text())}
    units = set()
    for name in files:
        path = (ROOT / name).resolve()
        unit = path if path.suffix == ".cpp" else path.with_suffix(".cpp")
        if unit in compiled:
            units.add(unit)
    line_filter = json.dumps([{"name": str((ROOT / n).resolve()), "lines": [list(r) for r in rs]}
                              for n, rs in files.items()])

    def tidy(unit):
        # The database holds GCC's flags: clang must not stop at the ones it does not know, nor
        # turn its own compiler warnings into errors (GCC's -Werror build is the judge of those).
        cmd = [binary, "-p", str(build), "--quiet", "--warnings-as-errors=*",
               f"--line-filter={line_filter}", "--extra-arg=-Wno-unknown-warning-option",
               "--extra-arg=-Wno-error", str(unit)]
        return unit, subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)

    binary = tidy_binary()
    failed = []
    jobs = int(os.environ.get("JOBS", os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for unit, r in pool.map(tidy, sorted(units)):
            if r.returncode != 0:
                failed.append(str(unit.relative_to(ROOT)))
                sys.stdout.write(r.stdout + r.stderr)
    return failed


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else "HEAD~1"
    if subprocess.run(["git", "rev-parse", "--verify", "-q", base + "^{commit}"], cwd=ROOT,
                      capture_output=True).returncode != 0:
        print(f"check-changed: no commit {base} to compare with; format and tidy checks skipped")
        return 0
    files = changed_lines(base)
    print(f"check-changed: {len(files)} C++ file(s) changed since {base}")
    if not files:
        return 0
    bad_format = check_format(files)
    bad_tidy = check_tidy(files, ROOT / os.environ.get("BUILD_DIR", "build"))
    for name in bad_format:
        print(f"check-changed: clang-format: {name} (fix: clang-format -i --lines=... or "
              f"git clang-format {base})")
    for name in bad_tidy:
        print(f"check-changed: clang-tidy: {name}")
    return 1 if bad_format or bad_tidy else 0


if __name__ == "__main__":
    sys.exit(main())
