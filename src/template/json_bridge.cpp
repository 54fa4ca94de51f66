#include "template/json_bridge.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "template/pyformat.hpp"
#include "template/text.hpp"

namespace hf::tmpl {
namespace {

void append_escaped(std::string& out, const std::string& s, bool ensure_ascii) {
  out += '"';
  for (std::size_t pos = 0; pos < s.size();) {
    std::size_t start = pos;
    char32_t c = text::decode(s, pos);
    char buf[16];
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (c < 0x20) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else if (ensure_ascii && c > 0x7F) {
      if (c >= 0x10000) {
        char32_t v = c - 0x10000;
        std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", static_cast<unsigned>(0xD800 + (v >> 10)),
                      static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
      } else {
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      }
      out += buf;
    } else {
      out.append(s, start, pos - start);
    }
  }
  out += '"';
}

class dumper {
 public:
  explicit dumper(const dumps_options& opts)
      : opts_(opts), item_sep_(opts.item_separator.value_or(opts.indent ? "," : ", ")) {}

  void dump(std::string& out, const value& v, int level) {
    switch (v.type()) {
      case value::kind::none: out += "null"; return;
      case value::kind::boolean: out += v.as_bool() ? "true" : "false"; return;
      case value::kind::integer: out += std::to_string(v.as_int()); return;
      case value::kind::floating: {
        double d = v.as_float();
        if (std::isnan(d)) out += "NaN";
        else if (std::isinf(d)) out += d < 0 ? "-Infinity" : "Infinity";
        else out += pyformat::float_repr(d);
        return;
      }
      case value::kind::string: append_escaped(out, v.as_string(), opts_.ensure_ascii); return;
      case value::kind::list: {
        const auto& items = v.as_list();
        if (items.empty()) {
          out += "[]";
          return;
        }
        out += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (i > 0) out += item_sep_;
          newline(out, level + 1);
          dump(out, items[i], level + 1);
        }
        newline(out, level);
        out += ']';
        return;
      }
      case value::kind::dict: {
        const auto& d = v.as_dict();
        if (d.empty()) {
          out += "{}";
          return;
        }
        std::vector<const dict_t::entry*> entries;
        for (const auto& e : d) entries.push_back(&e);
        if (opts_.sort_keys)
          std::stable_sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->first < b->first; });
        out += '{';
        for (std::size_t i = 0; i < entries.size(); ++i) {
          if (i > 0) out += item_sep_;
          newline(out, level + 1);
          append_escaped(out, entries[i]->first, opts_.ensure_ascii);
          out += opts_.key_separator;
          dump(out, entries[i]->second, level + 1);
        }
        newline(out, level);
        out += '}';
        return;
      }
      default:
        throw eval_error("Object of type " + std::string(v.type_name()) + " is not JSON serializable");
    }
  }

 private:
  void newline(std::string& out, int level) const {
    if (!opts_.indent) return;
    out += '\n';
    for (int i = 0; i < level; ++i) out += *opts_.indent;
  }

  const dumps_options& opts_;
  std::string item_sep_;
};

}  // namespace

std::string dumps(const value& v, const dumps_options& opts) {
  std::string out;
  dumper(opts).dump(out, v, 0);
  return out;
}

}  // namespace hf::tmpl
