// Continuous batching against the fixture GPT-2: batched sequences give the same tokens as alone,
// a dropped receiver stops its sequence, queue deadlines and a full queue fail clearly (never a
// hang), and shutdown fails everything that waits.
#include "serving/generation/scheduler.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/runtime.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "serving/errors.hpp"

namespace hf::serving {
namespace {

std::filesystem::path gpt2_dir() {
  return std::filesystem::path(HFSERVE_FIXTURES_DIR) / "models" / "gpt2-tiny";
}

class scheduler_test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(gpt2_dir() / "config.json")) GTEST_SKIP() << "no fixtures";
    static std::shared_ptr<const loaded_model> shared = load_model_folder("gpt2-tiny", gpt2_dir());
    model_ = shared;
  }
  generation_request greedy(std::vector<int32_t> prompt, std::size_t max_tokens) {
    generation_request r;
    r.prompt = std::move(prompt);
    r.params.temperature = 0;
    r.params.max_tokens = max_tokens;
    r.params.ignore_eos = true;
    return r;
  }
  std::shared_ptr<const loaded_model> model_;
};

struct outcome {
  std::vector<int32_t> tokens;
  std::string finish;
  std::exception_ptr error;
  std::optional<rt::duration> queue_wait;  // from the first event
  std::size_t events_with_queue_wait = 0;
};

rt::task<outcome> drain(rt::receive_stream<generation_event> events) {
  outcome o;
  bool first = true;
  while (auto ev = co_await events.receive_or_end()) {
    if (first) o.queue_wait = ev->queue_wait;
    first = false;
    if (ev->queue_wait) ++o.events_with_queue_wait;
    if (ev->type == generation_event::kind::token) o.tokens.push_back(ev->token);
    if (ev->type == generation_event::kind::finished) o.finish = ev->finish_reason;
    if (ev->type == generation_event::kind::failed) o.error = ev->error;
  }
  co_return o;
}

TEST_F(scheduler_test, batched_sequences_match_running_alone) {
  std::vector<std::vector<int32_t>> prompts = {{15496, 11, 995}, {40, 1842, 257, 3797, 290, 1110, 13}, {464}};
  auto run_with_batch = [&](std::size_t max_batch) {
    return rt::run([&]() -> rt::task<std::vector<outcome>> {
      rt::capacity_limiter compute(1);
      generation_scheduler s(model_, {.max_batch = max_batch}, &compute);
      std::vector<outcome> results(prompts.size());
      co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
        auto runner = tg.start_soon(s.run());
        co_await rt::with_task_group([&](rt::task_group& clients) -> rt::task<void> {
          for (std::size_t i = 0; i < prompts.size(); ++i) {
            clients.start_soon([&, i]() -> rt::task<void> {
              results[i] = co_await drain(s.submit(greedy(prompts[i], 6 + i)));
            });
          }
          co_return;
        });
        runner.cancel();
      });
      co_return results;
    });
  };
  auto batched = run_with_batch(8);
  auto alone = run_with_batch(1);
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    EXPECT_EQ(batched[i].tokens.size(), 6 + i);
    EXPECT_EQ(batched[i].tokens, alone[i].tokens) << "prompt " << i;
    EXPECT_EQ(batched[i].finish, "length");
  }
}

TEST_F(scheduler_test, dropped_receiver_stops_generation) {
  rt::run([&]() -> rt::task<void> {
    rt::capacity_limiter compute(1);
    generation_scheduler s(model_, {.max_batch = 4}, &compute);
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      auto runner = tg.start_soon(s.run());
      {
        auto events = s.submit(greedy({464}, 200));
        auto first = co_await events.receive();  // generation under way
        EXPECT_EQ(first.type, generation_event::kind::token);
      }  // receiver dropped, as when a client disconnects
      // A second request finishing proves the scheduler has delivered at least one step since the
      // drop; the dropped sequence goes at the first delivery after it (no sleeps, no polling).
      // (A named request: GCC 12 rejects braced lists inside a co_await expression.)
      auto second_request = greedy({464}, 3);
      outcome second = co_await drain(s.submit(std::move(second_request)));
      EXPECT_EQ(second.tokens.size(), 3u);
      EXPECT_EQ(s.stats().active, 0u);
      EXPECT_LT(s.stats().generated_tokens, 200u);
      runner.cancel();
    });
  });
}

TEST_F(scheduler_test, queue_full_and_deadline_fail_instead_of_hanging) {
  auto clock = std::make_shared<rt::virtual_clock>(/*autojump=*/true);
  rt::run([&]() -> rt::task<void> {
    rt::capacity_limiter compute(1);
    generation_scheduler s(model_, {.max_batch = 1, .max_queue = 2}, &compute);
    // Not running yet: requests queue up.
    auto a = s.submit(greedy({464}, 2));
    auto req = greedy({464}, 2);
    req.deadline = rt::current_time() + std::chrono::seconds(5);
    auto b = s.submit(std::move(req));
    EXPECT_THROW(s.submit(greedy({464}, 2)), serving_error);
    co_await rt::sleep(std::chrono::seconds(10));  // b's deadline passes while queued
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      auto runner = tg.start_soon(s.run());
      outcome oa = co_await drain(std::move(a));
      outcome ob = co_await drain(std::move(b));
      EXPECT_EQ(oa.tokens.size(), 2u);
      EXPECT_TRUE(ob.error);
      // Both waited the 10 virtual seconds before run(): a until it was admitted, b until it
      // expired. Only the first event of each says so.
      EXPECT_EQ(oa.queue_wait, std::chrono::seconds(10));
      EXPECT_EQ(ob.queue_wait, std::chrono::seconds(10));
      EXPECT_EQ(oa.events_with_queue_wait, 1u);
      EXPECT_EQ(ob.events_with_queue_wait, 1u);
      try {
        std::rethrow_exception(ob.error);
      } catch (const serving_error& e) {
        EXPECT_EQ(e.kind(), error_kind::timeout);
      }
      runner.cancel();
    });
  }, {.clock = clock});
}

TEST_F(scheduler_test, higher_priority_is_admitted_first_and_fifo_within_a_priority) {
  rt::run([&]() -> rt::task<void> {
    rt::capacity_limiter compute(1);
    generation_scheduler s(model_, {.max_batch = 1}, &compute);
    // Queued before run() starts, so the order of admission is the queue's alone.
    const std::vector<std::pair<std::string, int>> submitted = {
        {"a", 0}, {"b", 5}, {"c", 0}, {"d", 5}, {"e", -1}};
    std::vector<rt::receive_stream<generation_event>> streams;
    for (const auto& [name, priority] : submitted) {
      auto req = greedy({464}, 2);
      req.priority = priority;
      streams.push_back(s.submit(std::move(req)));
    }
    const scheduler_stats queued = s.stats();
    const std::vector<std::pair<int, std::size_t>> by_priority = {{5, 2}, {0, 2}, {-1, 1}};
    EXPECT_EQ(queued.queued_by_priority, by_priority);
    EXPECT_TRUE(queued.oldest_queued.has_value());
    std::vector<std::string> started;
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      auto runner = tg.start_soon(s.run());
      co_await rt::with_task_group([&](rt::task_group& clients) -> rt::task<void> {
        for (std::size_t i = 0; i < streams.size(); ++i) {
          clients.start_soon([&, i]() -> rt::task<void> {
            auto first = co_await streams[i].receive_or_end();
            if (first) started.push_back(submitted[i].first);
            co_await drain(std::move(streams[i]));
          });
        }
        co_return;
      });
      runner.cancel();
    });
    // One sequence at a time: each starts only after the one before it finished.
    EXPECT_EQ(started, (std::vector<std::string>{"b", "d", "a", "c", "e"}));
    EXPECT_FALSE(s.stats().oldest_queued.has_value());
  });
}

// Runs `requests` (all queued before the scheduler starts) to the end; returns their outcomes and
// the scheduler's stats afterwards.
rt::task<std::pair<std::vector<outcome>, scheduler_stats>> run_all(
    generation_scheduler& s, std::vector<generation_request> requests) {
  std::vector<rt::receive_stream<generation_event>> streams;
  streams.reserve(requests.size());
  for (auto& r : requests) streams.push_back(s.submit(std::move(r)));
  std::vector<outcome> out(streams.size());
  co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
    auto runner = tg.start_soon(s.run());
    co_await rt::with_task_group([&](rt::task_group& clients) -> rt::task<void> {
      for (std::size_t i = 0; i < streams.size(); ++i) {
        clients.start_soon(
            [&, i]() -> rt::task<void> { out[i] = co_await drain(std::move(streams[i])); });
      }
      co_return;
    });
    runner.cancel();
  });
  co_return std::make_pair(std::move(out), s.stats());
}

TEST_F(scheduler_test, the_kv_budget_makes_requests_wait_not_fail) {
  rt::run([&]() -> rt::task<void> {
    rt::capacity_limiter compute(1);
    // Room for two requests of prompt 1 + max_tokens 4 at a time, in a batch of up to 8.
    generation_scheduler s(model_, {.max_batch = 8, .max_total_tokens = 10}, &compute);
    EXPECT_THROW(s.submit(greedy({464}, 10)), serving_error);  // 11 tokens could never fit
    // Named, not braced inside the co_await (GCC 12 mis-compiles braced temporaries there).
    std::vector<generation_request> requests;
    requests.reserve(3);
    for (int i = 0; i < 3; ++i) requests.push_back(greedy({464}, 4));
    auto [got, stats] = co_await run_all(s, std::move(requests));
    for (const auto& o : got) {
      EXPECT_FALSE(o.error);
      EXPECT_EQ(o.tokens.size(), 4u);
    }
    EXPECT_EQ(stats.largest_batch, 2u);  // the third waited for room, then ran
    EXPECT_EQ(stats.reserved_tokens, 0u);
  });
}

TEST_F(scheduler_test, a_step_token_budget_spreads_a_long_prompt_over_decode_steps) {
  std::vector<int32_t> long_prompt(20);
  for (int i = 0; i < 20; ++i) long_prompt[static_cast<std::size_t>(i)] = 464 + i;
  auto run_with = [&](std::size_t max_batch_tokens) {
    return rt::run([&]() -> rt::task<std::pair<std::vector<outcome>, scheduler_stats>> {
      rt::capacity_limiter compute(1);
      generation_scheduler s(model_, {.max_batch = 8, .max_batch_tokens = max_batch_tokens},
                             &compute);
      std::vector<generation_request> requests;
      requests.push_back(greedy({464}, 12));
      requests.push_back(greedy(long_prompt, 10));
      co_return co_await run_all(s, std::move(requests));
    });
  };
  const auto [unbounded, unbounded_stats] = run_with(0);
  const auto [chunked, chunked_stats] = run_with(4);
  // Unbounded: both prefill in the first step; the 12-token sequence sets the length: 12 steps.
  EXPECT_EQ(unbounded_stats.steps, 12u);
  // 4 tokens a step: the short prompt's 1 and 3 of the long one, then 1 decode + 3 prompt a
  // step: the long prompt's 20 tokens are in after 7 steps, its 10 tokens take steps 7 to 16.
  EXPECT_EQ(chunked_stats.steps, 16u);
  // Prefilled in chunks or at once, the tokens are the same (batch-invariant kernels).
  ASSERT_EQ(chunked.size(), 2u);
  EXPECT_EQ(chunked[0].tokens, unbounded[0].tokens);
  EXPECT_EQ(chunked[1].tokens, unbounded[1].tokens);
  EXPECT_EQ(chunked[1].tokens.size(), 10u);
}

TEST_F(scheduler_test, a_deadline_passing_mid_generation_stops_the_sequence_with_a_timeout) {
  auto clock = std::make_shared<rt::virtual_clock>(/*autojump=*/false);
  rt::run(
      [&]() -> rt::task<void> {
        rt::capacity_limiter compute(1);
        generation_scheduler s(model_, {.max_batch = 2}, &compute);
        auto req = greedy({464}, 100);
        req.deadline = rt::current_time() + std::chrono::seconds(5);
        auto events = s.submit(std::move(req));
        auto other = s.submit(greedy({40}, 8));  // no deadline: runs to its end beside it
        co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
          auto runner = tg.start_soon(s.run());
          std::size_t tokens = 0;
          std::exception_ptr error;
          while (auto ev = co_await events.receive_or_end()) {
            if (ev->type == generation_event::kind::token && ++tokens == 3) {
              clock->advance(std::chrono::seconds(10));  // the deadline passes while it generates
            }
            if (ev->type == generation_event::kind::failed) error = ev->error;
            EXPECT_NE(ev->type, generation_event::kind::finished);
          }
          EXPECT_GE(tokens, 3u);
          EXPECT_LT(tokens, 100u);  // stopped at the next step, not run to max_tokens
          EXPECT_TRUE(error);
          if (error) {
            try {
              std::rethrow_exception(error);
            } catch (const serving_error& e) {
              EXPECT_EQ(e.kind(), error_kind::timeout);
            }
          }
          outcome o = co_await drain(std::move(other));
          EXPECT_EQ(o.tokens.size(), 8u);
          EXPECT_EQ(o.finish, "length");
          EXPECT_EQ(s.stats().timed_out, 1u);
          runner.cancel();
        });
      },
      {.clock = clock});
}

TEST_F(scheduler_test, shutdown_fails_waiting_requests) {
  rt::run([&]() -> rt::task<void> {
    rt::capacity_limiter compute(1);
    auto s = std::make_unique<generation_scheduler>(model_, scheduler_options{.max_batch = 1}, &compute);
    auto a = s->submit(greedy({464}, 2));
    s.reset();  // unloaded before it ran: the waiter gets a failure, not a hang
    outcome o = co_await drain(std::move(a));
    EXPECT_TRUE(o.error);
  });
}

TEST_F(scheduler_test, invalid_requests_are_rejected_at_submit) {
  rt::run([&]() -> rt::task<void> {
    rt::capacity_limiter compute(1);
    generation_scheduler s(model_, {}, &compute);
    EXPECT_THROW(s.submit(greedy({}, 2)), serving_error);
    EXPECT_THROW(s.submit(greedy({999999}, 2)), serving_error);
    auto bad = greedy({464}, 2);
    bad.params.temperature = -1;
    EXPECT_THROW(s.submit(std::move(bad)), serving_error);
    co_return;
  });
}

}  // namespace
}  // namespace hf::serving
