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

// Bytes of the U+FFFD at the end of s, if any. An incomplete UTF-8 character renders as exactly
// one U+FFFD (one per maximal invalid subsequence), so only the last one may still change.
size_t trailing_replacement_bytes(std::string_view s) {
  constexpr std::string_view rc = "\xEF\xBF\xBD";
  return s.ends_with(rc) ? rc.size() : 0;
}

// Past this many pending ids behind a held U+FFFD, the window is re-based before the held part
// so that each push does not decode an ever longer window (only invalid output gets here).
constexpr size_t max_pending_ids = 64;
// How many cuts before the end that re-basing tries: the held character's bytes come from the
// last few visible ids.
constexpr size_t rebase_lookback = 8;

}  // namespace

incremental_decoder::incremental_decoder(const tokenizer& tok, bool skip_special_tokens)
    : tok_(tok), skip_special_(skip_special_tokens) {}

void incremental_decoder::reset() {
  ids_.clear();
  prefix_len_ = 0;
  emitted_.clear();
}

void incremental_decoder::rebase(size_t context_end, std::string_view context_text) {
  // ids_[prefix_len_, context_end) become the context of the next window; emitted_ keeps what
  // was returned beyond them, re-expressed against the new (shorter) context.
  std::string beyond = emitted_.substr(context_text.size());
  ids_.erase(ids_.begin(), ids_.begin() + static_cast<std::ptrdiff_t>(prefix_len_));
  prefix_len_ = context_end - prefix_len_;
  emitted_ = tok_.decode(std::span<const int32_t>(ids_.data(), prefix_len_), skip_special_);
  emitted_ += beyond;
}

std::string incremental_decoder::push(int32_t id) {
  const tokenizer::impl& im = tok_.internals();
  ids_.push_back(id);
  size_t end = ids_.size();
  if (im.byte_fallback_decoder) {
    // Hold the trailing run of byte tokens (ids that decode to nothing do not break a run): HF's
    // ByteFallback renders a run as a whole (its text if the bytes are valid UTF-8, else one
    // U+FFFD per byte token), so no part of a run is known until the run ends.
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
  const size_t hold = trailing_replacement_bytes(tail);
  std::string out(tail.substr(0, tail.size() - hold));
  emitted_ += out;
  if (hold == 0 && !out.empty()) {
    // Stable point: the ids just emitted become the context of the next window.
    rebase(end, text);
  } else if (hold != 0 && end - prefix_len_ > max_pending_ids) {
    // A long invalid tail: re-base at the last cut whose text is final (no trailing U+FFFD) and
    // already emitted; if none fits, the window just stays longer (slower, never wrong).
    for (size_t c = end - 1; c > prefix_len_ && c + rebase_lookback > end; --c) {
      std::string cut = tok_.decode(std::span<const int32_t>(ids_.data(), c), skip_special_);
      if (trailing_replacement_bytes(cut) == 0 && emitted_.starts_with(cut)) {
        rebase(c, cut);
        break;
      }
    }
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
