// The one model-folder fixture of the C++ tests: a fresh, uniquely named folder under the system
// temp dir, removed with everything in it when the test ends. Tests write the files of a model
// folder (config.json, safetensors, tokenizer.json, TOML configs ...) into it.
//   hf::test_support::temp_dir d;
//   d.write("config.json", R"({"model_type":"gpt2"})");  auto cfg = read_config(d.path());
#pragma once
#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace hf::test_support {

// Writes `text` to `file`, creating the folders above it.
inline void write_file(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

class temp_dir {
 public:
  temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hfserve-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
    path_ = tmpl;
  }
  ~temp_dir() {
    std::error_code ignored;  // a test that already removed it, or a busy file: not a failure
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes path()/name (folders created) and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    write_file(path_ / name, text);
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace hf::test_support
