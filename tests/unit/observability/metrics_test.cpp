#include "observability/metrics.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <thread>
#include <vector>

namespace hf::obs {
namespace {

TEST(Metrics, CounterWithLabels) {
  registry reg;
  auto& req = reg.add_counter("http_requests_total", "HTTP requests served.", {"method", "status"});
  req.with({"POST", "500"}).inc();
  req.with({"GET", "200"}).inc();
  req.with({"GET", "200"}).inc(2);
  EXPECT_EQ(reg.render(),
            "# HELP http_requests_total HTTP requests served.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{method=\"GET\",status=\"200\"} 3\n"
            "http_requests_total{method=\"POST\",status=\"500\"} 1\n");
}

TEST(Metrics, UnlabelledMetricsAppearAtZeroAndFamiliesSortByName) {
  registry reg;
  reg.add_gauge("zz_loaded_models", "Models in memory.");
  auto& up = reg.add_gauge("aa_up", "1 while serving.").get();
  up.set(1);
  reg.add_counter("mm_total", "Labelled, never used.", {"kind"});  // no child: not rendered
  EXPECT_EQ(reg.render(),
            "# HELP aa_up 1 while serving.\n"
            "# TYPE aa_up gauge\n"
            "aa_up 1\n"
            "# HELP zz_loaded_models Models in memory.\n"
            "# TYPE zz_loaded_models gauge\n"
            "zz_loaded_models 0\n");
}

TEST(Metrics, GaugeMovesBothWays) {
  registry reg;
  auto& g = reg.add_gauge("queue_depth", "Queued requests.").get();
  g.inc();
  g.inc();
  g.dec();
  g.add(0.5);
  EXPECT_DOUBLE_EQ(g.value(), 1.5);
  g.set(-2);
  EXPECT_EQ(reg.render(),
            "# HELP queue_depth Queued requests.\n# TYPE queue_depth gauge\nqueue_depth -2\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInf) {
  registry reg;
  auto& h = reg.add_histogram("latency_seconds", "Request latency.", {0.1, 1}, {"route"});
  auto& chat = h.with({"chat"});
  chat.observe(0.25);
  chat.observe(0.5);
  chat.observe(4);
  chat.observe(0.1);  // on a bound: counted in that bucket (le = less or equal)
  EXPECT_EQ(reg.render(),
            "# HELP latency_seconds Request latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"chat\",le=\"0.1\"} 1\n"
            "latency_seconds_bucket{route=\"chat\",le=\"1\"} 3\n"
            "latency_seconds_bucket{route=\"chat\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{route=\"chat\"} 4.85\n"
            "latency_seconds_count{route=\"chat\"} 4\n");
}

TEST(Metrics, UnlabelledHistogramAndTrailingInfBound) {
  registry reg;
  auto& h =
      reg.add_histogram("tokens", "Tokens.", {8, std::numeric_limits<double>::infinity()}).get();
  h.observe(3);
  EXPECT_EQ(
      reg.render(),
      "# HELP tokens Tokens.\n# TYPE tokens histogram\n"
      "tokens_bucket{le=\"8\"} 1\ntokens_bucket{le=\"+Inf\"} 1\ntokens_sum 3\ntokens_count 1\n");
}

TEST(Metrics, EscapesLabelValuesAndHelp) {
  registry reg;
  reg.add_counter("c_total", "Line one\nback\\slash \"quoted\"", {"path"})
      .with({"a\\b\"c\nd"})
      .inc();
  EXPECT_EQ(reg.render(),
            "# HELP c_total Line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE c_total counter\n"
            "c_total{path=\"a\\\\b\\\"c\\nd\"} 1\n");
}

TEST(Metrics, SpecialValues) {
  registry reg;
  auto& g = reg.add_gauge("g", "G.", {"k"});
  g.with({"nan"}).set(std::numeric_limits<double>::quiet_NaN());
  g.with({"ninf"}).set(-std::numeric_limits<double>::infinity());
  g.with({"small"}).set(0.00001);
  EXPECT_EQ(
      reg.render(),
      "# HELP g G.\n# TYPE g gauge\ng{k=\"nan\"} NaN\ng{k=\"ninf\"} -Inf\ng{k=\"small\"} 1e-05\n");
}

TEST(Metrics, RegisteringTheSameFamilyTwiceReturnsIt) {
  registry reg;
  auto& a = reg.add_counter("x_total", "X.", {"k"});
  auto& b = reg.add_counter("x_total", "X.", {"k"});
  EXPECT_EQ(&a, &b);
  auto& h1 = reg.add_histogram("h", "H.", {1, 2});
  EXPECT_EQ(&h1, &reg.add_histogram("h", "H.", {1, 2}));
  EXPECT_THROW(reg.add_gauge("x_total", "X."), metrics_error);
  EXPECT_THROW(reg.add_counter("x_total", "X.", {"other"}), metrics_error);
  EXPECT_THROW(reg.add_histogram("h", "H.", {1, 3}), metrics_error);
}

TEST(Metrics, MisuseIsRejectedWithAClearError) {
  registry reg;
  EXPECT_THROW(reg.add_counter("1bad", "."), metrics_error);
  EXPECT_THROW(reg.add_counter("has-dash", "."), metrics_error);
  EXPECT_THROW(reg.add_counter("ok", ".", {"__reserved"}), metrics_error);
  EXPECT_THROW(reg.add_counter("ok2", ".", {"a", "a"}), metrics_error);
  EXPECT_THROW(reg.add_histogram("h", ".", {1}, {"le"}), metrics_error);
  EXPECT_THROW(reg.add_histogram("h2", ".", {2, 1}), metrics_error);
  EXPECT_THROW(reg.add_histogram("h3", ".", {1, std::numeric_limits<double>::quiet_NaN()}),
               metrics_error);
  auto& c = reg.add_counter("c_total", ".", {"a", "b"});
  try {
    c.with({"only-one"});
    FAIL() << "arity mismatch accepted";
  } catch (const metrics_error& e) {
    EXPECT_STREQ(e.what(), "metric 'c_total' has 2 label(s) but 1 value(s) were given");
  }
  EXPECT_THROW(c.with({"x", "y"}).inc(-1), metrics_error);
}

TEST(Metrics, BucketHelpers) {
  EXPECT_EQ(linear_buckets(1, 2, 3), (std::vector<double>{1, 3, 5}));
  EXPECT_EQ(exponential_buckets(1, 2, 4), (std::vector<double>{1, 2, 4, 8}));
  EXPECT_EQ(default_buckets().front(), 0.005);
  EXPECT_EQ(default_buckets().back(), 10);
  EXPECT_THROW(exponential_buckets(0, 2, 3), metrics_error);
}

TEST(Metrics, CollectHooksRunBeforeRendering) {
  registry reg;
  auto& g = reg.add_gauge("depth", "D.").get();
  int calls = 0;
  reg.on_collect([&] { g.set(++calls * 10); });
  EXPECT_EQ(reg.render(), "# HELP depth D.\n# TYPE depth gauge\ndepth 10\n");
  EXPECT_EQ(reg.render(), "# HELP depth D.\n# TYPE depth gauge\ndepth 20\n");
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  registry reg;
  auto& fam = reg.add_counter("n_total", "N.", {"t"});
  auto& h = reg.add_histogram("v", "V.", {0.5}).get();
  constexpr int k_threads = 4, k_each = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < k_each; ++i) {
        fam.with({t % 2 ? "odd" : "even"}).inc();
        h.observe(i % 2 ? 1.0 : 0.25);
        if (i % 1000 == 0) (void)reg.render();  // rendering concurrently with updates is safe
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(fam.with({"even"}).value(), 2.0 * k_each);
  EXPECT_EQ(fam.with({"odd"}).value(), 2.0 * k_each);
  const auto snap = h.collect();
  EXPECT_EQ(snap.count, uint64_t{k_threads * k_each});
  EXPECT_EQ(snap.cumulative[0], uint64_t{k_threads * k_each / 2});
  EXPECT_DOUBLE_EQ(snap.sum, k_threads * (k_each / 2) * 1.25);
}

TEST(Metrics, DefaultRegistryIsOneInstance) {
  EXPECT_EQ(&default_registry(), &default_registry());
}

}  // namespace
}  // namespace hf::obs
