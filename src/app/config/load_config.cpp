// load_config: defaults, then the TOML file, then the environment, then the flags, each field
// parsed by its row of config_fields(); then the HuggingFace cache folders are resolved.
#include <unistd.h>

#include <toml++/toml.h>
#include <array>
#include <charconv>

#include "app/config/config_fields.hpp"
#include "app/config/server_config.hpp"
#include "app/config/value_parsers.hpp"

extern char** environ;  // NOLINT: POSIX

namespace hf::app {
namespace {

std::string lookup(const env_map& env, std::string_view name) {
  const auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

void apply(const config_field& f, server_config& cfg, const std::vector<std::string>& values,
           const parse_context& ctx, const std::string& source) {
  if (values.empty() && f.kind != field_kind::list)
    throw config_error(source + ": a value is required");
  try {
    f.apply(cfg, values, ctx);
  } catch (const invalid_value& e) {
    throw config_error(source + ": " + e.what());
  }
}

// A TOML value as the text a user would have put in a flag; nullopt for tables and dates.
std::optional<std::string> scalar_text(const toml::node& n) {
  if (const auto* s = n.as_string()) return s->get();
  if (const auto* i = n.as_integer()) return std::to_string(i->get());
  if (const auto* b = n.as_boolean()) return b->get() ? "true" : "false";
  if (const auto* d = n.as_floating_point()) {
    std::array<char, 32> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), d->get());
    return std::string(buf.data(), r.ptr);
  }
  return std::nullopt;
}

std::vector<std::string> toml_values(const config_field& f, const toml::node& n,
                                     const std::string& where) {
  if (const auto* arr = n.as_array()) {
    if (f.kind != field_kind::list)
      throw config_error(where + ": expected a single value, not an array");
    std::vector<std::string> out;
    for (const auto& item : *arr) {
      auto t = scalar_text(item);
      if (!t) throw config_error(where + ": array items must be strings or numbers");
      out.push_back(std::move(*t));
    }
    return out;
  }
  auto t = scalar_text(n);
  if (!t) throw config_error(where + ": expected a string, number, boolean or array");
  if (f.kind == field_kind::list && n.is_string()) return split_list(*t, f.separator);
  return {std::move(*t)};
}

void apply_toml_file(server_config& cfg, const std::filesystem::path& path,
                     const parse_context& ctx) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw config_error("config file " + path.string() + ": not found or not a regular file");
  toml::table table;
  try {
    table = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    throw config_error("config file " + path.string() + ":" +
                       std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : table) {
    const std::string where = path.string() + ":" + std::to_string(node.source().begin.line) +
                              ": " + std::string(key.str());
    const config_field* f = find_config_field(key.str());
    if (!f) throw config_error(where + ": unknown setting (see `hfserve serve --help`)");
    apply(*f, cfg, toml_values(*f, node, where), ctx, where);
  }
}

// huggingface_hub's rules: HF_HOME defaults to $XDG_CACHE_HOME/huggingface, then
// ~/.cache/huggingface; the hub cache to $HF_HOME/hub (HUGGINGFACE_HUB_CACHE is the older name).
void resolve_hf_paths(server_config& cfg, const env_map& env, const std::string& home) {
  if (cfg.hf_home.empty()) {
    const std::string xdg = lookup(env, "XDG_CACHE_HOME");
    if (!xdg.empty())
      cfg.hf_home = std::filesystem::path(xdg) / "huggingface";
    else
      cfg.hf_home = std::filesystem::path(home.empty() ? "." : home) / ".cache" / "huggingface";
  }
  if (cfg.hub_cache.empty()) {
    const std::string legacy = lookup(env, "HUGGINGFACE_HUB_CACHE");
    cfg.hub_cache = legacy.empty() ? cfg.hf_home / "hub" : expand_home(legacy, home);
  }
}

}  // namespace

env_map process_environment() {
  env_map env;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    const size_t eq = entry.find('=');
    if (eq != std::string_view::npos) env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

server_config load_config(const config_sources& sources, const env_map& env) {
  server_config cfg;
  const std::string home = lookup(env, "HOME");
  const parse_context ctx{home};

  std::string file = sources.config_file.value_or(lookup(env, k_config_env));
  if (!file.empty()) {
    cfg.config_file = expand_home(file, home);
    apply_toml_file(cfg, cfg.config_file, ctx);
  }

  for (const auto& f : config_fields()) {
    const std::string text = lookup(env, f.env);
    if (text.empty()) continue;  // an empty variable counts as unset
    const auto values =
        f.kind == field_kind::list ? split_list(text, f.separator) : std::vector{text};
    apply(f, cfg, values, ctx, std::string(f.env));
  }

  for (const auto& f : config_fields()) {
    const auto it = sources.flags.find(f.name);
    if (it == sources.flags.end()) continue;
    std::vector<std::string> values;
    for (const auto& v : it->second) {
      if (!f.split_flags) {
        values.push_back(v);
        continue;
      }
      for (auto& item : split_list(v, f.separator)) values.push_back(std::move(item));
    }
    apply(f, cfg, values, ctx, std::string(f.flag));
  }
  for (const auto& [name, v] : sources.flags)
    if (!find_config_field(name)) throw config_error("unknown setting '" + name + "'");

  resolve_hf_paths(cfg, env, home);
  return cfg;
}

std::vector<std::pair<std::string, std::string>> describe_config(const server_config& cfg) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : config_fields()) out.emplace_back(f.name, f.show(cfg));
  return out;
}

}  // namespace hf::app
