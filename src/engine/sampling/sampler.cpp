#include "engine/sampling/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "engine/errors.hpp"
#include "engine/sampling/sampling_check.hpp"

namespace hf::engine {
namespace {

uint64_t initial_seed(const sampling_params& p) {
  if (p.seed) return *p.seed;
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

int32_t argmax(std::span<const float> v) {
  return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin());  // first max on ties
}

}  // namespace

sampler::sampler(const sampling_params& params, size_t vocab_size)
    : params_(params), vocab_(vocab_size), rng_(initial_seed(params)) {
  // The scheduler has checked this already; the engine checks again because it is also called
  // directly (CLI generate, tests) and an out-of-range value would give NaN probabilities.
  if (auto bad = check_sampling_params(params, sampling_ranges{}, vocab_size)) {
    throw input_error("sampling parameter " + bad->param + " " + bad->message);
  }
}

void sampler::apply_biases(std::span<float> logits, std::span<const int32_t> history,
                           std::span<const int32_t> generated) const {
  for (const auto& [id, bias] : params_.logit_bias) logits[static_cast<size_t>(id)] += bias;
  if (params_.repetition_penalty != 1.0f) {
    std::unordered_set<int32_t> seen(history.begin(), history.end());
    for (int32_t id : seen) {
      if (id < 0 || static_cast<size_t>(id) >= vocab_) continue;
      float& l = logits[static_cast<size_t>(id)];
      l = l > 0 ? l / params_.repetition_penalty : l * params_.repetition_penalty;
    }
  }
  if (params_.presence_penalty != 0.0f || params_.frequency_penalty != 0.0f) {
    std::unordered_map<int32_t, size_t> counts;
    for (int32_t id : generated) ++counts[id];
    for (const auto& [id, n] : counts) {
      if (id < 0 || static_cast<size_t>(id) >= vocab_) continue;
      logits[static_cast<size_t>(id)] -= params_.presence_penalty + params_.frequency_penalty * static_cast<float>(n);
    }
  }
}

int32_t sampler::sample(std::span<float> logits, std::span<const int32_t> history, std::span<const int32_t> generated,
                        token_logprob* logprob) {
  if (logits.size() != vocab_) throw input_error("sampler: logits size differs from the vocabulary size");
  apply_biases(logits, history, generated);
  const int32_t id = params_.temperature == 0.0f ? argmax(logits) : draw(logits);
  if (logprob) {
    // log_softmax in double over the penalised logits.
    const double mx = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (float l : logits) sum += std::exp(static_cast<double>(l) - mx);
    const double log_z = mx + std::log(sum);
    logprob->id = id;
    logprob->logprob = static_cast<float>(logits[static_cast<size_t>(id)] - log_z);
    logprob->top.clear();
    const size_t n = std::min(params_.logprobs.value_or(0), vocab_);
    if (n > 0) {
      std::vector<int32_t> idx(vocab_);
      for (size_t i = 0; i < vocab_; ++i) idx[i] = static_cast<int32_t>(i);
      std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(n), idx.end(), [&](int32_t a, int32_t b) {
        const float la = logits[static_cast<size_t>(a)], lb = logits[static_cast<size_t>(b)];
        return la > lb || (la == lb && a < b);
      });
      for (size_t i = 0; i < n; ++i)
        logprob->top.emplace_back(idx[i], static_cast<float>(logits[static_cast<size_t>(idx[i])] - log_z));
    }
  }
  return id;
}

int32_t sampler::draw(std::span<const float> logits) {
  const double inv_t = 1.0 / params_.temperature;
  const double mx = *std::max_element(logits.begin(), logits.end()) * inv_t;
  // Candidates with their unnormalised probabilities. Tokens below 1e-12 of the best one cannot
  // change top-p/min-p decisions or be drawn in practice, and skipping them keeps sorting cheap.
  candidates_.clear();
  for (size_t i = 0; i < logits.size(); ++i) {
    const double p = std::exp(logits[i] * inv_t - mx);
    if (p >= 1e-12) candidates_.emplace_back(p, static_cast<int32_t>(i));
  }
  if (candidates_.empty()) return argmax(logits);  // every logit was -inf or NaN
  auto by_prob = [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); };
  // Only top-k and top-p need the candidates in order, and only their best ones: sorting the
  // whole vocabulary for every token (a flat distribution keeps all ~50k of GPT-2's) cost more
  // than a batched decode step. Without either, the draw walks the candidates in id order.
  size_t sorted = 0;  // candidates_[0, sorted) are the best, in order
  if (params_.top_k > 0 && params_.top_k < candidates_.size()) {
    std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(params_.top_k),
                      candidates_.end(), by_prob);
    candidates_.resize(params_.top_k);
    sorted = params_.top_k;
  }
  if (params_.top_p < 1.0f) {
    if (sorted == 0) sorted = sort_best_until(params_.top_p, by_prob);
    double total = 0;
    for (const auto& c : candidates_) total += c.first;
    double cum = 0;
    size_t keep = 0;
    while (keep < sorted) {
      cum += candidates_[keep++].first / total;
      if (cum >= params_.top_p) break;
    }
    candidates_.resize(keep);
  }
  if (params_.min_p > 0.0f) {
    double best = 0;
    for (const auto& c : candidates_) best = std::max(best, c.first);
    const double floor = best * params_.min_p;
    std::erase_if(candidates_, [floor](const auto& c) { return c.first < floor; });
  }
  double total = 0;
  for (const auto& c : candidates_) total += c.first;
  // 53 random bits -> uniform double in [0, total): independent of the standard library's
  // distribution implementations, so a seed gives the same tokens everywhere.
  const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53 * total;
  double acc = 0;
  for (const auto& c : candidates_) {
    acc += c.first;
    if (u < acc) return c.second;
  }
  return candidates_.back().second;
}

template <class Less>
size_t sampler::sort_best_until(float top_p, Less by_prob) {
  // Sorts a growing prefix (256, 1024, ... candidates) until it holds top_p of the mass, and
  // returns its length: a peaked distribution (a trained model) sorts a few hundred, a flat one
  // ends as a full sort.
  double total = 0;
  for (const auto& c : candidates_) total += c.first;
  for (size_t k = std::min<size_t>(256, candidates_.size());;
       k = std::min(candidates_.size(), k * 4)) {
    std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(k),
                      candidates_.end(), by_prob);
    double mass = 0;
    for (size_t i = 0; i < k; ++i) mass += candidates_[i].first;
    // A little slack: the caller's running sum of c/total may round below this one.
    if (k == candidates_.size() || mass / total >= top_p + 1e-9) return k;
  }
}

}  // namespace hf::engine
