#include "api/openai/tokenize_requests.hpp"

#include <climits>

#include "api/openai/api_error.hpp"
#include "api/openai/json_fields.hpp"

namespace hf::api {

tokenize_request parse_tokenize_request(const nlohmann::json& body) {
  json_fields f(body);
  tokenize_request r;
  r.model = f.required_string("model");
  const bool has_prompt = f.has("prompt");
  const bool has_messages = f.has("messages");
  if (has_prompt == has_messages) {
    throw api_error::bad_request(has_prompt ? "give either 'prompt' or 'messages', not both"
                                            : "'prompt' or 'messages' is required",
                                 has_prompt ? "messages" : "prompt");
  }
  if (has_prompt) {
    if (!f.get("prompt")->is_string()) throw api_error::invalid_param("prompt", "must be a string");
    r.prompt = f.get("prompt")->get<std::string>();
    r.add_special_tokens = f.boolean("add_special_tokens").value_or(true);
  } else {
    r.chat = parse_chat_request(body);  // the same messages, roles and template fields as chat
    r.add_special_tokens = f.boolean("add_special_tokens").value_or(false);
  }
  r.return_token_strs = f.boolean("return_token_strs").value_or(false);
  return r;
}

detokenize_request parse_detokenize_request(const nlohmann::json& body) {
  json_fields f(body);
  detokenize_request r;
  r.model = f.required_string("model");
  const nlohmann::json& tokens = f.required("tokens");
  if (!tokens.is_array()) throw api_error::invalid_param("tokens", "must be a list of token ids");
  for (const auto& t : tokens) {
    if (!t.is_number_integer() || t.get<std::int64_t>() < 0 || t.get<std::int64_t>() > INT32_MAX) {
      throw api_error::invalid_param("tokens", "must be a list of token ids (integers >= 0)");
    }
    r.tokens.push_back(static_cast<int32_t>(t.get<std::int64_t>()));
  }
  return r;
}

}  // namespace hf::api
