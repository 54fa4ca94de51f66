#include "engine/tokenizer/post_processors.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/tokenizer/byte_level.hpp"
#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/unicode.hpp"
#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok {
namespace {

using nlohmann::json;

void append(encoding& dst, const encoding& src) {
  dst.ids.insert(dst.ids.end(), src.ids.begin(), src.ids.end());
  dst.tokens.insert(dst.tokens.end(), src.tokens.begin(), src.tokens.end());
  dst.type_ids.insert(dst.type_ids.end(), src.type_ids.begin(), src.type_ids.end());
  dst.offsets.insert(dst.offsets.end(), src.offsets.begin(), src.offsets.end());
  dst.sequence_ids.insert(dst.sequence_ids.end(), src.sequence_ids.begin(), src.sequence_ids.end());
  dst.special_tokens_mask.insert(dst.special_tokens_mask.end(), src.special_tokens_mask.begin(),
                                 src.special_tokens_mask.end());
}

void set_segment(encoding& e, int32_t type_id, int32_t sequence_id) {
  std::fill(e.type_ids.begin(), e.type_ids.end(), type_id);
  std::fill(e.sequence_ids.begin(), e.sequence_ids.end(), sequence_id);
}

// ByteLevel offset trimming: leading/trailing spaces (Ġ or real whitespace) of a token are not
// part of its offsets, except the one space add_prefix_space put before the first word.
void trim_offsets(encoding& e, bool add_prefix_space) {
  char32_t space = byte_level::byte_to_char(' ');
  auto is_space = [&](char32_t c) { return c == space || unicode::is_whitespace(c); };
  for (size_t i = 0; i < e.tokens.size(); ++i) {
    std::u32string chars;
    const std::string& t = e.tokens[i];
    for (size_t k = 0; k < t.size();) chars.push_back(utf8::decode(t, k));
    size_t leading = 0, trailing = 0;
    while (leading < chars.size() && is_space(chars[leading])) ++leading;
    while (trailing < chars.size() && is_space(chars[chars.size() - 1 - trailing])) ++trailing;
    if (leading == 0 && trailing == 0) continue;
    auto& off = e.offsets[i];
    if (leading > 0) {
      bool is_first = i == 0 || off.first == 0;
      if (is_first && add_prefix_space && leading == 1) leading = 0;
      off.first = std::min(off.first + leading, off.second);
    }
    if (trailing > 0 && off.second >= trailing)
      off.second = std::max(off.second - trailing, off.first);
  }
}

class byte_level_processor final : public post_processor {
 public:
  byte_level_processor(bool trim, bool add_prefix_space)
      : trim_(trim), add_prefix_space_(add_prefix_space) {}
  void process(std::vector<encoding>& encs, bool) const override {
    if (!trim_) return;
    for (auto& e : encs) trim_offsets(e, add_prefix_space_);
  }

 private:
  bool trim_, add_prefix_space_;
};

struct special {
  std::vector<int32_t> ids;
  std::vector<std::string> tokens;
};

class template_processor final : public post_processor {
 public:
  struct item {
    bool is_sequence;
    int sequence;            // 0 = A, 1 = B
    std::string special_id;  // key into specials_
    int32_t type_id;
  };
  template_processor(std::vector<item> single, std::vector<item> pair,
                     std::map<std::string, special> sp)
      : single_(std::move(single)), pair_(std::move(pair)), specials_(std::move(sp)) {}

  void process(std::vector<encoding>& encs, bool add_special_tokens) const override {
    const auto& tpl = encs.size() > 1 ? pair_ : single_;
    encoding out;
    for (const item& it : tpl) {
      if (it.is_sequence) {
        if (static_cast<size_t>(it.sequence) >= encs.size()) continue;
        encoding e = encs[static_cast<size_t>(it.sequence)];
        set_segment(e, it.type_id, it.sequence);
        append(out, e);
      } else if (add_special_tokens) {
        const special& s = specials_.at(it.special_id);
        for (size_t k = 0; k < s.ids.size(); ++k)
          push_special(out, s.ids[k], s.tokens[k], it.type_id);
      }
    }
    encs.clear();
    encs.push_back(std::move(out));
  }

 private:
  std::vector<item> single_, pair_;
  std::map<std::string, special> specials_;
};

// BertProcessing ([CLS] A [SEP] B [SEP], B typed 1) and RobertaProcessing (<s> A </s></s> B </s>,
// everything typed 0, optional offset trimming).
class bert_like_processor final : public post_processor {
 public:
  bert_like_processor(std::pair<std::string, int32_t> cls, std::pair<std::string, int32_t> sep,
                      bool roberta, bool trim, bool add_prefix_space)
      : cls_(std::move(cls)),
        sep_(std::move(sep)),
        roberta_(roberta),
        trim_(trim),
        add_prefix_space_(add_prefix_space) {}
  void process(std::vector<encoding>& encs, bool add_special_tokens) const override {
    if (roberta_) {
      if (trim_)
        for (auto& e : encs) trim_offsets(e, add_prefix_space_);
      for (auto& e : encs) std::fill(e.type_ids.begin(), e.type_ids.end(), 0);
    }
    if (!add_special_tokens) return;
    encoding out;
    for (size_t i = 0; i < encs.size(); ++i) {
      int32_t type = roberta_ || i == 0 ? 0 : 1;
      if (i == 0) {
        push_special(out, cls_.second, cls_.first, type);
      } else if (roberta_) {
        push_special(out, sep_.second, sep_.first, type);
      }
      encoding e = encs[i];
      set_segment(e, type, static_cast<int32_t>(i));
      append(out, e);
      push_special(out, sep_.second, sep_.first, type);
    }
    encs.clear();
    encs.push_back(std::move(out));
  }

 private:
  std::pair<std::string, int32_t> cls_, sep_;
  bool roberta_, trim_, add_prefix_space_;
};

class sequence_processor final : public post_processor {
 public:
  explicit sequence_processor(std::vector<std::unique_ptr<post_processor>> parts)
      : parts_(std::move(parts)) {}
  void process(std::vector<encoding>& encs, bool add_special_tokens) const override {
    for (const auto& p : parts_) p->process(encs, add_special_tokens);
  }

 private:
  std::vector<std::unique_ptr<post_processor>> parts_;
};

std::vector<template_processor::item> read_template(const json& j, const char* field) {
  std::vector<template_processor::item> out;
  const char* w = "TemplateProcessing";
  if (!j.contains(field) || j[field].is_null()) return out;
  const json& t = j[field];
  if (t.is_string()) {
    // The compact "[CLS] $A:0 [SEP]" form.
    std::string s = t.get<std::string>();
    size_t pos = 0;
    while (pos < s.size()) {
      size_t end = s.find(' ', pos);
      if (end == std::string::npos) end = s.size();
      std::string part = s.substr(pos, end - pos);
      pos = end + 1;
      if (part.empty()) continue;
      int32_t type = 0;
      if (auto colon = part.rfind(':');
          colon != std::string::npos && colon + 1 < part.size() &&
          std::all_of(part.begin() + static_cast<std::ptrdiff_t>(colon) + 1, part.end(),
                      [](char ch) { return ch >= '0' && ch <= '9'; })) {
        type = std::stoi(part.substr(colon + 1));
        part = part.substr(0, colon);
      }
      if (part == "$A" || part == "$" || part == "$B") {
        out.push_back({true, part == "$B" ? 1 : 0, "", type});
      } else {
        out.push_back({false, 0, part, type});
      }
    }
    return out;
  }
  for (const json& p : t) {
    if (p.contains("Sequence")) {
      const json& s = p["Sequence"];
      out.push_back({true, json_util::get_string(s, "id", w) == "B" ? 1 : 0, "",
                     static_cast<int32_t>(json_util::get_int(s, "type_id", 0, w))});
    } else if (p.contains("SpecialToken")) {
      const json& s = p["SpecialToken"];
      out.push_back({false, 0, json_util::get_string(s, "id", w),
                     static_cast<int32_t>(json_util::get_int(s, "type_id", 0, w))});
    } else {
      json_util::fail(w, "template piece must be Sequence or SpecialToken");
    }
  }
  return out;
}

std::pair<std::string, int32_t> read_token_pair(const json& j, const char* field,
                                                const char* where) {
  const json& v = json_util::require(j, field, where);
  if (!v.is_array() || v.size() != 2 || !v[0].is_string() || !v[1].is_number_integer()) {
    json_util::fail(where, std::string("\"") + field + "\" must be [token, id]");
  }
  return {v[0].get<std::string>(), v[1].get<int32_t>()};
}

}  // namespace

void push_special(encoding& e, int32_t id, const std::string& token, int32_t type_id) {
  e.ids.push_back(id);
  e.tokens.push_back(token);
  e.type_ids.push_back(type_id);
  e.offsets.emplace_back(0, 0);
  e.sequence_ids.push_back(-1);
  e.special_tokens_mask.push_back(1);
}

encoding merge_encodings(std::vector<encoding>&& encodings) {
  if (encodings.empty()) return {};
  encoding out = std::move(encodings[0]);
  for (size_t i = 1; i < encodings.size(); ++i) append(out, encodings[i]);
  return out;
}

std::unique_ptr<post_processor> make_post_processor(const json& j) {
  if (j.is_null()) return nullptr;
  std::string type = json_util::get_string(j, "type", "post_processor");
  if (type == "Sequence") {
    std::vector<std::unique_ptr<post_processor>> parts;
    for (const auto& p : json_util::require(j, "processors", "Sequence post_processor")) {
      if (auto q = make_post_processor(p)) parts.push_back(std::move(q));
    }
    return std::make_unique<sequence_processor>(std::move(parts));
  }
  if (type == "ByteLevel") {
    return std::make_unique<byte_level_processor>(
        json_util::get_bool(j, "trim_offsets", true, "ByteLevel"),
        json_util::get_bool(j, "add_prefix_space", true, "ByteLevel"));
  }
  if (type == "TemplateProcessing") {
    const char* w = "TemplateProcessing";
    std::map<std::string, special> specials;
    if (j.contains("special_tokens") && j["special_tokens"].is_object()) {
      for (const auto& [key, v] : j["special_tokens"].items()) {
        special s;
        for (const auto& id : json_util::require(v, "ids", w)) s.ids.push_back(id.get<int32_t>());
        for (const auto& t : json_util::require(v, "tokens", w))
          s.tokens.push_back(t.get<std::string>());
        if (s.ids.size() != s.tokens.size())
          json_util::fail(w, "special token \"" + key + "\" ids/tokens differ");
        specials[key] = std::move(s);
      }
    }
    auto single = read_template(j, "single");
    auto pair = read_template(j, "pair");
    for (const auto* tpl : {&single, &pair}) {
      for (const auto& it : *tpl) {
        if (!it.is_sequence && !specials.count(it.special_id)) {
          json_util::fail(w,
                          "template uses \"" + it.special_id + "\", missing from special_tokens");
        }
      }
    }
    return std::make_unique<template_processor>(std::move(single), std::move(pair),
                                                std::move(specials));
  }
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    bool roberta = type == "RobertaProcessing";
    const char* w = roberta ? "RobertaProcessing" : "BertProcessing";
    return std::make_unique<bert_like_processor>(
        read_token_pair(j, "cls", w), read_token_pair(j, "sep", w), roberta,
        roberta && json_util::get_bool(j, "trim_offsets", true, w),
        json_util::get_bool(j, "add_prefix_space", true, w));
  }
  json_util::fail("post_processor", "unsupported type \"" + type + "\"");
}

}  // namespace hf::engine::tok
