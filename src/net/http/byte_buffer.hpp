// Internal: a connection's read buffer. Bytes arrive at the back (prepare/commit) and are parsed
// from the front (readable/consume); the storage is reused for the connection's whole life and
// only grows, so steady-state reading allocates nothing. Storage is left uninitialised.
//   auto space = buf.prepare(4096);  buf.commit(co_await sock.receive(space));
//   std::string_view bytes = buf.readable();  buf.consume(parsed);
#pragma once
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

namespace hf::net::http {

class byte_buffer {
 public:
  explicit byte_buffer(std::size_t initial_capacity = 8192)
      : data_(new char[initial_capacity]), capacity_(initial_capacity) {}

  std::string_view readable() const noexcept { return {data_.get() + begin_, end_ - begin_}; }
  std::size_t size() const noexcept { return end_ - begin_; }
  bool empty() const noexcept { return begin_ == end_; }
  void consume(std::size_t n) noexcept {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  // At least min_free writable bytes at the back (moving unread bytes to the front, or growing).
  std::span<std::byte> prepare(std::size_t min_free) {
    if (capacity_ - end_ < min_free) make_room(min_free);
    return {reinterpret_cast<std::byte*>(data_.get() + end_), capacity_ - end_};
  }
  void commit(std::size_t n) noexcept { end_ += n; }

 private:
  void make_room(std::size_t min_free) {
    std::size_t used = end_ - begin_;
    if (capacity_ - used >= min_free && begin_ > 0) {
      std::memmove(data_.get(), data_.get() + begin_, used);
    } else {
      std::size_t cap = capacity_ * 2;
      while (cap - used < min_free) cap *= 2;
      std::unique_ptr<char[]> bigger(new char[cap]);
      std::memcpy(bigger.get(), data_.get() + begin_, used);
      data_ = std::move(bigger);
      capacity_ = cap;
    }
    begin_ = 0;
    end_ = used;
  }

  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace hf::net::http
