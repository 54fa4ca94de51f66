#!/usr/bin/env python3
"""Fails if concurrency is written outside src/runtime/ (the seed's "verify no asyncio remains").

Everything concurrent in hfserve goes through the structured-concurrency runtime, so std::thread,
std::jthread, std::async, std::future, std::promise, .detach() and direct epoll/io_uring calls may only
appear in src/runtime/. Comments are ignored. Runs a self-test first so that the check itself can fail.
Usage: check_concurrency.py SOURCE_DIR
"""
import pathlib
import re
import sys
import tempfile

FORBIDDEN = re.compile(
    r"std::(thread|jthread|async|future|shared_future|promise|packaged_task)\b"
    r"|\.detach\s*\("
    r"|\bepoll_(create1?|ctl|wait|pwait2?)\s*\("
    r"|\bio_uring_[a-z_]+\s*\("
    r"|#\s*include\s*<(thread|future|sys/epoll\.h|liburing\.h)>"
)
EXTS = {".cpp", ".hpp", ".h", ".cc"}


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def violations(src: pathlib.Path):
    found = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in EXTS or not path.is_file():
            continue
        rel = path.relative_to(src)
        if rel.parts[0] == "runtime":
            continue
        for no, line in enumerate(strip_comments(path.read_text(errors="replace")).splitlines(), 1):
            if FORBIDDEN.search(line):
                found.append(f"src/{rel}:{no}: {line.strip()}")
    return found


def self_test():
    with tempfile.TemporaryDirectory() as d:
        root = pathlib.Path(d)
        (root / "runtime").mkdir()
        (root / "serving").mkdir()
        (root / "runtime" / "ok.cpp").write_text("std::thread t; t.detach();\n")
        (root / "serving" / "ok.cpp").write_text("// std::thread in a comment is fine\n")
        assert violations(root) == [], violations(root)
        (root / "serving" / "bad.cpp").write_text("auto f = std::async([]{});\n")
        (root / "serving" / "bad2.hpp").write_text("#include <sys/epoll.h>\n")
        assert len(violations(root)) == 2, violations(root)


def main():
    self_test()
    found = violations(pathlib.Path(sys.argv[1]) / "src")
    for v in found:
        print(v)
    if found:
        print(f"{len(found)} use(s) of threads/futures/epoll/io_uring outside src/runtime/")
        return 1
    print("no concurrency primitives outside src/runtime/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
