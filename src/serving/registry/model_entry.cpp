#include "serving/registry/model_entry.hpp"

namespace hf::serving {
namespace {

nlohmann::json text_or_null(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

}  // namespace

std::string_view model_task_name(model_task t) {
  switch (t) {
    case model_task::text_generation:
      return "text-generation";
    case model_task::embeddings:
      return "embeddings";
    case model_task::classification:
      return "classification";
    case model_task::unknown:
      break;
  }
  return "unknown";
}

std::string_view model_origin_name(model_origin o) {
  return o == model_origin::hub ? "hub" : "dir";
}

nlohmann::json to_json(const model_entry& m) {
  nlohmann::json j = nlohmann::json::object();
  j["id"] = m.id;
  j["source"] = model_origin_name(m.origin);
  j["path"] = m.path.string();
  j["revision"] = text_or_null(m.revision);
  j["architecture"] = text_or_null(m.architecture);
  j["model_type"] = text_or_null(m.model_type);
  j["task"] = model_task_name(m.task);
  j["parameters"] = m.parameters ? nlohmann::json(*m.parameters) : nlohmann::json();
  j["dtype"] = text_or_null(m.dtype);
  j["size_bytes"] = m.size_bytes;
  j["has_tokenizer"] = m.has_tokenizer;
  j["supported"] = m.supported;
  j["unsupported_reason"] = text_or_null(m.unsupported_reason);
  j["hardware"] = m.hardware;
  j["error"] = text_or_null(m.error);
  return j;
}

}  // namespace hf::serving
