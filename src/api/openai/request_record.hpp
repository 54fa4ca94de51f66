// What the API layer knows about one answered request, handed to the app's observers (usage log,
// per-key and per-model metrics) once the answer is complete or the client has gone. Views point
// into the request and live only for the duration of the call: observers copy what they keep.
//   ctx.on_request = [&](const request_record& r) { usage.add(r); metrics.observe(r); };
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/openai/responder.hpp"
#include "auth/key_store.hpp"
#include "runtime/clock.hpp"
#include "runtime/sleep.hpp"  // current_time

namespace hf::api {

struct request_record {
  std::string_view route;     // the route's pattern ("/v1/completions", "/v1/models/{id...}")
  std::string_view method;    // "GET", "POST", "DELETE"
  std::string model;          // the model the request named ("" when none or not a model route)
  std::string_view key_name;  // the API key's name ("" when auth is off or the route is open)
  int status = 0;             // 499: the client went away before the answer was complete
  std::string error_code;     // the OpenAI error code of a failed request ("" when none)
  std::size_t prompt_tokens = 0;
  std::size_t completion_tokens = 0;
  rt::duration latency{};                   // from the handler's start to the end of the answer
  std::optional<rt::duration> first_token;  // time to the first generated token
  std::optional<rt::duration> queue_wait;   // time in the model's queue (generation routes)
  bool streamed = false;                    // answered as Server-Sent Events
  // An open liveness/readiness probe (/health, /ready): counted in the metrics, left out of the
  // usage log, which a load balancer polling every second would otherwise fill.
  bool probe = false;
  std::string_view body;  // the request body (for --log-prompts only)
};

// The fields every answered request fills the same way (HTTP routes and WebSocket generations):
// who asked, the outcome, what it used and how long it took from `started` until now.
inline request_record answered_request(std::string_view route, std::string_view method,
                                       const std::optional<auth::key_record>& key, int status,
                                       std::string error_code, const usage_report& usage,
                                       rt::time_point started) {
  request_record r;
  r.route = route;
  r.method = method;
  if (key) r.key_name = key->name;
  r.status = status;
  r.error_code = std::move(error_code);
  r.prompt_tokens = usage.prompt_tokens;
  r.completion_tokens = usage.completion_tokens;
  r.latency = rt::current_time() - started;
  if (usage.first_token) r.first_token = *usage.first_token - started;
  r.queue_wait = usage.queue_wait;
  return r;
}

}  // namespace hf::api
