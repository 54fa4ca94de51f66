// Spec 10.15 (P-91): exact statistics of every primitive and of memory streams; and P-6 for the
// primitives: built, inspected and modified before any run, then used in a later run.
#include <algorithm>
#include <string>
#include <vector>

#include "conformance/harness.hpp"
#include "runtime/streams/memory_stream.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/sync/condition.hpp"
#include "runtime/sync/event.hpp"
#include "runtime/sync/lock.hpp"
#include "runtime/sync/semaphore.hpp"

namespace hf::rt::testing {
namespace {

class statistics_suite : public conformance {};

TEST_P(statistics_suite, P06_primitives_built_before_run_work_inside_it) {
  lock lk;
  event ev;
  semaphore sem(1, 3);
  condition cond;
  capacity_limiter lim(1);
  EXPECT_FALSE(lk.locked());
  EXPECT_FALSE(lk.statistics().locked);
  EXPECT_EQ(lk.statistics().owner, std::nullopt);
  EXPECT_EQ(lk.statistics().tasks_waiting, 0u);
  EXPECT_FALSE(ev.is_set());
  EXPECT_EQ(ev.statistics().tasks_waiting, 0u);
  EXPECT_EQ(sem.value(), 1);
  EXPECT_EQ(sem.max_value(), std::optional<std::int64_t>(3));
  EXPECT_EQ(sem.statistics().tasks_waiting, 0u);
  EXPECT_FALSE(cond.locked());
  EXPECT_EQ(cond.statistics().tasks_waiting, 0u);
  EXPECT_FALSE(cond.statistics().lock_stats.locked);
  EXPECT_EQ(lim.total_tokens(), 1u);
  EXPECT_EQ(lim.borrowed_tokens(), 0u);
  EXPECT_EQ(lim.statistics().tasks_waiting, 0u);
  ev.set();
  lim.set_total_tokens(2);
  EXPECT_EQ(lim.total_tokens(), 2u);

  for (int round = 0; round < 2; ++round) {  // and usable in more than one run
    run_virtual([&]() -> task<void> {
      co_await ev.wait();
      {
        auto g = co_await lk.scoped();
        EXPECT_TRUE(lk.locked());
      }
      {
        auto g = co_await sem.scoped();
        EXPECT_EQ(sem.value(), 0);
      }
      {
        auto g = co_await cond.scoped();
        cond.notify_all();
      }
      co_await lim.acquire();
      int other = 0;
      co_await lim.acquire_on_behalf_of(&other);
      EXPECT_EQ(lim.available_tokens(), 0u);
      lim.release();
      lim.release_on_behalf_of(&other);
    });
  }
  EXPECT_FALSE(lk.locked());
  EXPECT_EQ(sem.value(), 1);
  EXPECT_EQ(lim.borrowed_tokens(), 0u);
}

TEST_P(statistics_suite, P91_lock_statistics) {
  run_virtual([]() -> task<void> {
    lock lk;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      co_await lk.acquire();
      auto s = lk.statistics();
      EXPECT_TRUE(s.locked);
      EXPECT_EQ(s.owner, get_current_task().id);
      for (std::size_t i = 1; i <= 3; ++i) {
        tg.start_soon([&]() -> task<void> { auto g = co_await lk.scoped(); });
        co_await wait_all_tasks_blocked();
        EXPECT_EQ(lk.statistics().tasks_waiting, i);
      }
      lk.release();
      s = lk.statistics();
      EXPECT_TRUE(s.locked);  // handed straight to the first waiter
      EXPECT_NE(s.owner, get_current_task().id);
      EXPECT_EQ(s.tasks_waiting, 2u);
    });
    auto s = lk.statistics();
    EXPECT_FALSE(s.locked);
    EXPECT_EQ(s.owner, std::nullopt);
    EXPECT_EQ(s.tasks_waiting, 0u);
  });
}

TEST_P(statistics_suite, P91_event_and_semaphore_statistics) {
  run_virtual([]() -> task<void> {
    event ev;
    semaphore sem(0);
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (std::size_t i = 1; i <= 3; ++i) {
        tg.start_soon([&]() -> task<void> { co_await ev.wait(); });
        tg.start_soon([&]() -> task<void> { co_await sem.acquire(); });  // keeps its unit
        co_await wait_all_tasks_blocked();
        EXPECT_EQ(ev.statistics().tasks_waiting, i);
        EXPECT_EQ(sem.statistics().tasks_waiting, i);
      }
      ev.set();
      EXPECT_EQ(ev.statistics().tasks_waiting, 0u);
      for (std::size_t left = 3; left-- > 0;) {
        sem.release();
        EXPECT_EQ(sem.statistics().tasks_waiting, left);
        co_await wait_all_tasks_blocked();
      }
    });
    EXPECT_EQ(sem.value(), 0);  // every release went straight to a waiter
  });
}

TEST_P(statistics_suite, P91_condition_statistics) {
  run_virtual([]() -> task<void> {
    condition cond;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (std::size_t i = 1; i <= 2; ++i) {
        tg.start_soon([&]() -> task<void> {
          auto g = co_await cond.scoped();
          co_await cond.wait();
        });
        co_await wait_all_tasks_blocked();
        EXPECT_EQ(cond.statistics().tasks_waiting, i);
      }
      auto g = co_await cond.scoped();
      auto s = cond.statistics();
      EXPECT_TRUE(s.lock_stats.locked);
      EXPECT_EQ(s.lock_stats.owner, get_current_task().id);
      cond.notify(1);
      EXPECT_EQ(cond.statistics().tasks_waiting, 1u);
      co_await wait_all_tasks_blocked();  // the notified task now waits for the lock
      EXPECT_EQ(cond.statistics().lock_stats.tasks_waiting, 1u);
      cond.notify_all();
      EXPECT_EQ(cond.statistics().tasks_waiting, 0u);
    });
    auto s = cond.statistics();
    EXPECT_EQ(s.tasks_waiting, 0u);
    EXPECT_FALSE(s.lock_stats.locked);
    EXPECT_EQ(s.lock_stats.tasks_waiting, 0u);
  });
}

TEST_P(statistics_suite, P91_capacity_limiter_statistics) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(2);
    int obj = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      co_await lim.acquire();
      lim.acquire_on_behalf_of_nowait(&obj);
      auto s = lim.statistics();
      EXPECT_EQ(s.borrowed_tokens, 2u);
      EXPECT_EQ(s.total_tokens, 2u);
      CO_ASSERT(s.borrowers.size() == 2u);
      borrower_id me{nullptr, get_current_task().id};
      EXPECT_NE(std::find(s.borrowers.begin(), s.borrowers.end(), me), s.borrowers.end());
      EXPECT_NE(std::find(s.borrowers.begin(), s.borrowers.end(), borrower_id{&obj, 0}),
                s.borrowers.end());
      std::vector<std::uint64_t> waiter_ids;
      for (std::size_t i = 1; i <= 2; ++i) {
        tg.start_soon([&]() -> task<void> {
          waiter_ids.push_back(get_current_task().id);
          auto g = co_await lim.scoped();
          co_await sleep_forever();
        });
        co_await wait_all_tasks_blocked();
        EXPECT_EQ(lim.statistics().tasks_waiting, i);
      }
      lim.release_on_behalf_of(&obj);
      s = lim.statistics();
      EXPECT_EQ(s.tasks_waiting, 1u);
      EXPECT_EQ(s.borrowed_tokens, 2u);
      // The first waiter is a borrower at once (direct hand-over).
      EXPECT_NE(
          std::find(s.borrowers.begin(), s.borrowers.end(), borrower_id{nullptr, waiter_ids.at(0)}),
          s.borrowers.end());
      lim.release();
      EXPECT_EQ(lim.statistics().tasks_waiting, 0u);
      co_await wait_all_tasks_blocked();
      tg.cancel();
    });
    auto s = lim.statistics();
    EXPECT_EQ(s.borrowed_tokens, 0u);
    EXPECT_TRUE(s.borrowers.empty());
    EXPECT_EQ(s.tasks_waiting, 0u);
  });
}

TEST_P(statistics_suite, P91_memory_stream_statistics) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<std::string>(1);
    auto st = tx.statistics();
    EXPECT_EQ(st.current_buffer_used, 0u);
    EXPECT_EQ(st.max_buffer_size, 1u);
    EXPECT_EQ(st.open_send_streams, 1u);
    EXPECT_EQ(st.open_receive_streams, 1u);
    EXPECT_EQ(st.tasks_waiting_send, 0u);
    EXPECT_EQ(st.tasks_waiting_receive, 0u);
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tx.send_nowait("one");
      tg.start_soon([&]() -> task<void> { co_await tx.send("two"); });
      co_await wait_all_tasks_blocked();
      for (const auto& s : {tx.statistics(), rx.statistics()}) {  // the same for both ends
        EXPECT_EQ(s.current_buffer_used, 1u);
        EXPECT_EQ(s.tasks_waiting_send, 1u);
        EXPECT_EQ(s.tasks_waiting_receive, 0u);
      }
      EXPECT_EQ(rx.receive_nowait(), "one");
      st = rx.statistics();
      EXPECT_EQ(st.current_buffer_used, 1u);
      EXPECT_EQ(st.tasks_waiting_send, 0u);
      EXPECT_EQ(rx.receive_nowait(), "two");
      for (std::size_t i = 1; i <= 2; ++i) {
        tg.start_soon([&]() -> task<void> { (void)co_await rx.receive(); });
        co_await wait_all_tasks_blocked();
        EXPECT_EQ(tx.statistics().tasks_waiting_receive, i);
      }
      tx.send_nowait("a");
      EXPECT_EQ(tx.statistics().tasks_waiting_receive, 1u);
      tx.send_nowait("b");
      EXPECT_EQ(tx.statistics().tasks_waiting_receive, 0u);
      EXPECT_EQ(tx.statistics().current_buffer_used, 0u);
    });
    auto rx2 = rx.clone();
    EXPECT_EQ(tx.statistics().open_receive_streams, 2u);
    rx2.close();
    tx.close();
    st = rx.statistics();
    EXPECT_EQ(st.open_send_streams, 0u);
    EXPECT_EQ(st.open_receive_streams, 1u);
  });
}

HF_CONFORMANCE_SUITE(statistics_suite);
}  // namespace
}  // namespace hf::rt::testing
