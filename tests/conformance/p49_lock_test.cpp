// Spec 10.9 (P-49 .. P-53): Lock — FIFO hand-over, fast_acquire, acquire_nowait, misuse,
// cancellation while waiting.
#include "runtime/sync/lock.hpp"

#include <string>
#include <vector>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class lock_suite : public conformance {};

TEST_P(lock_suite, P49_waiter_gets_lock_after_holder_releases) {
  for (bool scoped : {true, false}) {
    SCOPED_TRACE(scoped ? "scoped guard" : "explicit acquire/release");
    run_virtual([scoped]() -> task<void> {
      lock lk;
      std::vector<std::string> results;
      bool child_saw_locked = false;
      co_await with_task_group([&](task_group& tg) -> task<void> {
        release_guard<lock> g;
        if (scoped) {
          g = co_await lk.scoped();
        } else {
          co_await lk.acquire();
        }
        tg.start_soon([&]() -> task<void> {
          child_saw_locked = lk.locked();
          if (scoped) {
            auto cg = co_await lk.scoped();
            results.push_back("2");
          } else {
            co_await lk.acquire();
            results.push_back("2");
            lk.release();
          }
        });
        co_await wait_all_tasks_blocked();
        results.push_back("1");
        if (scoped) {
          g.release();
        } else {
          lk.release();
        }
      });
      EXPECT_TRUE(child_saw_locked);
      EXPECT_EQ(results, (std::vector<std::string>{"1", "2"}));
      EXPECT_FALSE(lk.locked());
    });
  }
}

TEST_P(lock_suite, P50_fast_acquire_skips_the_scheduling_point) {
  for (bool fast : {true, false}) {
    SCOPED_TRACE(fast ? "fast_acquire" : "default");
    run_virtual([fast]() -> task<void> {
      lock lk(/*fast_acquire=*/fast);
      bool other_ran = false;
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          other_ran = true;
          co_return;
        });
        co_await lk.acquire();
        EXPECT_EQ(other_ran, !fast);
        lk.release();
      });
      EXPECT_TRUE(other_ran);
    });
  }
}

TEST_P(lock_suite, P51_acquire_nowait_takes_free_lock_and_would_block_from_other_task) {
  run_virtual([]() -> task<void> {
    lock lk;
    lk.acquire_nowait();
    EXPECT_TRUE(lk.locked());
    bool blocked = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        try {
          lk.acquire_nowait();
        } catch (const would_block&) {
          blocked = true;
        }
        co_return;
      });
      co_return;
    });
    EXPECT_TRUE(blocked);
    lk.release();
    EXPECT_FALSE(lk.locked());
  });
}

TEST_P(lock_suite, P52_owner_reacquire_and_foreign_release_are_usage_errors) {
  for (bool fast : {false, true}) {
    run_virtual([fast]() -> task<void> {
      lock lk(/*fast_acquire=*/fast);
      co_await lk.acquire();
      time_point t0 = current_time();
      try {
        co_await lk.acquire();
        ADD_FAILURE() << "second acquire by the owner succeeded";
      } catch (const usage_error& e) {
        EXPECT_NE(std::string(e.what()).find("already held"), std::string::npos) << e.what();
      }
      try {
        lk.acquire_nowait();
        ADD_FAILURE() << "acquire_nowait by the owner succeeded";
      } catch (const usage_error& e) {
        EXPECT_NE(std::string(e.what()).find("already held"), std::string::npos) << e.what();
      }
      EXPECT_EQ(current_time(), t0);  // neither call blocked
      EXPECT_EQ(lk.statistics().tasks_waiting, 0u);
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          EXPECT_THROW(lk.release(), usage_error);
          co_return;
        });
        co_return;
      });
      EXPECT_TRUE(lk.locked());
      lk.release();
    });
  }
}

TEST_P(lock_suite, P53_cancelled_waiter_never_acquires_in_either_release_order) {
  for (bool release_first : {true, false}) {
    SCOPED_TRACE(release_first ? "release, then wait_all_tasks_blocked" : "wait, then release");
    run_virtual([release_first]() -> task<void> {
      lock lk;
      bool acquired = false;
      co_await lk.acquire();
      co_await with_task_group([&](task_group& tg) -> task<void> {
        co_await tg.start([&](task_status<>& st) -> task<void> {
          st.started();
          co_await lk.acquire();
          acquired = true;
          lk.release();
        });
        tg.cancel();
        co_await shielded([&]() -> task<void> {
          if (release_first) {
            lk.release();
            co_await wait_all_tasks_blocked();
          } else {
            co_await wait_all_tasks_blocked();
            lk.release();
          }
        });
      });
      EXPECT_FALSE(acquired);
      EXPECT_FALSE(lk.locked());
    });
  }
}

TEST_P(lock_suite, P53_other_contender_acquires_promptly_when_one_is_cancelled) {
  run_virtual([]() -> task<void> {
    lock lk;
    bool second_acquired = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto holder = tg.start_soon([&]() -> task<void> {
        auto g = co_await lk.scoped();
        co_await sleep_forever();
      });
      co_await wait_all_tasks_blocked();
      auto second = tg.start_soon([&]() -> task<void> {
        auto g = co_await lk.scoped();
        second_acquired = true;
      });
      co_await wait_all_tasks_blocked();
      holder.cancel();
      co_await fail_after(1s, [&]() -> task<void> { co_await second.wait(); });
    });
    EXPECT_TRUE(second_acquired);
    EXPECT_FALSE(lk.locked());
  });
}

TEST_P(lock_suite, P53_cancelled_waiter_is_withdrawn_and_next_waiter_gets_lock) {
  run_virtual([]() -> task<void> {
    lock lk;
    std::vector<int> order;
    co_await lk.acquire();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto first = tg.start_soon([&]() -> task<void> {
        auto g = co_await lk.scoped();
        order.push_back(1);
      });
      co_await wait_all_tasks_blocked();
      tg.start_soon([&]() -> task<void> {
        auto g = co_await lk.scoped();
        order.push_back(2);
      });
      co_await wait_all_tasks_blocked();
      EXPECT_EQ(lk.statistics().tasks_waiting, 2u);
      first.cancel();
      EXPECT_EQ(lk.statistics().tasks_waiting, 1u);  // withdrawn inside cancel() (C-6)
      lk.release();
    });
    EXPECT_EQ(order, std::vector<int>{2});
    EXPECT_FALSE(lk.locked());
  });
}

HF_CONFORMANCE_SUITE(lock_suite);
}  // namespace
}  // namespace hf::rt::testing
