// Spec 10.14 (P-76 .. P-90): memory object streams — buffer size checks, rendezvous, buffering,
// iteration, closing either side, cancellation while blocked, clones, implicit close.
#include "runtime/streams/memory_stream.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class memory_stream_suite : public conformance {};

using str = std::string;

TEST_P(memory_stream_suite, P76_max_buffer_size_must_be_non_negative_integer_or_infinity) {
  // The C++ binding takes any integer or a double; the checks happen at run time.
  EXPECT_THROW(create_memory_object_stream<int>(-1), argument_error);
  EXPECT_THROW(create_memory_object_stream<int>(-1.0), argument_error);
  EXPECT_THROW(create_memory_object_stream<int>(1.5), argument_error);
  EXPECT_THROW(create_memory_object_stream<int>(std::numeric_limits<double>::quiet_NaN()),
               argument_error);
  try {
    (void)create_memory_object_stream<int>(-1);
    ADD_FAILURE() << "negative max_buffer_size accepted";
  } catch (const argument_error& e) {
    EXPECT_NE(std::string(e.what()).find("max_buffer_size"), std::string::npos) << e.what();
  }
  auto [tx, rx] = create_memory_object_stream<int>(std::numeric_limits<double>::infinity());
  EXPECT_EQ(tx.statistics().max_buffer_size, unbounded);
  for (int i = 0; i < 1000; ++i) tx.send_nowait(i);  // never would_block
  EXPECT_EQ(rx.statistics().current_buffer_used, 1000u);
  auto [tx2, rx2] = create_memory_object_stream<int>(unbounded);
  EXPECT_EQ(rx2.statistics().max_buffer_size, unbounded);
  EXPECT_EQ(create_memory_object_stream<int>(3.0).first.statistics().max_buffer_size, 3u);
}

TEST_P(memory_stream_suite, P77_zero_buffer_is_a_rendezvous) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>();
    std::vector<str> received;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        received.push_back(co_await rx.receive());
        received.push_back(co_await rx.receive());
      });
      co_await wait_all_tasks_blocked();
      co_await tx.send("hello");
      co_await tx.send("anyio");
    });
    EXPECT_EQ(received, (std::vector<str>{"hello", "anyio"}));
  });
}

TEST_P(memory_stream_suite, P78_send_nowait_hands_items_to_waiting_receivers) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>(0);
    std::vector<str> received;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (int i = 0; i < 2; ++i) {
        tg.start_soon([&]() -> task<void> { received.push_back(co_await rx.receive()); });
      }
      co_await wait_all_tasks_blocked();
      tx.send_nowait("hello");
      tx.send_nowait("anyio");
      EXPECT_EQ(rx.statistics().tasks_waiting_receive, 0u);
    });
    std::sort(received.begin(), received.end());
    EXPECT_EQ(received, (std::vector<str>{"anyio", "hello"}));
  });
}

TEST_P(memory_stream_suite, P79_buffered_items_come_out_in_fifo_order) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>(2);
    tx.send_nowait("hello");
    tx.send_nowait("anyio");
    EXPECT_THROW(tx.send_nowait("full"), would_block);
    EXPECT_EQ(rx.receive_nowait(), "hello");
    EXPECT_EQ(rx.receive_nowait(), "anyio");
    EXPECT_THROW(rx.receive_nowait(), would_block);
    co_return;
  });
}

TEST_P(memory_stream_suite, P80_iteration_gets_every_item_and_ends_when_sender_closes) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>();
    std::vector<str> received;
    bool ended = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        while (auto item = co_await rx.receive_or_end()) received.push_back(std::move(*item));
        ended = true;
      });
      co_await tx.send("hello");
      co_await tx.send("anyio");
      tx.close();
    });
    EXPECT_TRUE(ended);
    EXPECT_EQ(received, (std::vector<str>{"hello", "anyio"}));
  });
}

TEST_P(memory_stream_suite, P81_closed_send_end) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>(1);
    tx.close();
    EXPECT_THROW(rx.receive_nowait(), end_of_stream);
    EXPECT_THROW(co_await tx.send("x"), closed_resource_error);
    EXPECT_THROW(tx.send_nowait("x"), closed_resource_error);
    EXPECT_THROW(co_await rx.receive(), end_of_stream);
  });
}

TEST_P(memory_stream_suite, P82_closed_receive_end) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>(1);
    rx.close();
    EXPECT_THROW(rx.receive_nowait(), closed_resource_error);
    EXPECT_THROW(co_await rx.receive(), closed_resource_error);
    EXPECT_THROW(co_await tx.send("x"), broken_resource_error);
    EXPECT_THROW(tx.send_nowait("x"), broken_resource_error);
  });
}

TEST_P(memory_stream_suite, P83_cancelled_receiver_and_sender_are_withdrawn) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> { (void)co_await rx.receive(); });
      co_await wait_all_tasks_blocked();
      tg.cancel();
    });
    EXPECT_EQ(tx.statistics().tasks_waiting_receive, 0u);
    EXPECT_THROW(tx.send_nowait("hello"), would_block);

    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> { co_await tx.send("hello"); });
      co_await wait_all_tasks_blocked();
      tg.cancel();
    });
    EXPECT_EQ(rx.statistics().tasks_waiting_send, 0u);
    EXPECT_THROW(rx.receive_nowait(), would_block);
  });
}

TEST_P(memory_stream_suite, P84_an_end_is_closed_only_when_every_clone_is) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>(1);
    auto tx2 = tx.clone();
    auto rx2 = rx.clone();
    EXPECT_EQ(tx.statistics().open_send_streams, 2u);
    EXPECT_EQ(rx.statistics().open_receive_streams, 2u);
    tx.close();
    rx.close();
    tx2.send_nowait("hello");
    EXPECT_EQ(rx2.receive_nowait(), "hello");
    EXPECT_EQ(rx2.statistics().open_send_streams, 1u);
    tx2.close();
    EXPECT_THROW(rx2.receive_nowait(), end_of_stream);
    co_return;
  });
}

TEST_P(memory_stream_suite, P85_clone_of_closed_end_is_closed_resource_error) {
  auto [tx, rx] = create_memory_object_stream<str>();
  tx.close();
  rx.close();
  EXPECT_THROW((void)tx.clone(), closed_resource_error);
  EXPECT_THROW((void)rx.clone(), closed_resource_error);
}

TEST_P(memory_stream_suite, P86_blocked_receiver_gets_end_of_stream_when_senders_close) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>();
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> { (void)co_await rx.receive(); });
        co_await wait_all_tasks_blocked();
        tx.close();
      });
      ADD_FAILURE() << "the group did not raise";
    } catch (const exception_group& g) {
      CO_ASSERT(g.size() == 1u);
      EXPECT_TRUE(exception_group::is<end_of_stream>(g.exceptions()[0]));
    }
  });
}

TEST_P(memory_stream_suite, P87_blocked_sender_gets_broken_resource_even_for_zero_like_items) {
  run_virtual([]() -> task<void> {
    auto check = [](auto zero) -> task<void> {
      using T = decltype(zero);
      auto [tx, rx] = create_memory_object_stream<T>();
      bool broken = false;
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          try {
            co_await tx.send(zero);
          } catch (const broken_resource_error&) {
            broken = true;
          }
        });
        co_await wait_all_tasks_blocked();
        rx.close();
      });
      EXPECT_TRUE(broken) << typeid(T).name();
    };
    co_await check(0);
    co_await check(std::optional<int>{});
    co_await check(std::string{});
    co_await check(static_cast<const void*>(nullptr));
  });
}

TEST_P(memory_stream_suite, P88_buffered_item_survives_send_close) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>(1);
    co_await tx.send("hello");
    tx.close();
    EXPECT_EQ(co_await rx.receive(), "hello");
    EXPECT_THROW(co_await rx.receive(), end_of_stream);
  });
}

TEST_P(memory_stream_suite, P89_close_is_synchronous_and_idempotent) {
  run_virtual([]() -> task<void> {
    auto [tx, rx] = create_memory_object_stream<str>(1);
    tx.close();
    tx.close();
    rx.close();
    rx.close();
    EXPECT_THROW(tx.send_nowait("x"), closed_resource_error);
    EXPECT_THROW(rx.receive_nowait(), closed_resource_error);
    EXPECT_EQ(tx.statistics().open_send_streams, 0u);
    EXPECT_EQ(tx.statistics().open_receive_streams, 0u);

    // Scoped: each end closed by its owner (its destructor) after use, with no error.
    auto [tx2, rx2] = create_memory_object_stream<str>();
    std::vector<str> got;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&, s = std::move(tx2)]() mutable -> task<void> {
        send_stream<str> mine = std::move(s);
        co_await mine.send("hello");
        mine.close();
      });
      tg.start_soon([&, r = std::move(rx2)]() mutable -> task<void> {
        receive_stream<str> mine = std::move(r);
        got.push_back(co_await mine.receive());
        mine.close();
      });
      co_return;
    });
    EXPECT_EQ(got, std::vector<str>{"hello"});
  });
}

TEST_P(memory_stream_suite, P90_destroying_last_handle_closes_the_end) {
  run_virtual([]() -> task<void> {
    std::optional<send_stream<str>> tx;
    std::optional<receive_stream<str>> rx;
    {
      auto [t, r] = create_memory_object_stream<str>();
      tx.emplace(std::move(t));
      rx.emplace(std::move(r));
    }
    bool ended = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        try {
          (void)co_await rx->receive();
        } catch (const end_of_stream&) {
          ended = true;
        }
      });
      co_await wait_all_tasks_blocked();
      tx.reset();  // never closed explicitly
    });
    EXPECT_TRUE(ended);

    auto [tx2, rx2] = create_memory_object_stream<str>();
    std::optional<receive_stream<str>> rx_only(std::move(rx2));
    bool broken = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        try {
          co_await tx2.send("x");
        } catch (const broken_resource_error&) {
          broken = true;
        }
      });
      co_await wait_all_tasks_blocked();
      rx_only.reset();
    });
    EXPECT_TRUE(broken);
  });
}

HF_CONFORMANCE_SUITE(memory_stream_suite);
}  // namespace
}  // namespace hf::rt::testing
