// Builders for the OpenAI response objects (the same JSON shapes as the API reference):
// text_completion, chat.completion and their streaming chunks, usage and logprobs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/sampling/sampling_params.hpp"
#include "engine/tokenizer/tokenizer.hpp"

namespace hf::api {

// "cmpl-<24 hex>", "chatcmpl-<24 hex>".
std::string make_response_id(std::string_view prefix);
std::int64_t unix_now();

nlohmann::json usage_json(std::size_t prompt_tokens, std::size_t completion_tokens);

// One element of "choices": {"index", <key>: value, "logprobs", "finish_reason"}.
nlohmann::json choice_json(std::size_t index, const char* key, nlohmann::json value,
                           nlohmann::json logprobs, nlohmann::json finish_reason);

// The fields that every response object and streaming chunk of one request share.
// Usage: response_frame f{id, "chat.completion.chunk", unix_now(), model};
//        out.event(f.choice_chunk(0, "delta", delta, nullptr, nullptr).dump());
struct response_frame {
  std::string id;
  std::string object;  // "text_completion", "chat.completion" or "chat.completion.chunk"
  std::int64_t created = 0;
  std::string model;

  // {"id", "object", "created", "model", "choices": choices} (+ "usage" unless null)
  nlohmann::json body(nlohmann::json choices, nlohmann::json usage = nullptr) const;
  // A chunk with one choice: {"index", <key>: value, "logprobs", "finish_reason"}.
  nlohmann::json choice_chunk(std::size_t index, const char* key, nlohmann::json value,
                              nlohmann::json logprobs, nlohmann::json finish_reason) const;
  // The last chunk under stream_options.include_usage: no choices, the request's usage.
  nlohmann::json usage_chunk(std::size_t prompt_tokens, std::size_t completion_tokens) const;
};

// Legacy completions logprobs: tokens, token_logprobs, top_logprobs, text_offset (text_offset
// counts from `offset0`, e.g. the echoed prompt's length).
nlohmann::json completion_logprobs_json(const engine::tokenizer& tok,
                                        const std::vector<engine::token_logprob>& lps,
                                        std::size_t offset0);
// Chat logprobs: {"content":[{token, logprob, bytes, top_logprobs:[...]}]}.
nlohmann::json chat_logprobs_json(const engine::tokenizer& tok,
                                  const std::vector<engine::token_logprob>& lps);

// The text a client sees for one token id (special tokens included).
std::string token_text(const engine::tokenizer& tok, int32_t id);

}  // namespace hf::api
