// Asynchronous regular-file I/O: native io_uring operations on the io_uring backend, a worker
// thread (to_thread, default limiter) per operation on epoll, where regular files are never
// "ready". Every operation is a checkpoint; one that is already running when a cancellation
// arrives finishes, returns its result, and the cancellation is raised at the next checkpoint.
//   auto f = co_await rt::open_file("/tmp/x", "w");   co_await f.write_all(bytes);   f.close();
//   std::vector<std::byte> all = co_await rt::read_file("/etc/hostname");
// Modes as in fopen: "r", "w", "a", "x", each optionally with "+" (read and write) and "b".
// Errors: std::system_error with errno and the path; closed_resource_error after close().
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/task.hpp"

namespace hf::rt {

class async_file {
 public:
  async_file() = default;
  async_file(int fd, std::string path) noexcept : fd_(fd), path_(std::move(path)) {}
  async_file(async_file&& o) noexcept;
  async_file& operator=(async_file&& o) noexcept;
  ~async_file();

  // Reads up to buffer.size() bytes at the file position (advancing it) or at `offset`;
  // returns 0 only at the end of the file.
  task<std::size_t> read(std::span<std::byte> buffer);
  task<std::size_t> read(std::span<std::byte> buffer, std::uint64_t offset);
  // Writes some of data at the file position (or at `offset`); returns how much was written.
  task<std::size_t> write(std::span<const std::byte> data);
  task<std::size_t> write(std::span<const std::byte> data, std::uint64_t offset);
  // Everything from the file position to the end of the file.
  task<std::vector<std::byte>> read_all();
  // All of data, at the file position.
  task<void> write_all(std::span<const std::byte> data);
  task<void> write_all(std::string_view data) { return write_all(std::as_bytes(std::span(data))); }
  task<void> fsync();
  // Synchronous and idempotent (closing a regular file does not block).
  void close() noexcept;
  bool is_open() const noexcept { return fd_ >= 0; }
  int native_handle() const noexcept { return fd_; }
  const std::string& path() const noexcept { return path_; }

 private:
  task<std::size_t> transfer(bool write, std::byte* buf, std::size_t len, std::int64_t offset);
  int fd_ = -1;
  std::string path_;
};

task<async_file> open_file(std::string path, std::string_view mode = "r");
task<std::vector<std::byte>> read_file(std::string path);
task<void> write_file(std::string path, std::span<const std::byte> data);
task<void> write_file(std::string path, std::string_view data);

}  // namespace hf::rt
