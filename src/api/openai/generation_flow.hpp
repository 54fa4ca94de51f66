// Shared by /v1/completions and /v1/chat/completions: submits every prompt x n choices to the
// model's scheduler and either collects each choice to its end or merges all choices' events
// into one ordered stream for SSE. Cancelling the caller (client disconnect) closes the event
// streams, which makes the scheduler drop those sequences at its next step.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/openai/call_options.hpp"
#include "api/openai/requests.hpp"
#include "api/openai/responder.hpp"
#include "runtime/clock.hpp"
#include "runtime/streams/memory_stream.hpp"
#include "runtime/task.hpp"
#include "serving/generation/scheduler.hpp"
#include "serving/loaded_model.hpp"

namespace hf::api {

struct choice_output {
  std::string text;
  std::string finish_reason;
  std::vector<int32_t> tokens;
  std::vector<engine::token_logprob> logprobs;
  std::size_t completion_tokens = 0;
};

struct choice_event {
  std::size_t index = 0;
  serving::generation_event event;
};

class generation_flow {
 public:
  // Submits prompts[p] n times each; choice index = p * n + j. Seeds differ per choice (seed + j)
  // so that n > 1 with a seed gives n different but reproducible answers. The call's deadline
  // bounds queueing and generation; its priority applies when the body gives none.
  generation_flow(serving::generation_scheduler& scheduler,
                  const std::vector<std::vector<int32_t>>& prompts, const generation_options& opts,
                  const call_options& call);

  std::size_t choices() const { return streams_.size(); }
  std::size_t prompt_tokens() const { return prompt_tokens_; }
  // What the request used, for responder::report_usage: these tokens, the prompt's, when the
  // first token of any choice arrived here (time to first token) and the queue wait (the longest
  // of its choices': when the whole request was running).
  usage_report usage(std::size_t completion_tokens) const {
    return {prompt_tokens_, completion_tokens, first_token_, queue_wait_};
  }
  // What a request that failed (a timeout, an engine error) used up to then: the tokens generated
  // so far and, once any was, the prompt; nothing when it never ran. So a stream cut by its
  // deadline still counts against the key's tokens per minute.
  usage_report partial_usage() const {
    return usage_report{first_token_ ? prompt_tokens_ : 0, generated_, first_token_, queue_wait_};
  }

  // Collects every choice to its end. Throws the first failure (a serving_error).
  rt::task<std::vector<choice_output>> collect();
  // Calls on_event for every event of every choice, in arrival order, until all have finished.
  // Failures are delivered as events (type failed).
  rt::task<void> stream(const std::function<rt::task<void>(const choice_event&)>& on_event);

 private:
  std::vector<rt::receive_stream<serving::generation_event>> streams_;
  void note(const serving::generation_event& ev);

  std::size_t prompt_tokens_ = 0;
  std::optional<rt::time_point> first_token_;
  std::optional<rt::duration> queue_wait_;
  std::size_t generated_ = 0;  // token events seen, every choice
};

}  // namespace hf::api
