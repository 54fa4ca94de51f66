// Reader for one .safetensors file: an 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets}}, then the raw tensor bytes, used in place through mmap.
// Every malformed input (truncation, huge header, bad JSON, bad offsets, unknown dtype) throws model_error.
// Usage: auto f = safetensors_file::open(p); const tensor_info* t = f.find("wte.weight"); f.data(*t);
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/weights/dtype.hpp"
#include "engine/weights/mapped_file.hpp"

namespace hf::engine {

inline constexpr size_t k_max_safetensors_header = 100u * 1024u * 1024u;

struct tensor_info {
  std::string name;
  dtype type = dtype::f32;
  std::vector<size_t> shape;
  size_t begin = 0;  // byte range inside the data section (after the header)
  size_t end = 0;
};

struct safetensors_header {
  std::vector<tensor_info> tensors;  // sorted by name
  std::map<std::string, std::string> metadata;
  size_t data_start = 0;  // file offset of the data section
};

// Validates and parses the header of a complete file image. `file_name` is used in messages.
safetensors_header parse_safetensors_header(std::span<const std::byte> file,
                                            const std::string& file_name);

class safetensors_file {
 public:
  static safetensors_file open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return file_->path(); }
  std::span<const tensor_info> tensors() const { return header_.tensors; }
  const std::map<std::string, std::string>& metadata() const { return header_.metadata; }
  const tensor_info* find(std::string_view name) const;  // nullptr when absent
  std::span<const std::byte> data(const tensor_info& t) const;
  const std::shared_ptr<const mapped_file>& mapping() const { return file_; }

 private:
  std::shared_ptr<const mapped_file> file_;
  safetensors_header header_;
};

}  // namespace hf::engine
