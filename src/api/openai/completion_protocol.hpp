// The OpenAI completion protocol, shared by /v1/completions and /v1/chat/completions: each
// endpoint supplies only how its choices look (a choice_mapping) and respond_completion does the
// rest. Without streaming it collects every choice and answers {"choices": [...], "usage"}. With
// streaming it sends every choice's opening chunks, then the chunks of each event as it arrives,
// the first failure as an error event (later events are dropped: the client must not read on as
// if nothing happened), the usage chunk (stream_options.include_usage, unless something failed)
// and "data: [DONE]".
//   text_choices mapping(tok, req, prompt_texts, flow.choices());  // : choice_mapping
//   co_await respond_completion(flow, shape, req.model, req.options, mapping, out);
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/openai/generation_flow.hpp"
#include "api/openai/requests.hpp"
#include "api/openai/responder.hpp"
#include "runtime/task.hpp"
#include "serving/generation/types.hpp"

namespace hf::api {

// One choice's content in a response or a chunk: {"index", <key>: value, "logprobs",
// "finish_reason"}; the key is the endpoint's (completion_shape).
struct choice_part {
  nlohmann::json value;  // text (completions), message or delta (chat)
  nlohmann::json logprobs = nullptr;
  nlohmann::json finish_reason = nullptr;  // set by the protocol for whole choices
};

// What an endpoint says about its choices. Called on the request's task, one call at a time.
class choice_mapping {
 public:
  virtual ~choice_mapping() = default;
  // Without streaming: the whole choice `index`.
  virtual choice_part whole(std::size_t index, const choice_output& c) = 0;
  // Streaming: the chunks sent for choice `index` before any of its events (may be none).
  virtual std::vector<choice_part> opening(std::size_t index) = 0;
  // Streaming: the chunks for one token or finished event of choice `index` (may be none);
  // failed events never reach it.
  virtual std::vector<choice_part> chunks(std::size_t index,
                                          const serving::generation_event& ev) = 0;
};

// The envelope of one endpoint's responses.
struct completion_shape {
  const char* id_prefix;     // "cmpl" | "chatcmpl"
  const char* object;        // the response's "object"
  const char* chunk_object;  // the streaming chunks' "object"
  const char* whole_key;     // the choice's content key without streaming
  const char* chunk_key;     // ... and in chunks
};

// Answers one generation request on `out`; the flow's requests are already submitted. Failures
// before streaming starts are thrown (the route turns them into an error body).
rt::task<void> respond_completion(generation_flow& flow, const completion_shape& shape,
                                  const std::string& model, const generation_options& options,
                                  choice_mapping& mapping, responder& out);

}  // namespace hf::api
