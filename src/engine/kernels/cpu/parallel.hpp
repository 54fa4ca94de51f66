// Data-parallel loops of the CPU kernels (internal to kernels/cpu). Built with OpenMP, the engine
// runs every parallel part on the one OpenMP pool; without OpenMP, loops run on the calling
// thread. Chunks split outputs (rows, columns, heads), never a reduction, and a static schedule
// maps chunks to threads, so results never depend on the thread count.
// Usage: cpu::parallel_chunks(n, 16384, [&](size_t begin, size_t end) { ... });
#pragma once
#include <algorithm>
#include <cstddef>

#include "engine/kernels/compute_threads.hpp"

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace hf::engine::cpu {

inline size_t worker_count() {
#if defined(_OPENMP)
  return compute_threads();
#else
  return 1;
#endif
}

// Runs fn(begin, end) over [0, n) in chunks of `grain` items, spread over the workers; chunks never
// overlap, so fn needs no synchronisation. A single chunk runs on the calling thread.
template <class F>
inline void parallel_chunks(size_t n, size_t grain, F fn) {
  const auto chunks = static_cast<std::ptrdiff_t>((n + grain - 1) / grain);
#if defined(_OPENMP)
  const int threads = static_cast<int>(worker_count());
#pragma omp parallel for schedule(static) num_threads(threads) if (chunks > 1 && threads > 1)
#endif
  for (std::ptrdiff_t c = 0; c < chunks; ++c) {
    const size_t begin = static_cast<size_t>(c) * grain;
    fn(begin, std::min(n, begin + grain));
  }
}

// Grain for row loops: enough rows to make ~16K floats of work per chunk.
inline size_t row_grain(size_t row_size) {
  return std::max<size_t>(1, 16384 / std::max<size_t>(row_size, 1));
}

// Grain that splits n items into one chunk per worker, rounded up to a multiple of `align`.
inline size_t split_grain(size_t n, size_t align) {
  const size_t workers = worker_count();
  const size_t per = (n + workers - 1) / workers;
  return std::max<size_t>(align, (per + align - 1) / align * align);
}

}  // namespace hf::engine::cpu
