#include "engine/kernels/compute_threads.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

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

void for_each_item(std::size_t n, const std::function<void(std::size_t)>& fn) {
  std::exception_ptr first;
  std::mutex first_mutex;
  const auto count = static_cast<std::ptrdiff_t>(n);
#if defined(_OPENMP)
  const int threads = static_cast<int>(compute_threads());
#pragma omp parallel for schedule(static) num_threads(threads) if (count > 1 && threads > 1)
#endif
  for (std::ptrdiff_t i = 0; i < count; ++i) {
    try {  // an exception must not leave an OpenMP region
      fn(static_cast<std::size_t>(i));
    } catch (...) {
      std::lock_guard lock(first_mutex);
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

}  // namespace hf::engine
