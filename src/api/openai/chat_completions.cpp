// POST /v1/chat/completions.
#include "api/openai/api_error.hpp"
#include "api/openai/chat_prompt.hpp"
#include "api/openai/completion_protocol.hpp"
#include "api/openai/generation_flow.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/model_lease_for.hpp"
#include "api/openai/response_caching.hpp"
#include "api/openai/response_json.hpp"

namespace hf::api {
namespace {

// Chat: a whole choice is an assistant "message"; a stream opens each choice with the role, sends
// content deltas, and ends it with an empty delta that carries the finish_reason.
class chat_choices final : public choice_mapping {
 public:
  chat_choices(const engine::tokenizer& tok, bool logprobs) : tok_(tok), logprobs_(logprobs) {}

  choice_part whole(std::size_t, const choice_output& c) override {
    nlohmann::json message = {{"role", "assistant"}, {"content", c.text}};
    nlohmann::json lp = logprobs_ ? chat_logprobs_json(tok_, c.logprobs) : nlohmann::json();
    return {std::move(message), std::move(lp)};
  }

  std::vector<choice_part> opening(std::size_t) override {
    nlohmann::json role = {{"role", "assistant"}, {"content", ""}};
    return {choice_part{std::move(role)}};
  }

  std::vector<choice_part> chunks(std::size_t, const serving::generation_event& ev) override {
    std::vector<choice_part> parts;
    if (ev.type == serving::generation_event::kind::finished) {
      if (!ev.text.empty()) parts.push_back({content(ev.text)});
      parts.push_back({nlohmann::json::object(), nullptr, ev.finish_reason});
      return parts;
    }
    nlohmann::json lp = nullptr;
    if (logprobs_ && ev.logprob) lp = chat_logprobs_json(tok_, {*ev.logprob});
    // Text held back (UTF-8, stop strings) sends nothing, unless there is a logprob to report.
    if (!ev.text.empty() || !lp.is_null()) parts.push_back({content(ev.text), std::move(lp)});
    return parts;
  }

 private:
  static nlohmann::json content(const std::string& text) {
    nlohmann::json delta = nlohmann::json::object();
    delta["content"] = text;
    return delta;
  }

  const engine::tokenizer& tok_;
  bool logprobs_;
};

}  // namespace

rt::task<void> handle_chat_completions(api_context& ctx, call_options call, std::string_view body,
                                       responder& out) {
  const nlohmann::json fields = parse_json_object(body);  // parsed once: request and cache key
  chat_request req = parse_chat_request(fields);
  serving::model_lease lease = co_await lease_for(ctx, req.model, model_use::generate, "chat");
  auto answer = [&](responder& to) -> rt::task<void> {
    const auto& tok = lease.model().tokenizer;
    // The template writes the special tokens itself (transformers: add_special_tokens=False).
    std::vector<int32_t> prompt =
        tok.encode(render_chat_prompt(lease.model(), req), /*add_special_tokens=*/false);
    generation_flow flow(*lease.generator(), {prompt}, req.options, call);
    chat_choices mapping(tok, req.logprobs);
    static constexpr completion_shape shape{"chatcmpl", "chat.completion", "chat.completion.chunk",
                                            "message", "delta"};
    co_await respond_completion(flow, shape, req.model, req.options, mapping, to);
  };
  co_await respond_with_cache(ctx, lease, "/v1/chat/completions", fields, req.options,
                              call.deadline, out, answer);
}

}  // namespace hf::api
