// Runtime core benchmarks: sleep(0) checkpoints (the seed's benchmark), task spawn + join, event
// ping-pong, uncontended lock and contended lock hand-off. JSON lines, see bench_util.hpp.
#include "runtime/bench_util.hpp"
#include "runtime/runtime.hpp"

namespace rt = hf::rt;

int main(int argc, char** argv) {
  auto opt = hf::bench::parse_args(argc, argv);

  // 10,000 sleep(0) checkpoints in one task, repeated.
  hf::bench::measure(opt, "sleep0", 2'000'000, [](std::size_t n) -> rt::task<void> {
    for (std::size_t done = 0; done < n; done += 10'000) {
      for (int i = 0; i < 10'000; ++i) co_await rt::sleep(rt::duration::zero());
    }
  });

  // Groups of 1,000 children that return at once; an op is one child spawned and joined.
  hf::bench::measure(opt, "spawn_join", 1'000'000, [](std::size_t n) -> rt::task<void> {
    for (std::size_t done = 0; done < n; done += 1000) {
      co_await rt::with_task_group([](rt::task_group& tg) -> rt::task<void> {
        for (int i = 0; i < 1000; ++i) tg.start_soon([]() -> rt::task<void> { co_return; });
        co_return;
      });
    }
  });

  // Two tasks take turns: each sets the other's event and waits for its own. An op is one
  // round trip (two set-to-wake hand-offs).
  hf::bench::measure(opt, "event_pingpong", 500'000, [](std::size_t n) -> rt::task<void> {
    auto ping = std::make_unique<rt::event>();
    auto pong = std::make_unique<rt::event>();
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      tg.start_soon([&]() -> rt::task<void> {
        for (std::size_t i = 0; i < n; ++i) {
          co_await ping->wait();
          ping = std::make_unique<rt::event>();
          pong->set();
        }
      });
      for (std::size_t i = 0; i < n; ++i) {
        ping->set();
        co_await pong->wait();
        pong = std::make_unique<rt::event>();
      }
      co_return;
    });
  });

  hf::bench::measure(opt, "lock_uncontended", 2'000'000, [](std::size_t n) -> rt::task<void> {
    rt::lock lk;
    for (std::size_t i = 0; i < n; ++i) {
      co_await lk.acquire();
      lk.release();
    }
  });

  // Two tasks each take the lock, yield while holding it, and release: every acquire waits and
  // gets the lock handed over. An op is one acquire.
  hf::bench::measure(opt, "lock_contended", 1'000'000, [](std::size_t n) -> rt::task<void> {
    rt::lock lk;
    auto worker = [&]() -> rt::task<void> {
      for (std::size_t i = 0; i < n / 2; ++i) {
        co_await lk.acquire();
        co_await rt::sleep(rt::duration::zero());
        lk.release();
      }
    };
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      tg.start_soon(worker);
      tg.start_soon(worker);
      co_return;
    });
  });
  return 0;
}
