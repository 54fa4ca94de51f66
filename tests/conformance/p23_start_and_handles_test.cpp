// Spec 10.4 and 10.5 (P-23 .. P-30): start() with task status, task handles.
#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class start_and_handles : public conformance {};

TEST_P(start_and_handles, P23_start_returns_started_value_and_child_keeps_running) {
  run_virtual([]() -> task<void> {
    bool child_finished = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      int v = co_await tg.start<int>([&](task_status<int>& st) -> task<void> {
        st.started(7);
        co_await sleep(1s);
        child_finished = true;
      });
      EXPECT_EQ(v, 7);
      EXPECT_FALSE(child_finished);
      co_await tg.start([](task_status<>& st) -> task<void> {
        st.started();
        co_return;
      });
    });
    EXPECT_TRUE(child_finished);
  });
}

TEST_P(start_and_handles, P24_second_started_is_usage_error_in_child) {
  run_virtual([]() -> task<void> {
    bool second_failed = false;
    int v = 0;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      v = co_await tg.start<int>([&](task_status<int>& st) -> task<void> {
        st.started(1);
        try {
          st.started(2);
        } catch (const usage_error& e) {
          second_failed = std::string(e.what()).find("twice") != std::string::npos;
        }
        co_return;
      });
    });
    EXPECT_EQ(v, 1);
    EXPECT_TRUE(second_failed);
  });
}

TEST_P(start_and_handles, P25_error_before_started_is_raised_by_start_unwrapped) {
  run_virtual([]() -> task<void> {
    bool caught = false, host_continued = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      try {
        co_await tg.start([](task_status<>&) -> task<void> {
          co_await checkpoint();
          throw std::runtime_error("E");
        });
      } catch (const std::runtime_error& e) {
        caught = std::string(e.what()) == "E";
      }
      co_await checkpoint();  // the group is not cancelled
      host_continued = true;
      EXPECT_FALSE(tg.cancel_called());
    });
    EXPECT_TRUE(caught);
    EXPECT_TRUE(host_continued);
  });
}

TEST_P(start_and_handles, P26_error_right_after_started_fails_the_group) {
  run_virtual([]() -> task<void> {
    int v = 0;
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        v = co_await tg.start<int>([](task_status<int>& st) -> task<void> {
          st.started(2);
          throw std::runtime_error("E");
          co_return;
        });
      });
      ADD_FAILURE();
    } catch (const exception_group& g) {
      EXPECT_EQ(g.size(), 1u);
      EXPECT_EQ(describe(g.exceptions()[0]), "E");
    }
    EXPECT_EQ(v, 2);
  });
}

TEST_P(start_and_handles, P27_returning_without_started_is_usage_error) {
  run_virtual([]() -> task<void> {
    bool caught = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      try {
        co_await tg.start([](task_status<>&) -> task<void> { co_return; });
      } catch (const usage_error& e) {
        caught = std::string(e.what()).find("without calling started") != std::string::npos;
      }
    });
    EXPECT_TRUE(caught);
  });
}

TEST_P(start_and_handles, P28_start_with_handle) {
  run_virtual([]() -> task<void> {
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto h = co_await tg.start_with_handle<int>(
          [](task_status<int>& st, int a, int b) -> task<int> {
            st.started(3);
            co_await checkpoint();
            co_return a + b;
          },
          4, 5);
      EXPECT_EQ(h.start_value<int>(), 3);
      EXPECT_EQ(co_await h, 9);
      auto h2 = co_await tg.start_with_handle<int>([](task_status<int>& st) -> task<int> {
        st.started(3);
        co_await sleep_forever();
        co_return 0;
      });
      h2.cancel();
      co_await h2.wait();
      EXPECT_EQ(h2.status(), task_status_code::cancelled);
      EXPECT_EQ(h2.start_value<int>(), 3);
    });
  });
}

TEST_P(start_and_handles, P29_handle_value_wait_and_not_finished) {
  run_virtual([]() -> task<void> {
    task_handle<int> h;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      h = tg.start_soon([]() -> task<int> {
        co_await sleep(1s);
        co_return 5;
      });
      EXPECT_THROW(h.return_value(), task_not_finished);
      EXPECT_EQ(h.status(), task_status_code::pending);
      EXPECT_EQ(co_await h, 5);
      co_await h.wait();  // again, after it finished
    });
    EXPECT_EQ(h.return_value(), 5);
    EXPECT_EQ(h.exception(), nullptr);
    // start_value on a start_soon handle is a usage error.
    EXPECT_THROW(h.start_value<int>(), usage_error);
  });
}

struct not_std_error {
  int code;
};

TEST_P(start_and_handles, P30_failed_task_handle) {
  run_virtual([]() -> task<void> {
    task_handle<int> h;
    bool awaited_failed = false;
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        h = tg.start_soon([]() -> task<int> {
          co_await checkpoint();
          throw std::runtime_error("E");
        });
        co_await h.wait();
        try {
          co_await h;
        } catch (const task_failed& f) {
          awaited_failed = describe(f.cause()) == "E";
        }
      });
    } catch (const exception_group& g) {
      EXPECT_EQ(g.size(), 1u);
    }
    EXPECT_TRUE(awaited_failed);
    EXPECT_EQ(h.status(), task_status_code::failed);
    EXPECT_EQ(describe(h.exception()), "E");
    EXPECT_THROW(h.return_value(), task_failed);
    // E-5: a thrown object not derived from std::exception is collected too.
    try {
      co_await with_task_group([&](task_group& tg) -> task<void> {
        tg.start_soon([]() -> task<void> {
          co_await checkpoint();
          throw not_std_error{3};
        });
        co_return;
      });
      ADD_FAILURE();
    } catch (const exception_group& g) {
      CO_ASSERT(g.size() == 1u);
      EXPECT_TRUE(exception_group::is<not_std_error>(g.exceptions()[0]));
    }
  });
}

TEST_P(start_and_handles, G6_handle_cancel_does_not_fail_the_group) {
  run_virtual([]() -> task<void> {
    bool sibling_done = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      auto h = tg.start_soon([]() -> task<void> { co_await sleep_forever(); });
      tg.start_soon([&]() -> task<void> {
        co_await sleep(1s);
        sibling_done = true;
      });
      co_await wait_all_tasks_blocked();
      h.cancel();
      EXPECT_EQ(h.status(), task_status_code::cancelling);
      co_await h.wait();
      EXPECT_EQ(h.status(), task_status_code::cancelled);
      EXPECT_THROW(h.return_value(), task_cancelled);
      EXPECT_THROW(h.exception(), task_cancelled);
    });
    EXPECT_TRUE(sibling_done);
  });
}

HF_CONFORMANCE_SUITE(start_and_handles);
}  // namespace
}  // namespace hf::rt::testing
