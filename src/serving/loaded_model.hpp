// A model folder loaded into memory: the engine model, its tokenizer and its parsed chat template.
// Immutable once loaded and shared (shared_ptr) by the schedulers and request handlers using it.
//   auto m = load_model_folder("org/name", dir);   // blocking: call it on a worker thread
//   if (m->lm) ...generation...; if (m->encoder) ...embeddings...
#pragma once
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "engine/models/causal_lm.hpp"
#include "engine/models/encoder.hpp"
#include "engine/tokenizer/tokenizer.hpp"
#include "engine/weights/dtype_request.hpp"
#include "template/template.hpp"

namespace hf::serving {

struct loaded_model {
  explicit loaded_model(engine::tokenizer tok) : tokenizer(std::move(tok)) {}

  std::string id;
  std::filesystem::path dir;
  std::unique_ptr<engine::model> model;
  const engine::causal_lm* lm = nullptr;           // set for text-generation models
  const engine::encoder_model* encoder = nullptr;  // set for embedding/classification models
  engine::tokenizer tokenizer;
  std::optional<tmpl::template_> chat_template;    // from tokenizer_config.json, if any
  std::string chat_template_error;                 // why a present template could not be parsed
  std::size_t memory_bytes = 0;                    // resident estimate (weights + caches reserve)
  std::chrono::milliseconds load_time{0};

  std::size_t max_context() const { return model->max_positions(); }
};

// Loads config, weights (their matrices as `dtype` asks), tokenizer and chat template. Throws
// serving_error(invalid_request) for folders the engine cannot serve, with the engine's message
// (it names the file/tensor).
std::shared_ptr<const loaded_model> load_model_folder(const std::string& id,
                                                      const std::filesystem::path& dir,
                                                      const engine::dtype_request& dtype = {});

}  // namespace hf::serving
