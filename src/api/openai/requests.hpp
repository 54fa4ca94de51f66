// The OpenAI request bodies this server accepts, parsed and validated into plain structs (no HTTP,
// no model access): unknown models and tokenization are the routes' business.
//   completion_request r = parse_completion_request(parse_json_object(body));
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/sampling/sampling_params.hpp"

namespace hf::api {

// A prompt is text to tokenize or token ids given directly.
using prompt_input = std::variant<std::string, std::vector<int32_t>>;

struct generation_options {
  engine::sampling_params sampling;  // max_tokens, stop, seed, penalties, logprobs...
  std::size_t n = 1;
  bool stream = false;
  bool include_usage = false;        // stream_options.include_usage
  std::optional<std::string> user;
  std::optional<int> priority;  // higher runs first (X-Priority when absent; else 0)
};

struct completion_request {
  std::string model;
  std::vector<prompt_input> prompts;
  generation_options options;
  bool echo = false;
};

struct chat_message {
  std::string role;
  std::string content;  // text parts joined
  nlohmann::json extra = nlohmann::json::object();  // name, tool_calls, tool_call_id ... passed to the template
};

struct chat_request {
  std::string model;
  std::vector<chat_message> messages;
  generation_options options;
  bool logprobs = false;  // chat's logprobs=true; top_logprobs -> options.sampling.logprobs
  nlohmann::json tools;   // passed to the chat template when present
  bool add_generation_prompt = true;  // the template's add_generation_prompt (vLLM's extension)
};

struct embedding_request {
  std::string model;
  std::vector<prompt_input> inputs;
  bool base64 = false;  // encoding_format
  std::optional<std::size_t> dimensions;
};

// A "prompt" or "input" field: a string, a list of strings, a list of token ids, or a list of
// those lists (422 naming `field` otherwise).
std::vector<prompt_input> parse_prompt_inputs(const nlohmann::json& v, const char* field);

completion_request parse_completion_request(const nlohmann::json& body);
chat_request parse_chat_request(const nlohmann::json& body);
embedding_request parse_embedding_request(const nlohmann::json& body);

}  // namespace hf::api
