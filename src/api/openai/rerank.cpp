// POST /v1/rerank and /rerank (Cohere/Jina shape, as vLLM serves it) and POST /score (vLLM's),
// both on score_pairs: a cross-encoder's relevance or an embedding model's cosine.
#include <algorithm>
#include <numeric>

#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/pair_scoring.hpp"
#include "api/openai/pooling_requests.hpp"
#include "api/openai/response_json.hpp"

namespace hf::api {

rt::task<void> handle_rerank(api_context& ctx, call_options call, std::string_view body,
                             responder& out) {
  rerank_request req = parse_rerank_request(parse_json_object(body));
  serving::model_lease lease = co_await ctx.cache->acquire(req.model);
  std::vector<text_pair> pairs;
  pairs.reserve(req.documents.size());
  for (const auto& d : req.documents) pairs.emplace_back(req.query, d);
  pair_scores s = co_await score_pairs(lease, req.model, pairs, call.deadline);

  std::vector<std::size_t> order(req.documents.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Most relevant first; equal scores keep the documents' order.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return s.scores[a] > s.scores[b]; });
  if (req.top_n > 0 && req.top_n < order.size()) order.resize(req.top_n);
  nlohmann::json results = nlohmann::json::array();
  for (std::size_t i : order) {
    nlohmann::json r = {{"index", i}, {"relevance_score", s.scores[i]}};
    if (req.return_documents) r["document"] = {{"text", req.documents[i]}};
    results.push_back(std::move(r));
  }
  nlohmann::json resp = {{"id", make_response_id("rerank")},
                         {"model", req.model},
                         {"usage", {{"total_tokens", s.tokens}}},
                         {"results", std::move(results)}};
  co_await out.json(200, resp.dump());
}

rt::task<void> handle_score(api_context& ctx, call_options call, std::string_view body,
                            responder& out) {
  score_request req = parse_score_request(parse_json_object(body));
  serving::model_lease lease = co_await ctx.cache->acquire(req.model);
  pair_scores s = co_await score_pairs(lease, req.model, req.pairs, call.deadline);
  nlohmann::json data = nlohmann::json::array();
  for (std::size_t i = 0; i < s.scores.size(); ++i) {
    data.push_back({{"index", i}, {"object", "score"}, {"score", s.scores[i]}});
  }
  nlohmann::json resp = {{"id", make_response_id("score")},
                         {"object", "list"},
                         {"created", unix_now()},
                         {"model", req.model},
                         {"data", std::move(data)},
                         {"usage", usage_json(s.tokens, 0)}};
  co_await out.json(200, resp.dump());
}

}  // namespace hf::api
