// Bodies of POST /tokenize and POST /detokenize in vLLM's shapes, parsed and validated (no model
// access here). /tokenize takes either a "prompt" (text) or chat "messages" (rendered with the
// model's chat template first), never both.
//   tokenize_request r = parse_tokenize_request(parse_json_object(body));
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/openai/requests.hpp"

namespace hf::api {

struct tokenize_request {
  std::string model;
  std::optional<std::string> prompt;  // set for a text prompt
  std::optional<chat_request> chat;   // set for chat messages
  // vLLM's defaults: true for a text prompt; false for chat, whose template writes the special
  // tokens itself (transformers' apply_chat_template(tokenize=True) does the same).
  bool add_special_tokens = true;
  bool return_token_strs = false;
};

struct detokenize_request {
  std::string model;
  std::vector<int32_t> tokens;
};

tokenize_request parse_tokenize_request(const nlohmann::json& body);
detokenize_request parse_detokenize_request(const nlohmann::json& body);

}  // namespace hf::api
