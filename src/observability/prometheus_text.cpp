// Rendering of metric families in the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
#include <array>
#include <charconv>
#include <cmath>

#include "observability/metrics.hpp"

namespace hf::obs {
namespace {

// HELP text escapes backslash and newline; label values also escape the double quote.
void append_prom_escaped(std::string& out, std::string_view s, bool quote) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    std::array<char, 32> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    out.append(buf.data(), r.ptr);
  }
}

void append_count(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), r.ptr);
}

// `{a="x",b="y"}`, plus an extra trailing pair (the histogram's le) when given; nothing when empty.
void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i];
    out += "=\"";
    append_prom_escaped(out, values[i], /*quote=*/true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void append_header(std::string& out, const family_base& f) {
  out += "# HELP ";
  out += f.name();
  out += ' ';
  append_prom_escaped(out, f.help(), /*quote=*/false);
  out += "\n# TYPE ";
  out += f.name();
  out += ' ';
  out += metric_type_name(f.type());
  out += '\n';
}

void append_sample(std::string& out, const family_base& f, const std::vector<std::string>& labels,
                   double value) {
  out += f.name();
  append_labels(out, f.label_names(), labels);
  out += ' ';
  append_number(out, value);
  out += '\n';
}

void append_histogram(std::string& out, const family_base& f,
                      const std::vector<std::string>& labels, const histogram& h) {
  const auto snap = h.collect();
  const auto bounds = h.upper_bounds();
  for (size_t i = 0; i < snap.cumulative.size(); ++i) {
    std::string le;
    if (i < bounds.size()) {
      append_number(le, bounds[i]);
    } else {
      le = "+Inf";
    }
    out += f.name();
    out += "_bucket";
    append_labels(out, f.label_names(), labels, "le", le);
    out += ' ';
    append_count(out, snap.cumulative[i]);
    out += '\n';
  }
  out += f.name();
  out += "_sum";
  append_labels(out, f.label_names(), labels);
  out += ' ';
  append_number(out, snap.sum);
  out += '\n';
  out += f.name();
  out += "_count";
  append_labels(out, f.label_names(), labels);
  out += ' ';
  append_count(out, snap.count);
  out += '\n';
}

}  // namespace

template <class Metric>
void metric_family<Metric>::render(std::string& out) const {
  std::lock_guard lock(mutex_);
  if (children_.empty()) return;
  append_header(out, *this);
  for (const auto& [labels, metric] : children_) {
    if constexpr (std::is_same_v<Metric, histogram>) {
      append_histogram(out, *this, labels, *metric);
    } else {
      append_sample(out, *this, labels, metric->value());
    }
  }
}

template class metric_family<counter>;
template class metric_family<gauge>;
template class metric_family<histogram>;

}  // namespace hf::obs
