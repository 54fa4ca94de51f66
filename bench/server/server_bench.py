#!/usr/bin/env python3
"""Server-level benchmarks of a built hfserve, end to end over HTTP on loopback.

- health: `wrk -t2 -c64 -d10s` against GET /health (hfserve on its demo models).
- completion16: wrk POSTing /v1/completions with max_tokens 16 and ignore_eos (every request
  really generates 16 tokens), on the tiny demo generator (server and scheduler overhead) and on a
  GPT-2-small-size (124M) random model (engine-bound).
- startup: wall time from starting `hfserve serve --preload ID` to the first 200 on /ready, with a
  ~500 MB (f32) Llama-shaped random model; "warm" means its files are in the page cache (one
  untimed start first), the median of 3 starts is reported.

Prints one JSON object per measurement, like the C++ benchmarks (scripts/run-bench.py collects
them). Needs wrk (Debian package `wrk`).
Usage: bench/server/server_bench.py [--build-dir build] [--duration 10] [--quick]
"""
import argparse
import json
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]

# ~122M parameters: 8 layers of a 1024-wide Llama with GQA, a 32k vocabulary and tied embeddings;
# 490 MB of f32 safetensors.
STARTUP_MODEL = {"hidden_size": 1024, "intermediate_size": 2816, "num_hidden_layers": 8,
                 "num_attention_heads": 16, "num_key_value_heads": 4, "vocab_size": 32000,
                 "max_position_embeddings": 2048, "tie_word_embeddings": True}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


class server:
    """hfserve serve in a fresh HF home (so only the given models are discovered)."""

    def __init__(self, exe, work, extra):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        home = work / "hf-home"
        home.mkdir(exist_ok=True)
        cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--log-level", "warn", "--hf-home", str(home),
               "--demo-models-dir", str(work / "demo-models")] + extra
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     cwd=work)

    def wait_ready(self, timeout=120.0):
        """Seconds from the start of the process to the first 200 on /ready."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("hfserve exited: " + self.proc.stderr.read().decode()[-2000:])
            if http_status(self.base + "/ready") == 200:
                return time.monotonic() - self.started
            time.sleep(0.001)
        raise RuntimeError("hfserve not ready in time")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def post_json(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


def wrk(url, connections, duration, work, script_body=None):
    """Runs wrk; returns (requests/s, non-2xx count, p50 latency text)."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script_body is not None:
        script = work / "post.lua"
        script.write_text('wrk.method = "POST"\n'
                          'wrk.headers["Content-Type"] = "application/json"\n'
                          f"wrk.body = [[{json.dumps(script_body)}]]\n")
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)  # the distribution, not a "68.50%" stdev
    if errors:
        log("  wrk: " + errors.group(0))
    return rps, int(bad.group(1)) if bad else 0, p50.group(1) if p50 else "?"


def latency_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]


def bench_completions(srv, model, connections, duration, work, label):
    body = {"model": model, "prompt": "The quick brown fox", "max_tokens": 16,
            "temperature": 0, "ignore_eos": True}
    got = post_json(srv.base + "/v1/completions", body)
    if got["usage"]["completion_tokens"] != 16:
        raise RuntimeError(f"expected 16 generated tokens, got {got['usage']}")
    rps, bad, p50 = wrk(srv.base + "/v1/completions", connections, duration, work, body)
    emit({"bench": "server_completion16", "model": label, "connections": str(connections),
          "ops_per_s": rps, "tokens_per_s": rps * 16, "p50_ms": latency_ms(p50),
          "non_2xx": bad})


def emit(row):
    print(json.dumps(row), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    ap.add_argument("--quick", action="store_true", help="skip the 124M and 500 MB models")
    args = ap.parse_args()
    exe = (ROOT / args.build_dir / "hfserve").resolve()
    if not exe.exists():
        sys.exit(f"{exe} not found: build it first (make build)")
    if not shutil.which("wrk"):
        sys.exit("wrk not found (apt-get install wrk)")

    with tempfile.TemporaryDirectory(prefix="hfserve-bench-") as tmp:
        work = pathlib.Path(tmp)

        srv = server(exe, work, [])
        try:
            srv.wait_ready()
            rps, bad, p50 = wrk(srv.base + "/health", 64, args.duration, work)
            emit({"bench": "server_health", "connections": "64", "ops_per_s": rps,
                  "p50_ms": latency_ms(p50), "non_2xx": bad})
            bench_completions(srv, "demo-chat", 16, args.duration, work, "demo-chat (tiny)")
        finally:
            srv.stop()
        if args.quick:
            return

        models = work / "models"
        subprocess.run([str(exe), "make-model", "--arch", "gpt2", "--config", "gpt2-small",
                        "--out", str(models / "gpt2-small")], check=True,
                       stdout=subprocess.DEVNULL)
        srv = server(exe, work, ["--model-dir", str(models), "--preload", "gpt2-small"])
        try:
            srv.wait_ready()
            bench_completions(srv, "gpt2-small", 16, args.duration, work, "gpt2-small (124M)")
        finally:
            srv.stop()
        shutil.rmtree(models)

        subprocess.run([str(exe), "make-model", "--arch", "llama", "--config",
                        json.dumps(STARTUP_MODEL), "--preset", "tiny",
                        "--out", str(models / "llama-500mb")], check=True,
                       stdout=subprocess.DEVNULL)
        size = sum(p.stat().st_size for p in (models / "llama-500mb").iterdir())
        times = []
        for i in range(4):  # the first start only warms the page cache
            srv = server(exe, work, ["--model-dir", str(models), "--preload", "llama-500mb"])
            try:
                t = srv.wait_ready()
            finally:
                srv.stop()
            if i > 0:
                times.append(t)
        emit({"bench": "server_startup_to_ready", "model": "llama 500 MB f32 (warm)",
              "model_mb": size / 1e6, "ms": statistics.median(times) * 1e3})


if __name__ == "__main__":
    main()
