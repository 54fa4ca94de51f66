// Races around the sync primitives' wait queues (C-6): a cancellation arriving after a grant, a
// notification passed on past a cancelled waiter, no barging on hand-over, and closes/sets that
// wake several waiters at once. Runs on both backends and both scheduling orders.
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/sync/condition.hpp"
#include "runtime/sync/event.hpp"
#include "runtime/sync/lock.hpp"
#include "runtime/sync/semaphore.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class sync_races : public conformance {};

// The scenario shared by every "grant, then cancel" case: `blocker` parks in the primitive, the
// host commits the operation to it (`grant`) and cancels it in the same step, before it runs.
// The blocked call must return normally; the next checkpoint raises.
struct grant_then_cancel_result {
  bool returned = false;
  bool next_checkpoint_raised = false;
};

template <class Block, class Grant>
task<grant_then_cancel_result> grant_then_cancel(Block block, Grant grant) {
  grant_then_cancel_result r;
  co_await with_task_group([&](task_group& tg) -> task<void> {
    auto h = tg.start_soon([&]() -> task<void> {
      co_await block();
      r.returned = true;
      try {
        co_await checkpoint();
      } catch (const cancelled&) {
        r.next_checkpoint_raised = true;
        throw;
      }
    });
    co_await wait_all_tasks_blocked();
    grant();
    h.cancel();
  });
  co_return r;
}

TEST_P(sync_races, cancel_after_lock_hand_over_keeps_the_lock) {
  run_virtual([]() -> task<void> {
    lock lk;
    co_await lk.acquire();
    std::uint64_t owner_after_grant = 0;
    bool released_during_unwind = false;
    auto r = co_await grant_then_cancel(
        [&]() -> task<void> {
          auto g = co_await lk.scoped();
          // The guard releases while the cancellation unwinds from the next checkpoint.
          try {
            co_await checkpoint();
          } catch (const cancelled&) {
            released_during_unwind = true;
            throw;
          }
        },
        [&] {
          lk.release();
          owner_after_grant = lk.statistics().owner.value_or(0);
        });
    EXPECT_NE(owner_after_grant, 0u);
    EXPECT_TRUE(released_during_unwind);
    EXPECT_FALSE(r.returned);  // the inner checkpoint already raised
    EXPECT_FALSE(lk.locked());
  });
}

TEST_P(sync_races, cancel_after_grant_returns_normally_for_every_primitive) {
  run_virtual([]() -> task<void> {
    semaphore sem(0);
    auto r1 = co_await grant_then_cancel([&]() -> task<void> { co_await sem.acquire(); },
                                         [&] { sem.release(); });
    EXPECT_TRUE(r1.returned);
    EXPECT_TRUE(r1.next_checkpoint_raised);
    EXPECT_EQ(sem.value(), 0);  // the unit was delivered and kept, not lost or duplicated

    capacity_limiter lim(0);
    auto r2 = co_await grant_then_cancel([&]() -> task<void> { co_await lim.acquire(); },
                                         [&] { lim.set_total_tokens(1); });
    EXPECT_TRUE(r2.returned);
    EXPECT_TRUE(r2.next_checkpoint_raised);
    EXPECT_EQ(lim.borrowed_tokens(), 1u);

    event ev;
    auto r3 =
        co_await grant_then_cancel([&]() -> task<void> { co_await ev.wait(); }, [&] { ev.set(); });
    EXPECT_TRUE(r3.returned);
    EXPECT_TRUE(r3.next_checkpoint_raised);
  });
}

TEST_P(sync_races, cancel_after_notify_returns_from_wait_holding_the_lock) {
  run_virtual([]() -> task<void> {
    condition cond;
    bool held_after_wait = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto h = tg.start_soon([&]() -> task<void> {
        auto g = co_await cond.scoped();
        co_await cond.wait();
        held_after_wait = cond.locked();
        co_await checkpoint();  // raises here, the guard then releases
        ADD_FAILURE() << "checkpoint after a cancelled notified wait did not raise";
      });
      co_await wait_all_tasks_blocked();
      {
        auto g = co_await cond.scoped();
        cond.notify();
        h.cancel();
      }
    });
    EXPECT_TRUE(held_after_wait);
    EXPECT_FALSE(cond.locked());
  });
}

TEST_P(sync_races, notification_passes_over_a_cancelled_waiter) {
  run_virtual([]() -> task<void> {
    condition cond;
    std::vector<int> woken;
    bool first_cancelled = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto first = tg.start_soon([&]() -> task<void> {
        auto g = co_await cond.scoped();
        try {
          co_await cond.wait();
          woken.push_back(1);
        } catch (const cancelled&) {
          first_cancelled = true;
          throw;
        }
      });
      co_await wait_all_tasks_blocked();
      tg.start_soon([&]() -> task<void> {
        auto g = co_await cond.scoped();
        co_await cond.wait();
        woken.push_back(2);
      });
      co_await wait_all_tasks_blocked();
      auto g = co_await cond.scoped();
      first.cancel();  // withdrawn now; the notification below goes to the second waiter
      cond.notify(1);
      EXPECT_EQ(cond.statistics().tasks_waiting, 0u);
    });
    EXPECT_TRUE(first_cancelled);
    EXPECT_EQ(woken, std::vector<int>{2});
  });
}

TEST_P(sync_races, released_unit_cannot_be_taken_by_a_barging_nowait) {
  run_virtual([]() -> task<void> {
    lock lk;
    semaphore sem(1);
    capacity_limiter lim(1);
    co_await lk.acquire();
    sem.acquire_nowait();
    co_await lim.acquire();
    int barged = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        auto g = co_await lk.scoped();
        auto s = co_await sem.scoped();
        auto l = co_await lim.scoped();
      });
      co_await wait_all_tasks_blocked();   // the waiter queues on the lock
      tg.start_soon([&]() -> task<void> {  // a task ready to run when the lock is handed over
        try {
          lk.acquire_nowait();
          ++barged;
          lk.release();
        } catch (const would_block&) {
        }
        co_return;
      });
      lk.release();
      co_await wait_all_tasks_blocked();  // now queued on the semaphore
      sem.release();
      EXPECT_THROW(sem.acquire_nowait(), would_block);
      EXPECT_EQ(sem.value(), 0);
      co_await wait_all_tasks_blocked();  // now queued on the limiter
      lim.release();
      int obj = 0;
      EXPECT_THROW(lim.acquire_on_behalf_of_nowait(&obj), would_block);
    });
    EXPECT_EQ(barged, 0);
    EXPECT_FALSE(lk.locked());
    EXPECT_EQ(sem.value(), 1);
    EXPECT_EQ(lim.borrowed_tokens(), 0u);
  });
}

TEST_P(sync_races, event_set_wakes_every_waiter_and_cancelled_ones_stay_cancelled) {
  run_virtual([]() -> task<void> {
    event ev;
    int woken = 0, cancelled_count = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      std::vector<task_handle<void>> hs;
      for (int i = 0; i < 4; ++i) {
        hs.push_back(tg.start_soon([&]() -> task<void> {
          try {
            co_await ev.wait();
            ++woken;
          } catch (const cancelled&) {
            ++cancelled_count;
            throw;
          }
        }));
      }
      co_await wait_all_tasks_blocked();
      hs[1].cancel();
      EXPECT_EQ(ev.statistics().tasks_waiting, 3u);
      ev.set();
    });
    EXPECT_EQ(woken, 3);
    EXPECT_EQ(cancelled_count, 1);
  });
}

TEST_P(sync_races, limiter_increase_skips_cancelled_waiters_and_fills_in_fifo_order) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(0);
    std::vector<int> order;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      std::vector<task_handle<void>> hs;
      for (int i = 0; i < 4; ++i) {
        hs.push_back(tg.start_soon([&, i]() -> task<void> {
          co_await lim.acquire();
          order.push_back(i);
        }));
        co_await wait_all_tasks_blocked();
      }
      hs[0].cancel();
      lim.set_total_tokens(2);
      EXPECT_EQ(lim.statistics().tasks_waiting, 1u);
      co_await wait_all_tasks_blocked();
      std::sort(order.begin(), order.end());  // granted together: they may run in either order
      EXPECT_EQ(order, (std::vector<int>{1, 2}));
      lim.set_total_tokens(unbounded);
    });
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(lim.borrowed_tokens(), 3u);  // the tasks ended without releasing: tokens stay taken
  });
}

HF_CONFORMANCE_SUITE(sync_races);
}  // namespace
}  // namespace hf::rt::testing
