#include "runtime/io/backend.hpp"

#include <chrono>

#include "runtime/io/spin.hpp"

namespace hf::rt::io {
namespace {
// How long an idle loop waits for an expected worker completion before sleeping in the kernel:
// longer than a short to_thread call's round trip, short enough to cost little CPU otherwise.
constexpr auto kSpin = std::chrono::microseconds(20);
}  // namespace

bool backend::begin_sleep() noexcept {
  if (expected_wakeups_ > 0 &&
      spin_wait([this] { return woken_.load(std::memory_order_relaxed); }, kSpin) &&
      consume_wake()) {
    return false;
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
