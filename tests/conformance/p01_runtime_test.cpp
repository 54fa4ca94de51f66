// Spec 10.1 (P-1 .. P-6): run, clock, task identity, wait_all_tasks_blocked, objects made before run.
#include "conformance/harness.hpp"

#include <algorithm>
#include <set>

namespace hf::rt::testing {
namespace {

class runtime_basics : public conformance {};

TEST_P(runtime_basics, P01_run_returns_value_and_propagates_exceptions) {
  EXPECT_EQ(run_virtual([]() -> task<int> { co_return 42; }), 42);
  EXPECT_THROW(run_virtual([]() -> task<void> {
                 co_await checkpoint();
                 throw std::runtime_error("boom");
               }),
               std::runtime_error);
}

TEST(runtime_backends, P01_unknown_backend_names_it_and_never_runs_entry) {
  bool ran = false;
  try {
    rt::run([&]() -> task<void> {
      ran = true;
      co_return;
    }, {.backend = "no-such-backend"});
    FAIL() << "expected unknown_backend_error";
  } catch (const unknown_backend_error& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-backend"), std::string::npos);
  }
  EXPECT_FALSE(ran);
}

TEST_P(runtime_basics, P02_sleep_until_and_sleep_forever) {
  run_virtual([]() -> task<void> {
    time_point start = current_time();
    co_await sleep_until(start + 2s);
    EXPECT_GE(current_time(), start + 2s);
    // In the past: still a checkpoint (a cancelled scope makes it raise).
    cancel_scope sc;
    sc.cancel();
    bool after = false;
    co_await sc.run([&]() -> task<void> {
      co_await sleep_until(start);
      after = true;
    });
    EXPECT_FALSE(after);
    EXPECT_TRUE(sc.cancelled_caught());
    auto forever = cancel_scope::move_on_after(50ms);
    co_await forever.run([]() -> task<void> { co_await sleep_forever(); });
    EXPECT_TRUE(forever.cancelled_caught());
  });
}

TEST_P(runtime_basics, P03_virtual_clock_sleep_is_exact_and_fast) {
  auto real_start = std::chrono::steady_clock::now();
  double elapsed = run_virtual([]() -> task<double> {
    time_point t0 = current_time();
    co_await sleep(10s);
    co_return secs(current_time() - t0);
  });
  EXPECT_DOUBLE_EQ(elapsed, 10.0);
  EXPECT_LT(std::chrono::steady_clock::now() - real_start, 1s);
}

TEST_P(runtime_basics, P04_task_identity_names_and_parents) {
  run_virtual([]() -> task<void> {
    task_info host = get_current_task();
    std::set<std::uint64_t> ids;
    std::vector<task_info> children;

    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        children.push_back(get_current_task());
        // A grandchild spawned by a child still reports the host as parent.
        tg.start_soon([&]() -> task<void> {
          children.push_back(get_current_task());
          co_return;
        }, "grandchild");
        co_return;
      }, "custom name");
      tg.start_soon([&]() -> task<void> {
        children.push_back(get_current_task());
        co_return;
      }, "");
      co_return;
    });
    CO_ASSERT(children.size() == 3u);
    int custom = 0, grandchild = 0, defaulted = 0;
    for (auto& c : children) {
      EXPECT_EQ(c.parent_id, host.id);
      ids.insert(c.id);
      custom += c.name == "custom name";
      grandchild += c.name == "grandchild";
      defaulted += c.name.rfind("task@", 0) == 0;  // "" asks for the default: non-empty
    }
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_EQ(custom + grandchild + defaulted, 3);
  });
}

TEST_P(runtime_basics, P04_get_running_tasks_lists_waiting_children) {
  run_virtual([]() -> task<void> {
    task_info host = get_current_task();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([]() -> task<void> { co_await sleep_forever(); }, "waiter-1");
      tg.start_soon([]() -> task<void> { co_await sleep_forever(); }, "waiter-2");
      co_await wait_all_tasks_blocked();
      auto tasks = get_running_tasks();
      int found = 0;
      for (auto& t : tasks) {
        if (t.name == "waiter-1" || t.name == "waiter-2") {
          ++found;
          EXPECT_EQ(t.parent_id, host.id);
        }
      }
      EXPECT_EQ(found, 2);
      tg.cancel();
    });
  });
}

TEST_P(runtime_basics, P05_wait_all_tasks_blocked_sees_child_leave_expired_scope) {
  run_virtual([]() -> task<void> {
    bool left = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      co_await tg.start([&](task_status<>& st) -> task<void> {
        st.started();
        co_await move_on_after(-1s, [&]() -> task<void> { co_await sleep_forever(); });
        left = true;
      });
      co_await wait_all_tasks_blocked();
      EXPECT_TRUE(left);
    });
  });
}

HF_CONFORMANCE_SUITE(runtime_basics);
}  // namespace
}  // namespace hf::rt::testing
