// Spec 10.6 and 10.7 (P-31 .. P-39): cancel scopes and shielding.
#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class cancel_scopes : public conformance {};

TEST_P(cancel_scopes, P31_cancel_before_entering) {
  run_virtual([]() -> task<void> {
    cancel_scope sc;
    sc.cancel();
    bool after = false;
    time_point t0 = current_time();
    co_await sc.run([&]() -> task<void> {
      co_await sleep(1s);
      after = true;
    });
    EXPECT_FALSE(after);
    EXPECT_TRUE(sc.cancelled_caught());
    EXPECT_EQ(current_time(), t0);
  });
}

TEST_P(cancel_scopes, P32_expired_scope_leaves_no_pending_cancellation) {
  run_virtual([]() -> task<void> {
    co_await move_on_after(100ms, []() -> task<void> { co_await sleep(1s); });
    co_await checkpoint();  // must not raise
    EXPECT_FALSE(get_current_task().has_pending_cancellation());
  });
}

TEST_P(cancel_scopes, P33_reason_and_task_name_in_message_first_reason_kept) {
  run_virtual([]() -> task<void> {
    cancel_scope sc;
    std::string message;
    co_await sc.run([&]() -> task<void> {
      sc.cancel("test reason");
      sc.cancel("other");
      try {
        co_await checkpoint();
      } catch (const cancelled& c) {
        message = c.message();
        throw;
      }
    });
    EXPECT_NE(message.find("test reason"), std::string::npos) << message;
    EXPECT_NE(message.find(get_current_task().name), std::string::npos) << message;
    EXPECT_EQ(message.find("other"), std::string::npos) << message;
  });
}

TEST_P(cancel_scopes, P34_scope_object_cannot_be_entered_twice) {
  // The binding exposes scopes only through run(body), so wrong-order or wrong-task exits cannot be
  // written; entering the same object twice is the misuse that remains.
  run_virtual([]() -> task<void> {
    cancel_scope sc;
    co_await sc.run([]() -> task<void> { co_return; });
    bool threw = false;
    try {
      co_await sc.run([]() -> task<void> { co_return; });
    } catch (const usage_error&) {
      threw = true;
    }
    EXPECT_TRUE(threw);
    // Nested re-entry while active.
    cancel_scope outer;
    bool nested_threw = false;
    co_await outer.run([&]() -> task<void> {
      try {
        co_await outer.run([]() -> task<void> { co_return; });
      } catch (const usage_error&) {
        nested_threw = true;
      }
    });
    EXPECT_TRUE(nested_threw);
  });
}

TEST_P(cancel_scopes, P35_cancelled_wrapped_in_group_is_absorbed) {
  run_virtual([]() -> task<void> {
    cancel_scope sc;
    co_await sc.run([&]() -> task<void> {
      sc.cancel();
      try {
        co_await sleep_forever();
      } catch (const cancelled&) {
        throw exception_group("wrapped", {std::current_exception()});
      }
    });
    EXPECT_TRUE(sc.cancelled_caught());
  });
}

TEST_P(cancel_scopes, C7_group_with_real_failure_and_cancelled_is_reduced) {
  run_virtual([]() -> task<void> {
    cancel_scope sc;
    try {
      co_await sc.run([&]() -> task<void> {
        sc.cancel();
        std::exception_ptr c;
        try {
          co_await checkpoint();
        } catch (const cancelled&) {
          c = std::current_exception();
        }
        throw exception_group("mixed", {c, std::make_exception_ptr(std::runtime_error("real"))});
      });
      ADD_FAILURE();
    } catch (const exception_group& g) {
      EXPECT_EQ(g.size(), 1u);
      EXPECT_FALSE(g.contains<cancelled>());
    }
    EXPECT_TRUE(sc.cancelled_caught());
  });
}

TEST_P(cancel_scopes, P36_shielded_sleep_survives_group_cancel) {
  run_virtual([]() -> task<void> {
    bool shielded_done = false, after = false;
    auto shield = cancel_scope::move_on_after(10s, /*shield=*/true);
    bool group_cancel_called = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await wait_all_tasks_blocked();
        tg.cancel();
      });
      co_await shield.run([&]() -> task<void> {
        co_await sleep(100ms);
        shielded_done = true;
      });
      group_cancel_called = tg.cancel_called();
      co_await sleep(1s);
      after = true;
    });
    EXPECT_TRUE(shielded_done);
    EXPECT_FALSE(after);
    EXPECT_TRUE(shield.shield());
    EXPECT_FALSE(shield.cancel_called());
    EXPECT_TRUE(group_cancel_called);
  });
}

TEST_P(cancel_scopes, P37_cancel_from_inside_shield_and_shielded_cleanup) {
  run_virtual([]() -> task<void> {
    int raises = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      co_await shielded([&]() -> task<void> {
        tg.cancel();
        EXPECT_EQ(current_effective_deadline(), no_deadline);
        EXPECT_FALSE(get_current_task().has_pending_cancellation());
        co_await checkpoint();
      });
      EXPECT_EQ(current_effective_deadline(), past_deadline);
      EXPECT_TRUE(get_current_task().has_pending_cancellation());
      for (int i = 0; i < 2; ++i) {
        try {
          co_await sleep(10ms);
        } catch (const cancelled&) {
          ++raises;
        }
      }
      // Cleanup after a raise still sees the cancellation; a nested shield hides it.
      try {
        co_await checkpoint();
      } catch (const cancelled&) {
        EXPECT_TRUE(get_current_task().has_pending_cancellation());
      }
      co_await shielded([&]() -> task<void> {
        EXPECT_FALSE(get_current_task().has_pending_cancellation());
        EXPECT_EQ(current_effective_deadline(), no_deadline);
        co_return;
      });
      EXPECT_TRUE(get_current_task().has_pending_cancellation());
      EXPECT_EQ(current_effective_deadline(), past_deadline);
    });
    EXPECT_EQ(raises, 2);
  });
}

TEST_P(cancel_scopes, P38_shielded_scope_can_be_cancelled_itself) {
  run_virtual([]() -> task<void> {
    cancel_scope sc(no_deadline, /*shield=*/true);
    co_await sc.run([&]() -> task<void> {
      sc.cancel();
      EXPECT_EQ(current_effective_deadline(), past_deadline);
      EXPECT_TRUE(get_current_task().has_pending_cancellation());
      co_await checkpoint();
      ADD_FAILURE() << "not reached";
    });
    EXPECT_TRUE(sc.cancelled_caught());
    // Cancelled from another task while it sleeps.
    cancel_scope sc2(no_deadline, /*shield=*/true);
    bool after = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await sc2.run([&]() -> task<void> {
          co_await sleep(500ms);
          after = true;
        });
      });
      co_await wait_all_tasks_blocked();
      sc2.cancel();
    });
    EXPECT_FALSE(after);
  });
}

TEST_P(cancel_scopes, P39_shield_hides_outer_deadline) {
  run_virtual([]() -> task<void> {
    co_await move_on_after(10s, [&]() -> task<void> {
      co_await shielded([&]() -> task<void> {
        co_await move_on_after(1000s, [&]() -> task<void> {
          EXPECT_GT(secs(current_effective_deadline() - current_time()), 900.0);
          co_return;
        });
      });
    });
  });
}

TEST_P(cancel_scopes, C8_clearing_shield_exposes_pending_cancel_to_blocked_task) {
  run_virtual([]() -> task<void> {
    cancel_scope shield(no_deadline, /*shield=*/true);
    bool after = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await shield.run([&]() -> task<void> {
          co_await sleep(100s);
          after = true;
        });
      });
      co_await wait_all_tasks_blocked();
      tg.cancel();
      co_await shielded([&]() -> task<void> {
        co_await wait_all_tasks_blocked();  // child still asleep behind its shield
        shield.set_shield(false);           // now it must wake and raise
        co_return;
      });
    });
    EXPECT_FALSE(after);
  });
}

HF_CONFORMANCE_SUITE(cancel_scopes);
}  // namespace
}  // namespace hf::rt::testing
