// Misuse of the sync primitives and memory streams: every mistake gives a clear exception (or,
// from a destructor, a clear termination), never undefined behaviour.
#include "runtime/streams/memory_stream.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/sync/condition.hpp"
#include "runtime/sync/event.hpp"
#include "runtime/sync/lock.hpp"
#include "runtime/sync/semaphore.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "runtime/runtime.hpp"

namespace hf::rt {
namespace {

template <class F>
void run_test(F entry) {
  rt::run(std::move(entry), {.backend = "epoll", .clock = std::make_shared<virtual_clock>()});
}

bool message_has(const std::exception& e, const std::string& part) {
  return std::string(e.what()).find(part) != std::string::npos;
}

TEST(sync_misuse, task_bound_calls_outside_a_run_are_usage_errors) {
  lock lk;
  EXPECT_THROW(lk.acquire_nowait(), usage_error);
  EXPECT_THROW(lk.release(), usage_error);
  capacity_limiter lim(1);
  EXPECT_THROW(lim.acquire_nowait(), usage_error);
  EXPECT_THROW(lim.release(), usage_error);
  condition cond;
  EXPECT_THROW(cond.notify(), usage_error);
  // Calls that need no task work before a run.
  semaphore sem(1);
  sem.acquire_nowait();
  sem.release();
  int obj = 0;
  lim.acquire_on_behalf_of_nowait(&obj);
  lim.release_on_behalf_of(&obj);
}

TEST(sync_misuse, release_of_lock_held_by_another_task_names_the_problem) {
  run_test([]() -> task<void> {
    lock lk;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await lk.acquire();
        co_await sleep(1s);
        lk.release();
      });
      co_await wait_all_tasks_blocked();
      try {
        lk.release();
        ADD_FAILURE() << "released a lock owned by another task";
      } catch (const usage_error& e) {
        EXPECT_TRUE(message_has(e, "not holding this lock")) << e.what();
      }
    });
    EXPECT_THROW(lk.release(), usage_error);  // free lock
  });
}

TEST(sync_misuse, condition_wait_while_another_task_holds_the_lock) {
  run_test([]() -> task<void> {
    condition cond;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        auto g = co_await cond.scoped();
        co_await sleep(1s);
      });
      co_await wait_all_tasks_blocked();
      EXPECT_THROW(co_await cond.wait(), usage_error);
      EXPECT_THROW(co_await cond.wait_for([] { return true; }), usage_error);
      EXPECT_THROW(cond.notify_all(), usage_error);
    });
  });
}

TEST(sync_misuse, condition_wait_for_with_true_predicate_is_still_a_checkpoint) {
  run_test([]() -> task<void> {
    condition cond;
    auto g = co_await cond.scoped();
    cancel_scope sc;
    bool after = false;
    co_await sc.run([&]() -> task<void> {
      sc.cancel();
      (void)co_await cond.wait_for([] { return 7; });
      after = true;
    });
    EXPECT_FALSE(after);
    EXPECT_TRUE(cond.locked());  // a cancelled wait_for never gives the lock away
  });
}

TEST(sync_misuse, limiter_null_borrower_and_duplicate_waiting_borrower) {
  run_test([]() -> task<void> {
    capacity_limiter lim(1);
    EXPECT_THROW((void)lim.acquire_on_behalf_of(nullptr), argument_error);
    EXPECT_THROW(lim.acquire_on_behalf_of_nowait(nullptr), argument_error);
    int shared_borrower = 0;
    co_await lim.acquire();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await lim.acquire_on_behalf_of(&shared_borrower);
        lim.release_on_behalf_of(&shared_borrower);
      });
      co_await wait_all_tasks_blocked();
      try {
        co_await lim.acquire_on_behalf_of(&shared_borrower);
        ADD_FAILURE() << "the same borrower waited twice";
      } catch (const usage_error& e) {
        EXPECT_TRUE(message_has(e, "already waiting")) << e.what();
      }
      lim.release();
    });
    EXPECT_EQ(lim.borrowed_tokens(), 0u);
  });
}

TEST(sync_misuse, primitive_destroyed_while_tasks_wait_wakes_them_with_usage_error) {
  run_test([]() -> task<void> {
    auto lk = std::make_unique<lock>();
    auto ev = std::make_unique<event>();
    int errors = 0;
    co_await lk->acquire();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        try {
          co_await lk->acquire();
        } catch (const usage_error& e) {
          errors += message_has(e, "destroyed while tasks were waiting");
        }
      });
      tg.start_soon([&]() -> task<void> {
        try {
          co_await ev->wait();
        } catch (const usage_error& e) {
          errors += message_has(e, "destroyed while tasks were waiting");
        }
      });
      co_await wait_all_tasks_blocked();
      lk.reset();
      ev.reset();
    });
    EXPECT_EQ(errors, 2);
  });
}

TEST(sync_misuse, release_guard_releases_once_and_can_release_early) {
  run_test([]() -> task<void> {
    semaphore sem(2, 2);
    {
      auto g1 = co_await sem.scoped();
      auto g2 = std::move(g1);
      EXPECT_FALSE(g1.owns());  // NOLINT(bugprone-use-after-move): checking the moved-from state
      EXPECT_TRUE(g2.owns());
      EXPECT_EQ(sem.value(), 1);
      g2.release();
      EXPECT_EQ(sem.value(), 2);
    }
    EXPECT_EQ(sem.value(), 2);  // no second release (which would exceed max_value)
  });
}

TEST(sync_misuse, moved_from_and_closed_stream_ends) {
  auto [tx, rx] = create_memory_object_stream<int>(1);
  send_stream<int> tx2 = std::move(tx);
  receive_stream<int> rx2 = std::move(rx);
  EXPECT_TRUE(tx.closed());  // NOLINT(bugprone-use-after-move)
  EXPECT_THROW(tx.send_nowait(1), closed_resource_error);
  EXPECT_THROW((void)tx.clone(), closed_resource_error);
  EXPECT_THROW((void)tx.statistics(), closed_resource_error);
  EXPECT_THROW((void)rx.receive_nowait(), closed_resource_error);
  EXPECT_EQ(tx2.statistics().open_send_streams, 1u);  // moving is not cloning
  send_stream<int> empty;
  EXPECT_TRUE(empty.closed());
  EXPECT_THROW(empty.send_nowait(1), closed_resource_error);
  tx2.send_nowait(5);
  tx2.close();
  EXPECT_EQ(rx2.statistics().current_buffer_used, 1u);  // statistics still work when closed
  EXPECT_EQ(rx2.receive_nowait(), 5);
  EXPECT_THROW((void)rx2.receive_nowait(), end_of_stream);
  try {
    tx2.send_nowait(6);
    ADD_FAILURE() << "send on a closed end";
  } catch (const closed_resource_error& e) {
    EXPECT_TRUE(message_has(e, "send end is closed")) << e.what();
  }
}

TEST(sync_misuse, stream_move_assignment_closes_the_overwritten_end) {
  auto [tx, rx] = create_memory_object_stream<int>(1);
  auto [tx2, rx2] = create_memory_object_stream<int>(1);
  tx = std::move(tx2);  // the first stream's only send end is closed by this
  EXPECT_THROW((void)rx.receive_nowait(), end_of_stream);
  tx.send_nowait(3);
  EXPECT_EQ(rx2.receive_nowait(), 3);
}

}  // namespace
}  // namespace hf::rt
