// Worker threads beyond the conformance scenarios: concurrency, the default limiter, move-only
// results, nesting, and abandoned threads that outlive their run.
#include "runtime/threads/to_thread.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "runtime/runtime.hpp"
#include "runtime/threads/from_thread.hpp"

namespace hf::rt {
namespace {

constexpr const char* kBackends[] = {"epoll", "io_uring"};

struct gate {
  std::mutex m;
  std::condition_variable cv;
  int count = 0;
  bool open = false;
  void arrive_and_wait(int expected) {
    std::unique_lock lock(m);
    ++count;
    cv.notify_all();
    cv.wait(lock, [&] { return count >= expected || open; });
  }
  void release() {
    std::lock_guard lock(m);
    open = true;
    cv.notify_all();
  }
  void wait_open() {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return open; });
  }
};

TEST(threads_pool, concurrent_calls_run_on_distinct_threads) {
  for (const char* backend : kBackends) {
    gate g;
    std::mutex m;
    std::set<std::thread::id> ids;
    rt::run([&]() -> task<void> {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        for (int i = 0; i < 8; ++i) {
          tg.start_soon([&]() -> task<void> {
            co_await to_thread::run_sync([&] {
              g.arrive_and_wait(8);  // all eight must be running at once to get past this
              std::lock_guard lock(m);
              ids.insert(std::this_thread::get_id());
            });
          });
        }
        co_return;
      });
    }, {.backend = backend});
    EXPECT_EQ(ids.size(), 8u) << backend;
  }
}

TEST(threads_pool, default_limiter_holds_one_token_per_running_call) {
  for (const char* backend : kBackends) {
    rt::run([&]() -> task<void> {
      capacity_limiter& lim = default_thread_limiter();
      EXPECT_EQ(lim.total_tokens(), 40u);
      std::size_t during = co_await to_thread::run_sync([&] {
        return from_thread::run_sync([&] { return lim.borrowed_tokens(); });
      });
      EXPECT_EQ(during, 1u);
      EXPECT_EQ(lim.borrowed_tokens(), 0u);
    }, {.backend = backend});
  }
}

TEST(threads_pool, move_only_results_and_nested_calls) {
  for (const char* backend : kBackends) {
    rt::run([&]() -> task<void> {
      auto p = co_await to_thread::run_sync([] { return std::make_unique<int>(5); });
      EXPECT_EQ(*p, 5);
      // worker -> loop -> another worker, and back.
      int v = co_await to_thread::run_sync([] {
        return from_thread::run([]() -> task<int> {
          co_return co_await to_thread::run_sync([] { return 11; });
        });
      });
      EXPECT_EQ(v, 11);
    }, {.backend = backend});
  }
}

TEST(threads_pool, abandoned_thread_outlives_its_run) {
  for (const char* backend : kBackends) {
    auto started = std::make_shared<gate>();
    auto g = std::make_shared<gate>();
    auto done = std::make_shared<gate>();
    auto late_call_error = std::make_shared<std::string>();
    rt::run([&]() -> task<void> {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          // Named, not a temporary inside co_await: GCC 12 destroys a closure temporary with
          // non-trivial captures twice when it appears in a co_await expression.
          auto fn = [started, g, done, late_call_error] {
            started->release();
            g->wait_open();
            // The run has ended by now: calling into it reports that.
            try {
              from_thread::run_sync([] { return 0; });
            } catch (const run_finished_error& e) {
              *late_call_error = e.what();
            }
            done->release();
          };
          co_await to_thread::run_sync(std::move(fn), {.abandon_on_cancel = true});
        });
        co_await to_thread::run_sync([&started] { started->wait_open(); });
        tg.cancel();
      });
    }, {.backend = backend});
    // run() returned while the abandoned function still waits; let it finish now.
    g->release();
    done->wait_open();
    EXPECT_NE(late_call_error->find("finished"), std::string::npos) << backend;
  }
}

TEST(threads_pool, run_sync_outside_a_run_is_a_usage_error) {
  EXPECT_THROW(
      {
        auto t = to_thread::run_sync([] { return 1; });
        // Driving the task by hand outside rt::run: the first step asks for the loop.
        t.handle().resume();
        t.handle().promise().take();
      },
      usage_error);
}

}  // namespace
}  // namespace hf::rt
