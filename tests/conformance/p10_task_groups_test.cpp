// Spec 10.3 (P-10 .. P-22): task groups, failure collection, cancellation propagation.
#include "conformance/harness.hpp"

#include <optional>
#include <set>

namespace hf::rt::testing {
namespace {

class task_groups : public conformance {};

// Leaves of an exception group described as strings (multiset comparisons).
std::multiset<std::string> leaf_messages(const exception_group& g) {
  std::multiset<std::string> out;
  g.for_each_leaf([&](const std::exception_ptr& p) { out.insert(describe(p)); });
  return out;
}

TEST_P(task_groups, P10_both_children_run) {
  run_virtual([]() -> task<void> {
    std::set<int> values;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await checkpoint();
        values.insert(1);
      });
      tg.start_soon([&]() -> task<void> {
        co_await sleep(10ms);
        values.insert(2);
      });
      co_return;
    });
    EXPECT_EQ(values, (std::set<int>{1, 2}));
  });
}

TEST_P(task_groups, P11_group_waits_for_grandchildren) {
  run_virtual([]() -> task<void> {
    bool grandchild_done = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        tg.start_soon([&]() -> task<void> {
          co_await sleep(1s);
          grandchild_done = true;
        });
        co_return;
      });
      co_return;
    });
    EXPECT_TRUE(grandchild_done);
  });
}

TEST_P(task_groups, P12_spawning_into_exited_group_is_usage_error) {
  run_virtual([]() -> task<void> {
    std::optional<task_group> saved;  // a copy of the handle outlives the group
    co_await with_task_group([&](task_group& tg) -> task<void> {
      saved = tg;
      co_return;
    });
    EXPECT_THROW(saved->start_soon([]() -> task<void> { co_return; }), usage_error);
    bool threw = false;
    try {
      co_await saved->start([](task_status<>& st) -> task<void> {
        st.started();
        co_return;
      });
    } catch (const usage_error& e) {
      threw = std::string(e.what()).find("not active") != std::string::npos;
    }
    EXPECT_TRUE(threw);
    // Also after the group exited with an error.
    std::optional<task_group> failed;
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        failed = tg;
        throw std::runtime_error("x");
      });
    } catch (const exception_group&) {
    }
    EXPECT_THROW(failed->start_soon([]() -> task<void> { co_return; }), usage_error);
  });
}

TEST_P(task_groups, P14_host_exception_cancels_children) {
  run_virtual([]() -> task<void> {
    bool flag = false;
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          co_await sleep(3s);
          flag = true;
        });
        co_await wait_all_tasks_blocked();
        throw std::runtime_error("E");
      });
      ADD_FAILURE() << "expected a group";
    } catch (const exception_group& g) {
      EXPECT_EQ(g.size(), 1u);
      EXPECT_EQ(leaf_messages(g), (std::multiset<std::string>{"E"}));
      EXPECT_FALSE(g.contains<cancelled>());
    }
    EXPECT_FALSE(flag);
  });
}

TEST_P(task_groups, P15_child_failure_cancels_host_and_siblings) {
  run_virtual([]() -> task<void> {
    bool host_after = false, sibling_done = false;
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          co_await wait_all_tasks_blocked();
          throw std::runtime_error("E");
        });
        tg.start_soon([&]() -> task<void> {
          co_await sleep(1s);
          sibling_done = true;
        });
        co_await sleep(500ms);
        host_after = true;
      });
      ADD_FAILURE() << "expected a group";
    } catch (const exception_group& g) {
      EXPECT_EQ(g.size(), 1u);
      EXPECT_EQ(leaf_messages(g), (std::multiset<std::string>{"E"}));
    }
    EXPECT_FALSE(host_after);
    EXPECT_FALSE(sibling_done);
  });
}

TEST_P(task_groups, P16_failures_from_children_and_cleanup_are_all_collected) {
  run_virtual([]() -> task<void> {
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          co_await sleep(100ms);
          throw std::runtime_error("task1");
        });
        tg.start_soon([&]() -> task<void> {
          try {
            co_await sleep(150ms);
          } catch (const cancelled&) {
            throw std::runtime_error("task2");
          }
        });
        co_return;
      });
      ADD_FAILURE();
    } catch (const exception_group& g) {
      EXPECT_EQ(leaf_messages(g), (std::multiset<std::string>{"task1", "task2"}));
    }
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          try {
            co_await sleep_forever();
          } catch (const cancelled&) {
            throw std::runtime_error("child");
          }
        });
        co_await wait_all_tasks_blocked();
        throw std::runtime_error("host");
      });
      ADD_FAILURE();
    } catch (const exception_group& g) {
      EXPECT_EQ(leaf_messages(g), (std::multiset<std::string>{"child", "host"}));
    }
  });
}

TEST_P(task_groups, P17_host_cancelling_own_group_exits_cleanly) {
  run_virtual([]() -> task<void> {
    bool after = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.cancel();
      co_await checkpoint();
      after = true;
    });
    EXPECT_FALSE(after);
  });
}

TEST_P(task_groups, P18_outer_cancel_reaches_nested_group) {
  run_virtual([]() -> task<void> {
    bool after_inner = false, inner_child_done = false;
    co_await with_task_group([&](task_group& outer) -> task<void> {
      outer.start_soon([&]() -> task<void> {
        co_await with_task_group([&](task_group& inner) -> task<void> {
          inner.start_soon([&]() -> task<void> {
            co_await sleep_forever();
            inner_child_done = true;
          });
          co_await sleep_forever();
        });
        after_inner = true;
      });
      co_await wait_all_tasks_blocked();
      outer.cancel();
    });
    EXPECT_FALSE(after_inner);
    EXPECT_FALSE(inner_child_done);
  });
}

TEST_P(task_groups, P19_cancel_twice_in_a_row) {
  run_virtual([]() -> task<void> {
    for (int round = 0; round < 2; ++round) {
      bool after = false;
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([&]() -> task<void> {
          co_await wait_all_tasks_blocked();
          tg.cancel();
        });
        co_await sleep(1s);
        after = true;
      });
      EXPECT_FALSE(after);
    }
  });
}

TEST_P(task_groups, P20_cancel_with_reason_and_unstarted_child) {
  run_virtual([]() -> task<void> {
    std::string message;
    bool child_after = false, child_started = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        child_started = true;
        co_await checkpoint();
        child_after = true;
      });
      tg.cancel("test reason");
      try {
        co_await checkpoint();
      } catch (const cancelled& c) {
        message = c.message();
        throw;
      }
    });
    EXPECT_NE(message.find("test reason"), std::string::npos) << message;
    EXPECT_TRUE(child_started);
    EXPECT_FALSE(child_after);
  });
}

TEST_P(task_groups, P21_host_cancels_scope_inside_child) {
  run_virtual([]() -> task<void> {
    bool host_done = false, child_slept = false;
    bool group_cancel_called = true;
    cancel_scope child_scope;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await child_scope.run([&]() -> task<void> {
          co_await sleep(2s);
          child_slept = true;
        });
      });
      co_await wait_all_tasks_blocked();
      child_scope.cancel();
      co_await sleep(100ms);
      host_done = true;
      group_cancel_called = tg.cancel_called();
    });
    EXPECT_TRUE(host_done);
    EXPECT_FALSE(child_slept);
    EXPECT_FALSE(group_cancel_called);
  });
}

TEST_P(task_groups, P22_scope_in_another_task_is_interrupted_promptly) {
  run_virtual([]() -> task<void> {
    bool after = false;
    time_point t0 = current_time(), t_end{};
    cancel_scope sc;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await sc.run([&]() -> task<void> {
          co_await sleep(2s);
          after = true;
        });
        t_end = current_time();
      });
      co_await wait_all_tasks_blocked();
      sc.cancel();
    });
    EXPECT_FALSE(after);
    EXPECT_LT(secs(t_end - t0), 1.0);
  });
}

HF_CONFORMANCE_SUITE(task_groups);
}  // namespace
}  // namespace hf::rt::testing
