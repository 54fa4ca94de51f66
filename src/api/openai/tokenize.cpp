// POST /tokenize and POST /detokenize (vLLM's shapes).
#include "api/openai/api_error.hpp"
#include "api/openai/chat_prompt.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/tokenize_requests.hpp"

namespace hf::api {

rt::task<void> handle_tokenize(api_context& ctx, call_options /*call*/, std::string_view body,
                               responder& out) {
  tokenize_request req = parse_tokenize_request(parse_json_object(body));
  serving::model_lease lease = co_await ctx.cache->acquire(req.model);
  const auto& model = lease.model();
  const std::string text = req.prompt ? *req.prompt : render_chat_prompt(model, *req.chat);
  const std::vector<int32_t> ids = model.tokenizer.encode(text, req.add_special_tokens);
  nlohmann::json strs = nullptr;
  if (req.return_token_strs) {
    strs = nlohmann::json::array();
    for (int32_t id : ids) strs.push_back(model.tokenizer.id_to_token(id));
  }
  nlohmann::json resp = {{"count", ids.size()},
                         {"max_model_len", model.max_context()},
                         {"tokens", ids},
                         {"token_strs", std::move(strs)}};
  co_await out.json(200, resp.dump());
}

rt::task<void> handle_detokenize(api_context& ctx, call_options /*call*/, std::string_view body,
                                 responder& out) {
  detokenize_request req = parse_detokenize_request(parse_json_object(body));
  serving::model_lease lease = co_await ctx.cache->acquire(req.model);
  const auto& tok = lease.model().tokenizer;
  for (int32_t id : req.tokens) {
    if (static_cast<std::size_t>(id) >= tok.vocab_size()) {
      throw api_error::invalid_param("tokens", "token id " + std::to_string(id) +
                                                   " is outside the vocabulary (size " +
                                                   std::to_string(tok.vocab_size()) + ")");
    }
  }
  // transformers' decode() default: special tokens are kept.
  nlohmann::json resp = {{"prompt", tok.decode(req.tokens, /*skip_special_tokens=*/false)}};
  co_await out.json(200, resp.dump());
}

}  // namespace hf::api
