// Internal: bounded waiting for a flag that another thread sets soon (a worker's next call, a
// worker's completion). The waiter calls sched_yield() between looks rather than spinning on a
// pause instruction: on a busy machine it hands its CPU to whoever needs it (often the very thread
// it waits for); measured on 2 loaded CPUs, pause-spinning made to_thread round trips 3-30x slower.
// Used where a kernel sleep and futex/eventfd wake-up would cost more than the wait itself.
#pragma once
#include <sched.h>

#include <chrono>

namespace hf::rt::io {

template <class Pred>
bool spin_wait(Pred ready, std::chrono::nanoseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  do {
    for (int i = 0; i < 8; ++i) {
      if (ready()) return true;
      sched_yield();
    }
  } while (std::chrono::steady_clock::now() < until);
  return ready();
}

}  // namespace hf::rt::io
