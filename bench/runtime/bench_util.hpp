// Shared by the runtime benchmarks: runs one workload on each I/O backend and prints one JSON line
// per (workload, backend), the format scripts/run-bench.py pairs with bench/python/anyio_bench.py.
//   measure("sleep0", 10000, [](std::size_t n) -> rt::task<void> { ... n operations ... });
// Usage of a benchmark binary: bench_rt_core [--backend epoll|io_uring] [--only NAME]
#pragma once
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/run.hpp"

namespace hf::bench {

struct options {
  std::vector<std::string> backends{"epoll", "io_uring"};
  std::string only;  // run just this workload
};

inline options parse_args(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--backend") == 0) o.backends = {argv[i + 1]};
    if (std::strcmp(argv[i], "--only") == 0) o.only = argv[i + 1];
  }
  return o;
}

// Runs body(ops) inside rt::run on every backend, timing only the body (the loop's setup and
// teardown are not part of the figure). One untimed warm-up run with ops / 10 first.
// `unit_bytes` > 0 adds a mb_per_s field (ops * unit_bytes per second).
template <class F>
void measure(const options& opt, const char* name, std::size_t ops, F body,
             std::size_t unit_bytes = 0) {
  if (!opt.only.empty() && opt.only != name) return;
  for (const std::string& backend : opt.backends) {
    double seconds = 0;
    for (int pass = 0; pass < 2; ++pass) {
      std::size_t n = pass == 0 ? std::max<std::size_t>(ops / 10, 1) : ops;
      seconds = rt::run(
          [&]() -> rt::task<double> {
            auto t0 = std::chrono::steady_clock::now();
            co_await body(n);
            co_return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          },
          {.backend = backend});
    }
    double per_s = static_cast<double>(ops) / seconds;
    std::printf("{\"bench\":\"%s\",\"backend\":\"%s\",\"ops\":%zu,\"seconds\":%.6f,"
                "\"ops_per_s\":%.1f,\"ns_per_op\":%.1f",
                name, backend.c_str(), ops, seconds, per_s, 1e9 * seconds / static_cast<double>(ops));
    if (unit_bytes > 0) std::printf(",\"mb_per_s\":%.1f", per_s * static_cast<double>(unit_bytes) / 1e6);
    std::printf("}\n");
    std::fflush(stdout);
  }
}

}  // namespace hf::bench
