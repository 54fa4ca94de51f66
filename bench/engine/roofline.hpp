// Machine limits measured in the same run as the engine benchmarks: STREAM-like memory bandwidth
// (read-only sum and triad over arrays far larger than the caches, all cores) and the sgemm peak of
// OpenBLAS (large square products). The engine benchmarks measure them again just before and after
// each test and compare against the larger value, so load from other processes cannot flatter them.
// Usage: auto m = bench::measure_machine(); double gbps = m.read_gbps; double gflops = m.sgemm_gflops;
#pragma once
#include <cblas.h>
// GCC 12 flags its own _mm512_undefined_ps() inside _mm512_reduce_add_ps (a false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

namespace bench {

inline double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct machine {
  double read_gbps = 0;   // bytes read per second by a parallel sum
  double triad_gbps = 0;  // (2 reads + 1 write) per element of a = b + s*c, STREAM's convention
  double sgemm_gflops = 0;
  unsigned threads = 0;
};

// Sum of n floats read as `streams` interleaved sequential streams (several streams per core
// reach a higher bandwidth on some machines, and the decode kernels read two weight rows at once).
inline float sum(const float* p, size_t n, int streams = 1) {
  const size_t part = n / static_cast<size_t>(streams) / 16 * 16;
  float t = 0;
#if defined(__AVX512F__)
  __m512 acc[8];
  for (int k = 0; k < streams; ++k) acc[k] = _mm512_setzero_ps();
  for (size_t i = 0; i < part; i += 16)
    for (int k = 0; k < streams; ++k) acc[k] = _mm512_add_ps(acc[k], _mm512_loadu_ps(p + static_cast<size_t>(k) * part + i));
  for (int k = 0; k < streams; ++k) t += _mm512_reduce_add_ps(acc[k]);
#else
  for (size_t i = 0; i < part * static_cast<size_t>(streams); ++i) t += p[i];
#endif
  for (size_t i = part * static_cast<size_t>(streams); i < n; ++i) t += p[i];
  return t;
}

// Runs fn(begin, end) over [0, n) split across all hardware threads and waits for them.
template <class F>
void parallel_for(size_t n, F fn) {
  const unsigned t = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < t; ++i) pool.emplace_back([=] { fn(n * i / t, n * (i + 1) / t); });
  for (auto& th : pool) th.join();
}

// Read-only bandwidth alone (quicker), for re-measuring right before a bandwidth-bound test.
inline double measure_read_bandwidth(size_t bytes = size_t{512} << 20) {
  const size_t n = bytes / sizeof(float);
  std::vector<float> b(n);
  parallel_for(n, [&](size_t lo, size_t hi) { std::fill(b.begin() + lo, b.begin() + hi, 1.0f); });
  const unsigned t = std::max(1u, std::thread::hardware_concurrency());
  std::vector<float> partial(t * 16);
  double best = 1e30;
  for (int streams : {1, 2, 4})
    for (int rep = 0; rep < 3; ++rep) {
      const double t0 = now_s();
      parallel_for(n, [&](size_t lo, size_t hi) { partial[(lo * t / n) * 16] = sum(b.data() + lo, hi - lo, streams); });
      best = std::min(best, now_s() - t0);
    }
  if (std::accumulate(partial.begin(), partial.end(), 0.0f) < 0) std::puts("");  // keep the sums alive
  return static_cast<double>(n * sizeof(float)) / best / 1e9;
}

// Best of a few 2048^3 sgemm calls through OpenBLAS on every core, in GFLOP/s. (An OpenMP build
// of the engine sets OpenBLAS to one thread per call; the peak is taken with all threads and the
// setting restored.)
inline double measure_sgemm_peak() {
  const int previous_threads = openblas_get_num_threads();
  openblas_set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  const int s = 2048;
  std::vector<float> x(static_cast<size_t>(s) * s, 0.5f), y(x.size(), 0.25f), z(x.size());
  double best = 1e30;
  for (int rep = 0; rep < 4; ++rep) {
    const double t0 = now_s();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s, s, s, 1.0f, x.data(), s, y.data(), s, 0.0f, z.data(), s);
    best = std::min(best, now_s() - t0);
  }
  openblas_set_num_threads(previous_threads);
  return 2.0 * s * s * static_cast<double>(s) / best / 1e9;
}

inline machine measure_machine(size_t bytes_per_array = size_t{512} << 20) {
  machine m;
  m.threads = std::max(1u, std::thread::hardware_concurrency());
  const size_t n = bytes_per_array / sizeof(float);
  std::vector<float> a(n), b(n), c(n);
  parallel_for(n, [&](size_t lo, size_t hi) {  // first touch from the threads that use the data
    for (size_t i = lo; i < hi; ++i) a[i] = 0.0f, b[i] = 1.0f, c[i] = 2.0f;
  });
  double best_triad = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    const double t0 = now_s();
    parallel_for(n, [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; ++i) a[i] = b[i] + 3.0f * c[i];
    });
    best_triad = std::min(best_triad, now_s() - t0);
  }
  m.read_gbps = measure_read_bandwidth(bytes_per_array);
  m.triad_gbps = 3.0 * static_cast<double>(n * sizeof(float)) / best_triad / 1e9;

  m.sgemm_gflops = measure_sgemm_peak();
  return m;
}

inline void print_machine(const char* bench_name, const machine& m) {
  std::printf("{\"bench\":\"%s\",\"metric\":\"memory_read_bandwidth\",\"value\":%.2f,\"unit\":\"GB/s\",\"threads\":%u}\n",
              bench_name, m.read_gbps, m.threads);
  std::printf("{\"bench\":\"%s\",\"metric\":\"memory_triad_bandwidth\",\"value\":%.2f,\"unit\":\"GB/s\",\"threads\":%u}\n",
              bench_name, m.triad_gbps, m.threads);
  std::printf("{\"bench\":\"%s\",\"metric\":\"sgemm_peak\",\"value\":%.1f,\"unit\":\"GFLOP/s\",\"size\":2048}\n",
              bench_name, m.sgemm_gflops);
  std::fflush(stdout);
}

// "f32,bf16,int8" -> {"f32", "bf16", "int8"} (--dtype lists).
inline std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// A weight type's speedup over f32 for one measurement, both taken in this same run (target 0:
// none).
inline void print_speedup(const char* bench_name, const std::string& model,
                          const std::string& dtype, const std::string& what, double ratio,
                          double target) {
  std::printf(
      "{\"bench\":\"%s\",\"model\":\"%s\",\"dtype\":\"%s\",\"metric\":\"speedup_vs_f32\","
      "\"measurement\":\"%s\",\"value\":%.3f",
      bench_name, model.c_str(), dtype.c_str(), what.c_str(), ratio);
  if (target > 0) std::printf(",\"target\":%.2f", target);
  std::printf("}\n");
  std::fflush(stdout);
}

}  // namespace bench
