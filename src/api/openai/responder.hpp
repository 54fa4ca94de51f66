// How a route answers, independent of the HTTP server type: one JSON body, or a Server-Sent
// Events stream. The HTTP adapter lives in routes.cpp; tests use a recording implementation.
//   co_await out.json(200, body.dump());   co_await out.text(200, "text/plain", "...");
//   co_await out.start_events(); co_await out.event(chunk.dump()); co_await out.event("[DONE]");
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/openai/api_error.hpp"
#include "runtime/clock.hpp"
#include "runtime/task.hpp"

namespace hf::api {

// What a request used, as its handler reports it once it knows: tokens for the key's budget, the
// usage log and the metrics; for generation routes, when its first token was generated and how
// long it waited in the model's queue.
struct usage_report {
  std::size_t prompt_tokens = 0;
  std::size_t completion_tokens = 0;
  std::optional<rt::time_point> first_token;
  std::optional<rt::duration> queue_wait;
};

class responder {
 public:
  virtual ~responder() = default;
  virtual rt::task<void> json(int status, std::string body) = 0;
  // A body that is not JSON (e.g. Prometheus text on /metrics).
  virtual rt::task<void> text(int status, std::string_view content_type, std::string body) = 0;
  virtual rt::task<void> start_events() = 0;
  // One SSE event: "data: <data>\n\n".
  virtual rt::task<void> event(std::string_view data) = 0;
  virtual rt::task<void> end_events() = 0;
  // What this request used (prompt and completion tokens), for the key's tokens-per-minute
  // budget, the usage log and the metrics. Handlers call it once they know; responders that do
  // not account ignore it.
  virtual void report_usage(const usage_report& /*usage*/) {}
  // A header for the answer (e.g. X-Cache), before json()/text()/start_events(); responders
  // without headers (WebSocket) ignore it.
  virtual void add_header(std::string_view /*name*/, std::string_view /*value*/) {}

  // A stream that ended with an error event after it had started (its HTTP status was already
  // 200; send_stream_error calls this): the request's record (usage log, per-key metrics) then
  // carries the error's status and code, so a stream cut by a timeout is not counted a success.
  virtual void report_stream_error(const api_error& error) { stream_error_ = error; }
  const std::optional<api_error>& stream_error() const { return stream_error_; }

 private:
  std::optional<api_error> stream_error_;
};

}  // namespace hf::api
