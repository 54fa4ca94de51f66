#include "api/openai/pooling_requests.hpp"

#include "api/openai/api_error.hpp"
#include "api/openai/json_fields.hpp"

namespace hf::api {
namespace {

void check_count(std::size_t n, const char* field) {
  if (n == 0) throw api_error::invalid_param(field, "must not be empty");
  if (n > k_max_pooling_inputs) {
    throw api_error::invalid_param(field, "at most " + std::to_string(k_max_pooling_inputs) +
                                              " items are allowed");
  }
}

// A string or a list of strings, required and without empty strings.
std::vector<std::string> required_texts(const json_fields& f, const char* field) {
  f.required(field);
  std::vector<std::string> texts = f.string_or_strings(field, k_max_pooling_inputs);
  check_count(texts.size(), field);
  for (const auto& t : texts) {
    if (t.empty()) throw api_error::invalid_param(field, "must not contain empty strings");
  }
  return texts;
}

}  // namespace

classify_request parse_classify_request(const nlohmann::json& body) {
  json_fields f(body);
  classify_request r;
  r.model = f.required_string("model");
  const nlohmann::json& input = f.required("input");
  r.inputs = parse_prompt_inputs(input, "input");
  check_count(r.inputs.size(), "input");
  for (const auto& in : r.inputs) {
    if (const auto* s = std::get_if<std::string>(&in); s && s->empty()) {
      throw api_error::invalid_param("input", "must not contain empty strings");
    }
  }
  return r;
}

rerank_request parse_rerank_request(const nlohmann::json& body) {
  json_fields f(body);
  rerank_request r;
  r.model = f.required_string("model");
  r.query = f.required_string("query");
  if (r.query.empty()) throw api_error::invalid_param("query", "must not be empty");
  const nlohmann::json& docs = f.required("documents");
  if (!docs.is_array()) throw api_error::invalid_param("documents", "must be a list");
  check_count(docs.size(), "documents");
  const char* shape = "each document must be a non-empty string or an object with a \"text\" string";
  for (const auto& d : docs) {
    const nlohmann::json* text = &d;
    if (d.is_object()) {
      auto it = d.find("text");
      if (it == d.end()) throw api_error::invalid_param("documents", shape);
      text = &*it;
    }
    if (!text->is_string() || text->get_ref<const std::string&>().empty()) {
      throw api_error::invalid_param("documents", shape);
    }
    r.documents.push_back(text->get<std::string>());
  }
  if (auto n = f.integer("top_n", 0, static_cast<std::int64_t>(k_max_pooling_inputs))) {
    r.top_n = static_cast<std::size_t>(*n);
  }
  r.return_documents = f.boolean("return_documents").value_or(true);
  return r;
}

score_request parse_score_request(const nlohmann::json& body) {
  json_fields f(body);
  score_request r;
  r.model = f.required_string("model");
  const std::vector<std::string> first = required_texts(f, "text_1");
  const std::vector<std::string> second = required_texts(f, "text_2");
  if (first.size() == 1) {
    for (const auto& s : second) r.pairs.emplace_back(first[0], s);
  } else if (first.size() == second.size()) {
    for (std::size_t i = 0; i < first.size(); ++i) r.pairs.emplace_back(first[i], second[i]);
  } else {
    throw api_error::invalid_param("text_2", "text_1 has " + std::to_string(first.size()) +
                                                 " items: text_2 must have as many, or text_1 "
                                                 "must be a single text");
  }
  return r;
}

}  // namespace hf::api
