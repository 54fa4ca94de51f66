// All weights of one model folder: model.safetensors, or the shards listed by
// model.safetensors.index.json. Loads vectors as float32 `weight`s (aligned F32 data is used in
// place: zero copy, the mapping stays alive with the weight; F16/BF16 are widened once) and 2-D
// parameters as `matrix`es of the requested weight type (engine/weights/dtype_request.hpp).
// Usage: auto ws = weight_store::open(dir); weight w = ws.load("ln_f.weight", {hidden});
//        matrix m = ws.load_matrix("lm_head.weight", vocab, hidden, dtype_request{});
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tensor/matrix.hpp"
#include "engine/tensor/tensor.hpp"
#include "engine/weights/dtype_request.hpp"
#include "engine/weights/safetensors.hpp"

namespace hf::engine {

class weight_store {
 public:
  // Throws model_error when the folder has no safetensors weights (a folder holding only
  // pytorch_model.bin gets a "convert to safetensors" message) or a file is malformed.
  static weight_store open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const tensor_info* find(std::string_view name) const;  // nullptr when absent
  bool contains(std::string_view name) const { return find(name) != nullptr; }
  std::vector<std::string> names() const;

  // The tensor as float32 with exactly the `expected` shape; a missing tensor, a shape mismatch or
  // a non-float dtype throws model_error naming the tensor and its file.
  weight load(std::string_view name, const shape_t& expected) const;
  // Same, trying each name in order (checkpoints differ in prefixes); the error lists them all.
  weight load_first(std::span<const std::string> names, const shape_t& expected) const;

  // The 2-D tensor `name` as a [rows, cols] matrix of request.resolve(its dtype). With
  // `transposed`, the file holds it as [cols, rows] (GPT-2's Conv1D) and it is transposed here.
  // A matrix already in its final type and layout is used in place; otherwise it is converted
  // (through f32, exact for every type kept) and the source pages are released.
  matrix load_matrix(std::string_view name, size_t rows, size_t cols, const dtype_request& request,
                     bool transposed = false) const;

 private:
  struct entry {
    const safetensors_file* file;
    const tensor_info* info;
  };
  const entry* lookup(std::string_view name) const;
  // The entry for one of `names` (first found), with its shape and float dtype checked.
  const entry& checked(std::span<const std::string> names, const shape_t& expected) const;

  std::filesystem::path dir_;
  std::vector<std::unique_ptr<safetensors_file>> files_;
  std::map<std::string, entry, std::less<>> index_;
};

}  // namespace hf::engine
