// Building a tokenizer from tokenizer.json (+ tokenizer_config.json, special_tokens_map.json,
// chat_template.jinja): the pipeline components, the added tokens and the special token names.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/tokenizer/json_util.hpp"
#include "engine/tokenizer/tokenizer.hpp"
#include "engine/tokenizer/tokenizer_impl.hpp"

namespace hf::engine {
namespace {

using nlohmann::json;

json parse(std::string_view text, const std::string& name) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw tokenizer_error(name + ": invalid JSON: " + e.what());
  }
}

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A token in a config: "text" or {"content": "text", ...} (transformers' AddedToken form).
std::string token_string(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object() && j.contains("content") && j["content"].is_string())
    return j["content"].get<std::string>();
  return {};
}

std::vector<tok::added_token> read_added_tokens(const json& tj) {
  std::vector<tok::added_token> out;
  if (!tj.contains("added_tokens") || tj["added_tokens"].is_null()) return out;
  for (const json& a : tj["added_tokens"]) {
    const char* w = "added_tokens";
    tok::added_token t;
    t.id = static_cast<int32_t>(tok::json_util::get_int(a, "id", -1, w));
    if (t.id < 0) tok::json_util::fail(w, "entry without a valid \"id\"");
    t.content = tok::json_util::get_string(a, "content", w);
    t.single_word = tok::json_util::get_bool(a, "single_word", false, w);
    t.lstrip = tok::json_util::get_bool(a, "lstrip", false, w);
    t.rstrip = tok::json_util::get_bool(a, "rstrip", false, w);
    t.special = tok::json_util::get_bool(a, "special", false, w);
    t.normalized = tok::json_util::get_bool(a, "normalized", !t.special, w);
    out.push_back(std::move(t));
  }
  return out;
}

// Tokens declared only in tokenizer_config.json's added_tokens_decoder (transformers adds them).
void merge_config_added_tokens(const json& cfg, std::vector<tok::added_token>& tokens) {
  if (!cfg.is_object() || !cfg.contains("added_tokens_decoder") ||
      !cfg["added_tokens_decoder"].is_object())
    return;
  for (const auto& [key, a] : cfg["added_tokens_decoder"].items()) {
    int32_t id = 0;
    try {
      id = std::stoi(key);
    } catch (const std::exception&) {
      throw tokenizer_error("tokenizer_config.json: added_tokens_decoder key \"" + key +
                            "\" is not an id");
    }
    bool known = false;
    for (const auto& t : tokens) known = known || t.id == id;
    if (known) continue;
    tok::added_token t;
    t.id = id;
    t.content = token_string(a);
    if (t.content.empty()) continue;
    const char* w = "tokenizer_config.json added_tokens_decoder";
    t.special = tok::json_util::get_bool(a, "special", false, w);
    t.single_word = tok::json_util::get_bool(a, "single_word", false, w);
    t.lstrip = tok::json_util::get_bool(a, "lstrip", false, w);
    t.rstrip = tok::json_util::get_bool(a, "rstrip", false, w);
    t.normalized = tok::json_util::get_bool(a, "normalized", !t.special, w);
    tokens.push_back(std::move(t));
  }
}

std::string read_chat_template(const json& cfg) {
  if (!cfg.is_object() || !cfg.contains("chat_template")) return {};
  const json& ct = cfg["chat_template"];
  if (ct.is_string()) return ct.get<std::string>();
  if (ct.is_array()) {
    // [{"name": "default", "template": ...}, {"name": "tool_use", ...}]: the default one.
    for (const json& e : ct) {
      if (e.is_object() && e.value("name", "") == "default" && e.contains("template"))
        return token_string(e["template"]);
    }
    if (!ct.empty() && ct[0].is_object() && ct[0].contains("template"))
      return token_string(ct[0]["template"]);
  }
  return {};
}

bool mentions_first_scheme(const json& j) {
  if (j.is_object()) {
    if (j.contains("prepend_scheme") && j["prepend_scheme"] == "first") return true;
    for (const auto& [k, v] : j.items()) {
      if (mentions_first_scheme(v)) return true;
    }
  } else if (j.is_array()) {
    for (const auto& v : j) {
      if (mentions_first_scheme(v)) return true;
    }
  }
  return false;
}

bool mentions_type(const json& j, const char* type) {
  if (j.is_object()) {
    if (j.contains("type") && j["type"] == type) return true;
    for (const auto& [k, v] : j.items()) {
      if (mentions_type(v, type)) return true;
    }
  } else if (j.is_array()) {
    for (const auto& v : j) {
      if (mentions_type(v, type)) return true;
    }
  }
  return false;
}

std::shared_ptr<tokenizer::impl> build(std::string_view tokenizer_json, const json& cfg,
                                       const json& special_map) {
  json tj = parse(tokenizer_json, "tokenizer.json");
  if (!tj.is_object()) throw tokenizer_error("tokenizer.json: top level must be an object");
  auto im = std::make_shared<tokenizer::impl>();
  auto field = [&](const char* k) -> const json& {
    static const json null_json;
    return tj.contains(k) ? tj[k] : null_json;
  };
  im->normalizer = tok::make_normalizer(field("normalizer"));
  im->pre_tokenizer = tok::make_pre_tokenizer(field("pre_tokenizer"));
  im->needs_alignments = mentions_first_scheme(field("pre_tokenizer"));
  im->model = tok::make_model(tok::json_util::require(tj, "model", "tokenizer.json"));
  im->post_processor = tok::make_post_processor(field("post_processor"));
  im->decoder = tok::make_decoder(field("decoder"));
  im->byte_fallback_decoder = mentions_type(field("decoder"), "ByteFallback");
  auto added = read_added_tokens(tj);
  merge_config_added_tokens(cfg, added);
  im->added = tok::added_vocabulary(std::move(added), im->normalizer.get());

  int32_t max_id = im->model->max_id();
  for (const auto& t : im->added.tokens()) max_id = std::max(max_id, t.id);
  im->vocab_size = static_cast<size_t>(max_id + 1);

  auto special = [&](const char* key) {
    std::string s;
    if (cfg.is_object() && cfg.contains(key)) s = token_string(cfg[key]);
    if (s.empty() && special_map.is_object() && special_map.contains(key))
      s = token_string(special_map[key]);
    return s;
  };
  im->bos_token = special("bos_token");
  im->eos_token = special("eos_token");
  im->pad_token = special("pad_token");
  im->unk_token = special("unk_token");
  im->chat_template = read_chat_template(cfg);
  if (cfg.is_object() && cfg.contains("clean_up_tokenization_spaces") &&
      cfg["clean_up_tokenization_spaces"].is_boolean()) {
    im->clean_up_tokenization_spaces = cfg["clean_up_tokenization_spaces"].get<bool>();
  }
  return im;
}

}  // namespace

tokenizer tokenizer::from_json(std::string_view tokenizer_json,
                               std::string_view tokenizer_config_json) {
  json cfg;
  if (!tokenizer_config_json.empty()) cfg = parse(tokenizer_config_json, "tokenizer_config.json");
  return tokenizer(build(tokenizer_json, cfg, json()));
}

tokenizer tokenizer::from_folder(const std::filesystem::path& dir) {
  auto main = read_file(dir / "tokenizer.json");
  if (!main) throw tokenizer_error("tokenizer: cannot read " + (dir / "tokenizer.json").string());
  json cfg, special_map;
  if (auto c = read_file(dir / "tokenizer_config.json"))
    cfg = parse(*c, (dir / "tokenizer_config.json").string());
  if (auto s = read_file(dir / "special_tokens_map.json")) {
    special_map = parse(*s, (dir / "special_tokens_map.json").string());
  }
  try {
    auto im = build(*main, cfg, special_map);
    // Newer transformers save the template beside the config.
    if (im->chat_template.empty()) {
      if (auto t = read_file(dir / "chat_template.jinja")) im->chat_template = *t;
    }
    return tokenizer(std::move(im));
  } catch (const tokenizer_error& e) {
    throw tokenizer_error(dir.string() + ": " + e.what());
  }
}

}  // namespace hf::engine
