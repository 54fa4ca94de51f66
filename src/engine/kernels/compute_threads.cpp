#include "engine/kernels/compute_threads.hpp"

#include <algorithm>
#include <atomic>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace hf::engine {
namespace {
std::atomic<std::size_t> g_requested{0};
}

void set_compute_threads(std::size_t n) noexcept { g_requested.store(n, std::memory_order_relaxed); }

std::size_t compute_threads() noexcept {
  if (const std::size_t n = g_requested.load(std::memory_order_relaxed)) return n;
#if defined(_OPENMP)
  // omp_get_max_threads() already honours OMP_NUM_THREADS.
  return static_cast<std::size_t>(std::max(1, omp_get_max_threads()));
#else
  return 1;
#endif
}

}  // namespace hf::engine
