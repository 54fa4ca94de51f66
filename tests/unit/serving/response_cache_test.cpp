#include "serving/response_cache/response_cache.hpp"

#include <gtest/gtest.h>

#include "runtime/introspection.hpp"
#include "runtime/run.hpp"
#include "runtime/sleep.hpp"
#include "runtime/task_group.hpp"

namespace hf::serving {
namespace {

using namespace std::chrono_literals;

cached_response body_of(std::string text) {
  cached_response r;
  r.body = std::move(text);
  return r;
}

// Stores `text` under `key` as its leader would: the lookup must lead.
rt::task<void> put(response_cache& c, std::string key, std::string model, std::string text) {
  response_cache::lookup got = co_await c.get_or_lead(key, model);
  EXPECT_FALSE(got.hit);
  EXPECT_TRUE(got.lead);
  if (got.lead) got.lead->fill(body_of(std::move(text)));
}

// The body stored under `key`, or "" when the lookup leads (the lead is dropped unfilled).
rt::task<std::string> get(response_cache& c, std::string key) {
  response_cache::lookup got = co_await c.get_or_lead(key, "m");
  co_return got.hit ? got.hit->body : std::string();
}

TEST(response_cache, off_by_default_every_lookup_computes_and_nothing_is_kept) {
  rt::run([]() -> rt::task<void> {
    response_cache c({});
    EXPECT_FALSE(c.enabled());
    response_cache::lookup a = co_await c.get_or_lead("k", "m");
    EXPECT_TRUE(a.lead);
    if (a.lead) a.lead->fill(body_of("answer"));
    response_cache::lookup b = co_await c.get_or_lead("k", "m");
    EXPECT_FALSE(b.hit);
    EXPECT_EQ(c.stats().entries, 0u);
    EXPECT_EQ(c.stats().misses, 2u);
  });
}

TEST(response_cache, a_filled_answer_is_replayed_until_its_time_to_live_ends) {
  auto clock = std::make_shared<rt::virtual_clock>(/*autojump=*/true);
  rt::run(
      []() -> rt::task<void> {
        response_cache c({.max_bytes = 1 << 20, .ttl = 10s});
        co_await put(c, "k", "m", "answer");
        EXPECT_EQ(co_await get(c, "k"), "answer");
        co_await rt::sleep(9s);
        EXPECT_EQ(co_await get(c, "k"), "answer");
        co_await rt::sleep(1s);  // stored 10 s ago: expired
        EXPECT_EQ(co_await get(c, "k"), "");
        const response_cache_stats s = c.stats();
        EXPECT_EQ(s.hits, 2u);
        EXPECT_EQ(s.misses, 2u);
        EXPECT_EQ(s.expired, 1u);
        EXPECT_EQ(s.entries, 0u);
        EXPECT_EQ(s.bytes, 0u);
      },
      {.clock = clock});
}

TEST(response_cache, the_byte_bound_evicts_the_least_recently_used) {
  rt::run([]() -> rt::task<void> {
    // Each entry: a 1-byte key, a 1000-byte body and the fixed overhead, so three fit and four
    // do not.
    const std::string body(1000, 'x');
    response_cache probe({.max_bytes = 1 << 20});
    co_await put(probe, "a", "m", body);
    const std::size_t one = probe.stats().bytes;
    response_cache c({.max_bytes = 3 * one + one / 2});
    co_await put(c, "a", "m", body);
    co_await put(c, "b", "m", body);
    co_await put(c, "c", "m", body);
    EXPECT_EQ(co_await get(c, "a"), body);  // a is now the most recent; b the least
    co_await put(c, "d", "m", body);
    EXPECT_EQ(co_await get(c, "b"), "");
    EXPECT_EQ(co_await get(c, "a"), body);
    EXPECT_EQ(co_await get(c, "c"), body);
    EXPECT_EQ(co_await get(c, "d"), body);
    EXPECT_EQ(c.stats().evicted, 1u);
    EXPECT_EQ(c.stats().entries, 3u);
    EXPECT_LE(c.stats().bytes, 3 * one + one / 2);
    // An answer larger than the whole cache is not kept (and evicts nothing).
    co_await put(c, "huge", "m", std::string(4 * one, 'y'));
    EXPECT_EQ(co_await get(c, "huge"), "");
    EXPECT_EQ(c.stats().entries, 3u);
  });
}

TEST(response_cache, concurrent_identical_lookups_share_the_leaders_answer) {
  rt::run([]() -> rt::task<void> {
    response_cache c({.max_bytes = 1 << 20});
    rt::event leader_may_finish;
    int computed = 0;
    std::vector<std::string> answers;
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      for (int i = 0; i < 3; ++i) {
        tg.start_soon([&]() -> rt::task<void> {
          response_cache::lookup got = co_await c.get_or_lead("k", "m");
          if (got.lead) {
            ++computed;
            co_await leader_may_finish.wait();
            got.lead->fill(body_of("shared"));
            answers.emplace_back("shared");
          } else {
            answers.push_back(got.hit->body);
          }
        });
      }
      co_await rt::wait_all_tasks_blocked();  // every task is now leading or waiting
      EXPECT_EQ(computed, 1);
      EXPECT_TRUE(answers.empty());
      leader_may_finish.set();
    });
    EXPECT_EQ(computed, 1);
    EXPECT_EQ(answers, (std::vector<std::string>{"shared", "shared", "shared"}));
    EXPECT_EQ(c.stats().misses, 1u);
    EXPECT_EQ(c.stats().hits, 2u);
  });
}

TEST(response_cache, a_leader_that_stores_nothing_hands_the_work_to_one_waiter) {
  rt::run([]() -> rt::task<void> {
    response_cache c({.max_bytes = 1 << 20});
    rt::event first_may_fail;
    int led = 0;
    std::vector<std::string> answers;
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      // The first leader fails (drops its flight unfilled); one waiter leads next and fills.
      tg.start_soon([&]() -> rt::task<void> {
        response_cache::lookup got = co_await c.get_or_lead("k", "m");
        EXPECT_TRUE(got.lead);
        ++led;
        co_await first_may_fail.wait();
      });
      for (int i = 0; i < 2; ++i) {
        tg.start_soon([&]() -> rt::task<void> {
          response_cache::lookup got = co_await c.get_or_lead("k", "m");
          if (got.lead) {
            ++led;
            got.lead->fill(body_of("second try"));
            answers.emplace_back("second try");
          } else {
            answers.push_back(got.hit->body);
          }
        });
      }
      co_await rt::wait_all_tasks_blocked();
      first_may_fail.set();
    });
    EXPECT_EQ(led, 2);
    EXPECT_EQ(answers, (std::vector<std::string>{"second try", "second try"}));
    EXPECT_EQ(co_await get(c, "k"), "second try");
  });
}

TEST(response_cache, invalidating_a_model_drops_only_its_answers) {
  rt::run([]() -> rt::task<void> {
    response_cache c({.max_bytes = 1 << 20});
    co_await put(c, "k1", "m", "one");
    co_await put(c, "k2", "other", "two");
    c.invalidate_model("m");
    EXPECT_EQ(co_await get(c, "k1"), "");
    response_cache::lookup two = co_await c.get_or_lead("k2", "other");
    EXPECT_TRUE(two.hit);
    EXPECT_EQ(two.hit ? two.hit->body : "", "two");
    EXPECT_EQ(c.stats().invalidated, 1u);
  });
}

}  // namespace
}  // namespace hf::serving
