// What each architecture file provides to the registry (models/registry.cpp): a loader taking the
// parsed folder. Internal to models/; users call load_model().
// Usage: registry entry {"GPT2LMHeadModel", &load_gpt2}.
#pragma once
#include <filesystem>
#include <memory>
#include <string>

#include "engine/models/model.hpp"
#include "engine/weights/dtype_request.hpp"
#include "engine/weights/model_config.hpp"
#include "engine/weights/weight_store.hpp"

namespace hf::engine {

struct model_source {
  std::filesystem::path dir;
  std::string architecture;  // config.json "architectures"[0]
  json_config config;
  weight_store weights;
  dtype_request dtype;  // the weight type asked for its matrices
};

std::unique_ptr<model> load_gpt2(const model_source& src);
std::unique_ptr<model> load_llama(const model_source& src);
std::unique_ptr<model> load_bert(const model_source& src);

// Returns "prefix" + name when that tensor exists, trying each prefix in order (checkpoints saved
// from different classes differ in prefixes); the first prefix when none matches.
std::string detect_prefix(const weight_store& ws, std::initializer_list<const char*> prefixes,
                          const std::string& probe);

}  // namespace hf::engine
