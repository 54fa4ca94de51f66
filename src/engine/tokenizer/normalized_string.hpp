// A piece of input text being normalized and split, with the alignment of every normalized byte
// to the original bytes it came from (as HF tokenizers' NormalizedString), so that token offsets
// can be reported in the caller's text after lowercasing, byte mapping, splitting and so on.
//   auto n = normalized_string::from_original(text, 0, text.size());
//   n.map_chars([](char32_t c, alignment a, normalized_string::builder& b) { b.push(c, a); });
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok {

// A [begin, end) byte range of the original input.
struct alignment {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// One region of a string found by a pattern: [begin, end) in bytes, and whether it matched.
struct match_region {
  size_t begin;
  size_t end;
  bool is_match;
};

// How a split treats the matched regions (HF's SplitDelimiterBehavior).
enum class split_behavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };

class normalized_string {
 public:
  // Collects the characters of a rebuilt string together with their alignments.
  class builder {
   public:
    explicit builder(bool track = true) : track_(track) {}
    void reserve(size_t n) {
      text_.reserve(n);
      if (track_) align_.reserve(n);
    }
    void push(char32_t c, alignment a) {
      size_t before = text_.size();
      utf8::append(text_, c);
      if (track_) align_.insert(align_.end(), text_.size() - before, a);
    }
    void push_utf8(std::string_view ch, alignment a) {
      text_.append(ch);
      if (track_) align_.insert(align_.end(), ch.size(), a);
    }
    std::string& text() { return text_; }

   private:
    friend class normalized_string;
    bool track_;
    std::string text_;
    std::vector<alignment> align_;
  };

  normalized_string() = default;
  // The unmodified bytes full[begin, end); every byte is aligned to its whole character. Without
  // `track`, no alignments are kept (faster, for encodes that need neither offsets nor the
  // original positions of pieces): alignment queries then return empty ranges and
  // original_range() is only an estimate.
  static normalized_string from_original(std::string_view full, size_t begin, size_t end,
                                         bool track = true);

  const std::string& get() const { return text_; }
  bool empty() const { return text_.empty(); }
  size_t size() const { return text_.size(); }
  bool tracks() const { return track_; }
  // Alignment of normalized byte i (an empty range when alignments are not tracked).
  alignment align_at(size_t i) const { return track_ ? align_[i] : alignment{}; }
  // The original range this piece covers (HF's offsets_original).
  alignment original_range() const { return original_; }
  // The original range of normalized bytes [begin, end).
  alignment to_original(size_t begin, size_t end) const;
  normalized_string slice(size_t begin, size_t end) const;
  // slice(begin, end) with every byte b replaced by the UTF-8 string map(b), each new byte aligned
  // like the byte it replaces (one pass instead of slice + map_chars, for byte-level BPE).
  template <class M>
  normalized_string slice_bytes_mapped(size_t begin, size_t end, M&& map) const {
    normalized_string n;
    n.track_ = track_;
    n.original_ = track_ ? to_original(begin, end)
                         : alignment{original_.begin + static_cast<uint32_t>(begin),
                                     original_.begin + static_cast<uint32_t>(end)};
    n.text_.reserve((end - begin) * 2);
    for (size_t i = begin; i < end; ++i) {
      std::string_view m = map(static_cast<unsigned char>(text_[i]));
      n.text_.append(m);
      if (track_) n.align_.insert(n.align_.end(), m.size(), align_[i]);
    }
    return n;
  }

  // Rebuilds the string: f(c, alignment_of_c, builder&) is called for every character in order.
  template <class F>
  void map_chars(F&& f) {
    builder b(track_);
    b.reserve(text_.size() + 8);
    for (size_t i = 0; i < text_.size();) {
      alignment a = align_at(i);
      char32_t c = utf8::decode(text_, i);
      f(c, a, b);
    }
    replace_with(std::move(b));
  }
  // Keeps only the characters for which keep(c) is true.
  template <class P>
  void filter(P&& keep) {
    map_chars([&](char32_t c, alignment a, builder& b) {
      if (keep(c)) b.push(c, a);
    });
  }
  void replace_with(builder&& b);
  // Rewrites ASCII bytes one for one (f: char -> char, both ASCII); alignments stay as they are.
  template <class F>
  void transform_ascii_in_place(F&& f) {
    for (char& c : text_) c = f(c);
  }

  // Inserts s before the first character (aligned to it); nothing happens on an empty string.
  void prepend(std::string_view s);
  // Inserts s after the last character (aligned to it); nothing happens on an empty string.
  void append(std::string_view s);
  // Replaces each matched region by content; the new characters take the alignment of the last
  // replaced byte (HF's NormalizedString::replace).
  void replace(const std::vector<match_region>& regions, std::string_view content);
  // Removes leading and/or trailing White_Space characters.
  void strip(bool left, bool right);

  // Splits at the regions (which must cover the string in order); empty pieces are dropped.
  std::vector<normalized_string> split(const std::vector<match_region>& regions,
                                       split_behavior behavior) const;

 private:
  std::string text_;
  std::vector<alignment> align_;  // one entry per byte of text_ (empty when !track_)
  alignment original_;
  bool track_ = true;
};

// Regions of every character satisfying pred (each one its own match).
template <class P>
std::vector<match_region> find_char_matches(std::string_view s, P&& pred) {
  std::vector<match_region> out;
  size_t last = 0;
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t c = utf8::decode(s, i);
    if (pred(c)) {
      if (last < start) out.push_back({last, start, false});
      out.push_back({start, i, true});
      last = i;
    }
  }
  if (last < s.size()) out.push_back({last, s.size(), false});
  if (s.empty()) out.push_back({0, 0, false});
  return out;
}

// Regions of every non-overlapping occurrence of needle (which must not be empty).
std::vector<match_region> find_string_matches(std::string_view s, std::string_view needle);

}  // namespace hf::engine::tok
