// Helpers for serving tests: a temporary folder removed at scope exit, file writing, and a minimal
// safetensors encoder (8-byte little-endian header length, JSON header, zeroed tensor data).
#pragma once
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hf::serving::test {

class temp_dir {
 public:
  temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hfserve-serving-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~temp_dir() { std::filesystem::remove_all(path_); }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& content) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

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
