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
import shutil
import platform
import shlex
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
PY_BENCH = ROOT / "bench" / "python" / "anyio_bench.py"
SERVER_BENCH = ROOT / "bench" / "server" / "server_bench.py"
LOAD_TEST = ROOT / "bench" / "server" / "load.py"
BEGIN_RT, END_RT = "<!-- bench:runtime:begin -->", "<!-- bench:runtime:end -->"
BEGIN_OTHER, END_OTHER = "<!-- bench:other:begin -->", "<!-- bench:other:end -->"
BEGIN_ENGINE, END_ENGINE = "<!-- bench:engine:begin -->", "<!-- bench:engine:end -->"
BEGIN_SERVER, END_SERVER = "<!-- bench:server:begin -->", "<!-- bench:server:end -->"
BEGIN_LOAD, END_LOAD = "<!-- bench:load:begin -->", "<!-- bench:load:end -->"
# The load test's runs: streaming GPT-2 124M at 1..64 clients, the overload check, and BERT-base
# embeddings at 1 and 16 clients (bench/server/load.py; each spawns its own server).
LOAD_RUNS = [
    ("Streaming completions, GPT-2 124M (random weights, f32), 64 tokens each, temperature 0.8",
     ["--gpt2", "-c", "1,4,16,64", "--requests-per-client", "4"]),
    ("Overload: 64 clients against --max-queue 8", ["--gpt2", "--overload"]),
    ("`hfserve bench`: GPT-2 124M, prompts of 128 tokens, 64 output tokens, streaming",
     ["--gpt2", "--hfserve-bench", "48", "-c", "1,4,16", "--prompt-tokens", "128"]),
    ("Embeddings, BERT-base (random weights, f32), one short input per request",
     ["--make-model", "bert:bert-base", "--embeddings", "--prompt", "hello world", "-c", "1,16",
      "--requests-per-client", "40"]),
]
ENGINE_METRICS = {"prefill_tokens_per_s", "decode_tokens_per_s", "embeddings_per_s",
                  "memory_read_bandwidth", "memory_triad_bandwidth", "sgemm_peak", "speedup_vs_f32"}
# The engine benchmarks measure every weight type (f32, bf16, int8) in one run: more time each.
ENGINE_BUDGET_FACTOR = 5

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


# Numeric fields that name a measurement rather than measure it (batch 1 and batch 16 are two
# measurements, not two runs of one).
PARAMETER_FIELDS = {"batch", "tokens", "seq_len", "threads", "size", "connections"}


def key_of(row):
    """Identity of a measurement: every non-numeric field (bench, backend, model, ...) and the
    parameters in PARAMETER_FIELDS."""
    return tuple(sorted((k, str(v)) for k, v in row.items()
                        if k in PARAMETER_FIELDS or not isinstance(v, (int, float))
                        or isinstance(v, bool)))


def medians(rows):
    """Groups rows by identity and takes the median of every numeric field."""
    groups = {}
    for r in rows:
        groups.setdefault(key_of(r), []).append(r)
    out = []
    for rs in groups.values():
        m = dict(rs[0])
        for k, v in rs[0].items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k not in PARAMETER_FIELDS:
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


def pct(x):
    return "–" if x is None else f"{100 * x:.0f} %"


def engine_table(rows):
    """The engine's figures against the machine limits measured in the same executable."""
    lines = ["| executable | model | measurement | figure | machine limit | share of limit | "
             "target | met |", "|---|---|---|---|---|---|---|---|"]
    order = {"memory_read_bandwidth": 0, "memory_triad_bandwidth": 1, "sgemm_peak": 2,
             "prefill_tokens_per_s": 3, "decode_tokens_per_s": 4, "embeddings_per_s": 5,
             "speedup_vs_f32": 6}
    dtypes = {"f32": 0, "bf16": 1, "f16": 2, "int8": 3}
    for r in sorted(rows, key=lambda r: (r["exe"], r.get("model", ""), order[r["metric"]],
                                         dtypes.get(r.get("dtype"), 0), r.get("measurement", ""),
                                         r.get("tokens", 0), r.get("batch", 0))):
        m, target = r["metric"], r.get("target")
        model = r.get("model", "–") + (f" {r['dtype']}" if "dtype" in r else "")
        if m in ("memory_read_bandwidth", "memory_triad_bandwidth", "sgemm_peak"):
            what = m.replace("_", " ")
            fig, limit, share = f"{r['value']:.1f} {r.get('unit', '')}", "–", None
        elif m == "prefill_tokens_per_s":
            what = f"prefill, {r['tokens']} tokens"
            fig = f"{r['value']:.0f} tokens/s = {r['gflops']:.0f} GFLOP/s"
            limit = f"sgemm {r['sgemm_peak_gflops']:.0f} GFLOP/s"
            share = r["vs_sgemm_peak"]
        elif m == "decode_tokens_per_s":
            what = f"decode, batch {r['batch']}"
            fig = f"{r['value']:.1f} tokens/s ({r['steps_per_s']:.1f} steps/s)"
            limit = (f"{r['bandwidth_bound_steps_per_s']:.1f} steps/s "
                     f"({r['read_gbps']:.1f} GB/s ÷ weight bytes)")
            share = r["vs_bandwidth_bound"]
        elif m == "speedup_vs_f32":
            what = f"{r['measurement']}: speedup over f32"
            fig, limit, share = f"{r['value']:.2f}×", "f32 in the same run", r["value"]
        else:
            what = f"embeddings, batch {r['batch']} × {r['seq_len']} tokens"
            fig = f"{r['value']:.1f} embeddings/s = {r['gflops']:.0f} GFLOP/s"
            limit = f"sgemm {r['sgemm_peak_gflops']:.0f} GFLOP/s"
            share = r["vs_sgemm_peak"]
        met = "–" if target is None or share is None else ("yes" if share >= target else "no")
        if m == "speedup_vs_f32":
            lines.append(f"| {r['exe']} | {model} | {what} | {fig} | {limit} | – | "
                         f"{'–' if target is None else f'≥{target:.1f}×'} | {met} |")
            continue
        lines.append(f"| {r['exe']} | {model} | {what} | {fig} | {limit} | {pct(share)} | "
                     f"{'–' if target is None else '≥' + pct(target)} | {met} |")
    return "\n".join(lines)


def server_table(rows):
    """hfserve over HTTP (bench/server/server_bench.py)."""
    if not rows:
        return "_Not measured (needs build/hfserve and wrk)._"
    lines = ["| measurement | model | connections | figure | p50 latency | non-2xx |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        b = r["bench"]
        if b == "server_startup_to_ready":
            lines.append(f"| start-up to /ready (--preload) | {r['model']}, {r['model_mb']:.0f} MB"
                         f" | – | {r['ms']:.0f} ms | – | – |")
            continue
        fig = f"{fmt(r['ops_per_s'])} req/s"
        if "tokens_per_s" in r:
            fig += f" ({fmt(r['tokens_per_s'])} generated tokens/s)"
        name = "GET /health" if b == "server_health" else "POST /v1/completions, 16 tokens"
        lines.append(f"| {name} | {r.get('model', '–')} | {r['connections']} | {fig} | "
                     f"{r['p50_ms']:.2f} ms | {int(r['non_2xx'])} |")
    return "\n".join(lines)


def load_tables(build_dir):
    """The markdown tables (and the overload verdict) load.py prints for each of LOAD_RUNS."""
    parts = []
    for title, extra in LOAD_RUNS:
        log(f"running bench/server/load.py {' '.join(extra)} ...")
        cmd = [sys.executable, str(LOAD_TEST), "--spawn", build_dir, *extra]
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=1800)
        keep = [line for line in r.stdout.splitlines()
                if line.startswith(("Machine:", "hfserve bench:", "|", "PASS", "FAIL", "SKIP",
                                    "overload:"))]
        if r.returncode not in (0, 1) or not keep:
            keep = [f"_load.py failed (exit {r.returncode}): {r.stderr.strip()[-300:]}_"]
        command = shlex.join(["python3", "bench/server/load.py", "--spawn", build_dir, *extra])
        parts.append(f"**{title}** (`{command}`)\n\n" + "\n".join(keep))
    return "\n\n".join(parts)


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


def write_readme(sections):
    """sections: (begin, end, body, title); a None body keeps what the README has (not measured
    in this run, e.g. with --only)."""
    text = README.read_text() if README.exists() else (
        "# Benchmarks\n\n`make bench` (scripts/run-bench.py) fills in the tables below.\n")
    for begin, end, body, title in sections:
        if body is None:
            continue
        if begin not in text:
            text = text.rstrip("\n") + f"\n\n## {title}\n"
        text = replace_between(text, begin, end, body)
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
    # bench_*_server executables are servers to point a load generator at, not measurements.
    exes = sorted(p for p in bench_dir.glob("bench_*") if p.is_file() and os.access(p, os.X_OK)
                  and not p.name.endswith("_server"))
    if args.only:
        exes = [p for p in exes if args.only in p.name]
    if not exes:
        log(f"no benchmark executables in {bench_dir} (build them first: make build)")
    header = machine_line(args.repeat)
    log(header)

    cpp = []  # (executable, median row)
    for exe in exes:
        log(f"running {exe.name} ...")
        budget = args.budget * (ENGINE_BUDGET_FACTOR if exe.name.startswith("bench_engine_") else 1)
        for row in medians(run_repeatedly([str(exe)], args.repeat, budget)):
            row["exe"] = exe.name
            cpp.append(row)

    py = []
    check = subprocess.run([args.python, "-c", "import anyio"], capture_output=True)
    if check.returncode != 0:
        log(f"{args.python} has no anyio: the C++ / anyio ratios are left out")
    else:
        log("running bench/python/anyio_bench.py ...")
        py = medians(run_repeatedly([args.python, str(PY_BENCH)], args.repeat, args.budget))

    server = []
    if args.only is None or "server" in args.only:
        hfserve = ROOT / args.build_dir / "hfserve"
        if hfserve.exists() and shutil.which("wrk"):
            log("running bench/server/server_bench.py ...")
            server = medians(run_repeatedly(
                [sys.executable, str(SERVER_BENCH), "--build-dir", args.build_dir], 1, 900))
        else:
            log("no build/hfserve or no wrk: the server figures are left out")

    load_md = None
    if args.only is None or "load" in args.only:
        if (ROOT / args.build_dir / "hfserve").exists():
            load_md = load_tables(args.build_dir)
        else:
            log("no build/hfserve: the load test is left out")

    rt_md, paired = runtime_table([r for r in cpp if "bench" in r], py)
    engine = [r for r in cpp if r.get("metric") in ENGINE_METRICS and key_of(r) not in paired]
    other = [r for r in cpp if key_of(r) not in paired and r not in engine]
    engine_md = (header + "\n\n" + engine_table(engine)) if engine else None
    server_md = (header + "\n\n" + server_table(server)) if server else None
    other_md = other_table(other) if other else None
    rt_md = (header + "\n\n" + rt_md) if paired else None
    print("\n\n".join(x for x in (rt_md, engine_md, server_md, load_md, other_md) if x))
    if not args.no_readme:
        write_readme([(BEGIN_RT, END_RT, rt_md, "Runtime: C++ vs anyio"),
                      (BEGIN_ENGINE, END_ENGINE, engine_md, "Engine"),
                      (BEGIN_SERVER, END_SERVER, server_md, "Server"),
                      (BEGIN_LOAD, END_LOAD, load_md, "Load test"),
                      (BEGIN_OTHER, END_OTHER, other_md, "Other benchmarks")])
        log(f"wrote {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
