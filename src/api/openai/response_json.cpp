#include "api/openai/response_json.hpp"

#include <chrono>
#include <random>

namespace hf::api {

std::string make_response_id(std::string_view prefix) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string id(prefix);
  id += '-';
  for (int i = 0; i < 24; ++i) id += hex[rng() & 15];
  return id;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json usage_json(std::size_t prompt_tokens, std::size_t completion_tokens) {
  return {{"prompt_tokens", prompt_tokens},
          {"completion_tokens", completion_tokens},
          {"total_tokens", prompt_tokens + completion_tokens}};
}

std::string token_text(const engine::tokenizer& tok, int32_t id) {
  int32_t ids[1] = {id};
  return tok.decode(ids, /*skip_special_tokens=*/false);
}

namespace {
nlohmann::json bytes_of(const std::string& s) {
  nlohmann::json b = nlohmann::json::array();
  for (unsigned char c : s) b.push_back(static_cast<int>(c));
  return b;
}
}  // namespace

nlohmann::json completion_logprobs_json(const engine::tokenizer& tok,
                                        const std::vector<engine::token_logprob>& lps,
                                        std::size_t offset0) {
  nlohmann::json tokens = nlohmann::json::array(), token_lps = nlohmann::json::array(),
                 top = nlohmann::json::array(), offsets = nlohmann::json::array();
  std::size_t offset = offset0;
  for (const auto& lp : lps) {
    std::string t = token_text(tok, lp.id);
    tokens.push_back(t);
    token_lps.push_back(lp.logprob);
    nlohmann::json alternatives = nlohmann::json::object();
    for (const auto& [id, v] : lp.top) alternatives[token_text(tok, id)] = v;
    top.push_back(std::move(alternatives));
    offsets.push_back(offset);
    offset += t.size();
  }
  return {{"tokens", tokens}, {"token_logprobs", token_lps}, {"top_logprobs", top},
          {"text_offset", offsets}};
}

nlohmann::json chat_logprobs_json(const engine::tokenizer& tok,
                                  const std::vector<engine::token_logprob>& lps) {
  nlohmann::json content = nlohmann::json::array();
  for (const auto& lp : lps) {
    std::string t = token_text(tok, lp.id);
    nlohmann::json top = nlohmann::json::array();
    for (const auto& [id, v] : lp.top) {
      std::string alt = token_text(tok, id);
      top.push_back({{"token", alt}, {"logprob", v}, {"bytes", bytes_of(alt)}});
    }
    content.push_back(
        {{"token", t}, {"logprob", lp.logprob}, {"bytes", bytes_of(t)}, {"top_logprobs", top}});
  }
  return {{"content", content}};
}

nlohmann::json choice_json(std::size_t index, const char* key, nlohmann::json value,
                           nlohmann::json logprobs, nlohmann::json finish_reason) {
  return {{"index", index},
          {key, std::move(value)},
          {"logprobs", std::move(logprobs)},
          {"finish_reason", std::move(finish_reason)}};
}

nlohmann::json response_frame::body(nlohmann::json choices, nlohmann::json usage) const {
  nlohmann::json out = {{"id", id},
                        {"object", object},
                        {"created", created},
                        {"model", model},
                        {"choices", std::move(choices)}};
  if (!usage.is_null()) out["usage"] = std::move(usage);
  return out;
}

nlohmann::json response_frame::choice_chunk(std::size_t index, const char* key,
                                            nlohmann::json value, nlohmann::json logprobs,
                                            nlohmann::json finish_reason) const {
  return body(nlohmann::json::array(
      {choice_json(index, key, std::move(value), std::move(logprobs), std::move(finish_reason))}));
}

nlohmann::json response_frame::usage_chunk(std::size_t prompt_tokens,
                                           std::size_t completion_tokens) const {
  return body(nlohmann::json::array(), usage_json(prompt_tokens, completion_tokens));
}

}  // namespace hf::api
