// Relevance of text pairs, shared by /v1/rerank and /score. A cross-encoder (a sequence
// classifier with one label) reads each pair as two segments and gives sigmoid(logit), as
// sentence-transformers' CrossEncoder does; an embedding model embeds both texts (each distinct
// text once) and gives their cosine similarity, as vLLM does for embedding models. Any other model
// is a 400. Runs through the model's encoder batcher, so concurrent requests share batches.
//   pair_scores s = co_await score_pairs(lease, req.model, pairs, deadline);
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "runtime/clock.hpp"
#include "runtime/task.hpp"
#include "serving/cache/model_cache.hpp"

namespace hf::api {

using text_pair = std::pair<std::string, std::string>;

struct pair_scores {
  std::vector<double> scores;  // one per pair, in order
  std::size_t tokens = 0;      // tokens the model read (after truncation)
};

// `lease` and `pairs` must stay alive until the returned task completes (await it directly).
rt::task<pair_scores> score_pairs(const serving::model_lease& lease, const std::string& model_id,
                                  const std::vector<text_pair>& pairs, rt::time_point deadline);

}  // namespace hf::api
