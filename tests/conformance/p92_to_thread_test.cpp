// Spec 10.16 (P-92 .. P-98): to_thread.run_sync — results and exceptions, limiters, the default
// (shielded) and abandon modes, check_cancelled, worker reuse and the end of the pool.
#include "runtime/threads/to_thread.hpp"

#include <dirent.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "conformance/harness.hpp"
#include "conformance/thread_sync.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/threads/from_thread.hpp"

namespace hf::rt::testing {
namespace {

class to_thread_test : public conformance {};

struct custom_error {
  std::string text;
};

TEST_P(to_thread_test, P92_returns_value_and_rethrows_same_exception) {
  run_real([]() -> task<void> {
    int v = co_await to_thread::run_sync([] { return 6 * 7; });
    EXPECT_EQ(v, 42);
    std::string s = co_await to_thread::run_sync([] { return std::string("from a thread"); });
    EXPECT_EQ(s, "from a thread");
    try {
      co_await to_thread::run_sync([]() -> int { throw std::out_of_range("bad index 7"); });
      ADD_FAILURE() << "expected std::out_of_range";
    } catch (const std::out_of_range& e) {
      EXPECT_STREQ(e.what(), "bad index 7");
    }
    // Not derived from std::exception (E-5): still the same object type and content.
    try {
      co_await to_thread::run_sync([] { throw custom_error{"custom"}; });
      ADD_FAILURE() << "expected custom_error";
    } catch (const custom_error& e) {
      EXPECT_EQ(e.text, "custom");
    }
  });
}

TEST_P(to_thread_test, P92_checkpoint_first_cancelled_caller_never_runs_fn) {
  run_real([]() -> task<void> {
    std::atomic<bool> ran{false};
    cancel_scope sc;
    sc.cancel();
    co_await sc.run([&]() -> task<void> {
      co_await to_thread::run_sync([&] { ran = true; });
    });
    EXPECT_TRUE(sc.cancelled_caught());
    EXPECT_FALSE(ran.load());
  });
}

TEST_P(to_thread_test, P93_custom_limiter_bounds_concurrent_threads) {
  run_real([]() -> task<void> {
    capacity_limiter lim(3);
    monitor m;
    int running = 0, max_running = 0, started = 0, released = 0;
    auto work = [&] {
      m.update([&] {
        ++started;
        ++running;
        max_running = std::max(max_running, running);
      });
      // Take one release in the same critical section that sees it: two threads woken together
      // must not both take the same one.
      m.wait([&] {
        if (released == 0) return false;
        --released;
        --running;
        return true;
      });
    };
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (int i = 0; i < 4; ++i) {
        tg.start_soon([&]() -> task<void> { co_await to_thread::run_sync(work, {.limiter = &lim}); });
      }
      // Wait (on another worker, default limiter) until three threads are inside.
      co_await to_thread::run_sync([&] { m.wait([&] { return running == 3; }); });
      co_await wait_all_tasks_blocked();
      EXPECT_EQ(lim.statistics().borrowed_tokens, 3u);
      EXPECT_EQ(lim.statistics().tasks_waiting, 1u);
      m.update([&] { EXPECT_EQ(started, 3); });
      m.update([&] { released = 1; });
      co_await to_thread::run_sync([&] { m.wait([&] { return started == 4 && running == 3; }); });
      m.update([&] { released = 3; });
    });
    EXPECT_EQ(max_running, 3);
    EXPECT_EQ(lim.statistics().borrowed_tokens, 0u);
  });
}

// P-94 scenario: the thread signals that it started, works until released, records "thread"; the
// calling task records "task" when run_sync ends; the group is cancelled while the thread works.
std::vector<std::string> cancel_while_thread_works(conformance& c, to_thread::run_sync_options opt,
                                                   bool* result_returned) {
  // Shared with the thread's function: an abandoned thread may still be inside m.record() (its
  // notify, after the log already shows "thread") when this function returns.
  auto shared_m = std::make_shared<monitor>();
  monitor& m = *shared_m;
  bool started = false, release = false;
  auto entry = [&]() -> task<void> {
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        struct on_exit {
          monitor& m;
          ~on_exit() { m.record("task"); }
        } guard{m};
        // Named, not a temporary inside co_await (GCC 12 and non-trivial captures).
        auto work = [&, keep = shared_m] {
          m.update([&] { started = true; });
          m.wait([&] { return release; });
          keep->record("thread");
          return 5;
        };
        int v = co_await to_thread::run_sync(work, opt);
        *result_returned = v == 5;
        co_await checkpoint();  // the pending cancellation hits here
        m.record("after checkpoint");
      });
      co_await to_thread::run_sync([&] { m.wait([&] { return started; }); });
      tg.cancel();
      // Let the child react first (it raises at once in abandon mode), then let the thread end.
      co_await shielded([]() -> task<void> { co_await wait_all_tasks_blocked(); });
      m.update([&] { release = true; });
    });
  };
  rt::run(entry, {.backend = c.GetParam().backend, .policy = c.GetParam().policy});
  // An abandoned thread may still be finishing: wait for its record before reading the log.
  m.wait_for_record("thread");
  return m.log();
}

TEST_P(to_thread_test, P94_default_mode_finishes_the_call_then_cancels) {
  bool returned = false;
  auto log = cancel_while_thread_works(*this, {}, &returned);
  EXPECT_TRUE(returned);
  EXPECT_EQ(log, (std::vector<std::string>{"thread", "task"}));
}

TEST_P(to_thread_test, P94_abandon_mode_raises_at_once) {
  bool returned = false;
  auto log = cancel_while_thread_works(*this, {.abandon_on_cancel = true}, &returned);
  EXPECT_FALSE(returned);
  EXPECT_EQ(log, (std::vector<std::string>{"task", "thread"}));
}

TEST_P(to_thread_test, P94_deprecated_cancellable_alias_means_abandon) {
  bool returned = false;
  auto log = cancel_while_thread_works(*this, {.cancellable = true}, &returned);
  EXPECT_FALSE(returned);
  EXPECT_EQ(log, (std::vector<std::string>{"task", "thread"}));
}

TEST_P(to_thread_test, P95_abandoned_thread_keeps_running_and_completes) {
  auto shared_m = std::make_shared<monitor>();  // the abandoned thread may outlive this test body
  monitor& m = *shared_m;
  bool thread_event = false, completed = false, started = false;
  capacity_limiter* lim_seen = nullptr;
  std::size_t borrowed_after_cancel = 0;
  run_real([&]() -> task<void> {
    lim_seen = &default_thread_limiter();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        auto work = [&, keep = shared_m] {
          m.update([&] { started = true; });
          m.wait([&] { return thread_event; });
          keep->update([&] { completed = true; });
        };
        to_thread::run_sync_options abandon{.abandon_on_cancel = true};
        co_await to_thread::run_sync(work, abandon);
        ADD_FAILURE() << "run_sync should have raised";
      });
      co_await to_thread::run_sync([&] { m.wait([&] { return started; }); });
      tg.cancel();
    });
    // The caller is gone; the thread still holds its token (Trio's rule, W-3).
    borrowed_after_cancel = lim_seen->statistics().borrowed_tokens;
    m.update([&] { thread_event = true; });
    co_await to_thread::run_sync([&] { m.wait([&] { return completed; }); });
  });
  EXPECT_TRUE(completed);
  EXPECT_EQ(borrowed_after_cancel, 1u);
}

TEST_P(to_thread_test, P96_no_context_variables_captures_are_copied_in) {
  // C++ has no task-local context variables (P-96 applies only where they exist). The C++
  // counterpart: state captured by value at the call is visible in the thread, and changes the
  // thread makes to its copy do not flow back.
  run_real([]() -> task<void> {
    std::string value = "at call time";
    // Named, not a temporary inside co_await: GCC 12 mishandles a closure temporary with
    // non-trivial captures inside a co_await expression (relocated bitwise, destroyed twice).
    auto fn = [value]() mutable {
      std::string s = value;
      value = "changed in thread";
      return s;
    };
    std::string seen = co_await to_thread::run_sync(std::move(fn));
    EXPECT_EQ(seen, "at call time");
    EXPECT_EQ(value, "at call time");
  });
}

TEST_P(to_thread_test, P97_check_cancelled_in_abandoned_thread) {
  monitor m;
  bool started = false, caller_cancelled = false, raised = false, checked = false;
  run_real([&]() -> task<void> {
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await to_thread::run_sync(
            [&] {
              from_thread::check_cancelled();  // not cancelled yet: no raise
              m.update([&] { started = true; });
              m.wait([&] { return caller_cancelled; });
              try {
                from_thread::check_cancelled();
              } catch (const cancelled&) {
                m.update([&] { raised = true; });
              }
              m.update([&] { checked = true; });
            },
            {.abandon_on_cancel = true});
      });
      co_await to_thread::run_sync([&] { m.wait([&] { return started; }); });
      tg.cancel();
    });
    m.update([&] { caller_cancelled = true; });
    co_await to_thread::run_sync([&] { m.wait([&] { return checked; }); });
  });
  EXPECT_TRUE(raised);
}

TEST_P(to_thread_test, P97_check_cancelled_outside_worker_is_usage_error) {
  run_real([]() -> task<void> {
    // On the loop thread (a task) ...
    try {
      from_thread::check_cancelled();
      ADD_FAILURE() << "expected usage_error";
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find("only inside a worker thread"), std::string::npos);
    }
    co_return;
  });
  // ... and on a plain thread.
  bool threw = false;
  std::thread([&] {
    try {
      from_thread::check_cancelled();
    } catch (const usage_error&) {
      threw = true;
    }
  }).join();
  EXPECT_TRUE(threw);
}

TEST_P(to_thread_test, W4_check_cancelled_sees_caller_scope_in_default_mode) {
  run_real([]() -> task<void> {
    monitor m;
    bool started = false, go = false;
    cancel_scope sc;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await sc.run([&]() -> task<void> {
          co_await to_thread::run_sync([&] {
            m.update([&] { started = true; });
            m.wait([&] { return go; });
            from_thread::check_cancelled();  // raises: the caller's scope is cancelled
            ADD_FAILURE() << "check_cancelled did not raise";
          });
        });
      });
      co_await to_thread::run_sync([&] { m.wait([&] { return started; }); });
      sc.cancel();
      m.update([&] { go = true; });
    });
    EXPECT_TRUE(sc.cancelled_caught());
  });
}

// Live worker threads of this process, by the name the pool gives them. Counting every thread
// would also count the sanitizer's and the kernel's (TSan's background thread, io_uring's iou-wrk
// helpers), which come and go on their own schedule.
std::size_t worker_thread_count() {
  std::size_t n = 0;
  if (DIR* d = ::opendir("/proc/self/task")) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
      std::string name;
      std::getline(comm, name);
      n += name == "hf-worker";
    }
    ::closedir(d);
  }
  return n;
}

TEST_P(to_thread_test, P98_sequential_calls_reuse_one_worker_and_workers_exit) {
  std::size_t before = worker_thread_count();
  std::size_t during = 0;
  run_real([&]() -> task<void> {
    std::vector<std::thread::id> ids;
    for (int i = 0; i < 5; ++i) {
      ids.push_back(co_await to_thread::run_sync([] { return std::this_thread::get_id(); }));
    }
    for (auto& id : ids) EXPECT_EQ(id, ids.front());
    EXPECT_NE(ids.front(), std::this_thread::get_id());
    during = worker_thread_count();
  });
  EXPECT_EQ(during, before + 1);
  // The pool ends with the run: idle workers are joined before run() returns.
  EXPECT_EQ(worker_thread_count(), before);
}

TEST_P(to_thread_test, thread_wait_counts_as_blocked) {
  run_real([]() -> task<void> {
    monitor m;
    bool release = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await to_thread::run_sync([&] { m.wait([&] { return release; }); });
      });
      co_await wait_all_tasks_blocked();  // returns although the thread is still working
      m.update([&] { release = true; });
    });
  });
}

TEST_P(to_thread_test, virtual_clock_does_not_jump_while_a_thread_works) {
  run_virtual([]() -> task<void> {
    time_point start = current_time();
    bool sleeper_done = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await sleep(10s);
        sleeper_done = true;
      });
      co_await to_thread::run_sync([] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); });
      EXPECT_EQ(current_time(), start);  // no autojump while the thread worked
      EXPECT_FALSE(sleeper_done);
    });
    EXPECT_TRUE(sleeper_done);
    EXPECT_EQ(current_time() - start, duration(10s));
  });
}

HF_CONFORMANCE_SUITE(to_thread_test);

}  // namespace
}  // namespace hf::rt::testing
