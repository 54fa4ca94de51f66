// Helpers for serving tests: the shared temp_dir / write_file (support/temp_dir.hpp) and a minimal
// safetensors encoder (8-byte little-endian header length, JSON header, zeroed tensor data).
#pragma once
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace hf::serving::test {

using test_support::temp_dir;
using test_support::write_file;

struct fake_tensor {
  std::string name;
  std::string dtype;  // "F32", "BF16", "F16"
  std::vector<std::uint64_t> shape;
};

inline std::string write_safetensors(const std::vector<fake_tensor>& tensors) {
  nlohmann::json header = {{"__metadata__", {{"format", "pt"}}}};
  std::uint64_t offset = 0;
  for (const auto& t : tensors) {
    std::uint64_t n = t.dtype == "F32" ? 4 : 2;
    for (auto d : t.shape) n *= d;
    header[t.name] = {
        {"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {offset, offset + n}}};
    offset += n;
  }
  std::string text = header.dump();
  while (text.size() % 8) text += ' ';
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>((text.size() >> (8 * i)) & 0xff);
  return out + text + std::string(offset, '\0');
}

}  // namespace hf::serving::test
