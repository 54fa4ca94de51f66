// Metrics registry rendered in the Prometheus text exposition format 0.0.4: counters, gauges and
// histograms, grouped in families (one name, HELP, TYPE, label names) whose children are label
// values. Updates are lock-free atomics; looking a child up takes the family's mutex, so hot paths
// look it up once and keep the reference (children live as long as the registry).
// Usage: auto& req = reg.add_counter("http_requests_total", "HTTP requests", {"method", "status"});
//        req.with({"GET", "200"}).inc();   std::string body = reg.render();
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace hf::obs {

inline constexpr std::string_view k_prometheus_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

// Misuse of the registry: a bad metric or label name, a wrong number of label values, a name
// registered twice with different types or labels, a counter decreased, unsorted buckets.
class metrics_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class counter {
 public:
  void inc(double by = 1.0);  // `by` < 0 throws metrics_error: counters only go up
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  void inc() { add(1.0); }
  void dec() { add(-1.0); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class histogram {
 public:
  // `upper_bounds` strictly increasing and finite; a trailing +Inf is implied (and dropped if
  // given).
  explicit histogram(std::vector<double> upper_bounds);
  void observe(double v);

  struct snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then the +Inf bucket (== count)
    double sum = 0.0;
    std::uint64_t count = 0;
  };
  snapshot collect() const;
  std::span<const double> upper_bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<double> sum_{0.0};
};

// Bucket helpers. The defaults are Prometheus's client defaults (seconds, 5 ms .. 10 s).
std::vector<double> default_buckets();
std::vector<double> linear_buckets(double start, double width, size_t count);
std::vector<double> exponential_buckets(double start, double factor, size_t count);

enum class metric_type { counter, gauge, histogram };
std::string_view metric_type_name(metric_type t);  // "counter" | "gauge" | "histogram"

class family_base {
 public:
  family_base(std::string name, std::string help, metric_type type, std::vector<std::string> labels,
              std::vector<double> buckets);
  virtual ~family_base() = default;
  family_base(const family_base&) = delete;
  family_base& operator=(const family_base&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  metric_type type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& buckets() const { return buckets_; }  // histograms only, no +Inf
  // Appends HELP, TYPE and one sample line per child (histograms: _bucket, _sum, _count);
  // nothing when the family has no child yet.
  virtual void render(std::string& out) const = 0;

 protected:
  void check_arity(size_t values) const;

 private:
  std::string name_;
  std::string help_;
  metric_type type_;
  std::vector<std::string> label_names_;
  std::vector<double> buckets_;
};

template <class Metric>
class metric_family : public family_base {
 public:
  metric_family(std::string name, std::string help, metric_type type,
                std::vector<std::string> labels, std::vector<double> buckets = {})
      : family_base(std::move(name), std::move(help), type, std::move(labels), std::move(buckets)) {
    if (label_names().empty()) with_values({});  // an unlabelled metric shows up as 0 at once
  }

  // The child for these label values (in label-name order), created on first use.
  Metric& with(std::initializer_list<std::string_view> values) {
    return with_values(std::vector<std::string>(values.begin(), values.end()));
  }
  Metric& with_values(std::vector<std::string> values) {
    check_arity(values.size());
    std::lock_guard lock(mutex_);
    auto& slot = children_[std::move(values)];
    if (!slot) {
      if constexpr (std::is_same_v<Metric, histogram>)
        slot = std::make_unique<Metric>(buckets());
      else
        slot = std::make_unique<Metric>();
    }
    return *slot;
  }
  Metric& get() { return with_values({}); }  // for families without labels

  void render(std::string& out) const override;

 private:
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

using counter_family = metric_family<counter>;
using gauge_family = metric_family<gauge>;
using histogram_family = metric_family<histogram>;
// Defined in prometheus_text.cpp.
extern template class metric_family<counter>;
extern template class metric_family<gauge>;
extern template class metric_family<histogram>;

class registry {
 public:
  // Registering an existing name returns the existing family when type and label names (and, for
  // histograms, buckets) agree, and throws metrics_error otherwise. Names follow Prometheus rules
  // ([a-zA-Z_:][a-zA-Z0-9_:]*; labels [a-zA-Z_][a-zA-Z0-9_]*, no "__" prefix, no "le" on
  // histograms).
  counter_family& add_counter(std::string_view name, std::string_view help,
                              std::vector<std::string> label_names = {});
  gauge_family& add_gauge(std::string_view name, std::string_view help,
                          std::vector<std::string> label_names = {});
  histogram_family& add_histogram(std::string_view name, std::string_view help,
                                  std::vector<double> buckets,
                                  std::vector<std::string> label_names = {});

  // Called at the start of every render() (outside the registry's lock), e.g. to refresh gauges
  // that mirror state owned elsewhere (queue depth, loaded models).
  void on_collect(std::function<void()> hook);

  // All families sorted by name, children sorted by label values.
  std::string render() const;

 private:
  template <class Family>
  Family& add(std::string_view name, std::string_view help, metric_type type,
              std::vector<std::string> labels, std::vector<double> buckets);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<family_base>, std::less<>> families_;
  std::vector<std::function<void()>> hooks_;
};

// The process-wide registry that the server's /metrics endpoint renders.
registry& default_registry();

}  // namespace hf::obs
