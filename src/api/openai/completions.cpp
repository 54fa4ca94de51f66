// POST /v1/completions.
#include "api/openai/api_error.hpp"
#include "api/openai/completion_protocol.hpp"
#include "api/openai/generation_flow.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/model_lease_for.hpp"
#include "api/openai/response_caching.hpp"
#include "api/openai/response_json.hpp"

namespace hf::api {
namespace {

std::vector<std::vector<int32_t>> tokenize_prompts(const engine::tokenizer& tok,
                                                   const std::vector<prompt_input>& prompts,
                                                   std::vector<std::string>& texts) {
  std::vector<std::vector<int32_t>> out;
  for (const auto& p : prompts) {
    if (const auto* s = std::get_if<std::string>(&p)) {
      out.push_back(tok.encode(*s, /*add_special_tokens=*/true));
      texts.push_back(*s);
    } else {
      const auto& ids = std::get<std::vector<int32_t>>(p);
      out.push_back(ids);
      texts.push_back(tok.decode(ids, /*skip_special_tokens=*/false));
    }
  }
  return out;
}

// Legacy completions: choices carry "text"; with echo the prompt comes first (whole, or as
// each choice's opening chunk) and logprobs' text_offset counts from its end.
class text_choices final : public choice_mapping {
 public:
  text_choices(const engine::tokenizer& tok, const completion_request& req,
               std::vector<std::string> prompt_texts, std::size_t choices)
      : tok_(tok),
        n_(req.options.n),
        echo_(req.echo),
        want_lp_(req.options.sampling.logprobs.has_value()),
        prompt_texts_(std::move(prompt_texts)),
        offsets_(choices, 0) {}

  choice_part whole(std::size_t index, const choice_output& c) override {
    std::string prefix = echo_ ? prompt_texts_[index / n_] : std::string();
    nlohmann::json lp =
        want_lp_ ? completion_logprobs_json(tok_, c.logprobs, prefix.size()) : nlohmann::json();
    return {prefix + c.text, std::move(lp)};
  }

  std::vector<choice_part> opening(std::size_t index) override {
    if (!echo_) return {};
    const std::string& prompt = prompt_texts_[index / n_];
    offsets_[index] = prompt.size();
    return {choice_part{prompt}};
  }

  std::vector<choice_part> chunks(std::size_t index, const serving::generation_event& ev) override {
    nlohmann::json lp = nullptr;
    if (want_lp_ && ev.logprob) lp = completion_logprobs_json(tok_, {*ev.logprob}, offsets_[index]);
    offsets_[index] += ev.text.size();
    if (ev.type == serving::generation_event::kind::finished) {
      return {choice_part{ev.text, nullptr, ev.finish_reason}};
    }
    if (ev.text.empty() && !want_lp_) return {};  // text held back (UTF-8, stop strings)
    return {choice_part{ev.text, std::move(lp)}};
  }

 private:
  const engine::tokenizer& tok_;
  std::size_t n_;
  bool echo_;
  bool want_lp_;
  std::vector<std::string> prompt_texts_;  // per prompt, for echo
  std::vector<std::size_t> offsets_;       // per choice: text sent so far (text_offset)
};

}  // namespace

rt::task<void> handle_completions(api_context& ctx, call_options call, std::string_view body,
                                  responder& out) {
  const nlohmann::json fields = parse_json_object(body);  // parsed once: request and cache key
  completion_request req = parse_completion_request(fields);
  serving::model_lease lease =
      co_await lease_for(ctx, req.model, model_use::generate, "completions");
  auto answer = [&](responder& to) -> rt::task<void> {
    const auto& tok = lease.model().tokenizer;
    std::vector<std::string> prompt_texts;
    auto prompts = tokenize_prompts(tok, req.prompts, prompt_texts);
    generation_flow flow(*lease.generator(), prompts, req.options, call);
    text_choices mapping(tok, req, std::move(prompt_texts), flow.choices());
    static constexpr completion_shape shape{"cmpl", "text_completion", "text_completion", "text",
                                            "text"};
    co_await respond_completion(flow, shape, req.model, req.options, mapping, to);
  };
  co_await respond_with_cache(ctx, lease, "/v1/completions", fields, req.options, call.deadline,
                              out, answer);
}

}  // namespace hf::api
