#include "observability/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hf::obs {
namespace {

bool name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool name_char(char c) {
  return name_start(c) || (c >= '0' && c <= '9');
}

void check_metric_name(std::string_view name) {
  bool ok = !name.empty() && (name_start(name[0]) || name[0] == ':');
  for (char c : name) ok = ok && (name_char(c) || c == ':');
  if (!ok)
    throw metrics_error("metric name '" + std::string(name) + "' is not a valid Prometheus name");
}

void check_label_names(std::string_view metric, const std::vector<std::string>& labels,
                       metric_type type) {
  for (size_t i = 0; i < labels.size(); ++i) {
    const auto& l = labels[i];
    bool ok = !l.empty() && name_start(l[0]) && !l.starts_with("__");
    for (char c : l) ok = ok && name_char(c);
    if (!ok)
      throw metrics_error("metric '" + std::string(metric) + "': label name '" + l +
                          "' is not valid");
    if (type == metric_type::histogram && l == "le")
      throw metrics_error("metric '" + std::string(metric) +
                          "': histograms reserve the label 'le'");
    if (std::find(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(i), l) !=
        labels.begin() + static_cast<std::ptrdiff_t>(i))
      throw metrics_error("metric '" + std::string(metric) + "': label '" + l + "' is repeated");
  }
}

std::vector<double> normalise_buckets(std::vector<double> b) {
  if (!b.empty() && b.back() == std::numeric_limits<double>::infinity()) b.pop_back();
  for (size_t i = 0; i < b.size(); ++i) {
    if (!std::isfinite(b[i])) throw metrics_error("histogram bucket bounds must be finite");
    if (i > 0 && !(b[i - 1] < b[i]))
      throw metrics_error("histogram bucket bounds must be strictly increasing");
  }
  return b;
}

}  // namespace

void counter::inc(double by) {
  if (by < 0) throw metrics_error("counter increment must not be negative");
  value_.fetch_add(by, std::memory_order_relaxed);
}

histogram::histogram(std::vector<double> upper_bounds)
    : bounds_(normalise_buckets(std::move(upper_bounds))),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void histogram::observe(double v) {
  // Bucket i counts bounds_[i-1] < v <= bounds_[i]; NaN and values above every bound go to +Inf.
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  buckets_[static_cast<size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

histogram::snapshot histogram::collect() const {
  snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  // The count is derived from the buckets so that +Inf == _count even while observe() runs.
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> default_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> linear_buckets(double start, double width, size_t count) {
  if (!(width > 0)) throw metrics_error("linear_buckets: width must be positive");
  std::vector<double> b;
  for (size_t i = 0; i < count; ++i) b.push_back(start + width * static_cast<double>(i));
  return b;
}

std::vector<double> exponential_buckets(double start, double factor, size_t count) {
  if (!(start > 0) || !(factor > 1))
    throw metrics_error("exponential_buckets: start must be > 0 and factor > 1");
  std::vector<double> b;
  double v = start;
  for (size_t i = 0; i < count; ++i, v *= factor) b.push_back(v);
  return b;
}

std::string_view metric_type_name(metric_type t) {
  switch (t) {
    case metric_type::counter:
      return "counter";
    case metric_type::gauge:
      return "gauge";
    case metric_type::histogram:
      break;
  }
  return "histogram";
}

family_base::family_base(std::string name, std::string help, metric_type type,
                         std::vector<std::string> labels, std::vector<double> buckets)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(labels)),
      buckets_(std::move(buckets)) {}

void family_base::check_arity(size_t values) const {
  if (values != label_names_.size())
    throw metrics_error("metric '" + name_ + "' has " + std::to_string(label_names_.size()) +
                        " label(s) but " + std::to_string(values) + " value(s) were given");
}

template <class Family>
Family& registry::add(std::string_view name, std::string_view help, metric_type type,
                      std::vector<std::string> labels, std::vector<double> buckets) {
  check_metric_name(name);
  check_label_names(name, labels, type);
  if (type == metric_type::histogram) buckets = normalise_buckets(std::move(buckets));
  std::lock_guard lock(mutex_);
  if (auto it = families_.find(name); it != families_.end()) {
    const family_base& f = *it->second;
    if (f.type() != type || f.label_names() != labels || f.buckets() != buckets)
      throw metrics_error("metric '" + std::string(name) + "' is already registered as a " +
                          std::string(metric_type_name(f.type())) +
                          " with other labels or buckets");
    return static_cast<Family&>(*it->second);
  }
  auto fam = std::make_unique<Family>(std::string(name), std::string(help), type, std::move(labels),
                                      std::move(buckets));
  Family& ref = *fam;
  families_.emplace(std::string(name), std::move(fam));
  return ref;
}

counter_family& registry::add_counter(std::string_view name, std::string_view help,
                                      std::vector<std::string> label_names) {
  return add<counter_family>(name, help, metric_type::counter, std::move(label_names), {});
}

gauge_family& registry::add_gauge(std::string_view name, std::string_view help,
                                  std::vector<std::string> label_names) {
  return add<gauge_family>(name, help, metric_type::gauge, std::move(label_names), {});
}

histogram_family& registry::add_histogram(std::string_view name, std::string_view help,
                                          std::vector<double> buckets,
                                          std::vector<std::string> label_names) {
  return add<histogram_family>(name, help, metric_type::histogram, std::move(label_names),
                               std::move(buckets));
}

void registry::on_collect(std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  hooks_.push_back(std::move(hook));
}

std::string registry::render() const {
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(mutex_);
    hooks = hooks_;
  }
  for (const auto& h : hooks) h();  // outside the lock: a hook may register or update metrics
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, fam] : families_) fam->render(out);
  return out;
}

registry& default_registry() {
  static registry r;
  return r;
}

}  // namespace hf::obs
