// Base of every loaded model: what it is (architecture), what it can do (tasks) and its limits.
// A loaded model is immutable; all its compute methods are const and may run concurrently on
// different inputs (each call allocates its own scratch; per-sequence state lives in kv_cache).
// Usage: auto m = load_model(dir); if (m->supports(task::embeddings)) ...
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tensor/matrix.hpp"

namespace hf::engine {

enum class task { text_generation, embeddings, classification };
std::string_view task_name(task t);  // "text-generation", "embeddings", "classification"

class model {
 public:
  virtual ~model() = default;
  model(const model&) = delete;
  model& operator=(const model&) = delete;

  const std::string& architecture() const { return architecture_; }  // config.json "architectures"[0]
  const std::filesystem::path& dir() const { return dir_; }
  const std::vector<task>& tasks() const { return tasks_; }
  bool supports(task t) const;
  size_t vocab_size() const { return vocab_size_; }
  size_t max_positions() const { return max_positions_; }
  // Bytes of parameters held (all weights, in their loaded types), for bandwidth estimates.
  size_t parameter_bytes() const { return parameter_bytes_; }
  // The weight type of its matrices (its embedding table's, where `auto` kept a mixed checkpoint).
  weight_type dtype() const { return weight_type_; }

 protected:
  model() = default;
  std::string architecture_;
  std::filesystem::path dir_;
  std::vector<task> tasks_;
  size_t vocab_size_ = 0;
  size_t max_positions_ = 0;
  size_t parameter_bytes_ = 0;
  weight_type weight_type_ = weight_type::f32;
};

}  // namespace hf::engine
