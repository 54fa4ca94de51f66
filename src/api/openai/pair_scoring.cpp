#include "api/openai/pair_scoring.hpp"

#include <map>

#include "api/openai/api_error.hpp"
#include "api/openai/encoder_inputs.hpp"

namespace hf::api {
namespace {

rt::task<pair_scores> cross_encoder_scores(const serving::model_lease& lease,
                                           const std::vector<text_pair>& pairs,
                                           rt::time_point deadline) {
  std::vector<serving::encoder_job_input> inputs;
  inputs.reserve(pairs.size());
  for (const auto& [first, second] : pairs) {
    inputs.push_back(encoder_pair_input(lease.model(), first, second));
  }
  auto outputs = co_await lease.encoder()->classify(std::move(inputs), deadline);
  pair_scores s;
  for (const auto& o : outputs) {
    s.scores.push_back(o.probs.at(0));  // the engine's sigmoid for one-label models
    s.tokens += o.tokens;
  }
  co_return s;
}

rt::task<pair_scores> cosine_scores(const serving::model_lease& lease,
                                    const std::vector<text_pair>& pairs, rt::time_point deadline) {
  // Each distinct text once: a rerank query is embedded once, not once per document.
  std::map<std::string, std::size_t> index;
  std::vector<prompt_input> texts;
  auto slot = [&](const std::string& t) {
    auto [it, fresh] = index.try_emplace(t, texts.size());
    if (fresh) texts.emplace_back(t);
    return it->second;
  };
  std::vector<std::pair<std::size_t, std::size_t>> rows;
  rows.reserve(pairs.size());
  for (const auto& [first, second] : pairs) rows.emplace_back(slot(first), slot(second));
  auto outputs = co_await lease.encoder()->embed(encoder_inputs(lease.model(), texts),
                                                 route_embed_options(lease.model()), deadline);
  pair_scores s;
  for (const auto& o : outputs) s.tokens += o.tokens;
  for (const auto& [a, b] : rows) {
    // Unit vectors: the cosine is their dot product (summed in double, in index order).
    const auto& x = outputs[a].embedding;
    const auto& y = outputs[b].embedding;
    double dot = 0;
    for (std::size_t i = 0; i < x.size(); ++i) dot += static_cast<double>(x[i]) * y[i];
    s.scores.push_back(dot);
  }
  co_return s;
}

}  // namespace

rt::task<pair_scores> score_pairs(const serving::model_lease& lease, const std::string& model_id,
                                  const std::vector<text_pair>& pairs, rt::time_point deadline) {
  const auto* encoder = lease.model().encoder;
  if (!encoder || !lease.encoder()) {
    throw api_error::bad_request("the model '" + model_id +
                                     "' cannot score text pairs: use a cross-encoder or an "
                                     "embedding model",
                                 "model");
  }
  const std::size_t labels = encoder->labels().size();
  if (labels == 1) co_return co_await cross_encoder_scores(lease, pairs, deadline);
  if (labels > 1) {
    throw api_error::bad_request("the model '" + model_id + "' is a classifier with " +
                                     std::to_string(labels) +
                                     " labels; scoring pairs needs a cross-encoder (one label) or "
                                     "an embedding model",
                                 "model");
  }
  co_return co_await cosine_scores(lease, pairs, deadline);
}

}  // namespace hf::api
