#include "engine/tokenizer/normalizers.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/tokenizer/byte_level.hpp"
#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/pattern.hpp"
#include "engine/tokenizer/precompiled.hpp"
#include "engine/tokenizer/unicode.hpp"

namespace hf::engine::tok {
namespace {

using nlohmann::json;

class sequence_normalizer final : public normalizer {
 public:
  explicit sequence_normalizer(std::vector<std::unique_ptr<normalizer>> parts)
      : parts_(std::move(parts)) {}
  void normalize(normalized_string& n) const override {
    for (const auto& p : parts_) p->normalize(n);
  }

 private:
  std::vector<std::unique_ptr<normalizer>> parts_;
};

void lowercase(normalized_string& n) {
  std::u32string buf;
  n.map_chars([&](char32_t c, alignment a, normalized_string::builder& b) {
    buf.clear();
    unicode::append_lowercase(c, buf);
    for (char32_t l : buf) b.push(l, a);
  });
}

class lowercase_normalizer final : public normalizer {
 public:
  void normalize(normalized_string& n) const override { lowercase(n); }
};

class strip_normalizer final : public normalizer {
 public:
  strip_normalizer(bool left, bool right) : left_(left), right_(right) {}
  void normalize(normalized_string& n) const override { n.strip(left_, right_); }

 private:
  bool left_, right_;
};

class strip_accents_normalizer final : public normalizer {
 public:
  void normalize(normalized_string& n) const override {
    n.filter([](char32_t c) { return !unicode::is_nonspacing_mark(c); });
  }
};

class unicode_normalizer final : public normalizer {
 public:
  explicit unicode_normalizer(unicode_form f) : form_(f) {}
  void normalize(normalized_string& n) const override { unicode_normalize(n, form_); }

 private:
  unicode_form form_;
};

// SentencePiece's NMT normalization: drop some control characters, turn others into spaces.
class nmt_normalizer final : public normalizer {
 public:
  void normalize(normalized_string& n) const override {
    n.map_chars([](char32_t c, alignment a, normalized_string::builder& b) {
      if ((c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) || c == 0x7F || c == 0x8F ||
          c == 0x9F) {
        return;
      }
      bool space = c == 0x9 || c == 0xA || c == 0xC || c == 0xD || c == 0x1680 ||
                   (c >= 0x200B && c <= 0x200F) || c == 0x2028 || c == 0x2029 || c == 0x2581 ||
                   c == 0xFEFF || c == 0xFFFD;
      b.push(space ? U' ' : c, a);
    });
  }
};

class prepend_normalizer final : public normalizer {
 public:
  explicit prepend_normalizer(std::string s) : s_(std::move(s)) {}
  void normalize(normalized_string& n) const override { n.prepend(s_); }

 private:
  std::string s_;
};

class append_normalizer final : public normalizer {
 public:
  explicit append_normalizer(std::string s) : s_(std::move(s)) {}
  void normalize(normalized_string& n) const override { n.append(s_); }

 private:
  std::string s_;
};

class replace_normalizer final : public normalizer {
 public:
  replace_normalizer(pattern p, std::string content)
      : pattern_(std::move(p)), content_(std::move(content)) {}
  void normalize(normalized_string& n) const override {
    if (n.empty()) return;
    if (!pattern_.is_regex() && n.get().find(pattern_.literal_text()) == std::string::npos) return;
    n.replace(pattern_.find_matches(n.get()), content_);
  }

 private:
  pattern pattern_;
  std::string content_;
};

class byte_level_normalizer final : public normalizer {
 public:
  void normalize(normalized_string& n) const override {
    n.map_chars([](char32_t c, alignment a, normalized_string::builder& b) {
      std::string bytes = utf8::encode(c);
      for (char byte : bytes) b.push_utf8(byte_level::byte_to_utf8(static_cast<uint8_t>(byte)), a);
    });
  }
};

class precompiled_normalizer final : public normalizer {
 public:
  explicit precompiled_normalizer(precompiled_charsmap m) : map_(std::move(m)) {}
  void normalize(normalized_string& n) const override { map_.normalize(n); }

 private:
  precompiled_charsmap map_;
};

}  // namespace

std::unique_ptr<normalizer> make_normalizer(const json& j) {
  if (j.is_null()) return nullptr;
  std::string type = json_util::get_string(j, "type", "normalizer");
  if (type == "Sequence") {
    std::vector<std::unique_ptr<normalizer>> parts;
    for (const auto& p : json_util::require(j, "normalizers", "Sequence normalizer")) {
      if (auto n = make_normalizer(p)) parts.push_back(std::move(n));
    }
    return std::make_unique<sequence_normalizer>(std::move(parts));
  }
  if (type == "BertNormalizer") {
    const char* w = "BertNormalizer";
    bool lower = json_util::get_bool(j, "lowercase", true, w);
    bool strip = j.contains("strip_accents") && !j["strip_accents"].is_null()
                     ? json_util::get_bool(j, "strip_accents", lower, w)
                     : lower;
    return make_bert_normalizer(json_util::get_bool(j, "clean_text", true, w),
                                json_util::get_bool(j, "handle_chinese_chars", true, w), strip,
                                lower);
  }
  if (type == "Lowercase") return std::make_unique<lowercase_normalizer>();
  if (type == "Strip") {
    return std::make_unique<strip_normalizer>(json_util::get_bool(j, "strip_left", true, "Strip"),
                                              json_util::get_bool(j, "strip_right", true, "Strip"));
  }
  if (type == "StripAccents") return std::make_unique<strip_accents_normalizer>();
  if (type == "NFC") return std::make_unique<unicode_normalizer>(unicode_form::nfc);
  if (type == "NFD") return std::make_unique<unicode_normalizer>(unicode_form::nfd);
  if (type == "NFKC") return std::make_unique<unicode_normalizer>(unicode_form::nfkc);
  if (type == "NFKD") return std::make_unique<unicode_normalizer>(unicode_form::nfkd);
  if (type == "Nmt") return std::make_unique<nmt_normalizer>();
  if (type == "Prepend") {
    return std::make_unique<prepend_normalizer>(
        json_util::get_string(j, "prepend", "Prepend normalizer"));
  }
  if (type == "Append") {
    return std::make_unique<append_normalizer>(
        json_util::get_string(j, "append", "Append normalizer"));
  }
  if (type == "Replace") {
    const char* w = "Replace normalizer";
    return std::make_unique<replace_normalizer>(
        pattern::from_json(json_util::require(j, "pattern", w), w),
        json_util::get_string(j, "content", w));
  }
  if (type == "ByteLevel") return std::make_unique<byte_level_normalizer>();
  if (type == "Precompiled") {
    std::string blob =
        json_util::get_string(j, "precompiled_charsmap", "", "Precompiled normalizer");
    if (blob.empty()) return nullptr;  // an empty map normalizes nothing
    return std::make_unique<precompiled_normalizer>(precompiled_charsmap::from_base64(blob));
  }
  json_util::fail("normalizer", "unsupported type \"" + type + "\"");
}

}  // namespace hf::engine::tok
