#include "engine/sampling/generate.hpp"

#include <algorithm>
#include <memory>

#include "engine/errors.hpp"
#include "engine/sampling/sampler.hpp"
#include "engine/sampling/stop_strings.hpp"
#include "engine/tokenizer/tokenizer.hpp"

namespace hf::engine {

std::string_view finish_reason_name(finish_reason r) { return r == finish_reason::stop ? "stop" : "length"; }

namespace {

std::vector<int32_t> stop_ids(const causal_lm& lm, const sampling_params& p, const tokenizer* tok) {
  std::vector<int32_t> ids = p.stop_token_ids;
  if (!p.ignore_eos) {
    const auto& eos = lm.generation_defaults().eos_ids;
    ids.insert(ids.end(), eos.begin(), eos.end());
    if (tok && tok->eos_id()) ids.push_back(*tok->eos_id());
  }
  return ids;
}

}  // namespace

generation_result generate(const causal_lm& lm, std::span<const int32_t> prompt, const sampling_params& params,
                           const tokenizer* tok, const token_callback& on_token, std::stop_token stop) {
  if (prompt.empty()) throw input_error("generate: the prompt has no tokens");
  if (!params.stop.empty() && !tok) throw input_error("generate: stop strings need a tokenizer");
  sampler pick(params, lm.vocab_size());
  const auto stops = stop_ids(lm, params, tok);
  std::optional<incremental_decoder> decoder;
  if (tok) decoder.emplace(*tok);
  stop_string_matcher matcher(params.stop);

  generation_result r;
  auto cache = lm.new_cache();
  std::vector<float> logits(lm.vocab_size());
  std::vector<int32_t> history(prompt.begin(), prompt.end());
  step_input first{*cache, prompt, logits};
  lm.forward({&first, 1}, stop);
  r.last_prompt_logits = logits;
  auto emit = [&](int32_t id, std::string text) {
    r.text += text;
    if (on_token) on_token(id, text);
  };

  r.reason = finish_reason::length;
  while (r.ids.size() < params.max_tokens) {
    if (stop.stop_requested()) throw cancelled_error();
    token_logprob lp;
    const int32_t id = pick.sample(logits, history, r.ids, params.logprobs ? &lp : nullptr);
    if (std::find(stops.begin(), stops.end(), id) != stops.end()) {
      r.reason = finish_reason::stop;
      break;
    }
    r.ids.push_back(id);
    history.push_back(id);
    if (params.logprobs) r.logprobs.push_back(std::move(lp));
    emit(id, decoder ? matcher.push(decoder->push(id)) : std::string());
    if (matcher.stopped()) {
      r.reason = finish_reason::stop;
      r.matched_stop = matcher.matched();
      break;
    }
    if (r.ids.size() == params.max_tokens || cache->length() >= lm.max_positions()) break;
    step_input next{*cache, std::span(&r.ids.back(), 1), logits};
    lm.forward({&next, 1}, stop);
  }
  if (decoder && !matcher.stopped()) {
    std::string rest = matcher.push(decoder->flush());
    if (matcher.stopped()) {
      r.reason = finish_reason::stop;
      r.matched_stop = matcher.matched();
    } else {
      rest += matcher.flush();
    }
    if (!rest.empty()) emit(-1, std::move(rest));
  }
  return r;
}

}  // namespace hf::engine
