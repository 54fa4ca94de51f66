// Spec 10.11 (P-57 .. P-61): Condition — wait/notify under the lock, cancellation while waiting
// (the lock is held again while the cancellation propagates), misuse, FIFO notify, wait_for.
#include "runtime/sync/condition.hpp"

#include <optional>
#include <string>
#include <vector>

#include "conformance/harness.hpp"
#include "runtime/sync/event.hpp"

namespace hf::rt::testing {
namespace {

class condition_suite : public conformance {};

TEST_P(condition_suite, P57_wait_releases_lock_to_notifier_and_returns_holding_it) {
  for (bool scoped : {true, false}) {
    SCOPED_TRACE(scoped ? "scoped" : "explicit");
    run_virtual([scoped]() -> task<void> {
      condition cond;
      bool notified = false;
      std::uint64_t me = get_current_task().id;
      co_await with_task_group([&](task_group& tg) -> task<void> {
        release_guard<lock> g;
        if (scoped) {
          g = co_await cond.scoped();
        } else {
          co_await cond.acquire();
        }
        tg.start_soon([&]() -> task<void> {
          auto ng = co_await cond.scoped();
          notified = true;
          cond.notify_all();
        });
        co_await cond.wait();
        EXPECT_TRUE(notified);
        EXPECT_TRUE(cond.locked());
        EXPECT_EQ(cond.statistics().lock_stats.owner, me);
        if (scoped) {
          g.release();
        } else {
          cond.release();
        }
      });
      EXPECT_FALSE(cond.locked());
    });
  }
}

TEST_P(condition_suite, P57_acquire_nowait_takes_free_lock_and_would_block_elsewhere) {
  run_virtual([]() -> task<void> {
    condition cond;
    cond.acquire_nowait();
    EXPECT_TRUE(cond.locked());
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        EXPECT_THROW(cond.acquire_nowait(), would_block);
        co_return;
      });
      co_return;
    });
    cond.release();
    EXPECT_FALSE(cond.locked());
  });
}

TEST_P(condition_suite, P58_cancelled_wait_reacquires_lock_before_propagating) {
  run_virtual([]() -> task<void> {
    condition cond;
    event waiting;
    bool after_wait = false, held_during_unwind = false, owner_was_child = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        auto g = co_await cond.scoped();
        std::uint64_t me = get_current_task().id;
        waiting.set();
        try {
          co_await cond.wait();
          after_wait = true;
        } catch (const cancelled&) {
          held_during_unwind = cond.locked();
          owner_was_child = cond.statistics().lock_stats.owner == me;
          throw;
        }
      });
      co_await waiting.wait();
      co_await wait_all_tasks_blocked();
      tg.cancel();
    });
    EXPECT_FALSE(after_wait);
    EXPECT_TRUE(held_during_unwind);
    EXPECT_TRUE(owner_was_child);
    EXPECT_FALSE(cond.locked());
  });
}

TEST_P(condition_suite, P58_cancelled_wait_waits_for_the_lock_if_another_task_holds_it) {
  run_virtual([]() -> task<void> {
    condition cond;
    bool held_during_unwind = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto waiter = tg.start_soon([&]() -> task<void> {
        auto g = co_await cond.scoped();
        try {
          co_await cond.wait();
        } catch (const cancelled&) {
          held_during_unwind = cond.locked();
          throw;
        }
      });
      co_await wait_all_tasks_blocked();
      co_await cond.acquire();  // the host holds the lock while the waiter is cancelled
      waiter.cancel();
      co_await wait_all_tasks_blocked();
      EXPECT_EQ(cond.statistics().tasks_waiting, 0u);
      EXPECT_EQ(cond.statistics().lock_stats.tasks_waiting, 1u);  // re-taking the lock, shielded
      cond.release();
    });
    EXPECT_TRUE(held_during_unwind);
    EXPECT_FALSE(cond.locked());
  });
}

TEST_P(condition_suite, P59_wait_without_lock_is_usage_error) {
  run_virtual([]() -> task<void> {
    condition cond;
    try {
      co_await cond.wait();
      ADD_FAILURE() << "wait() without the lock succeeded";
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find("not holding the underlying lock"), std::string::npos)
          << e.what();
    }
    EXPECT_THROW(cond.notify(), usage_error);
    EXPECT_THROW(cond.notify_all(), usage_error);
  });
}

TEST_P(condition_suite, P60_notify_one_wakes_waiters_in_fifo_order) {
  run_virtual([]() -> task<void> {
    condition cond;
    std::vector<int> woken;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (int i = 1; i <= 2; ++i) {
        tg.start_soon([&, i]() -> task<void> {
          auto g = co_await cond.scoped();
          co_await cond.wait();
          woken.push_back(i);
        });
        co_await wait_all_tasks_blocked();  // waiter i is queued before waiter i+1 starts
      }
      EXPECT_EQ(cond.statistics().tasks_waiting, 2u);
      for (std::size_t left = 1; left <= 2; ++left) {
        {
          auto g = co_await cond.scoped();
          cond.notify(1);
        }
        EXPECT_EQ(cond.statistics().tasks_waiting, 2u - left);
        co_await wait_all_tasks_blocked();
        EXPECT_EQ(woken.size(), left);
      }
    });
    EXPECT_EQ(woken, (std::vector<int>{1, 2}));
  });
}

TEST_P(condition_suite, P61_wait_for_rechecks_predicate_and_returns_its_value) {
  run_virtual([]() -> task<void> {
    condition cond;
    std::string value;
    std::optional<std::string> result;
    bool returned = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        auto g = co_await cond.scoped();
        // The predicate's value is returned: a "truthy" optional holding the string.
        result = co_await cond.wait_for([&]() -> std::optional<std::string> {
          if (value.empty()) return std::nullopt;
          return value;
        });
        returned = true;
      });
      co_await wait_all_tasks_blocked();
      {
        auto g = co_await cond.scoped();
        cond.notify_all();  // the predicate is still false: the waiter keeps waiting
      }
      co_await wait_all_tasks_blocked();
      EXPECT_FALSE(returned);
      EXPECT_EQ(cond.statistics().tasks_waiting, 1u);
      {
        auto g = co_await cond.scoped();
        value = "foo";
        cond.notify();
      }
    });
    EXPECT_TRUE(returned);
    EXPECT_EQ(result, std::optional<std::string>("foo"));
  });
}

HF_CONFORMANCE_SUITE(condition_suite);
}  // namespace
}  // namespace hf::rt::testing
