#include "engine/tokenizer/pre_tokenizers.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "engine/tokenizer/byte_level.hpp"
#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/pattern.hpp"
#include "engine/tokenizer/unicode.hpp"

namespace hf::engine::tok {
namespace {

using nlohmann::json;
using pieces_out = std::vector<normalized_string>;

split_behavior read_behavior(const json& j, split_behavior fallback, std::string_view where) {
  if (!j.contains("behavior") || j["behavior"].is_null()) return fallback;
  std::string b = j["behavior"].get<std::string>();
  if (b == "Removed") return split_behavior::removed;
  if (b == "Isolated") return split_behavior::isolated;
  if (b == "MergedWithPrevious") return split_behavior::merged_with_previous;
  if (b == "MergedWithNext") return split_behavior::merged_with_next;
  if (b == "Contiguous") return split_behavior::contiguous;
  json_util::fail(where, "unknown behavior \"" + b + "\"");
}

class sequence_pre_tokenizer final : public pre_tokenizer {
 public:
  explicit sequence_pre_tokenizer(std::vector<std::unique_ptr<pre_tokenizer>> parts)
      : parts_(std::move(parts)) {}
  void pre_tokenize(pre_tokenized& p) const override {
    for (const auto& part : parts_) part->pre_tokenize(p);
  }

 private:
  std::vector<std::unique_ptr<pre_tokenizer>> parts_;
};

class byte_level_pre_tokenizer final : public pre_tokenizer {
 public:
  byte_level_pre_tokenizer(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space),
        split_(use_regex ? std::make_unique<pattern>(pattern::regular(gpt2_split_regex))
                         : nullptr) {}
  void pre_tokenize(pre_tokenized& p) const override {
    split_pieces(p, [&](normalized_string&& n) {
      if (add_prefix_space_ && n.get().front() != ' ') n.prepend(" ");
      auto to_char = [](unsigned char b) { return byte_level::byte_to_utf8(b); };
      pieces_out parts;
      if (!split_) {
        parts.push_back(n.slice_bytes_mapped(0, n.size(), to_char));
        return parts;
      }
      for (const auto& r : split_->find_matches(n.get())) {
        if (r.begin < r.end) parts.push_back(n.slice_bytes_mapped(r.begin, r.end, to_char));
      }
      return parts;
    });
  }

 private:
  bool add_prefix_space_;
  std::unique_ptr<pattern> split_;
};

class split_pre_tokenizer final : public pre_tokenizer {
 public:
  split_pre_tokenizer(pattern p, split_behavior b, bool invert)
      : pattern_(std::move(p)), behavior_(b), invert_(invert) {}
  void pre_tokenize(pre_tokenized& p) const override {
    split_pieces(p, [&](normalized_string&& n) {
      auto regions = pattern_.find_matches(n.get());
      if (invert_)
        for (auto& r : regions) r.is_match = !r.is_match;
      return n.split(regions, behavior_);
    });
  }

 private:
  pattern pattern_;
  split_behavior behavior_;
  bool invert_;
};

enum class prepend_scheme { always, first, never };

class metaspace_pre_tokenizer final : public pre_tokenizer {
 public:
  metaspace_pre_tokenizer(std::string replacement, prepend_scheme scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(scheme), split_(split) {}
  void pre_tokenize(pre_tokenized& p) const override {
    split_pieces(p, [&](normalized_string&& n) {
      if (n.get().find(' ') != std::string::npos)
        n.replace(find_string_matches(n.get(), " "), replacement_);
      bool starts = n.get().compare(0, replacement_.size(), replacement_) == 0;
      if (!starts && (scheme_ == prepend_scheme::always ||
                      (scheme_ == prepend_scheme::first && n.original_range().begin == 0))) {
        n.prepend(replacement_);
      }
      if (!split_) return pieces_out{std::move(n)};
      return n.split(find_string_matches(n.get(), replacement_), split_behavior::merged_with_next);
    });
  }

 private:
  std::string replacement_;
  prepend_scheme scheme_;
  bool split_;
};

// Splits on characters matching a predicate (whitespace, punctuation, digits...).
template <class P>
class char_split_pre_tokenizer final : public pre_tokenizer {
 public:
  char_split_pre_tokenizer(P pred, split_behavior b) : pred_(std::move(pred)), behavior_(b) {}
  void pre_tokenize(pre_tokenized& p) const override {
    split_pieces(p, [&](normalized_string&& n) {
      return n.split(find_char_matches(n.get(), pred_), behavior_);
    });
  }

 private:
  P pred_;
  split_behavior behavior_;
};

template <class P>
std::unique_ptr<pre_tokenizer> char_split(P pred, split_behavior b) {
  return std::make_unique<char_split_pre_tokenizer<P>>(std::move(pred), b);
}

// Whitespace split (removed) then punctuation split (isolated), in one pass.
class bert_pre_tokenizer final : public pre_tokenizer {
 public:
  void pre_tokenize(pre_tokenized& p) const override {
    split_pieces(p, [](normalized_string&& n) {
      pieces_out out;
      const std::string& s = n.get();
      size_t word = 0;  // start of the current word
      for (size_t i = 0; i < s.size();) {
        size_t start = i;
        char32_t c = utf8::decode(s, i);
        if (unicode::is_whitespace(c)) {
          if (word < start) out.push_back(n.slice(word, start));
          word = i;
        } else if (unicode::is_bert_punctuation(c)) {
          if (word < start) out.push_back(n.slice(word, start));
          out.push_back(n.slice(start, i));
          word = i;
        }
      }
      if (word < s.size()) out.push_back(n.slice(word, s.size()));
      return out;
    });
  }
};

class whitespace_pre_tokenizer final : public pre_tokenizer {
 public:
  whitespace_pre_tokenizer() : words_(pattern::regular("\\w+|[^\\w\\s]+")) {}
  void pre_tokenize(pre_tokenized& p) const override {
    split_pieces(p, [&](normalized_string&& n) {
      auto regions = words_.find_matches(n.get());
      for (auto& r : regions) r.is_match = !r.is_match;
      return n.split(regions, split_behavior::removed);
    });
  }

 private:
  pattern words_;
};

class fixed_length_pre_tokenizer final : public pre_tokenizer {
 public:
  explicit fixed_length_pre_tokenizer(size_t length) : length_(length) {}
  void pre_tokenize(pre_tokenized& p) const override {
    split_pieces(p, [&](normalized_string&& n) {
      std::vector<match_region> regions;
      const std::string& s = n.get();
      size_t start = 0, count = 0;
      for (size_t i = 0; i < s.size();) {
        i += utf8::char_len(static_cast<unsigned char>(s[i]));
        if (++count == length_) {
          regions.push_back({start, i, false});
          start = i;
          count = 0;
        }
      }
      if (start < s.size()) regions.push_back({start, s.size(), false});
      return n.split(regions, split_behavior::isolated);
    });
  }

 private:
  size_t length_;
};

prepend_scheme read_prepend_scheme(const json& j) {
  if (j.contains("prepend_scheme") && j["prepend_scheme"].is_string()) {
    std::string s = j["prepend_scheme"].get<std::string>();
    if (s == "first") return prepend_scheme::first;
    if (s == "never") return prepend_scheme::never;
    if (s == "always") return prepend_scheme::always;
    json_util::fail("Metaspace", "unknown prepend_scheme \"" + s + "\"");
  }
  return json_util::get_bool(j, "add_prefix_space", true, "Metaspace") ? prepend_scheme::always
                                                                       : prepend_scheme::never;
}

}  // namespace

void byte_level_encode(normalized_string& n) {
  const std::string& s = n.get();
  normalized_string::builder b(n.tracks());
  b.reserve(s.size() * 2);
  for (size_t i = 0; i < s.size(); ++i) {
    b.push_utf8(byte_level::byte_to_utf8(static_cast<uint8_t>(s[i])), n.align_at(i));
  }
  n.replace_with(std::move(b));
}

std::unique_ptr<pre_tokenizer> make_pre_tokenizer(const json& j) {
  if (j.is_null()) return nullptr;
  std::string type = json_util::get_string(j, "type", "pre_tokenizer");
  if (type == "Sequence") {
    std::vector<std::unique_ptr<pre_tokenizer>> parts;
    for (const auto& p : json_util::require(j, "pretokenizers", "Sequence pre_tokenizer")) {
      if (auto t = make_pre_tokenizer(p)) parts.push_back(std::move(t));
    }
    return std::make_unique<sequence_pre_tokenizer>(std::move(parts));
  }
  if (type == "ByteLevel") {
    return std::make_unique<byte_level_pre_tokenizer>(
        json_util::get_bool(j, "add_prefix_space", true, "ByteLevel"),
        json_util::get_bool(j, "use_regex", true, "ByteLevel"));
  }
  if (type == "Split") {
    const char* w = "Split pre_tokenizer";
    return std::make_unique<split_pre_tokenizer>(
        pattern::from_json(json_util::require(j, "pattern", w), w),
        read_behavior(j, split_behavior::isolated, w), json_util::get_bool(j, "invert", false, w));
  }
  if (type == "Metaspace") {
    return std::make_unique<metaspace_pre_tokenizer>(
        json_util::get_char(j, "replacement", "\u2581", "Metaspace"), read_prepend_scheme(j),
        json_util::get_bool(j, "split", true, "Metaspace"));
  }
  if (type == "BertPreTokenizer") return std::make_unique<bert_pre_tokenizer>();
  if (type == "Whitespace") return std::make_unique<whitespace_pre_tokenizer>();
  if (type == "WhitespaceSplit") return char_split(unicode::is_whitespace, split_behavior::removed);
  if (type == "Punctuation") {
    return char_split(unicode::is_bert_punctuation,
                      read_behavior(j, split_behavior::isolated, "Punctuation pre_tokenizer"));
  }
  if (type == "Digits") {
    bool individual = json_util::get_bool(j, "individual_digits", false, "Digits");
    return char_split(unicode::is_numeric,
                      individual ? split_behavior::isolated : split_behavior::contiguous);
  }
  if (type == "CharDelimiterSplit") {
    std::string d = json_util::get_char(j, "delimiter", "", "CharDelimiterSplit");
    size_t i = 0;
    char32_t delim = utf8::decode(d, i);
    return char_split([delim](char32_t c) { return c == delim; }, split_behavior::removed);
  }
  if (type == "FixedLength") {
    long long len = json_util::get_int(j, "length", 5, "FixedLength");
    if (len <= 0) json_util::fail("FixedLength", "length must be positive");
    return std::make_unique<fixed_length_pre_tokenizer>(static_cast<size_t>(len));
  }
  json_util::fail("pre_tokenizer", "unsupported type \"" + type + "\"");
}

}  // namespace hf::engine::tok
