#include "template/globals.hpp"

#include <ctime>

#include "template/args.hpp"
#include "template/error.hpp"
#include "template/evaluator.hpp"
#include "template/objects.hpp"

namespace hf::tmpl {
namespace {

// Jinja2's sandbox refuses ranges longer than this.
constexpr std::int64_t max_range = 100000;

class builtin final : public function {
 public:
  using impl = value (*)(evaluator&, call_args);
  builtin(std::string_view name, impl f) : name_(name), f_(f) {}
  std::string_view name() const override { return name_; }
  value call(evaluator& ev, call_args args) const override { return f_(ev, std::move(args)); }

 private:
  std::string_view name_;
  impl f_;
};

value range_fn(evaluator&, call_args args) {
  if (!args.named.empty()) throw eval_error("range() takes no keyword arguments");
  auto& p = args.positional;
  if (p.empty() || p.size() > 3) throw eval_error("range expected 1 to 3 arguments, got " + std::to_string(p.size()));
  for (const auto& v : p)
    if (!v.is_int() && !v.is_bool())
      throw eval_error("'" + std::string(v.type_name()) + "' object cannot be interpreted as an integer");
  std::int64_t start = p.size() == 1 ? 0 : p[0].as_int();
  std::int64_t stop = p.size() == 1 ? p[0].as_int() : p[1].as_int();
  std::int64_t step = p.size() == 3 ? p[2].as_int() : 1;
  if (step == 0) throw eval_error("range() arg 3 must not be zero");
  list_t out;
  for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
    if (static_cast<std::int64_t>(out.size()) >= max_range)
      throw eval_error("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
    out.push_back(value::integer(i));
  }
  return value::from_list(std::move(out));
}

// dict(mapping, **kwargs) and namespace(mapping, **kwargs) take the same arguments.
dict_t mapping_args(std::string_view callee, call_args args) {
  dict_t out;
  if (args.positional.size() > 1)
    throw eval_error(std::string(callee) + "() expected at most 1 positional argument");
  if (!args.positional.empty()) {
    const value& m = args.positional[0];
    if (!m.is_dict()) throw eval_error(std::string(callee) + "() positional argument must be a dict");
    for (const auto& [k, v] : m.as_dict()) out.set(k, v);
  }
  for (auto& [k, v] : args.named) out.set(std::move(k), std::move(v));
  return out;
}

value dict_fn(evaluator&, call_args args) { return value::from_dict(mapping_args("dict", std::move(args))); }

value namespace_fn(evaluator&, call_args args) {
  return value::from_object(std::make_shared<namespace_object>(mapping_args("namespace", std::move(args))));
}

value raise_exception_fn(evaluator&, call_args args) {
  bound_args a("raise_exception", std::move(args), {"message"});
  throw template_raised(to_str(a[0]));
}

value strftime_now_fn(evaluator& ev, call_args args) {
  bound_args a("strftime_now", std::move(args), {"format"});
  std::string format = a.string_or(0, "");
  std::time_t t = ev.now();
  std::tm tm{};
  localtime_r(&t, &tm);
  // strftime returns 0 both for "too small" and for an empty result: grow a few times, then stop.
  for (std::size_t size = 64 + format.size() * 4; size <= 65536; size *= 4) {
    std::string buf(size, '\0');
    std::size_t n = std::strftime(buf.data(), buf.size(), format.c_str(), &tm);
    if (n > 0 || format.empty()) {
      buf.resize(n);
      return value::from_string(std::move(buf));
    }
  }
  return value::from_string("");
}

value make(std::string_view name, builtin::impl f) {
  return value::from_function(std::make_shared<const builtin>(name, f));
}

}  // namespace

value global_value(std::string_view name) {
  static const value range = make("range", range_fn);
  static const value dict = make("dict", dict_fn);
  static const value ns = make("namespace", namespace_fn);
  static const value raise = make("raise_exception", raise_exception_fn);
  static const value strftime = make("strftime_now", strftime_now_fn);
  if (name == "range") return range;
  if (name == "dict") return dict;
  if (name == "namespace") return ns;
  if (name == "raise_exception") return raise;
  if (name == "strftime_now") return strftime;
  return value::undefined("'" + std::string(name) + "' is undefined");
}

}  // namespace hf::tmpl
