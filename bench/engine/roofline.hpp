// Machine limits measured in the same run as the engine benchmarks: STREAM-like memory bandwidth
// (read-only sum and triad over arrays far larger than the caches, all cores) and the sgemm peak of
// OpenBLAS (large square products). The engine benchmarks report their results against these.
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

// Sum with independent vector accumulators, so the loop is limited by memory, not by add latency.
inline float sum(const float* p, size_t n) {
#if defined(__AVX512F__)
  __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    s0 = _mm512_add_ps(s0, _mm512_loadu_ps(p + i));
    s1 = _mm512_add_ps(s1, _mm512_loadu_ps(p + i + 16));
    s2 = _mm512_add_ps(s2, _mm512_loadu_ps(p + i + 32));
    s3 = _mm512_add_ps(s3, _mm512_loadu_ps(p + i + 48));
  }
  float t = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
#else
  float t = 0;
  size_t i = 0;
#endif
  for (; i < n; ++i) t += p[i];
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
  for (int rep = 0; rep < 5; ++rep) {
    const double t0 = now_s();
    parallel_for(n, [&](size_t lo, size_t hi) { partial[(lo * t / n) * 16] = sum(b.data() + lo, hi - lo); });
    best = std::min(best, now_s() - t0);
  }
  if (std::accumulate(partial.begin(), partial.end(), 0.0f) < 0) std::puts("");  // keep the sums alive
  return static_cast<double>(n * sizeof(float)) / best / 1e9;
}

inline machine measure_machine(size_t bytes_per_array = size_t{512} << 20) {
  machine m;
  m.threads = std::max(1u, std::thread::hardware_concurrency());
  const size_t n = bytes_per_array / sizeof(float);
  std::vector<float> a(n), b(n), c(n);
  parallel_for(n, [&](size_t lo, size_t hi) {  // first touch from the threads that use the data
    for (size_t i = lo; i < hi; ++i) a[i] = 0.0f, b[i] = 1.0f, c[i] = 2.0f;
  });
  double best_read = 1e30, best_triad = 1e30;
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<float> partial(m.threads * 16);
    double t0 = now_s();
    parallel_for(n, [&](size_t lo, size_t hi) {
      partial[(lo * m.threads / n) * 16] = sum(b.data() + lo, hi - lo);
    });
    best_read = std::min(best_read, now_s() - t0);
    if (std::accumulate(partial.begin(), partial.end(), 0.0f) < 0) std::puts("");  // keep the sum alive
    t0 = now_s();
    parallel_for(n, [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; ++i) a[i] = b[i] + 3.0f * c[i];
    });
    best_triad = std::min(best_triad, now_s() - t0);
  }
  m.read_gbps = static_cast<double>(n * sizeof(float)) / best_read / 1e9;
  m.triad_gbps = 3.0 * static_cast<double>(n * sizeof(float)) / best_triad / 1e9;

  const int s = 2048;
  std::vector<float> x(static_cast<size_t>(s) * s, 0.5f), y(x.size(), 0.25f), z(x.size());
  double best = 1e30;
  for (int rep = 0; rep < 4; ++rep) {
    const double t0 = now_s();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s, s, s, 1.0f, x.data(), s, y.data(), s, 0.0f, z.data(), s);
    best = std::min(best, now_s() - t0);
  }
  m.sgemm_gflops = 2.0 * s * s * static_cast<double>(s) / best / 1e9;
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

}  // namespace bench
