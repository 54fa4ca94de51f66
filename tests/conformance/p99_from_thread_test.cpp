// Spec 10.16 (P-99, P-100, W-5): calling into the loop from worker threads and foreign threads.
#include "runtime/threads/from_thread.hpp"

#include <thread>

#include "conformance/harness.hpp"
#include "conformance/thread_sync.hpp"
#include "runtime/sync/event.hpp"
#include "runtime/threads/to_thread.hpp"

namespace hf::rt::testing {
namespace {

class from_thread_test : public conformance {};

TEST_P(from_thread_test, P99_run_async_fn_on_loop_thread_returns_value) {
  run_real([]() -> task<void> {
    std::thread::id loop_thread = std::this_thread::get_id();
    std::thread::id seen;
    int v = co_await to_thread::run_sync([&] {
      return from_thread::run([&]() -> task<int> {
        co_await sleep(0s);  // runtime primitives work there
        seen = std::this_thread::get_id();
        co_return 7;
      });
    });
    EXPECT_EQ(v, 7);
    EXPECT_EQ(seen, loop_thread);
  });
}

TEST_P(from_thread_test, P99_exception_travels_back_through_the_thread) {
  run_real([]() -> task<void> {
    try {
      co_await to_thread::run_sync([] {
        from_thread::run([]() -> task<void> {
          co_await checkpoint();
          throw std::domain_error("raised on the loop");
        });
      });
      ADD_FAILURE() << "expected std::domain_error";
    } catch (const std::domain_error& e) {
      EXPECT_STREQ(e.what(), "raised on the loop");
    }
  });
}

TEST_P(from_thread_test, P99_run_sync_from_worker) {
  run_real([]() -> task<void> {
    std::thread::id loop_thread = std::this_thread::get_id();
    event ev;
    auto r = co_await to_thread::run_sync([&] {
      return from_thread::run_sync([&] {
        ev.set();
        return std::this_thread::get_id();
      });
    });
    EXPECT_EQ(r, loop_thread);
    EXPECT_TRUE(ev.is_set());
    try {
      co_await to_thread::run_sync(
          [] { from_thread::run_sync([]() -> int { throw std::length_error("sync failure"); }); });
      ADD_FAILURE() << "expected std::length_error";
    } catch (const std::length_error& e) {
      EXPECT_STREQ(e.what(), "sync failure");
    }
  });
}

TEST_P(from_thread_test, W5_async_code_from_default_worker_runs_in_caller_scope) {
  run_real([]() -> task<void> {
    monitor m;
    bool in_loop = false;
    cancel_scope sc;
    bool after = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await sc.run([&]() -> task<void> {
          co_await to_thread::run_sync([&] {
            from_thread::run([&]() -> task<void> {
              in_loop = true;
              co_await sleep_forever();  // cancelled with the caller's scope
            });
            after = true;
          });
        });
      });
      while (!in_loop) co_await wait_all_tasks_blocked();
      sc.cancel();
    });
    EXPECT_TRUE(sc.cancelled_caught());
    EXPECT_FALSE(after);
  });
}

TEST_P(from_thread_test, P100_foreign_thread_needs_a_token) {
  run_real([]() -> task<void> {
    std::string message;
    std::thread([&] {
      try {
        from_thread::run_sync([] { return 1; });
      } catch (const usage_error& e) {
        message = e.what();
      }
    }).join();
    EXPECT_NE(message.find("not running inside a worker thread and no event loop token"),
              std::string::npos)
        << message;
    co_return;
  });
}

TEST_P(from_thread_test, P100_foreign_thread_with_token_calls_into_the_loop) {
  run_real([]() -> task<void> {
    run_token token = current_token();
    event ev;
    int got = 0;
    std::thread th([&] {
      got = from_thread::run_sync(token, [&] {
        ev.set();
        return 42;
      });
      int v = from_thread::run(token, [&]() -> task<int> {
        co_await checkpoint();
        co_return 43;
      });
      got += v - 43;
    });
    co_await ev.wait();
    co_await to_thread::run_sync([&] { th.join(); });
    EXPECT_EQ(got, 42);
  });
}

TEST_P(from_thread_test, P100_token_of_finished_run_raises_run_finished_error) {
  run_token token = run_real([]() -> task<run_token> { co_return current_token(); });
  EXPECT_THROW(from_thread::run_sync(token, [] { return 1; }), run_finished_error);
  EXPECT_THROW(from_thread::run(token, []() -> task<void> { co_return; }), run_finished_error);
}

TEST_P(from_thread_test, from_loop_thread_itself_is_a_usage_error) {
  run_real([]() -> task<void> {
    run_token token = current_token();
    EXPECT_THROW(from_thread::run_sync(token, [] { return 1; }), usage_error);
    co_return;
  });
}

HF_CONFORMANCE_SUITE(from_thread_test);

}  // namespace
}  // namespace hf::rt::testing
