// A read-only memory mapping of a whole file (weights are used in place, never copied).
// Shared ownership lets every weight view keep its file mapped for as long as it lives.
// Usage: auto f = mapped_file::open("model.safetensors"); std::span<const std::byte> b = f->bytes();
#pragma once
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>

namespace hf::engine {

class mapped_file {
 public:
  // Throws model_error naming the path when the file cannot be opened or mapped.
  static std::shared_ptr<const mapped_file> open(const std::filesystem::path& path);
  ~mapped_file();
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  const std::filesystem::path& path() const { return path_; }
  // Drops the resident pages wholly inside `range` (a part of bytes()) from this process: for data
  // that was copied or converted, so that it is not held twice. Reading it again pages it back in
  // from the file, so this never changes what the mapping holds.
  void release(std::span<const std::byte> range) const;

 private:
  mapped_file(std::filesystem::path path, const std::byte* data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  std::filesystem::path path_;
  const std::byte* data_;
  size_t size_;
};

}  // namespace hf::engine
