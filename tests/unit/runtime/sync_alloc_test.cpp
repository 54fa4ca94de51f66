// Steady-state allocation check: an uncontended acquire/release of each primitive and a
// send/receive pair on a memory stream allocate nothing once warmed up (wait nodes live in the
// awaiters, stream buffers are reused rings, coroutine frames come from the runtime's pool).
// This binary's global operator new counts allocations (it only counts; malloc does the work).
// GCC cannot tell that the replaced operator delete pairs with the replaced operator new.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "runtime/runtime.hpp"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace hf::rt {
namespace {

TEST(sync_alloc, uncontended_operations_allocate_nothing_in_steady_state) {
#ifdef HFSERVE_SANITIZER_BUILD
  GTEST_SKIP() << "sanitizer builds do not pool coroutine frames";
#endif
  long counted = -1;
  rt::run(
      [&]() -> task<void> {
        lock lk;
        lock fast_lk(/*fast_acquire=*/true);
        semaphore sem(1);
        capacity_limiter lim(1);
        event ev;
        ev.set();
        auto [tx, rx] = create_memory_object_stream<int>(4);
        auto round = [&]() -> task<void> {
          co_await lk.acquire();
          lk.release();
          { auto g = co_await fast_lk.scoped(); }
          { auto g = co_await sem.scoped(); }
          { auto g = co_await lim.scoped(); }
          co_await ev.wait();
          co_await tx.send(1);
          (void)co_await rx.receive();
          tx.send_nowait(2);
          (void)rx.receive_nowait();
        };
        for (int i = 0; i < 100; ++i) co_await round();  // warm-up: pools and rings grow
        long before = g_allocations.load();
        for (int i = 0; i < 1000; ++i) co_await round();
        counted = g_allocations.load() - before;
      },
      {.backend = "epoll"});
  EXPECT_EQ(counted, 0);
}

}  // namespace
}  // namespace hf::rt
