// How a route answers, independent of the HTTP server type: one JSON body, or a Server-Sent
// Events stream. The HTTP adapter lives in routes.cpp; tests use a recording implementation.
//   co_await out.json(200, body.dump());   co_await out.text(200, "text/plain", "...");
//   co_await out.start_events(); co_await out.event(chunk.dump()); co_await out.event("[DONE]");
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "runtime/task.hpp"

namespace hf::api {

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
  // Tokens this request used (prompt + completion), for the key's tokens-per-minute budget.
  // Handlers call it once they know; responders that do not bill ignore it.
  virtual void count_tokens(std::size_t /*tokens*/) {}
};

}  // namespace hf::api
