#!/usr/bin/env python3
"""Fails when a file in src/<layer>/ includes a layer it may not depend on (../shared/DESIGN.md).

The allowed arrows are read from src/CMakeLists.txt, the one place they are written: a layer may
include the layers whose targets it names directly in its DEPS (hfserve_layer) or links with
target_link_libraries; what it reaches only through another layer does not count, so every arrow
is a decision someone wrote down. Runs a self-test first.
Usage: check_layers.py SOURCE_DIR
"""
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*"([a-z_]+)/', re.M)
COMMAND = re.compile(r"\b(hfserve_layer|add_executable|target_link_libraries)\s*\(([^)]*)\)")
LINK_SCOPES = {"PUBLIC", "PRIVATE", "INTERFACE"}


def allowed_edges(cmake_text: str):
    """{layer: set of layers it may include}, from the targets declared in a CMakeLists.txt.

    A target's layer is the first folder of its directory (hfserve_layer NAME DIR) or of its first
    source (add_executable NAME DIR/file.cpp); link items that are not such targets (third-party
    libraries, flags) are ignored.
    """
    text = re.sub(r"#[^\n]*", "", cmake_text)
    layer_of, links = {}, {}
    for command, body in COMMAND.findall(text):
        args = body.split()
        if not args:
            continue
        target, rest = args[0], args[1:]
        if command == "hfserve_layer" and rest:
            layer_of[target] = rest[0].split("/")[0]
            deps = rest[rest.index("DEPS") + 1:] if "DEPS" in rest else []
            links.setdefault(target, []).extend(deps)
        elif command == "add_executable" and rest and "/" in rest[0]:
            layer_of[target] = rest[0].split("/")[0]
        elif command == "target_link_libraries":
            links.setdefault(target, []).extend(a for a in rest if a not in LINK_SCOPES)
    allowed = {layer: set() for layer in layer_of.values()}
    for target, deps in links.items():
        if target in layer_of:
            allowed[layer_of[target]].update(layer_of[d] for d in deps if d in layer_of)
    return allowed


def violations(src: pathlib.Path, allowed):
    found = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in {".cpp", ".hpp", ".h"} or not path.is_file():
            continue
        layer = path.relative_to(src).parts[0]
        if layer not in allowed:
            found.append(f"src/{path.relative_to(src)}: folder '{layer}' is not a known layer")
            continue
        for m in INCLUDE.finditer(path.read_text(errors="replace")):
            dep = m.group(1)
            if dep != layer and dep in allowed and dep not in allowed[layer]:
                found.append(f"src/{path.relative_to(src)}: layer '{layer}' may not include '{dep}/' "
                             f"(not in its DEPS in src/CMakeLists.txt)")
    return found


def self_test():
    cmake = """
      # a comment naming hfserve_layer(hf_fake fake DEPS hf_base) is ignored
      hfserve_layer(hf_base base DEPS nlohmann_json::nlohmann_json)
      hfserve_layer(hf_runtime runtime DEPS hf_base Threads::Threads)
      hfserve_layer(hf_engine engine DEPS hf_base
        -fopenmp)
      add_executable(tool cli/main.cpp)
      target_link_libraries(tool PRIVATE hf_engine CLI11::CLI11)
    """
    edges = allowed_edges(cmake)
    assert edges == {"base": set(), "runtime": {"base"}, "engine": {"base"}, "cli": {"engine"}}, edges
    with tempfile.TemporaryDirectory() as d:
        root = pathlib.Path(d)
        (root / "engine").mkdir()
        (root / "engine" / "a.cpp").write_text('#include "base/x.hpp"\n#include "engine/y.hpp"\n')
        assert violations(root, edges) == []
        (root / "engine" / "b.cpp").write_text('#include "runtime/task.hpp"\n')
        assert len(violations(root, edges)) == 1
        (root / "cli").mkdir()
        (root / "cli" / "c.cpp").write_text('#include "base/x.hpp"\n')  # only through engine
        assert len(violations(root, edges)) == 2
        (root / "stray").mkdir()
        (root / "stray" / "d.cpp").write_text("")
        assert len(violations(root, edges)) == 3


def main():
    self_test()
    src = pathlib.Path(sys.argv[1]) / "src"
    found = violations(src, allowed_edges((src / "CMakeLists.txt").read_text()))
    for v in found:
        print(v)
    print(f"{len(found)} layering violation(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
