#!/usr/bin/env python3
"""Load test of a running hfserve: streaming /v1/completions from many concurrent clients.

Each client is a thread with one keep-alive HTTP connection that POSTs /v1/completions with
{"model", "prompt", "max_tokens", "temperature", "ignore_eos": true, "stream": true,
"stream_options": {"include_usage": true}} and reads the SSE stream to "data: [DONE]". One run per
concurrency level (-c 1,4,16,64); each client sends --requests-per-client requests (every attempt
counts, refused ones too) or loops for --duration seconds.

Per level it prints one markdown row: requests, 200s, errors by status, aggregate generated
tokens/s (all generated tokens of the level / the level's wall time), TTFT and latency p50/p99 of
the successful requests, and the server's RSS (start -> end of the level, peak; VmHWM is the
process's lifetime peak). Percentiles are nearest-rank: the ceil(p/100 * n)-th smallest value.

- TTFT: from sending the request to the first data event carrying generated text.
- Latency: from sending the request to "data: [DONE]".
- Tokens: the usage chunk's completion_tokens (else the number of text events).
- Errors: the HTTP status ("503"), "conn_error", "timeout" (no [DONE] within --timeout: a hang),
  "stream:<code>" for an error event inside a 200 stream, "truncated" for a stream that ended
  without [DONE]. A 503 answer makes its client wait min(Retry-After, --retry-cap) seconds before it
  tries again, so refused clients do not busy-loop; "503 no Retry-After" is listed apart.
- RSS: /proc/PID/status sampled every 100 ms, when --pid is given or the server was spawned here.
- CPU cores: CPU seconds used during the level / its wall time, by the server (/proc/PID/stat)
  and by this script (the clients share the machine with a local server).

--overload: 64 clients (unless -c says otherwise) against a server with --max-queue 8 (added
automatically with --spawn). A warm-up round of one request per client comes first; then the
measured round, and PASS/FAIL for: only 200 and 503 (504 and timeout error events tolerated,
counted), every 503 carried Retry-After, no timeouts, the server still answers /health, and RSS
at the end within max(10 %, 50 MB) of RSS after the warm-up. Exit status 1 on FAIL.

Usage:
  python3 bench/server/load.py --url http://127.0.0.1:8000 -c 1,4,16,64 [--pid PID]
  python3 bench/server/load.py --spawn build --gpt2 -c 1,4,16,64     # own server, GPT-2 124M
  python3 bench/server/load.py --spawn build --gpt2 --overload       # 64 clients, --max-queue 8
  python3 bench/server/load.py --spawn build --make-model bert:bert-base --embeddings -c 1,16
  python3 bench/server/load.py --spawn build --gpt2 --hfserve-bench 48 -c 1,4,16   # hfserve bench
Only the Python standard library is needed.
"""
import argparse
import http.client
import json
import math
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_PROMPT = "The quick brown fox jumps over the lazy dog while the farmer watches from"
NO_RETRY_AFTER = "503 no Retry-After"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Statistics


def percentile(values, p):
    """Nearest-rank percentile: the ceil(p/100 * n)-th smallest value (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[rank - 1]


class outcome:
    """What one request ended with. status: "200" for a complete stream, else the error label."""

    __slots__ = ("status", "ttft", "latency", "tokens", "retry_after")

    def __init__(self, status, ttft=None, latency=None, tokens=0, retry_after=None):
        self.status = status
        self.ttft = ttft
        self.latency = latency
        self.tokens = tokens
        self.retry_after = retry_after  # the header's text on 503s, None when absent


def error_label(o):
    # A 503 without Retry-After is kept apart: the overload check must see it.
    if o.status == "503" and o.retry_after is None:
        return NO_RETRY_AFTER
    return o.status


# ---------------------------------------------------------------------------------------------
# HTTP client


class client:
    """One keep-alive connection to the server; reconnects after errors or `Connection: close`."""

    def __init__(self, base_url, timeout, api_key=None):
        u = urllib.parse.urlsplit(base_url)
        if u.scheme not in ("http", ""):
            raise SystemExit(f"only http:// URLs are supported, not {base_url}")
        self.host = u.hostname or "127.0.0.1"
        self.port = u.port or 80
        self.prefix = u.path.rstrip("/")
        self.timeout = timeout
        self.headers = {"Content-Type": "application/json", "Accept": "text/event-stream"}
        if api_key:
            self.headers["Authorization"] = "Bearer " + api_key
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def get(self, path):
        """(status, body bytes) of a GET; raises OSError/HTTPException on connection trouble."""
        conn = self._connection()
        try:
            conn.request("GET", self.prefix + path, headers=self.headers)
            resp = conn.getresponse()
            body = resp.read()
        except Exception:
            self.close()
            raise
        if resp.will_close:
            self.close()
        return resp.status, body

    def stream_completion(self, payload):
        """POSTs one streaming completion and reads it to the end; returns an outcome."""
        start = time.monotonic()
        deadline = start + self.timeout
        try:
            conn = self._connection()
            if conn.sock is not None:  # a kept-alive socket still has the last read's timeout
                conn.sock.settimeout(self.timeout)
            conn.request("POST", self.prefix + "/v1/completions", body=payload,
                         headers=self.headers)
            sock = conn.sock  # connected by request(); kept, as getresponse() may drop it
            resp = conn.getresponse()
            if resp.status != 200:
                retry_after = resp.getheader("Retry-After")
                resp.read()  # drained, so the connection can carry the next request
                if resp.will_close:
                    self.close()
                return outcome(str(resp.status), retry_after=retry_after)
            result = self._read_events(resp, sock, start, deadline)
            if result.status == "200":
                resp.read()  # the rest of the chunked body (its last, empty chunk)
                if resp.will_close:
                    self.close()
            else:
                self.close()  # the stream's state is unknown: do not reuse the connection
            return result
        except (socket.timeout, TimeoutError):
            self.close()
            return outcome("timeout")
        except (OSError, http.client.HTTPException):
            self.close()
            return outcome("conn_error")

    def embed(self, payload):
        """POSTs one /v1/embeddings request; its outcome counts the embeddings it returned."""
        start = time.monotonic()
        try:
            conn = self._connection()
            if conn.sock is not None:
                conn.sock.settimeout(self.timeout)
            conn.request("POST", self.prefix + "/v1/embeddings", body=payload,
                         headers=self.headers)
            resp = conn.getresponse()
            body = resp.read()
            if resp.will_close:
                self.close()
            if resp.status != 200:
                return outcome(str(resp.status), retry_after=resp.getheader("Retry-After"))
            latency = time.monotonic() - start
            count = len(json.loads(body).get("data") or [])
            return outcome("200", latency, latency, count)
        except (socket.timeout, TimeoutError):
            self.close()
            return outcome("timeout")
        except (OSError, http.client.HTTPException, ValueError):
            self.close()
            return outcome("conn_error")

    def _read_events(self, resp, sock, start, deadline):
        ttft = None
        text_events = 0
        usage_tokens = None
        error_code = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return outcome("timeout")
            # The socket timeout bounds each read by what is left of the whole request's budget,
            # so a stalled stream is a "timeout" after --timeout seconds, not a hang.
            sock.settimeout(remaining)
            raw = resp.readline()
            if not raw:
                return outcome("truncated")
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if not line.startswith("data:"):
                continue  # blank separators, "event:" names, comments (": keep-alive")
            data = line[5:].strip()
            if data == "[DONE]":
                if error_code is not None:
                    return outcome("stream:" + error_code)
                tokens = usage_tokens if usage_tokens is not None else text_events
                return outcome("200", ttft, time.monotonic() - start, tokens)
            try:
                event = json.loads(data)
            except ValueError:
                return outcome("stream:bad_json")
            if "error" in event:
                err = event["error"] if isinstance(event["error"], dict) else {}
                error_code = str(err.get("code") or err.get("type") or "error")
                continue  # the server still ends the stream with [DONE]; read on to it
            usage = event.get("usage")
            if usage and usage.get("completion_tokens") is not None:
                usage_tokens = int(usage["completion_tokens"])
            for choice in event.get("choices") or []:
                if choice.get("text"):
                    text_events += 1
                    if ttft is None:
                        ttft = time.monotonic() - start


# ---------------------------------------------------------------------------------------------
# RSS sampling


def read_cpu_seconds(pid):
    """User + system CPU seconds of a live process (/proc/PID/stat), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            # Fields after the ")" that closes the command name: utime and stime are the 12th and
            # 13th of them (fields 14 and 15 of proc(5)).
            rest = f.read().rsplit(")", 1)[1].split()
        return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def read_proc_status(pid):
    """{"VmRSS": kB, "VmHWM": kB} of a live process, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            fields = {}
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    fields[key] = int(value.split()[0])
            return fields
    except (OSError, ValueError, IndexError):
        return None


class rss_sampler:
    """Samples VmRSS every `interval` seconds on a thread, from start() to stop()."""

    def __init__(self, pid, interval=0.1):
        self.pid = pid
        self.interval = interval
        self.samples = []
        self.hwm_kb = None
        self.cpu_start = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        s = read_proc_status(self.pid)
        if s and "VmRSS" in s:
            self.samples.append(s["VmRSS"])
            self.hwm_kb = s.get("VmHWM", self.hwm_kb)

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self):
        self.cpu_start = read_cpu_seconds(self.pid)
        self._sample()  # the first sample is the level's start
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()
        self._sample()  # ... and the last its end
        if not self.samples:
            return None
        cpu_end = read_cpu_seconds(self.pid)
        cpu = None if cpu_end is None or self.cpu_start is None else cpu_end - self.cpu_start
        return {"cpu_s": cpu, "start_mb": self.samples[0] / 1024, "end_mb": self.samples[-1] / 1024,
                "peak_mb": max(self.samples) / 1024,
                "hwm_mb": self.hwm_kb / 1024 if self.hwm_kb is not None else None}


# ---------------------------------------------------------------------------------------------
# One concurrency level


def parse_retry_after(text):
    """Seconds from a Retry-After header (delta-seconds; an HTTP date counts as 1 s)."""
    try:
        return max(0.0, float(text))
    except (TypeError, ValueError):
        return 1.0


def client_loop(cli, payload, barrier, keep_going, results, args):
    barrier.wait()
    sent = 0
    last = None
    while keep_going(sent):
        # The back-off comes before the next request, not after the last one, so that it does not
        # stretch the level's wall time.
        if last is not None and last.status == "503":
            wait = parse_retry_after(last.retry_after) if last.retry_after is not None else 0.5
            time.sleep(min(wait, args.retry_cap))
        elif last is not None and last.status != "200":
            time.sleep(0.1)  # a short back-off, so a dead server is not hammered
        last = cli.embed(payload) if args.embeddings else cli.stream_completion(payload)
        sent += 1
        results.append(last)  # list.append is atomic under the GIL
    cli.close()


def run_level(args, model, clients, requests_per_client, pid):
    if args.embeddings:
        body = {"model": model, "input": args.prompt}  # one input per request
    else:
        body = {"model": model, "prompt": args.prompt, "max_tokens": args.max_tokens,
                "temperature": args.temperature, "ignore_eos": True, "stream": True,
                "stream_options": {"include_usage": True}}
    payload = json.dumps(body).encode()
    results = []
    barrier = threading.Barrier(clients + 1)
    start_holder = {}

    if args.duration:
        def keep_going(sent):  # no new request after the deadline; those in flight finish
            return time.monotonic() < start_holder["t"] + args.duration
    else:
        def keep_going(sent):
            return sent < requests_per_client

    threads = [threading.Thread(target=client_loop, daemon=True,
                                args=(client(args.url, args.timeout, args.api_key), payload,
                                      barrier, keep_going, results, args))
               for _ in range(clients)]
    for t in threads:
        t.start()
    sampler = rss_sampler(pid).start() if pid else None
    # Our own CPU time too: at 2 cores the load generator competes with the server, and its share
    # tells whether a figure is the server's or the client's limit.
    client_cpu = time.process_time()
    start_holder["t"] = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join()
    wall = time.monotonic() - start_holder["t"]
    client_cpu = time.process_time() - client_cpu
    rss = sampler.stop() if sampler else None
    r = summarize(clients, results, wall, rss)
    r["client_cpu_cores"] = client_cpu / wall if wall else None
    r["server_cpu_cores"] = rss["cpu_s"] / wall if wall and rss and rss["cpu_s"] is not None \
        else None
    return r


def summarize(clients, results, wall, rss):
    ok = [o for o in results if o.status == "200"]
    errors = {}
    for o in results:
        if o.status != "200":
            label = error_label(o)
            errors[label] = errors.get(label, 0) + 1
    tokens = sum(o.tokens for o in ok)
    ttfts = [o.ttft for o in ok if o.ttft is not None]
    latencies = [o.latency for o in ok]
    ms = lambda v: None if v is None else v * 1e3  # noqa: E731
    return {"clients": clients, "requests": len(results), "ok": len(ok), "errors": errors,
            "wall_s": wall, "generated_tokens": tokens, "tokens_per_s": tokens / wall if wall else 0,
            "ttft_p50_ms": ms(percentile(ttfts, 50)), "ttft_p99_ms": ms(percentile(ttfts, 99)),
            "latency_p50_ms": ms(percentile(latencies, 50)),
            "latency_p99_ms": ms(percentile(latencies, 99)), "rss": rss}


# ---------------------------------------------------------------------------------------------
# Output


def machine_line():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        ncpu = len(os.sched_getaffinity(0))
    except AttributeError:
        ncpu = os.cpu_count()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{cpu}, {ncpu} CPUs, load average {load}"


def fmt(v, digits=0):
    return "–" if v is None else f"{v:.{digits}f}"


def errors_text(errors):
    return ", ".join(f"{k}: {v}" for k, v in sorted(errors.items())) or "–"


TABLE_HEADER = ("| clients | requests | ok | errors by status | wall s | generated tokens/s "
                "| TTFT p50 ms | TTFT p99 ms | latency p50 ms | latency p99 ms "
                "| RSS start → end MB | peak RSS MB | VmHWM MB | CPU cores server / client |\n"
                "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def table_row(r, label=None):
    rss = r["rss"] or {}
    start_end = (f"{rss['start_mb']:.0f} → {rss['end_mb']:.0f}" if rss else "–")
    clients = f"{r['clients']} ({label})" if label else str(r["clients"])
    return (f"| {clients} | {r['requests']} | {r['ok']} | {errors_text(r['errors'])} "
            f"| {r['wall_s']:.{2 if r['wall_s'] < 10 else 1}f} | {r['tokens_per_s']:.1f} | {fmt(r['ttft_p50_ms'])} "
            f"| {fmt(r['ttft_p99_ms'])} | {fmt(r['latency_p50_ms'])} | {fmt(r['latency_p99_ms'])} "
            f"| {start_end} | {fmt(rss.get('peak_mb'))} | {fmt(rss.get('hwm_mb'))} "
            f"| {fmt(r['server_cpu_cores'], 2)} / {fmt(r['client_cpu_cores'], 2)} |")


# ---------------------------------------------------------------------------------------------
# A server of our own (--spawn)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(work):
    """The caller's environment minus hfserve's own settings, with an empty HF home in `work`:
    an HF_SERVER_MAX_QUEUE or a config file from the shell must not change what is measured."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("HF_SERVER_") and k not in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE")}
    env["HF_HOME"] = str(work / "hf-home")
    env["XDG_CACHE_HOME"] = str(work / "cache")
    return env


class spawned_server:
    """`hfserve serve` on a free loopback port in a temporary folder; stderr goes to a file
    (a pipe nobody reads could fill up under load and stall the server)."""

    def __init__(self, exe, work, extra):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (work / "hf-home").mkdir(exist_ok=True)
        self.log_path = work / "hfserve.log"
        cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(self.port),
               "--log-level", "warn", "--hf-home", str(work / "hf-home"),
               "--demo-models-dir", str(work / "demo-models")] + extra
        log("$ " + " ".join(cmd))
        self.started = time.monotonic()
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self._log, cwd=work,
                                     env=clean_env(work))
        self.pid = self.proc.pid

    def log_tail(self, n=2000):
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def wait_ready(self, timeout=300.0):
        probe = client(self.url, 2.0)
        deadline = self.started + timeout
        try:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise SystemExit("hfserve exited:\n" + self.log_tail())
                try:
                    if probe.get("/ready")[0] == 200:
                        return time.monotonic() - self.started
                except (OSError, http.client.HTTPException):
                    pass
                time.sleep(0.05)
        finally:
            probe.close()
        raise SystemExit("hfserve not ready in time:\n" + self.log_tail())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


def make_model(exe, work, spec):
    """`hfserve make-model --arch ARCH --config CONFIG` into work/models/CONFIG; returns the id."""
    arch, _, config = spec.partition(":")
    if not config:
        raise SystemExit(f"--make-model wants ARCH:CONFIG (e.g. gpt2:gpt2-small), not {spec!r}")
    name = config if config.replace("-", "").replace("_", "").replace(".", "").isalnum() else arch
    out = work / "models" / name
    cmd = [str(exe), "make-model", "--arch", arch, "--config", config, "--out", str(out)]
    log("$ " + " ".join(cmd))
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=work, env=clean_env(work))
    return name


# ---------------------------------------------------------------------------------------------
# Main


def pick_model(url, api_key, task="text-generation"):
    """The first model of GET /v1/models for `task` (else the first model)."""
    probe = client(url, 30.0, api_key)
    try:
        status, body = probe.get("/v1/models")
    finally:
        probe.close()
    if status != 200:
        raise SystemExit(f"GET /v1/models answered {status}: {body[:300]!r}")
    models = json.loads(body).get("data") or []
    if not models:
        raise SystemExit("the server lists no models; pass --model")
    for m in models:
        if m.get("task") == task:
            return m["id"]
    return models[0]["id"]


def health_ok(url, api_key):
    probe = client(url, 10.0, api_key)
    try:
        return probe.get("/health")[0] == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        probe.close()


def overload_verdict(rounds, baseline_mb, healthy):
    """[(check, passed or None for skipped, detail)] over every round's requests."""
    errors = {}
    for r in rounds:
        for k, v in r["errors"].items():
            errors[k] = errors.get(k, 0) + v
    # A timeout error event inside a 200 stream is the streaming form of a 504.
    tolerated = ("503", "504", "stream:timeout", NO_RETRY_AFTER)
    unexpected = {k: v for k, v in errors.items() if k not in tolerated}
    checks = [
        ("only 200 and 503 (504 tolerated)", not unexpected,
         f"503: {errors.get('503', 0) + errors.get(NO_RETRY_AFTER, 0)}, "
         f"504: {errors.get('504', 0) + errors.get('stream:timeout', 0)}"
         + (f", unexpected: {errors_text(unexpected)}" if unexpected else "")),
        ("every 503 had Retry-After", NO_RETRY_AFTER not in errors,
         f"{errors.get(NO_RETRY_AFTER, 0)} without"),
        ("no timeouts (hangs)", "timeout" not in errors, f"{errors.get('timeout', 0)} timeouts"),
        ("server still answers /health", healthy, ""),
    ]
    if "503" not in errors and NO_RETRY_AFTER not in errors:
        log("note: no 503 at all: the queue never filled (is the server running with --max-queue 8?)")
    end = rounds[-1]["rss"]
    if baseline_mb is None or end is None:
        checks.append(("RSS flat", None, "no --pid: not measured"))
    else:
        limit = max(0.10 * baseline_mb, 50.0)
        growth = end["end_mb"] - baseline_mb
        checks.append(("RSS flat", growth <= limit,
                       f"{baseline_mb:.0f} MB after warm-up → {end['end_mb']:.0f} MB at the end "
                       f"(peak {end['peak_mb']:.0f}), limit +{limit:.0f} MB"))
    return checks


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--url", help="base URL of a running server, e.g. http://127.0.0.1:8000")
    ap.add_argument("--spawn", metavar="BUILD_DIR",
                    help="start BUILD_DIR/hfserve serve here instead (temporary HF home)")
    ap.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for `hfserve serve` with --spawn (repeatable; "
                         "use --server-arg=--max-batch-size for ones starting with '-')")
    ap.add_argument("--gpt2", action="store_true",
                    help="with --spawn: make a random GPT-2 small (124M) model and serve it")
    ap.add_argument("--make-model", metavar="ARCH:CONFIG",
                    help="with --spawn: `hfserve make-model --arch ARCH --config CONFIG` and serve it")
    ap.add_argument("--model", help="model id (default: first text-generation id of /v1/models)")
    ap.add_argument("-c", "--concurrency", default=None,
                    help="comma-separated client counts, one run each (default 1,4,16,64; "
                         "64 with --overload)")
    ap.add_argument("--requests-per-client", type=int, default=4, metavar="N")
    ap.add_argument("--duration", type=float, default=None, metavar="S",
                    help="instead of a count: each client loops for S seconds")
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--temperature", type=float, default=0.8)
    ap.add_argument("--prompt", default=DEFAULT_PROMPT)
    ap.add_argument("--api-key", default=os.environ.get("HFSERVE_API_KEY"),
                    help="sent as Authorization: Bearer (default: $HFSERVE_API_KEY)")
    ap.add_argument("--timeout", type=float, default=120.0,
                    help="seconds one request may take before it counts as a timeout (hang)")
    ap.add_argument("--retry-cap", type=float, default=1.0,
                    help="longest wait after a 503, whatever its Retry-After says")
    ap.add_argument("--pid", type=int, help="server process whose RSS is sampled")
    ap.add_argument("--json", action="store_true", help="also print one JSON object per level")
    ap.add_argument("--embeddings", action="store_true",
                    help="POST /v1/embeddings (one input per request) instead of streaming "
                         "completions; the tokens/s column then counts embeddings/s")
    ap.add_argument("--hfserve-bench", type=int, metavar="N",
                    help="with --spawn: run the built-in `hfserve bench` (N requests per level, "
                         "prompts of --prompt-tokens, streaming) against the server instead")
    ap.add_argument("--prompt-tokens", type=int, default=128,
                    help="with --hfserve-bench: prompt length in the model's tokens")
    ap.add_argument("--overload", action="store_true",
                    help="64 clients against --max-queue 8; PASS/FAIL, exit status 1 on FAIL")
    args = ap.parse_args()
    if not args.url and not args.spawn:
        ap.error("give --url of a running server or --spawn BUILD_DIR")
    if args.url and args.spawn:
        ap.error("--url and --spawn exclude each other")
    if (args.gpt2 or args.make_model) and not args.spawn:
        ap.error("--gpt2 and --make-model need --spawn")
    if args.gpt2:
        args.make_model = args.make_model or "gpt2:gpt2-small"
    if args.concurrency is None:
        args.concurrency = "64" if args.overload else "1,4,16,64"
    try:
        args.levels = [int(x) for x in args.concurrency.split(",") if x.strip()]
    except ValueError:
        ap.error(f"-c wants numbers like 1,4,16,64, not {args.concurrency!r}")
    if not args.levels or min(args.levels) < 1:
        ap.error("-c wants client counts of at least 1")
    return args


def run_all(args, pid):
    model = args.model or pick_model(args.url, args.api_key,
                                     "embeddings" if args.embeddings else "text-generation")
    log(f"model {model}, max_tokens {args.max_tokens}, temperature {args.temperature}, "
        + (f"{args.duration:g} s per level" if args.duration
           else f"{args.requests_per_client} requests per client"))
    work = ("one input per request" if args.embeddings
            else f"max_tokens {args.max_tokens}, ignore_eos, streaming")
    print(f"Machine: {machine_line()}; model {model}, {work}; nearest-rank percentiles of the "
          f"200s.\n", flush=True)
    header = TABLE_HEADER
    if args.embeddings:  # one embedding per request; "TTFT" is the whole request
        header = header.replace("generated tokens/s", "embeddings/s")
        print(f"Embeddings: POST /v1/embeddings with one input ({args.prompt!r}) per request.\n")
    print(header, flush=True)
    rounds = []
    baseline_mb = None
    for clients in args.levels:
        if args.overload:
            # One request per client first: the batch, KV caches and allocator pools reach their
            # working size, so growth after this point is what "RSS flat" is about.
            warm_args = argparse.Namespace(**{**vars(args), "duration": None})
            warm = run_level(warm_args, model, clients, 1, pid)
            print(table_row(warm, "warm-up"), flush=True)
            emit_json(args, warm, "warm-up")
            rounds.append(warm)
            if warm["rss"]:
                baseline_mb = warm["rss"]["end_mb"]
        r = run_level(args, model, clients, args.requests_per_client, pid)
        print(table_row(r, "overload" if args.overload else None), flush=True)
        emit_json(args, r, "overload" if args.overload else None)
        rounds.append(r)
    if not args.overload:
        return 0
    checks = overload_verdict(rounds, baseline_mb, health_ok(args.url, args.api_key))
    print()
    for name, passed, detail in checks:
        mark = "SKIP" if passed is None else ("PASS" if passed else "FAIL")
        print(f"{mark}: {name}" + (f" ({detail})" if detail else ""))
    failed = any(passed is False for _, passed, _ in checks)
    print("overload: " + ("FAIL" if failed else "PASS"), flush=True)
    return 1 if failed else 0


def emit_json(args, r, phase):
    if args.json:
        print(json.dumps({"bench": "server_load", "phase": phase, **r}), flush=True)


def main():
    args = parse_args()
    if not args.spawn:
        if args.overload:
            log("--overload against --url: the server must run with --max-queue 8")
        return run_all(args, args.pid)

    exe = pathlib.Path(args.spawn).resolve() / "hfserve"
    if not exe.exists():  # a build folder named relative to the repository, from elsewhere
        exe = ROOT / args.spawn / "hfserve"
    if not exe.exists():
        raise SystemExit(f"{exe} not found: build it first (make build)")
    extra = list(args.server_arg)
    if args.overload and not any(a.split("=")[0] == "--max-queue" for a in extra):
        extra += ["--max-queue", "8"]
    with tempfile.TemporaryDirectory(prefix="hfserve-load-") as tmp:
        work = pathlib.Path(tmp)
        if args.make_model:
            name = make_model(exe, work, args.make_model)
            extra += ["--model-dir", str(work / "models"), "--preload", name]
            args.model = args.model or name
        srv = spawned_server(exe, work, extra)
        try:
            log(f"hfserve pid {srv.pid} ready in {srv.wait_ready():.1f} s at {srv.url}")
            args.url = srv.url
            if args.hfserve_bench:
                model = args.model or pick_model(args.url, args.api_key)
                cmd = [str(exe), "bench", "--url", srv.url, "--model", model,
                       "-c", args.concurrency, "-n", str(args.hfserve_bench),
                       "--prompt-tokens", str(args.prompt_tokens),
                       "--max-tokens", str(args.max_tokens),
                       "--temperature", str(args.temperature), "--stream"]
                log("$ " + " ".join(cmd))
                return subprocess.run(cmd).returncode
            rc = run_all(args, args.pid or srv.pid)
            if srv.proc.poll() is not None:
                log("hfserve exited during the run:\n" + srv.log_tail())
                rc = 1
            return rc
        finally:
            srv.stop()
            tail = srv.log_tail(1500).strip()  # warnings of the run (--log-level warn)
            if tail:
                log("hfserve stderr (tail):\n" + tail)


if __name__ == "__main__":
    sys.exit(main())
