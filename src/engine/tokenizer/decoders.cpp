#include "engine/tokenizer/decoders.hpp"

#include <nlohmann/json.hpp>

#include "engine/tokenizer/byte_level.hpp"
#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/pattern.hpp"
#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok {
namespace {

using nlohmann::json;

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  std::string out;
  size_t pos = 0;
  for (size_t hit = s.find(from); hit != std::string::npos; hit = s.find(from, pos)) {
    out.append(s, pos, hit - pos);
    out.append(to);
    pos = hit + from.size();
  }
  if (pos == 0) return;
  out.append(s, pos, std::string::npos);
  s.swap(out);
}

class sequence_decoder final : public decoder {
 public:
  explicit sequence_decoder(std::vector<std::unique_ptr<decoder>> parts)
      : parts_(std::move(parts)) {}
  void decode_chain(std::vector<std::string>& t) const override {
    for (const auto& p : parts_) p->decode_chain(t);
  }

 private:
  std::vector<std::unique_ptr<decoder>> parts_;
};

// Maps byte-level characters back to bytes; a token with any unmapped character is kept as is.
class byte_level_decoder final : public decoder {
 public:
  void decode_chain(std::vector<std::string>& t) const override {
    std::string bytes;
    for (const std::string& tok : t) {
      size_t start = bytes.size();
      bool ok = true;
      for (size_t i = 0; i < tok.size();) {
        auto b = byte_level::char_to_byte(utf8::decode(tok, i));
        if (!b) {
          ok = false;
          break;
        }
        bytes.push_back(static_cast<char>(*b));
      }
      if (!ok) {
        bytes.resize(start);
        bytes += tok;
      }
    }
    t.assign(1, utf8::make_valid(bytes));
  }
};

class metaspace_decoder final : public decoder {
 public:
  metaspace_decoder(std::string replacement, bool strip_first)
      : rep_(std::move(replacement)), strip_first_(strip_first) {}
  void decode_chain(std::vector<std::string>& t) const override {
    for (size_t i = 0; i < t.size(); ++i) {
      // HF drops every replacement character of the first token (not only a leading one).
      replace_all(t[i], rep_, i == 0 && strip_first_ ? "" : " ");
    }
  }

 private:
  std::string rep_;
  bool strip_first_;
};

class wordpiece_decoder final : public decoder {
 public:
  wordpiece_decoder(std::string prefix, bool cleanup)
      : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  void decode_chain(std::vector<std::string>& t) const override {
    for (size_t i = 0; i < t.size(); ++i) {
      if (i != 0) {
        if (t[i].compare(0, prefix_.size(), prefix_) == 0) {
          t[i].erase(0, prefix_.size());
        } else {
          t[i].insert(0, " ");
        }
      }
      if (cleanup_) t[i] = wordpiece_cleanup(std::move(t[i]));
    }
  }

 private:
  std::string prefix_;
  bool cleanup_;
};

class bpe_decoder final : public decoder {
 public:
  explicit bpe_decoder(std::string suffix) : suffix_(std::move(suffix)) {}
  void decode_chain(std::vector<std::string>& t) const override {
    for (size_t i = 0; i < t.size(); ++i) replace_all(t[i], suffix_, i + 1 == t.size() ? "" : " ");
  }

 private:
  std::string suffix_;
};

// Runs of <0xNN> tokens become the bytes they name when those form valid UTF-8, else one U+FFFD
// per byte.
class byte_fallback_decoder final : public decoder {
 public:
  void decode_chain(std::vector<std::string>& t) const override {
    std::vector<std::string> out;
    out.reserve(t.size());
    std::string pending;
    auto flush = [&] {
      if (pending.empty()) return;
      if (utf8::is_valid(pending)) {
        out.push_back(pending);
      } else {
        for (size_t k = 0; k < pending.size(); ++k)
          out.push_back(utf8::encode(utf8::replacement_char));
      }
      pending.clear();
    };
    for (std::string& tok : t) {
      if (auto b = parse_byte(tok)) {
        pending.push_back(static_cast<char>(*b));
        continue;
      }
      flush();
      out.push_back(std::move(tok));
    }
    flush();
    t.swap(out);
  }
  static std::optional<uint8_t> parse_byte(const std::string& tok) {
    if (tok.size() != 6 || tok.compare(0, 3, "<0x") != 0 || tok[5] != '>') return std::nullopt;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = hex(tok[3]), lo = hex(tok[4]);
    if (hi < 0 || lo < 0) return std::nullopt;
    return static_cast<uint8_t>(hi * 16 + lo);
  }
};

class fuse_decoder final : public decoder {
 public:
  void decode_chain(std::vector<std::string>& t) const override {
    std::string all;
    for (const auto& s : t) all += s;
    t.assign(1, std::move(all));
  }
};

// Removes up to `start` leading and `stop` trailing copies of one character from each token.
class strip_decoder final : public decoder {
 public:
  strip_decoder(char32_t content, size_t start, size_t stop)
      : content_(content), start_(start), stop_(stop) {}
  void decode_chain(std::vector<std::string>& t) const override {
    for (std::string& tok : t) {
      std::u32string chars;
      for (size_t i = 0; i < tok.size();) chars.push_back(utf8::decode(tok, i));
      size_t begin = 0, end = chars.size();
      while (begin < start_ && begin < chars.size() && chars[begin] == content_) ++begin;
      size_t removed = 0;
      while (removed < stop_ && end > begin && chars[end - 1] == content_) {
        --end;
        ++removed;
      }
      if (begin == 0 && end == chars.size()) continue;
      std::string s;
      for (size_t k = begin; k < end; ++k) utf8::append(s, chars[k]);
      tok.swap(s);
    }
  }

 private:
  char32_t content_;
  size_t start_, stop_;
};

class replace_decoder final : public decoder {
 public:
  replace_decoder(pattern p, std::string content)
      : pattern_(std::move(p)), content_(std::move(content)) {}
  void decode_chain(std::vector<std::string>& t) const override {
    for (std::string& tok : t) {
      if (!pattern_.is_regex()) {
        replace_all(tok, pattern_.literal_text(), content_);
        continue;
      }
      std::string out;
      for (const auto& r : pattern_.find_matches(tok)) {
        if (r.is_match) {
          out += content_;
        } else {
          out.append(tok, r.begin, r.end - r.begin);
        }
      }
      tok.swap(out);
    }
  }

 private:
  pattern pattern_;
  std::string content_;
};

// Connectionist temporal classification output: collapse repeats, drop the pad token.
class ctc_decoder final : public decoder {
 public:
  ctc_decoder(std::string pad, std::string delimiter, bool cleanup)
      : pad_(std::move(pad)), delimiter_(std::move(delimiter)), cleanup_(cleanup) {}
  void decode_chain(std::vector<std::string>& t) const override {
    std::vector<std::string> out;
    for (size_t i = 0; i < t.size(); ++i) {
      if (i > 0 && t[i] == t[i - 1]) continue;
      if (t[i] == pad_) continue;
      std::string s = t[i];
      if (cleanup_) {
        s = wordpiece_cleanup(std::move(s));
        replace_all(s, delimiter_, " ");
      }
      out.push_back(std::move(s));
    }
    t.swap(out);
  }

 private:
  std::string pad_, delimiter_;
  bool cleanup_;
};

}  // namespace

std::string wordpiece_cleanup(std::string s) {
  replace_all(s, " .", ".");
  replace_all(s, " ?", "?");
  replace_all(s, " !", "!");
  replace_all(s, " ,", ",");
  replace_all(s, " ' ", "'");
  replace_all(s, " n't", "n't");
  replace_all(s, " 'm", "'m");
  replace_all(s, " do not", " don't");
  replace_all(s, " 's", "'s");
  replace_all(s, " 've", "'ve");
  replace_all(s, " 're", "'re");
  return s;
}

std::unique_ptr<decoder> make_decoder(const json& j) {
  if (j.is_null()) return nullptr;
  std::string type = json_util::get_string(j, "type", "decoder");
  if (type == "Sequence") {
    std::vector<std::unique_ptr<decoder>> parts;
    for (const auto& p : json_util::require(j, "decoders", "Sequence decoder")) {
      if (auto d = make_decoder(p)) parts.push_back(std::move(d));
    }
    return std::make_unique<sequence_decoder>(std::move(parts));
  }
  if (type == "ByteLevel") return std::make_unique<byte_level_decoder>();
  if (type == "Metaspace") {
    bool strip = true;
    if (j.contains("prepend_scheme") && j["prepend_scheme"].is_string()) {
      strip = j["prepend_scheme"].get<std::string>() != "never";
    } else {
      strip = json_util::get_bool(j, "add_prefix_space", true, "Metaspace decoder");
    }
    return std::make_unique<metaspace_decoder>(
        json_util::get_char(j, "replacement", "\u2581", "Metaspace decoder"), strip);
  }
  if (type == "WordPiece") {
    return std::make_unique<wordpiece_decoder>(
        json_util::get_string(j, "prefix", "##", "WordPiece decoder"),
        json_util::get_bool(j, "cleanup", true, "WordPiece decoder"));
  }
  if (type == "BPEDecoder") {
    return std::make_unique<bpe_decoder>(json_util::get_string(j, "suffix", "</w>", "BPEDecoder"));
  }
  if (type == "ByteFallback") return std::make_unique<byte_fallback_decoder>();
  if (type == "Fuse") return std::make_unique<fuse_decoder>();
  if (type == "Strip") {
    std::string c = json_util::get_char(j, "content", " ", "Strip decoder");
    size_t i = 0;
    char32_t ch = utf8::decode(c, i);
    return std::make_unique<strip_decoder>(
        ch, static_cast<size_t>(json_util::get_int(j, "start", 0, "Strip decoder")),
        static_cast<size_t>(json_util::get_int(j, "stop", 0, "Strip decoder")));
  }
  if (type == "Replace") {
    const char* w = "Replace decoder";
    return std::make_unique<replace_decoder>(
        pattern::from_json(json_util::require(j, "pattern", w), w),
        json_util::get_string(j, "content", w));
  }
  if (type == "CTC") {
    const char* w = "CTC decoder";
    return std::make_unique<ctc_decoder>(json_util::get_string(j, "pad_token", "<pad>", w),
                                         json_util::get_string(j, "word_delimiter_token", "|", w),
                                         json_util::get_bool(j, "cleanup", true, w));
  }
  json_util::fail("decoder", "unsupported type \"" + type + "\"");
}

}  // namespace hf::engine::tok
