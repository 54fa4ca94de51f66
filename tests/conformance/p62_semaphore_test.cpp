// Spec 10.12 (P-62 .. P-66): Semaphore — concurrent holders, fast_acquire, acquire_nowait,
// cancellation while waiting, max_value and constructor checks.
#include "runtime/sync/semaphore.hpp"

#include <vector>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class semaphore_suite : public conformance {};

TEST_P(semaphore_suite, P62_two_holders_see_value_drop_and_restore) {
  for (bool scoped : {true, false}) {
    SCOPED_TRACE(scoped ? "scoped" : "explicit");
    run_virtual([scoped]() -> task<void> {
      semaphore sem(2);
      std::vector<std::int64_t> seen;
      co_await with_task_group([&](task_group& tg) -> task<void> {
        for (int i = 0; i < 2; ++i) {
          tg.start_soon([&]() -> task<void> {
            if (scoped) {
              auto g = co_await sem.scoped();
              seen.push_back(sem.value());
              co_await sleep(100ms);
            } else {
              co_await sem.acquire();
              seen.push_back(sem.value());
              co_await sleep(100ms);
              sem.release();
            }
          });
        }
        co_return;
      });
      CO_ASSERT(seen.size() == 2u);
      for (auto v : seen) EXPECT_TRUE(v == 0 || v == 1) << v;
      EXPECT_EQ(sem.value(), 2);
    });
  }
}

TEST_P(semaphore_suite, P63_fast_acquire_skips_the_scheduling_point) {
  for (bool fast : {true, false}) {
    SCOPED_TRACE(fast ? "fast_acquire" : "default");
    run_virtual([fast]() -> task<void> {
      semaphore sem(1, std::nullopt, /*fast_acquire=*/fast);
      bool other_ran = false;
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          other_ran = true;
          co_return;
        });
        co_await sem.acquire();
        EXPECT_EQ(other_ran, !fast);
        sem.release();
      });
    });
  }
}

TEST_P(semaphore_suite, P64_acquire_nowait) {
  run_virtual([]() -> task<void> {
    semaphore sem(1);
    sem.acquire_nowait();
    EXPECT_EQ(sem.value(), 0);
    EXPECT_THROW(sem.acquire_nowait(), would_block);
    sem.release();
    EXPECT_EQ(sem.value(), 1);
    co_return;
  });
}

TEST_P(semaphore_suite, P65_cancelled_waiter_never_acquires_in_either_release_order) {
  for (bool release_first : {true, false}) {
    SCOPED_TRACE(release_first ? "release first" : "wait first");
    run_virtual([release_first]() -> task<void> {
      semaphore sem(1);
      bool acquired = false;
      co_await sem.acquire();
      co_await with_task_group([&](task_group& tg) -> task<void> {
        co_await tg.start([&](task_status<>& st) -> task<void> {
          st.started();
          co_await sem.acquire();
          acquired = true;
          sem.release();
        });
        tg.cancel();
        co_await shielded([&]() -> task<void> {
          if (release_first) {
            sem.release();
            co_await wait_all_tasks_blocked();
          } else {
            co_await wait_all_tasks_blocked();
            sem.release();
          }
        });
      });
      EXPECT_FALSE(acquired);
      EXPECT_EQ(sem.value(), 1);
    });
  }
}

TEST_P(semaphore_suite, P66_max_value_and_constructor_checks) {
  run_virtual([]() -> task<void> {
    EXPECT_EQ(semaphore(0, 2).max_value(), std::optional<std::int64_t>(2));
    EXPECT_EQ(semaphore(0).max_value(), std::nullopt);
    semaphore sem(1, 2);
    sem.release();
    EXPECT_EQ(sem.value(), 2);
    EXPECT_THROW(sem.release(), argument_error);
    EXPECT_EQ(sem.value(), 2);
    EXPECT_THROW(semaphore(-1), argument_error);
    EXPECT_THROW(semaphore(3, 2), argument_error);
    co_return;
  });
}

HF_CONFORMANCE_SUITE(semaphore_suite);
}  // namespace
}  // namespace hf::rt::testing
