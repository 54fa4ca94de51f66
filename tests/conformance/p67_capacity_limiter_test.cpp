// Spec 10.13 (P-67 .. P-75): CapacityLimiter — total_tokens checks, borrowing, mutual exclusion,
// misuse, raising total_tokens, the default thread limiter, FIFO order, nowait / on-behalf-of.
#include "runtime/sync/capacity_limiter.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class limiter_suite : public conformance {};

constexpr double inf = std::numeric_limits<double>::infinity();

void check_total_tokens_rules() {
  EXPECT_EQ(capacity_limiter(0).total_tokens(), 0u);
  EXPECT_EQ(capacity_limiter(3).total_tokens(), 3u);
  EXPECT_EQ(capacity_limiter(inf).total_tokens(), unbounded);
  EXPECT_EQ(capacity_limiter(unbounded).available_tokens(), unbounded);
  EXPECT_EQ(capacity_limiter(2.0).total_tokens(), 2u);
  EXPECT_THROW(capacity_limiter(-1), argument_error);
  EXPECT_THROW(capacity_limiter(-inf), argument_error);
  EXPECT_THROW(capacity_limiter(1.5), argument_error);
  EXPECT_THROW(capacity_limiter(std::numeric_limits<double>::quiet_NaN()), argument_error);
  try {
    capacity_limiter bad(-1);
    ADD_FAILURE() << "negative total_tokens accepted";
  } catch (const argument_error& e) {
    EXPECT_NE(std::string(e.what()).find("total_tokens"), std::string::npos) << e.what();
  }
  capacity_limiter lim(1);
  lim.set_total_tokens(inf);
  EXPECT_EQ(lim.total_tokens(), unbounded);
  lim.set_total_tokens(0);
  EXPECT_EQ(lim.total_tokens(), 0u);
  EXPECT_THROW(lim.set_total_tokens(-1), argument_error);
  EXPECT_THROW(lim.set_total_tokens(0.5), argument_error);
  EXPECT_EQ(lim.total_tokens(), 0u);  // a rejected value changes nothing
}

TEST_P(limiter_suite, P67_total_tokens_checks_before_and_inside_run) {
  check_total_tokens_rules();
  run_virtual([]() -> task<void> {
    check_total_tokens_rules();
    co_return;
  });
}

TEST_P(limiter_suite, P67_zero_tokens_blocks_until_raised) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(0);
    EXPECT_THROW(lim.acquire_nowait(), would_block);
    bool got = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        auto g = co_await lim.scoped();
        got = true;
      });
      co_await wait_all_tasks_blocked();
      EXPECT_FALSE(got);
      lim.set_total_tokens(1);
    });
    EXPECT_TRUE(got);
  });
}

TEST_P(limiter_suite, P68_borrow_counts) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(2);
    EXPECT_EQ(lim.total_tokens(), 2u);
    EXPECT_EQ(lim.available_tokens(), 2u);
    EXPECT_EQ(lim.borrowed_tokens(), 0u);
    {
      auto g = co_await lim.scoped();
      EXPECT_EQ(lim.total_tokens(), 2u);
      EXPECT_EQ(lim.available_tokens(), 1u);
      EXPECT_EQ(lim.borrowed_tokens(), 1u);
    }
    EXPECT_EQ(lim.available_tokens(), 2u);
    EXPECT_EQ(lim.borrowed_tokens(), 0u);
  });
}

TEST_P(limiter_suite, P69_one_token_never_has_two_holders) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(1);
    int inside = 0, max_inside = 0, rounds = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      for (int t = 0; t < 3; ++t) {
        tg.start_soon([&]() -> task<void> {
          for (int i = 0; i < 5; ++i) {
            auto g = co_await lim.scoped();
            ++inside;
            max_inside = std::max(max_inside, inside);
            co_await sleep(0s);
            co_await checkpoint();
            --inside;
            ++rounds;
          }
        });
      }
      co_return;
    });
    EXPECT_EQ(max_inside, 1);
    EXPECT_EQ(rounds, 15);
  });
}

TEST_P(limiter_suite, P70_borrowing_twice_is_usage_error) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(2);
    co_await lim.acquire();
    try {
      co_await lim.acquire();
      ADD_FAILURE() << "second borrow succeeded";
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find("already holding one of this CapacityLimiter's tokens"),
                std::string::npos)
          << e.what();
    }
    EXPECT_THROW(lim.acquire_nowait(), usage_error);
    int obj = 0;
    lim.acquire_on_behalf_of_nowait(&obj);
    EXPECT_THROW(lim.acquire_on_behalf_of_nowait(&obj), usage_error);
    EXPECT_THROW(co_await lim.acquire_on_behalf_of(&obj), usage_error);
    EXPECT_EQ(lim.borrowed_tokens(), 2u);
    lim.release();
    lim.release_on_behalf_of(&obj);
  });
}

TEST_P(limiter_suite, P71_release_without_token_is_usage_error) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(1);
    EXPECT_THROW(lim.release(), usage_error);
    int obj = 0;
    EXPECT_THROW(lim.release_on_behalf_of(&obj), usage_error);
    co_await lim.acquire();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        EXPECT_THROW(lim.release(), usage_error);  // the token belongs to the host
        co_return;
      });
      co_return;
    });
    lim.release();
  });
}

TEST_P(limiter_suite, P72_raising_total_lets_waiter_in) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(1);
    bool b_in = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {  // A
        auto g = co_await lim.scoped();
        co_await sleep_forever();
      });
      co_await wait_all_tasks_blocked();
      auto b = tg.start_soon([&]() -> task<void> {
        auto g = co_await lim.scoped();
        b_in = true;
      });
      co_await wait_all_tasks_blocked();
      EXPECT_FALSE(b_in);
      lim.set_total_tokens(2);
      EXPECT_EQ(lim.borrowed_tokens(), 2u);  // handed over inside the setter
      co_await fail_after(1s, [&]() -> task<void> { co_await b.wait(); });
      tg.cancel();
    });
    EXPECT_TRUE(b_in);
  });
}

TEST_P(limiter_suite, P72_raising_total_lets_all_workers_in) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(1);
    int inside = 0;
    event all_in;
    auto worker = [&]() -> task<void> {
      auto g = co_await lim.scoped();
      if (++inside == 3) all_in.set();
      co_await sleep_forever();
    };
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon(worker);
      tg.start_soon(worker);
      co_await wait_all_tasks_blocked();
      EXPECT_EQ(inside, 1);
      lim.set_total_tokens(3);
      tg.start_soon(worker);
      co_await fail_after(1s, [&]() -> task<void> { co_await all_in.wait(); });
      EXPECT_EQ(inside, 3);
      tg.cancel();
    });
  });
}

TEST_P(limiter_suite, P73_default_thread_limiter_has_40_tokens_and_is_adjustable) {
  run_virtual([]() -> task<void> {
    capacity_limiter& lim = default_thread_limiter();
    EXPECT_EQ(lim.total_tokens(), 40u);
    EXPECT_EQ(&lim, &default_thread_limiter());
    lim.set_total_tokens(3);
    EXPECT_EQ(default_thread_limiter().total_tokens(), 3u);
    co_return;
  });
  run_virtual([]() -> task<void> {
    // A later run starts from the default again.
    EXPECT_EQ(default_thread_limiter().total_tokens(), 40u);
    co_return;
  });
  EXPECT_THROW(default_thread_limiter(), usage_error);
}

TEST_P(limiter_suite, P74_waiters_enter_in_fifo_order) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(1);
    std::vector<int> order;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      co_await lim.acquire();
      for (int i = 0; i < 3; ++i) {
        tg.start_soon([&, i]() -> task<void> {
          auto g = co_await lim.scoped();
          order.push_back(i);
        });
        co_await wait_all_tasks_blocked();  // task i queues before task i+1 starts
      }
      lim.release();
    });
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  });
}

TEST_P(limiter_suite, P75_nowait_and_on_behalf_of) {
  run_virtual([]() -> task<void> {
    capacity_limiter lim(1);
    co_await lim.acquire();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        EXPECT_THROW(lim.acquire_nowait(), would_block);
        co_return;
      });
      co_return;
    });
    lim.release();

    int b1 = 0, b2 = 0;
    lim.acquire_on_behalf_of_nowait(&b1);
    EXPECT_THROW(lim.acquire_on_behalf_of_nowait(&b2), would_block);
    auto stats = lim.statistics();
    CO_ASSERT(stats.borrowers.size() == 1u);
    EXPECT_EQ(stats.borrowers[0].object, &b1);
    lim.release_on_behalf_of(&b1);
    EXPECT_EQ(lim.available_tokens(), 1u);
    lim.acquire_on_behalf_of_nowait(&b2);
    lim.release_on_behalf_of(&b2);
  });
}

HF_CONFORMANCE_SUITE(limiter_suite);
}  // namespace
}  // namespace hf::rt::testing
