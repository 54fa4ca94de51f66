// sentence-transformers pooling settings (modules.json + <pooling module>/config.json), used as the
// default pooling of an embeddings model when the folder ships them.
// Usage: if (auto p = load_pooling_config(dir)) { use p->mode, p->normalize; }
#pragma once
#include <filesystem>
#include <optional>
#include <string_view>

namespace hf::engine {

enum class pooling {
  mean,    // attention-mask weighted mean of the last hidden state
  cls,     // hidden state of the first token
  last,    // hidden state of the last token
  pooler,  // BERT pooler: tanh(dense(cls hidden)); needs a pooler head
};

std::optional<pooling> parse_pooling(std::string_view name);  // "mean" | "cls" | "last" | "pooler"
std::string_view pooling_name(pooling p);

struct pooling_config {
  pooling mode = pooling::mean;
  bool normalize = false;  // a sentence_transformers Normalize module follows pooling
};

// nullopt when the folder has no modules.json; model_error when the files are malformed.
std::optional<pooling_config> load_pooling_config(const std::filesystem::path& dir);

}  // namespace hf::engine
