// Memory object streams beyond the conformance scenarios: move-only items, FIFO order across the
// buffer and blocked senders, withdrawal of a cancelled sender in the middle of the queue, an item
// handed over just before a cancellation, and closes that wake several blocked tasks at once.
#include "runtime/streams/memory_stream.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class memory_stream_races : public conformance {};

TEST_P(memory_stream_races, move_only_items_travel_and_survive_would_block) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<std::unique_ptr<int>>(1);
    auto p = std::make_unique<int>(1);
    tx.send_nowait(std::move(p));
    EXPECT_EQ(p, nullptr);  // moved on success
    auto q = std::make_unique<int>(2);
    EXPECT_THROW(tx.send_nowait(std::move(q)), would_block);
    CO_ASSERT(q != nullptr);  // still ours after would_block
    EXPECT_EQ(*q, 2);
    std::vector<int> got;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        while (auto item = co_await rx.receive_or_end()) got.push_back(**item);
      });
      co_await tx.send(std::move(q));
      co_await tx.send(std::make_unique<int>(3));
      tx.close();
    });
    EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
  });
}

TEST_P(memory_stream_races, optional_items_keep_empty_values_distinct_from_end) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<std::optional<int>>(4);
    tx.send_nowait(std::nullopt);
    tx.send_nowait(0);
    tx.close();
    auto a = co_await rx.receive_or_end();
    auto b = co_await rx.receive_or_end();
    auto c = co_await rx.receive_or_end();
    CO_ASSERT(a.has_value() && b.has_value());
    EXPECT_EQ(*a, std::nullopt);
    EXPECT_EQ(*b, std::optional<int>(0));
    EXPECT_FALSE(c.has_value());
  });
}

TEST_P(memory_stream_races, fifo_across_buffer_and_blocked_senders_with_a_cancelled_one) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<int>(1);
    tx.send_nowait(1);
    co_await with_task_group([&](task_group& tg) -> task<void> {
      std::vector<task_handle<void>> senders;
      for (int v = 2; v <= 4; ++v) {
        senders.push_back(tg.start_soon([&, v]() -> task<void> { co_await tx.send(v); }));
        co_await wait_all_tasks_blocked();  // queue in order 2, 3, 4
      }
      EXPECT_EQ(tx.statistics().tasks_waiting_send, 3u);
      senders[1].cancel();  // 3 is withdrawn and never delivered
      EXPECT_EQ(tx.statistics().tasks_waiting_send, 2u);
      EXPECT_EQ(rx.receive_nowait(), 1);
      EXPECT_EQ(rx.statistics().current_buffer_used, 1u);  // 2 moved into the buffer
      EXPECT_EQ(co_await rx.receive(), 2);
      EXPECT_EQ(co_await rx.receive(), 4);
      EXPECT_THROW(rx.receive_nowait(), would_block);
    });
  });
}

TEST_P(memory_stream_races, item_handed_over_before_cancellation_is_returned) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<std::string>();
    std::optional<std::string> got;
    bool raised_after = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto h = tg.start_soon([&]() -> task<void> {
        got = co_await rx.receive();
        try {
          co_await checkpoint();
        } catch (const cancelled&) {
          raised_after = true;
          throw;
        }
      });
      co_await wait_all_tasks_blocked();
      tx.send_nowait("kept");
      h.cancel();
    });
    EXPECT_EQ(got, std::optional<std::string>("kept"));
    EXPECT_TRUE(raised_after);

    // The other direction: a blocked sender whose item was taken completes normally.
    bool send_returned = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto h = tg.start_soon([&]() -> task<void> {
        co_await tx.send("taken");
        send_returned = true;
      });
      co_await wait_all_tasks_blocked();
      EXPECT_EQ(rx.receive_nowait(), "taken");
      h.cancel();
    });
    EXPECT_TRUE(send_returned);
  });
}

TEST_P(memory_stream_races, send_cancelled_during_its_checkpoint_delivers_nothing) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<int>(5);
    cancel_scope sc;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon(
          [&]() -> task<void> { co_await sc.run([&]() -> task<void> { co_await tx.send(1); }); });
      tg.start_soon([&]() -> task<void> {
        sc.cancel();  // runs while the sender is in send()'s initial checkpoint, or before it
        co_return;
      });
      co_return;
    });
    EXPECT_THROW(rx.receive_nowait(), would_block);
  });
}

TEST_P(memory_stream_races, closing_wakes_every_blocked_task) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<int>();
    auto tx_clone = tx.clone();
    int ends = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (int i = 0; i < 3; ++i) {
        tg.start_soon([&]() -> task<void> {
          try {
            (void)co_await rx.receive();
          } catch (const end_of_stream&) {
            ++ends;
          }
        });
      }
      co_await wait_all_tasks_blocked();
      tx.close();
      EXPECT_EQ(rx.statistics().tasks_waiting_receive, 3u);  // a clone is still open
      tx_clone.close();
      EXPECT_EQ(rx.statistics().tasks_waiting_receive, 0u);
    });
    EXPECT_EQ(ends, 3);

    auto [tx2, rx2] = create_memory_object_stream<int>();
    int broken = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (int i = 0; i < 3; ++i) {
        tg.start_soon([&, i]() -> task<void> {
          try {
            co_await tx2.send(i);
          } catch (const broken_resource_error&) {
            ++broken;
          }
        });
      }
      co_await wait_all_tasks_blocked();
      rx2.close();
      EXPECT_EQ(tx2.statistics().tasks_waiting_send, 0u);
    });
    EXPECT_EQ(broken, 3);
    EXPECT_THROW(tx2.send_nowait(9), broken_resource_error);
  });
}

TEST_P(memory_stream_races, closing_a_handle_fails_the_calls_blocked_on_it) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<int>();
    auto rx_clone = rx.clone();
    int closed_errors = 0;
    std::optional<int> clone_got;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        try {
          (void)co_await rx.receive();
        } catch (const closed_resource_error&) {
          ++closed_errors;
        }
      });
      tg.start_soon([&]() -> task<void> { clone_got = co_await rx_clone.receive(); });
      co_await wait_all_tasks_blocked();
      rx.close();  // only the receive through `rx` fails; the clone keeps the side open
      EXPECT_EQ(tx.statistics().tasks_waiting_receive, 1u);
      EXPECT_EQ(tx.statistics().open_receive_streams, 1u);
      co_await wait_all_tasks_blocked();
      tx.send_nowait(7);
    });
    EXPECT_EQ(closed_errors, 1);
    EXPECT_EQ(clone_got, std::optional<int>(7));

    bool send_closed = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        try {
          co_await tx.send(8);
        } catch (const closed_resource_error&) {
          send_closed = true;
        }
      });
      co_await wait_all_tasks_blocked();
      tx.close();
    });
    EXPECT_TRUE(send_closed);
    EXPECT_THROW((void)rx_clone.receive_nowait(), end_of_stream);  // the item was withdrawn
  });
}

TEST_P(memory_stream_races, send_and_receive_are_checkpoints) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<int>(1);
    bool other_ran = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        other_ran = true;
        co_return;
      });
      co_await tx.send(1);  // room in the buffer: still a scheduling point
      EXPECT_TRUE(other_ran);
    });
    cancel_scope sc;
    sc.cancel();
    co_await sc.run([&]() -> task<void> {
      (void)co_await rx.receive();  // an item is there, but the cancellation comes first
      ADD_FAILURE() << "receive() in a cancelled scope returned";
    });
    EXPECT_EQ(rx.receive_nowait(), 1);  // nothing was consumed
  });
}

HF_CONFORMANCE_SUITE(memory_stream_races);
}  // namespace
}  // namespace hf::rt::testing
