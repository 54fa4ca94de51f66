// Bodies of the routes that run an encoder model without generating: POST /classify (vLLM's
// shape), POST /v1/rerank and /rerank (Cohere/Jina as vLLM serves them) and POST /score (vLLM's
// text_1/text_2 pairs). Parsed and validated here; which model can answer is the route's business.
//   rerank_request r = parse_rerank_request(parse_json_object(body));
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/openai/requests.hpp"

namespace hf::api {

// Limits that keep one request from monopolising the encoder batcher.
inline constexpr std::size_t k_max_pooling_inputs = 1024;

struct classify_request {
  std::string model;
  std::vector<prompt_input> inputs;  // texts or token ids, like /v1/embeddings' "input"
};

struct rerank_request {
  std::string model;
  std::string query;
  std::vector<std::string> documents;  // strings, or Cohere's {"text": ...} objects
  std::size_t top_n = 0;               // 0: every document
  bool return_documents = true;        // vLLM and Jina return them; Cohere clients ask
};

struct score_request {
  std::string model;
  // The pairs to score, expanded from text_1/text_2: one with one, one with many (text_1 a single
  // string or a one-item list), or many with as many, pairwise.
  std::vector<std::pair<std::string, std::string>> pairs;
};

classify_request parse_classify_request(const nlohmann::json& body);
rerank_request parse_rerank_request(const nlohmann::json& body);
score_request parse_score_request(const nlohmann::json& body);

}  // namespace hf::api
