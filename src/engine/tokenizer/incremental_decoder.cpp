// Streaming decode: decode(window) is compared with what the window already produced, so decoders
// that look at neighbouring tokens (leading-space stripping, byte fallback, byte-level UTF-8) give
// the same text as one decode of all ids. Text is held back while it could still change: a
// trailing U+FFFD (the next ids may complete the character) and, with a ByteFallback decoder, a
// trailing run of <0xNN> tokens (such a run is rendered as a whole).
#include "engine/tokenizer/tokenizer.hpp"
#include "engine/tokenizer/tokenizer_impl.hpp"
#include "engine/tokenizer/utf8.hpp"

namespace hf::engine {
namespace {

// Bytes of the run of U+FFFD characters at the end of s.
size_t trailing_replacement_bytes(std::string_view s) {
  constexpr std::string_view rc = "\xEF\xBF\xBD";
  size_t n = 0;
  while (s.size() >= n + rc.size() && s.substr(s.size() - n - rc.size(), rc.size()) == rc)
    n += rc.size();
  return n;
}

// Past this many pending ids a held U+FFFD is released: no character spans that many tokens, so
// it is a genuine replacement and holding on would only make every push slower.
constexpr size_t max_pending_ids = 64;

}  // namespace

incremental_decoder::incremental_decoder(const tokenizer& tok, bool skip_special_tokens)
    : tok_(tok), skip_special_(skip_special_tokens) {}

void incremental_decoder::reset() {
  ids_.clear();
  prefix_len_ = 0;
  emitted_.clear();
}

std::string incremental_decoder::push(int32_t id) {
  const tokenizer::impl& im = tok_.internals();
  ids_.push_back(id);
  size_t end = ids_.size();
  bool many = end - prefix_len_ > max_pending_ids;
  if (im.byte_fallback_decoder && !many) {
    // Hold the trailing run of byte tokens (ids that decode to nothing do not break a run).
    size_t k = end;
    while (k > prefix_len_ &&
           (im.is_byte_token(ids_[k - 1]) || im.is_invisible(ids_[k - 1], skip_special_)))
      --k;
    bool any_byte = false;
    for (size_t i = k; i < end; ++i) any_byte = any_byte || im.is_byte_token(ids_[i]);
    if (any_byte) end = k;
  }
  if (end == prefix_len_) return {};
  std::span<const int32_t> view(ids_.data(), end);
  std::string text = tok_.decode(view, skip_special_);
  if (text.size() < emitted_.size() || text.compare(0, emitted_.size(), emitted_) != 0) {
    // The decoder rewrote text it had produced; wait for a point where the window agrees again.
    return {};
  }
  std::string_view tail = std::string_view(text).substr(emitted_.size());
  size_t hold = many ? 0 : trailing_replacement_bytes(tail);
  std::string out(tail.substr(0, tail.size() - hold));
  emitted_ += out;
  if (hold == 0 && !out.empty()) {
    // Stable point: the ids just emitted become the context of the next window.
    ids_.erase(ids_.begin(), ids_.begin() + static_cast<std::ptrdiff_t>(prefix_len_));
    prefix_len_ = end - prefix_len_;
    emitted_ = tok_.decode(std::span<const int32_t>(ids_.data(), prefix_len_), skip_special_);
  }
  return out;
}

std::string incremental_decoder::flush() {
  std::string text = tok_.decode(ids_, skip_special_);
  std::string out;
  if (text.size() >= emitted_.size() && text.compare(0, emitted_.size(), emitted_) == 0) {
    out = text.substr(emitted_.size());
  }
  reset();
  return out;
}

}  // namespace hf::engine
