// server_metrics: what the access-log hook records shows up in the Prometheus text with bounded
// route labels. (The model-cache series are checked end to end against a running server in
// tests/integration/node/tokenize_pooling_routes.test.mjs.)
#include "app/server/server_metrics.hpp"

#include <gtest/gtest.h>

#include "api/openai/routes.hpp"
#include "base/version.hpp"

namespace hf::app {
namespace {

using namespace std::chrono_literals;

net::http::access_log_entry entry(std::string_view method, std::string_view path, int status,
                                  std::size_t bytes, rt::duration d) {
  net::http::access_log_entry e;
  e.method = method;
  e.path = path;
  e.status = status;
  e.bytes = bytes;
  e.duration = d;
  return e;
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(route_label, fixed_routes_keep_their_path_and_everything_else_is_bounded) {
  EXPECT_EQ(api::route_label("/v1/chat/completions"), "/v1/chat/completions");
  EXPECT_EQ(api::route_label("/tokenize"), "/tokenize");
  EXPECT_EQ(api::route_label("/metrics"), "/metrics");
  EXPECT_EQ(api::route_label("/v1/models/org/name"), "/v1/models/{id...}");
  EXPECT_EQ(api::route_label("/v1/models"), "/v1/models");
  EXPECT_EQ(api::route_label("/wp-admin/login.php"), "other");
  EXPECT_EQ(api::route_label("/tokenize/extra"), "other");
}

TEST(server_metrics, counts_requests_by_method_route_and_status) {
  server_metrics m("epoll");
  m.record(entry("POST", "/v1/completions", 200, 100, 30ms));
  m.record(entry("POST", "/v1/completions", 200, 50, 2s));
  m.record(entry("POST", "/v1/completions", 422, 80, 1ms));
  m.record(entry("GET", "/v1/models/a/b", 404, 10, 1ms));
  m.record(entry("GET", "/random/path", 404, 10, 1ms));
  const std::string text = m.render();
  EXPECT_TRUE(has_line(
      text, R"(hfserve_http_requests_total{method="POST",route="/v1/completions",status="200"} 2)"))
      << text;
  EXPECT_TRUE(has_line(
      text, R"(hfserve_http_requests_total{method="POST",route="/v1/completions",status="422"} 1)"));
  EXPECT_TRUE(has_line(
      text, R"(hfserve_http_requests_total{method="GET",route="/v1/models/{id...}",status="404"} 1)"));
  EXPECT_TRUE(
      has_line(text, R"(hfserve_http_requests_total{method="GET",route="other",status="404"} 1)"));
  EXPECT_EQ(text.find("/random/path"), std::string::npos);
  EXPECT_TRUE(has_line(text, R"(hfserve_http_response_bytes_total{route="/v1/completions"} 230)"));
  // Durations: 1 ms and 30 ms fall at or under 0.05 s, 2 s under 2.5 s.
  EXPECT_TRUE(has_line(
      text, R"(hfserve_http_request_duration_seconds_bucket{route="/v1/completions",le="0.05"} 2)"))
      << text;
  EXPECT_TRUE(has_line(
      text, R"(hfserve_http_request_duration_seconds_bucket{route="/v1/completions",le="2.5"} 3)"));
  EXPECT_TRUE(
      has_line(text, R"(hfserve_http_request_duration_seconds_count{route="/v1/completions"} 3)"));
  EXPECT_TRUE(has_line(text, "hfserve_build_info{version=\"" + std::string(hf::version()) +
                                 "\",io_backend=\"epoll\"} 1"));
  EXPECT_TRUE(has_line(text, "# TYPE hfserve_http_requests_total counter"));
}

TEST(server_metrics, generation_queue_waits_fill_their_histogram_by_model) {
  server_metrics m("epoll");
  api::request_record r;
  r.model = "gpt2";
  r.status = 200;
  r.queue_wait = 0ms;  // admitted at once
  m.observe(r);
  r.queue_wait = 3s;  // behind a full batch
  m.observe(r);
  r.status = 504;
  r.queue_wait = 30s;  // timed out in the queue: the longest wait of all still counts
  m.observe(r);
  r.status = 200;
  r.queue_wait.reset();  // not a generation (embeddings): no queue-wait sample
  m.observe(r);
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, R"(hfserve_queue_wait_seconds_count{model="gpt2"} 3)")) << text;
  EXPECT_TRUE(has_line(text, R"(hfserve_queue_wait_seconds_bucket{model="gpt2",le="0.001"} 1)"));
  EXPECT_TRUE(has_line(text, R"(hfserve_queue_wait_seconds_bucket{model="gpt2",le="2.5"} 1)"));
  EXPECT_TRUE(has_line(text, R"(hfserve_queue_wait_seconds_bucket{model="gpt2",le="5"} 2)"));
  EXPECT_TRUE(has_line(text, R"(hfserve_queue_wait_seconds_bucket{model="gpt2",le="30"} 3)"));
  EXPECT_TRUE(has_line(text, R"(hfserve_queue_wait_seconds_sum{model="gpt2"} 33)"));
}

}  // namespace
}  // namespace hf::app
