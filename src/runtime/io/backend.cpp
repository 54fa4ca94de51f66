#include "runtime/io/backend.hpp"

#include <chrono>
#include <cstdlib>
#include <sched.h>

namespace hf::rt::io {
namespace {
// How long an idle loop spins for an expected worker completion before sleeping in the kernel:
// longer than a short to_thread call's round trip, short enough to cost little CPU otherwise.
constexpr auto kSpin = std::chrono::microseconds(20);

inline int spin_mode() { static int m = getenv("HF_SPIN") ? atoi(getenv("HF_SPIN")) : 1; return m; }
inline void cpu_relax() noexcept {
  if (spin_mode() == 2) { sched_yield(); return; }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
}  // namespace

bool backend::begin_sleep() noexcept {
  if (expected_wakeups_ > 0 && spin_mode() != 0) {
    auto until = std::chrono::steady_clock::now() + kSpin;
    do {
      for (int i = 0; i < 64; ++i) {
        if (woken_.load(std::memory_order_relaxed) && consume_wake()) return false;
        cpu_relax();
      }
    } while (std::chrono::steady_clock::now() < until);
  }
  // Announce the sleep, then look once more: a wake() either sees `sleeping_` (and kicks) or set
  // `woken_` before this look (and we do not sleep). Both are sequentially consistent.
  sleeping_.store(true);
  if (consume_wake()) {
    sleeping_.store(false);
    return false;
  }
  return true;
}

}  // namespace hf::rt::io
