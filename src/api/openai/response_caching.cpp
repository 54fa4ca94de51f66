#include "api/openai/response_caching.hpp"

#include <utility>

#include <nlohmann/json.hpp>

#include "runtime/cancel_scope.hpp"
#include "serving/response_cache/response_cache.hpp"

namespace hf::api {
namespace {

// Forwards everything to the client's responder and keeps a copy of what went out, so that a
// complete 200 answer can be stored as it was sent.
class recording_responder final : public responder {
 public:
  explicit recording_responder(responder& inner) : inner_(inner) {}

  rt::task<void> json(int status, std::string body) override {
    if (status == 200) {
      recorded_.body = body;
      whole_ = true;
    }
    co_await inner_.json(status, std::move(body));
  }
  rt::task<void> text(int status, std::string_view content_type, std::string body) override {
    return inner_.text(status, content_type, std::move(body));
  }
  rt::task<void> start_events() override {
    recorded_.stream = true;
    return inner_.start_events();
  }
  rt::task<void> event(std::string_view data) override {
    recorded_.events.emplace_back(data);
    return inner_.event(data);
  }
  rt::task<void> end_events() override {
    co_await inner_.end_events();
    ended_ = true;
  }
  void report_usage(const usage_report& usage) override {
    recorded_.prompt_tokens = usage.prompt_tokens;
    recorded_.completion_tokens = usage.completion_tokens;
    inner_.report_usage(usage);
  }
  void add_header(std::string_view name, std::string_view value) override {
    inner_.add_header(name, value);
  }
  void report_stream_error(const api_error& error) override {
    responder::report_stream_error(error);
    inner_.report_stream_error(error);
  }

  // A whole 200 body, or a stream that ended without an error event.
  bool complete() const { return recorded_.stream ? ended_ && !stream_error() : whole_; }
  serving::cached_response take() { return std::move(recorded_); }

 private:
  responder& inner_;
  serving::cached_response recorded_;
  bool whole_ = false;
  bool ended_ = false;
};

rt::task<void> replay(const serving::cached_response& r, responder& out) {
  out.add_header("X-Cache", "hit");
  out.report_usage({.prompt_tokens = r.prompt_tokens, .completion_tokens = r.completion_tokens});
  if (!r.stream) {
    co_await out.json(200, r.body);
    co_return;
  }
  co_await out.start_events();
  for (const std::string& e : r.events) co_await out.event(e);
  co_await out.end_events();
}

}  // namespace

bool is_deterministic(const generation_options& options) {
  return options.sampling.temperature == 0.0f || options.sampling.seed.has_value();
}

std::string response_cache_key(std::string_view route, const serving::model_lease& lease,
                               const nlohmann::json& fields) {
  nlohmann::json kept = fields;
  kept.erase("user");      // who asks does not change the answer
  kept.erase("priority");  // nor how soon it runs
  // The folder names the revision (an HF snapshot is one folder per commit); the load serial
  // tells a reload of the same folder apart, whose files may have changed.
  std::string key(route);
  key += '\n';
  key += lease.model().id;
  key += '\n';
  key += lease.model().dir.string();
  key += '\n';
  key += std::to_string(lease.load_serial());
  key += '\n';
  key += kept.dump();
  return key;
}

rt::task<void> respond_with_cache(api_context& ctx, const serving::model_lease& lease,
                                  std::string_view route, const nlohmann::json& fields,
                                  const generation_options& options, rt::time_point deadline,
                                  responder& out, compute_answer compute) {
  if (!ctx.responses || !ctx.responses->enabled() || !is_deterministic(options)) {
    co_await compute(out);
    co_return;
  }
  std::string key = response_cache_key(route, lease, fields);
  std::string model = lease.model().id;
  serving::response_cache* cache = ctx.responses;
  serving::response_cache::lookup found = co_await rt::fail_at(
      deadline,
      [cache, &key, &model]() -> rt::task<serving::response_cache::lookup> {
        co_return co_await cache->get_or_lead(key, model);
      },
      "the request's deadline passed while it waited for an identical request's answer");
  if (found.hit) {
    co_await replay(*found.hit, out);
    co_return;
  }
  out.add_header("X-Cache", "miss");
  recording_responder recorder(out);
  co_await compute(recorder);
  if (recorder.complete() && found.lead) found.lead->fill(recorder.take());
  // Otherwise (an error answer, a failed stream) the flight ends unfilled when `found` goes: the
  // waiters wake and one of them computes. An exception from compute does the same.
}

}  // namespace hf::api
