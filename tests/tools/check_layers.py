#!/usr/bin/env python3
"""Fails when a file in src/<layer>/ includes a layer it may not depend on (../shared/DESIGN.md).

The allowed arrows mirror the DEPS lists of src/CMakeLists.txt. Runs a self-test first.
Usage: check_layers.py SOURCE_DIR
"""
import pathlib
import re
import sys
import tempfile

ALLOWED = {
    "base": set(),
    "runtime": {"base"},
    "observability": {"base"},
    "hardware": {"base"},
    "template": {"base"},
    "engine": {"hardware", "base"},
    "net": {"runtime", "observability", "base"},
    "auth": {"base"},
    "serving": {"engine", "template", "runtime", "observability", "hardware", "base"},
    "api": {"serving", "net", "auth", "observability", "runtime", "base", "engine", "template", "hardware"},
    "app": {"api", "serving", "net", "auth", "engine", "template", "hardware", "observability", "runtime", "base"},
    "cli": {"app", "api", "serving", "net", "auth", "engine", "template", "hardware", "observability",
            "runtime", "base"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([a-z_]+)/', re.M)


def violations(src: pathlib.Path):
    found = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in {".cpp", ".hpp", ".h"} or not path.is_file():
            continue
        layer = path.relative_to(src).parts[0]
        if layer not in ALLOWED:
            found.append(f"src/{path.relative_to(src)}: folder '{layer}' is not a known layer")
            continue
        for m in INCLUDE.finditer(path.read_text(errors="replace")):
            dep = m.group(1)
            if dep != layer and dep in ALLOWED and dep not in ALLOWED[layer]:
                found.append(f"src/{path.relative_to(src)}: layer '{layer}' may not include '{dep}/'")
    return found


def self_test():
    with tempfile.TemporaryDirectory() as d:
        root = pathlib.Path(d)
        (root / "engine").mkdir()
        (root / "engine" / "a.cpp").write_text('#include "base/x.hpp"\n#include "engine/y.hpp"\n')
        assert violations(root) == []
        (root / "engine" / "b.cpp").write_text('#include "runtime/task.hpp"\n')
        assert len(violations(root)) == 1


def main():
    self_test()
    found = violations(pathlib.Path(sys.argv[1]) / "src")
    for v in found:
        print(v)
    print(f"{len(found)} layering violation(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
