#include "engine/tokenizer/normalized_string.hpp"

#include <algorithm>

#include "engine/tokenizer/unicode.hpp"

namespace hf::engine::tok {

normalized_string normalized_string::from_original(std::string_view full, size_t begin, size_t end,
                                                   bool track) {
  normalized_string n;
  n.track_ = track;
  n.text_.assign(full.substr(begin, end - begin));
  n.original_ = {static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
  if (!track) return n;
  n.align_.resize(n.text_.size());
  for (size_t i = begin; i < end;) {
    size_t len = utf8::char_len(static_cast<unsigned char>(full[i]));
    alignment a{static_cast<uint32_t>(i), static_cast<uint32_t>(i + len)};
    for (size_t k = 0; k < len; ++k) n.align_[i - begin + k] = a;
    i += len;
  }
  return n;
}

alignment normalized_string::to_original(size_t begin, size_t end) const {
  if (!track_ || begin >= end || end > align_.size()) return {original_.begin, original_.begin};
  // Usually the first byte's start and the last byte's end. Canonical reordering (NFC/NFKC/NFD
  // sort combining marks by class) makes alignments non-monotonic, and then those two can cut
  // the span short or invert it ([180, 179), found by fuzzing): the span covers every original
  // character that any of its bytes came from.
  alignment out{align_[begin].begin, align_[end - 1].end};
  for (size_t i = begin; i < end; ++i) {
    out.begin = std::min(out.begin, align_[i].begin);
    out.end = std::max(out.end, align_[i].end);
  }
  return out;
}

normalized_string normalized_string::slice(size_t begin, size_t end) const {
  normalized_string n;
  n.track_ = track_;
  n.text_.assign(text_, begin, end - begin);
  if (!track_) {
    n.original_ = {original_.begin + static_cast<uint32_t>(begin),
                   original_.begin + static_cast<uint32_t>(end)};
    return n;
  }
  n.align_.assign(align_.begin() + static_cast<std::ptrdiff_t>(begin),
                  align_.begin() + static_cast<std::ptrdiff_t>(end));
  n.original_ = begin < end ? to_original(begin, end) : alignment{original_.begin, original_.begin};
  return n;
}

void normalized_string::replace_with(builder&& b) {
  text_ = std::move(b.text_);
  align_ = std::move(b.align_);
}

void normalized_string::prepend(std::string_view s) {
  if (text_.empty() || s.empty()) return;
  text_.insert(0, s);
  if (track_) align_.insert(align_.begin(), s.size(), align_[0]);
}

void normalized_string::append(std::string_view s) {
  if (text_.empty() || s.empty()) return;
  text_.append(s);
  if (track_) align_.insert(align_.end(), s.size(), align_.back());
}

void normalized_string::replace(const std::vector<match_region>& regions,
                                std::string_view content) {
  builder b(track_);
  b.reserve(text_.size());
  for (const match_region& r : regions) {
    if (!r.is_match) {
      b.text_.append(text_, r.begin, r.end - r.begin);
      if (track_) {
        b.align_.insert(b.align_.end(), align_.begin() + static_cast<std::ptrdiff_t>(r.begin),
                        align_.begin() + static_cast<std::ptrdiff_t>(r.end));
      }
      continue;
    }
    alignment a = r.end > 0 ? align_at(r.end - 1) : alignment{original_.begin, original_.begin};
    b.push_utf8(content, a);
  }
  replace_with(std::move(b));
}

void normalized_string::strip(bool left, bool right) {
  size_t begin = 0, end = text_.size();
  if (left) {
    while (begin < end) {
      size_t i = begin;
      if (!unicode::is_whitespace(utf8::decode(text_, i))) break;
      begin = i;
    }
  }
  if (right) {
    while (end > begin) {
      size_t i = end - 1;
      while (i > begin && (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80) --i;
      size_t j = i;
      if (!unicode::is_whitespace(utf8::decode(text_, j))) break;
      end = i;
    }
  }
  if (begin == 0 && end == text_.size()) return;
  text_ = text_.substr(begin, end - begin);
  if (track_) {
    align_ = std::vector<alignment>(align_.begin() + static_cast<std::ptrdiff_t>(begin),
                                    align_.begin() + static_cast<std::ptrdiff_t>(end));
  }
}

std::vector<normalized_string> normalized_string::split(const std::vector<match_region>& regions,
                                                        split_behavior behavior) const {
  // Each entry: [begin, end) and whether it is dropped.
  struct piece {
    size_t begin, end;
    bool remove;
  };
  std::vector<piece> pieces;
  pieces.reserve(regions.size());
  switch (behavior) {
    case split_behavior::isolated:
      for (const auto& r : regions) pieces.push_back({r.begin, r.end, false});
      break;
    case split_behavior::removed:
      for (const auto& r : regions) pieces.push_back({r.begin, r.end, r.is_match});
      break;
    case split_behavior::contiguous: {
      // Consecutive regions of the same kind (matches, or inverted non-matches) become one.
      bool previous_match = false;
      for (const auto& r : regions) {
        if (r.is_match == previous_match && !pieces.empty()) {
          pieces.back().end = r.end;
        } else {
          pieces.push_back({r.begin, r.end, false});
        }
        previous_match = r.is_match;
      }
      break;
    }
    case split_behavior::merged_with_previous: {
      bool previous_match = false;
      for (const auto& r : regions) {
        if (r.is_match && !previous_match && !pieces.empty()) {
          pieces.back().end = r.end;
        } else {
          pieces.push_back({r.begin, r.end, false});
        }
        previous_match = r.is_match;
      }
      break;
    }
    case split_behavior::merged_with_next: {
      bool previous_match = false;
      for (auto it = regions.rbegin(); it != regions.rend(); ++it) {
        if (it->is_match && !previous_match && !pieces.empty()) {
          pieces.back().begin = it->begin;
        } else {
          pieces.push_back({it->begin, it->end, false});
        }
        previous_match = it->is_match;
      }
      std::reverse(pieces.begin(), pieces.end());
      break;
    }
  }
  std::vector<normalized_string> out;
  out.reserve(pieces.size());
  for (const piece& p : pieces) {
    if (p.remove || p.begin >= p.end) continue;
    out.push_back(slice(p.begin, p.end));
  }
  return out;
}

std::vector<match_region> find_string_matches(std::string_view s, std::string_view needle) {
  std::vector<match_region> out;
  size_t last = 0;
  for (size_t pos = s.find(needle); pos != std::string_view::npos; pos = s.find(needle, last)) {
    if (last < pos) out.push_back({last, pos, false});
    out.push_back({pos, pos + needle.size(), true});
    last = pos + needle.size();
  }
  if (last < s.size() || s.empty()) out.push_back({last, s.size(), false});
  return out;
}

}  // namespace hf::engine::tok
