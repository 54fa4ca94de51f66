#include "runtime/fs/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <system_error>
#include <utility>

#include "runtime/errors.hpp"
#include "runtime/io/op_awaiter.hpp"
#include "runtime/io/syscalls.hpp"
#include "runtime/threads/to_thread.hpp"

namespace hf::rt {
namespace {

// Runs a file op natively (io_uring) or as a blocking syscall on a worker thread (epoll).
task<long> file_op(io::op& o) {
  detail::loop& lp = detail::loop::require("file operation");
  if (lp.io().native_files()) co_return co_await io::op_awaiter(o);
  co_return co_await to_thread::run_sync([&o] {
    long r;
    do {
      r = io::perform_now(&o);
    } while (r == -EINTR);
    return r;
  });
}

int parse_mode(std::string_view mode) {
  int flags = 0;
  bool plus = mode.find('+') != std::string_view::npos;
  char base = mode.empty() ? '?' : mode[0];
  for (char c : mode.substr(mode.empty() ? 0 : 1)) {
    if (c != '+' && c != 'b') base = '?';
  }
  switch (base) {
    case 'r':
      flags = plus ? O_RDWR : O_RDONLY;
      break;
    case 'w':
      flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
      break;
    case 'a':
      flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
      break;
    case 'x':
      flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_EXCL;
      break;
    default:
      throw argument_error("open_file: invalid mode '" + std::string(mode) +
                           "' (expected r, w, a or x, optionally with + and b)");
  }
  return flags;
}

[[noreturn]] void throw_file_error(long r, const std::string& what, const std::string& path) {
  throw std::system_error(static_cast<int>(-r), std::generic_category(),
                          what + " '" + path + "'");
}

}  // namespace

async_file::async_file(async_file&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), path_(std::move(o.path_)) {}

async_file& async_file::operator=(async_file&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = std::exchange(o.fd_, -1);
    path_ = std::move(o.path_);
  }
  return *this;
}

async_file::~async_file() { close(); }

void async_file::close() noexcept {
  if (fd_ < 0) return;
  if (detail::loop* lp = detail::loop::current()) lp->io().forget_fd(fd_);
  ::close(fd_);
  fd_ = -1;
}

task<std::size_t> async_file::transfer(bool write, std::byte* buf, std::size_t len,
                                       std::int64_t offset) {
  if (fd_ < 0) throw closed_resource_error("async_file: '" + path_ + "' is closed");
  io::op o;
  o.kind = write ? io::op_kind::write : io::op_kind::read;
  o.fd = fd_;
  o.buf = buf;
  o.len = len;
  o.offset = offset;
  long r = co_await file_op(o);
  if (r < 0) throw_file_error(r, write ? "write to" : "read from", path_);
  co_return static_cast<std::size_t>(r);
}

task<std::size_t> async_file::read(std::span<std::byte> buffer) {
  return transfer(false, buffer.data(), buffer.size(), -1);
}
task<std::size_t> async_file::read(std::span<std::byte> buffer, std::uint64_t offset) {
  return transfer(false, buffer.data(), buffer.size(), static_cast<std::int64_t>(offset));
}
task<std::size_t> async_file::write(std::span<const std::byte> data) {
  return transfer(true, const_cast<std::byte*>(data.data()), data.size(), -1);
}
task<std::size_t> async_file::write(std::span<const std::byte> data, std::uint64_t offset) {
  return transfer(true, const_cast<std::byte*>(data.data()), data.size(),
                  static_cast<std::int64_t>(offset));
}

task<std::vector<std::byte>> async_file::read_all() {
  if (fd_ < 0) throw closed_resource_error("async_file: '" + path_ + "' is closed");
  struct stat st{};
  std::size_t chunk = 64 * 1024;
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    chunk = static_cast<std::size_t>(st.st_size) + 1;  // +1: the read that sees the end
  }
  std::vector<std::byte> out;
  for (;;) {
    std::size_t used = out.size();
    out.resize(used + chunk);
    std::size_t n = co_await read(std::span(out).subspan(used));
    out.resize(used + n);
    if (n == 0) break;
    chunk = std::max<std::size_t>(chunk, 64 * 1024);
  }
  co_return out;
}

task<void> async_file::write_all(std::span<const std::byte> data) {
  std::size_t done = 0;
  do {
    done += co_await write(data.subspan(done));
  } while (done < data.size());
}

task<void> async_file::fsync() {
  if (fd_ < 0) throw closed_resource_error("async_file: '" + path_ + "' is closed");
  io::op o;
  o.kind = io::op_kind::fsync;
  o.fd = fd_;
  long r = co_await file_op(o);
  if (r < 0) throw_file_error(r, "fsync of", path_);
}

task<async_file> open_file(std::string path, std::string_view mode) {
  io::op o;
  o.kind = io::op_kind::openat;
  o.path = path.c_str();
  o.open_flags = parse_mode(mode);
  o.open_mode = 0666;
  long r = co_await file_op(o);
  if (r < 0) throw_file_error(r, "cannot open", path);
  co_return async_file(static_cast<int>(r), std::move(path));
}

task<std::vector<std::byte>> read_file(std::string path) {
  async_file f = co_await open_file(std::move(path), "r");
  co_return co_await f.read_all();
}

task<void> write_file(std::string path, std::span<const std::byte> data) {
  async_file f = co_await open_file(std::move(path), "w");
  co_await f.write_all(data);
}

task<void> write_file(std::string path, std::string_view data) {
  return write_file(std::move(path), std::as_bytes(std::span(data)));
}

}  // namespace hf::rt
