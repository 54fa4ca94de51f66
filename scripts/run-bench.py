#!/usr/bin/env python3
"""Runs every benchmark and writes the results into bench/README.md.

C++ benchmarks are the executables build/bench/bench_* (one JSON object per line, see
bench/runtime/bench_util.hpp). The runtime ones have Python counterparts in
bench/python/anyio_bench.py (anyio on asyncio, run with a Python that has anyio: by default
/usr/bin/python3, Debian's python3-anyio). Each executable is run several times (default 5) within
a time budget (default 120 s per executable); every figure is the median of its runs. Lines whose
"bench" name anyio also measured go into the first table with the C++ / anyio ratio (same run of
this script, same machine); everything else goes into the second table.

Usage: scripts/run-bench.py [--build-dir build] [--repeat 5] [--budget 120] [--python PATH]
                            [--only NAME] [--no-readme]
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
PY_BENCH = ROOT / "bench" / "python" / "anyio_bench.py"
BEGIN_RT, END_RT = "<!-- bench:runtime:begin -->", "<!-- bench:runtime:end -->"
BEGIN_OTHER, END_OTHER = "<!-- bench:other:begin -->", "<!-- bench:other:end -->"

# Targets for C++ / anyio: in-process workloads and loopback TCP.
TCP_TARGET, IN_PROCESS_TARGET = 3.0, 100.0


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_repeatedly(cmd, repeat, budget, env=None):
    """Runs cmd up to `repeat` times within `budget` seconds; returns the JSON rows of every run."""
    rows, start = [], time.monotonic()
    for i in range(repeat):
        left = budget - (time.monotonic() - start)
        if left <= 1:
            log(f"  {cmd[0]}: time budget used after {i} run(s)")
            break
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=left, env=env,
                                 cwd=ROOT)
        except subprocess.TimeoutExpired as e:
            log(f"  {cmd[0]}: stopped after {budget:.0f} s (run {i + 1})")
            out = e
        text = out.stdout if isinstance(out.stdout, str) else (out.stdout or b"").decode()
        got = 0
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("{"):
                try:
                    rows.append(json.loads(line))
                    got += 1
                except json.JSONDecodeError:
                    pass
        if isinstance(out, subprocess.TimeoutExpired):
            break
        if out.returncode != 0:
            log(f"  {cmd[0]}: exit code {out.returncode}: {(out.stderr or '').strip()[-300:]}")
            break
        if got == 0:
            log(f"  {cmd[0]}: printed no JSON lines")
            break
    return rows


def key_of(row):
    """Identity of a measurement: every non-numeric field (bench, backend, model, ...)."""
    return tuple(sorted((k, str(v)) for k, v in row.items()
                        if not isinstance(v, (int, float)) or isinstance(v, bool)))


def medians(rows):
    """Groups rows by identity and takes the median of every numeric field."""
    groups = {}
    for r in rows:
        groups.setdefault(key_of(r), []).append(r)
    out = []
    for rs in groups.values():
        m = dict(rs[0])
        for k, v in rs[0].items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                m[k] = statistics.median(r[k] for r in rs if k in r)
        m["_runs"] = len(rs)
        out.append(m)
    return out


def rate(row):
    """The figure compared across implementations: MB/s for throughput, else ops/s."""
    return row.get("mb_per_s") or row.get("ops_per_s")


def fmt(x):
    if x is None:
        return "–"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k"
    return f"{x:.1f}"


def runtime_table(cpp, py):
    """Markdown table of the workloads measured both in C++ and with anyio."""
    py_by_bench = {r["bench"]: r for r in py}
    benches = [b for b in dict.fromkeys(r["bench"] for r in cpp) if b in py_by_bench]
    backends = sorted({r.get("backend", "?") for r in cpp if r["bench"] in py_by_bench})
    lines = ["| workload | unit | " + " | ".join(backends) + " | anyio (asyncio) | " +
             " | ".join(f"{b} / anyio" for b in backends) + " | target | met |",
             "|" + "---|" * (4 + 2 * len(backends) + 1)]
    paired = set()
    for b in benches:
        a = py_by_bench[b]
        unit = "MB/s" if "mb_per_s" in a else "ops/s"
        target = TCP_TARGET if b.startswith("tcp") else IN_PROCESS_TARGET
        cells, ratios, met = [], [], True
        for be in backends:
            row = next((r for r in cpp if r["bench"] == b and r.get("backend") == be), None)
            if row is None:
                cells.append("–")
                ratios.append("–")
                continue
            paired.add(key_of(row))
            ratio = rate(row) / rate(a)
            met = met and ratio >= target
            cells.append(fmt(rate(row)))
            ratios.append(f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.1f}x")
        lines.append(f"| {b} | {unit} | " + " | ".join(cells) + f" | {fmt(rate(a))} | " +
                     " | ".join(ratios) + f" | ≥{target:.0f}x | {'yes' if met else 'no'} |")
    return "\n".join(lines), paired


def other_table(rows):
    """Markdown table of measurements without an anyio counterpart (e.g. the engine's)."""
    if not rows:
        return "_No other benchmark executables were found._"
    lines = ["| executable | measurement | figures (median) |", "|---|---|---|"]
    for r in rows:
        ident = ", ".join(f"{k}={v}" for k, v in r.items()
                          if not k.startswith("_") and isinstance(v, str) and k != "exe")
        figs = ", ".join(f"{k}={v:.4g}" for k, v in r.items()
                         if not k.startswith("_") and isinstance(v, (int, float))
                         and not isinstance(v, bool))
        lines.append(f"| {r['exe']} | {ident} | {figs} (runs: {r['_runs']}) |")
    return "\n".join(lines)


def machine_line(repeat):
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"Measured {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')} on {cpu}, "
            f"{os.cpu_count()} CPUs, Linux {platform.release()}, load average {load:.1f} at the "
            f"start; median of up to {repeat} runs each.")


def replace_between(text, begin, end, body):
    block = f"{begin}\n{body}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        return head + block + rest.split(end, 1)[1]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_readme(rt_md, other_md):
    text = README.read_text() if README.exists() else (
        "# Benchmarks\n\n`make bench` (scripts/run-bench.py) fills in the tables below.\n")
    if BEGIN_RT not in text:
        text = text.rstrip("\n") + "\n\n## Runtime: C++ vs anyio\n"
    text = replace_between(text, BEGIN_RT, END_RT, rt_md)
    if BEGIN_OTHER not in text:
        text = text.rstrip("\n") + "\n\n## Other benchmarks\n"
    text = replace_between(text, BEGIN_OTHER, END_OTHER, other_md)
    README.write_text(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default=os.environ.get("HFSERVE_BUILD_DIR", "build"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--budget", type=float, default=120.0, help="seconds per executable")
    ap.add_argument("--python", default="/usr/bin/python3", help="a Python with anyio")
    ap.add_argument("--only", help="run only executables whose name contains this")
    ap.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    args = ap.parse_args()

    bench_dir = (ROOT / args.build_dir / "bench").resolve()
    exes = sorted(p for p in bench_dir.glob("bench_*") if p.is_file() and os.access(p, os.X_OK))
    if args.only:
        exes = [p for p in exes if args.only in p.name]
    if not exes:
        log(f"no benchmark executables in {bench_dir} (build them first: make build)")
    header = machine_line(args.repeat)
    log(header)

    cpp = []  # (executable, median row)
    for exe in exes:
        log(f"running {exe.name} ...")
        for row in medians(run_repeatedly([str(exe)], args.repeat, args.budget)):
            row["exe"] = exe.name
            cpp.append(row)

    py = []
    check = subprocess.run([args.python, "-c", "import anyio"], capture_output=True)
    if check.returncode != 0:
        log(f"{args.python} has no anyio: the C++ / anyio ratios are left out")
    else:
        log("running bench/python/anyio_bench.py ...")
        py = medians(run_repeatedly([args.python, str(PY_BENCH)], args.repeat, args.budget))

    rt_md, paired = runtime_table([r for r in cpp if "bench" in r], py)
    other = [r for r in cpp if key_of(r) not in paired]
    other_md = other_table(other)
    rt_md = header + "\n\n" + rt_md
    print(rt_md + "\n\n" + other_md)
    if not args.no_readme:
        write_readme(rt_md, other_md)
        log(f"wrote {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
