#!/usr/bin/env python3
"""The runtime benchmarks of bench/runtime/*.cpp, written with anyio on asyncio.

Prints the same JSON lines as the C++ binaries ({"bench", "backend": "asyncio", "ops",
"seconds", "ops_per_s", "ns_per_op"[, "mb_per_s"]}) so that scripts/run-bench.py can compute
C++ / anyio ratios. Needs anyio (Debian: python3-anyio, run with /usr/bin/python3).
Usage: anyio_bench.py [--only NAME] [--scale F]   (F scales every operation count, default 1)
"""
import argparse
import json
import sys
import time

import anyio

CHUNK = 64 * 1024


async def sleep0(n):
    done = 0
    while done < n:
        for _ in range(10_000):
            await anyio.sleep(0)
        done += 10_000


async def spawn_join(n):
    async def child():
        return None

    done = 0
    while done < n:
        async with anyio.create_task_group() as tg:
            for _ in range(1000):
                tg.start_soon(child)
        done += 1000


async def event_pingpong(n):
    state = {"ping": anyio.Event(), "pong": anyio.Event()}

    async def other():
        for _ in range(n):
            await state["ping"].wait()
            state["ping"] = anyio.Event()
            state["pong"].set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(other)
        for _ in range(n):
            state["ping"].set()
            await state["pong"].wait()
            state["pong"] = anyio.Event()


async def lock_uncontended(n):
    lock = anyio.Lock()
    for _ in range(n):
        await lock.acquire()
        lock.release()


async def lock_contended(n):
    lock = anyio.Lock()

    async def worker():
        for _ in range(n // 2):
            async with lock:
                await anyio.sleep(0)

    async with anyio.create_task_group() as tg:
        tg.start_soon(worker)
        tg.start_soon(worker)


async def pump(n, buffer):
    tx, rx = anyio.create_memory_object_stream(buffer)

    async def sender():
        async with tx:
            for i in range(n):
                await tx.send(i)

    got = 0
    async with anyio.create_task_group() as tg:
        tg.start_soon(sender)
        async with rx:
            async for item in rx:
                got += item >= 0
    if got != n:
        print(f"memory stream lost items: {got} of {n}", file=sys.stderr)


async def memstream_buffered100(n):
    await pump(n, 100)


async def memstream_unbuffered(n):
    await pump(n, 0)


async def to_thread(n):
    total = 0
    for i in range(n):
        total += await anyio.to_thread.run_sync(lambda i=i: i)
    if total != n * (n - 1) // 2:
        print("to_thread: wrong results", file=sys.stderr)


async def tcp_echo_1byte(n):
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)

    async def serve(conn):
        async with conn:
            for _ in range(n):
                b = await conn.receive(1)
                await conn.send(b)

    async with listener, anyio.create_task_group() as tg:
        async def accept_one():
            conn = await listener.listeners[0].accept()
            await serve(conn)

        tg.start_soon(accept_one)
        async with await anyio.connect_tcp("127.0.0.1", port) as c:
            for _ in range(n):
                await c.send(b"x")
                await c.receive(1)


async def tcp_throughput_64k(n):
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1", local_port=0)
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    data = b"\x07" * CHUNK

    async with listener, anyio.create_task_group() as tg:
        async def reader():
            conn = await listener.listeners[0].accept()
            total = 0
            async with conn:
                try:
                    while True:
                        total += len(await conn.receive(CHUNK))
                except anyio.EndOfStream:
                    pass
            if total != n * CHUNK:
                print("tcp: lost bytes", file=sys.stderr)

        tg.start_soon(reader)
        async with await anyio.connect_tcp("127.0.0.1", port) as c:
            for _ in range(n):
                await c.send(data)
            await c.send_eof()


# name -> (function, operation count, bytes per operation). Counts are smaller than the C++ ones
# (the figures are rates, so the count only sets how long a measurement takes).
WORKLOADS = {
    "sleep0": (sleep0, 100_000, 0),
    "spawn_join": (spawn_join, 50_000, 0),
    "event_pingpong": (event_pingpong, 50_000, 0),
    "lock_uncontended": (lock_uncontended, 200_000, 0),
    "lock_contended": (lock_contended, 50_000, 0),
    "memstream_buffered100": (memstream_buffered100, 100_000, 0),
    "memstream_unbuffered": (memstream_unbuffered, 50_000, 0),
    "to_thread": (to_thread, 10_000, 0),
    "tcp_echo_1byte": (tcp_echo_1byte, 10_000, 0),
    "tcp_throughput_64k": (tcp_throughput_64k, 5_000, CHUNK),
}


def measure(name, fn, ops, unit_bytes):
    async def timed(n):
        t0 = time.perf_counter()
        await fn(n)
        return time.perf_counter() - t0

    anyio.run(timed, max(ops // 10, 1), backend="asyncio")  # warm-up
    seconds = anyio.run(timed, ops, backend="asyncio")
    row = {
        "bench": name,
        "backend": "asyncio",
        "ops": ops,
        "seconds": round(seconds, 6),
        "ops_per_s": round(ops / seconds, 1),
        "ns_per_op": round(1e9 * seconds / ops, 1),
    }
    if unit_bytes:
        row["mb_per_s"] = round(ops * unit_bytes / seconds / 1e6, 1)
    print(json.dumps(row, separators=(",", ":")), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="run just this workload")
    ap.add_argument("--scale", type=float, default=1.0, help="scale every operation count")
    args = ap.parse_args()
    for name, (fn, ops, unit) in WORKLOADS.items():
        if args.only and args.only != name:
            continue
        measure(name, fn, max(int(ops * args.scale), 10), unit)


if __name__ == "__main__":
    main()
