#include "api/openai/completion_protocol.hpp"

#include <utility>

#include "api/openai/api_error.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/response_json.hpp"

namespace hf::api {
namespace {

using kind = serving::generation_event::kind;

rt::task<void> collect(generation_flow& flow, const response_frame& frame, const char* key,
                       choice_mapping& mapping, responder& out) {
  std::vector<choice_output> choices;
  try {
    choices = co_await flow.collect();
  } catch (...) {
    // What it used until it failed; its queue wait (a request that timed out there waited
    // longest of all) still reaches the metrics.
    out.report_usage(flow.partial_usage());
    throw;
  }
  nlohmann::json arr = nlohmann::json::array();
  std::size_t completion_tokens = 0;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    choice_part p = mapping.whole(i, choices[i]);
    arr.push_back(
        choice_json(i, key, std::move(p.value), std::move(p.logprobs), choices[i].finish_reason));
    completion_tokens += choices[i].completion_tokens;
  }
  out.report_usage(flow.usage(completion_tokens));
  std::string body =
      frame.body(std::move(arr), usage_json(flow.prompt_tokens(), completion_tokens)).dump();
  co_await out.json(200, std::move(body));
}

// Every chunk is rendered into a named string before the co_await: GCC 12 mis-copies braced
// temporaries that live across a co_await (short strings inside end up pointing at old storage),
// and this is the one place chunks are sent, so the workaround cannot be forgotten elsewhere.
rt::task<void> send_chunks(responder& out, const response_frame& frame, const char* key,
                           std::size_t index, std::vector<choice_part> parts) {
  for (choice_part& p : parts) {
    std::string data = frame
                           .choice_chunk(index, key, std::move(p.value), std::move(p.logprobs),
                                         std::move(p.finish_reason))
                           .dump();
    co_await out.event(data);
  }
}

rt::task<void> stream(generation_flow& flow, const response_frame& frame, const char* key,
                      bool include_usage, choice_mapping& mapping, responder& out) {
  co_await out.start_events();
  for (std::size_t i = 0; i < flow.choices(); ++i) {
    std::vector<choice_part> parts = mapping.opening(i);
    co_await send_chunks(out, frame, key, i, std::move(parts));
  }
  std::size_t completion_tokens = 0;
  bool failed = false;
  co_await flow.stream([&](const choice_event& ce) -> rt::task<void> {
    const serving::generation_event& ev = ce.event;
    if (failed) co_return;
    if (ev.type == kind::failed) {
      failed = true;
      co_await send_stream_error(out, ev.error);
      co_return;
    }
    if (ev.type == kind::finished) completion_tokens += ev.completion_tokens;
    std::vector<choice_part> parts = mapping.chunks(ce.index, ev);
    co_await send_chunks(out, frame, key, ce.index, std::move(parts));
  });
  out.report_usage(failed ? flow.partial_usage() : flow.usage(completion_tokens));
  std::string usage;
  if (!failed && include_usage) {
    usage = frame.usage_chunk(flow.prompt_tokens(), completion_tokens).dump();
  }
  co_await end_completion_stream(out, std::move(usage));
}

}  // namespace

rt::task<void> respond_completion(generation_flow& flow, const completion_shape& shape,
                                  const std::string& model, const generation_options& options,
                                  choice_mapping& mapping, responder& out) {
  response_frame frame{make_response_id(shape.id_prefix), shape.object, unix_now(), model};
  if (!options.stream) {
    co_await collect(flow, frame, shape.whole_key, mapping, out);
    co_return;
  }
  frame.object = shape.chunk_object;
  co_await stream(flow, frame, shape.chunk_key, options.include_usage, mapping, out);
}

rt::task<void> send_stream_error(responder& out, const std::exception_ptr& e) {
  const api_error failure = error_from_exception(e);
  out.report_stream_error(failure);
  std::string data = api_error_body(failure).dump();
  co_await out.event(data);
}

rt::task<void> end_completion_stream(responder& out, std::string usage_chunk) {
  if (!usage_chunk.empty()) co_await out.event(usage_chunk);
  co_await out.event("[DONE]");
  co_await out.end_events();
}

}  // namespace hf::api
