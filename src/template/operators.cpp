#include "template/operators.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "template/methods.hpp"
#include "template/pyformat.hpp"
#include "template/text.hpp"

namespace hf::tmpl {
namespace {

bool int_like(const value& v) { return v.is_int() || v.is_bool(); }

[[noreturn]] void unsupported(const char* op, const value& a, const value& b) {
  if (a.is_undefined()) throw eval_error(a.undefined_message());
  if (b.is_undefined()) throw eval_error(b.undefined_message());
  throw eval_error(std::string("unsupported operand type(s) for ") + op + ": '" + std::string(a.type_name()) +
                   "' and '" + std::string(b.type_name()) + "'");
}

[[noreturn]] void overflow() { throw eval_error("integer overflow"); }

std::int64_t add_checked(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) overflow();
  return r;
}
std::int64_t sub_checked(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) overflow();
  return r;
}
std::int64_t mul_checked(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) overflow();
  return r;
}

// The most bytes (strings) or items (lists) one repetition may produce. A chat prompt is far
// smaller; without a bound `'ab' * 722 ** 3` (found by fuzzing) allocates 750 MB and renders for
// seconds, and a larger count overflows the size computation.
constexpr std::size_t k_max_repeat_size = std::size_t{1} << 24;

value repeat(const value& seq, std::int64_t n) {
  const std::size_t unit = seq.is_string() ? seq.as_string().size() : seq.as_list().size();
  if (n <= 0 || unit == 0)
    return seq.is_string() ? value::from_string("") : value::from_list(list_t{});
  if (static_cast<std::uint64_t>(n) > k_max_repeat_size / unit) {
    throw eval_error("repetition of a " + std::string(seq.type_name()) + " of " +
                     std::to_string(unit) + " by " + std::to_string(n) + " exceeds the limit of " +
                     std::to_string(k_max_repeat_size) + (seq.is_string() ? " bytes" : " items"));
  }
  if (seq.is_string()) {
    std::string out;
    out.reserve(seq.as_string().size() * static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) out += seq.as_string();
    return value::from_string(std::move(out));
  }
  list_t out;
  for (std::int64_t i = 0; i < n; ++i) out.insert(out.end(), seq.as_list().begin(), seq.as_list().end());
  return value::from_list(std::move(out));
}

std::int64_t int_pow(std::int64_t base, std::int64_t exp) {
  std::int64_t result = 1;
  while (exp > 0) {
    if (exp & 1) result = mul_checked(result, base);
    exp >>= 1;
    if (exp > 0) base = mul_checked(base, base);
  }
  return result;
}

std::string elem_message(const value& obj, const value& key) {
  if (key.is_string())
    return "'" + std::string(obj.type_name()) + " object' has no attribute " + pyformat::string_repr(key.as_string());
  return std::string(obj.type_name()) + " object has no element " + repr(key);
}

}  // namespace

value binary(binary_op op, const value& a, const value& b) {
  switch (op) {
    case binary_op::concat: return value::from_string(to_str(a) + to_str(b));
    case binary_op::add:
      if (int_like(a) && int_like(b)) return value::integer(add_checked(a.as_int(), b.as_int()));
      if (a.is_number() && b.is_number()) return value::floating(a.as_float() + b.as_float());
      if (a.is_string() && b.is_string()) return value::from_string(a.as_string() + b.as_string());
      if (a.is_list() && b.is_list()) {
        list_t out = a.as_list();
        out.insert(out.end(), b.as_list().begin(), b.as_list().end());
        return value::from_list(std::move(out));
      }
      unsupported("+", a, b);
    case binary_op::sub:
      if (int_like(a) && int_like(b)) return value::integer(sub_checked(a.as_int(), b.as_int()));
      if (a.is_number() && b.is_number()) return value::floating(a.as_float() - b.as_float());
      unsupported("-", a, b);
    case binary_op::mul:
      if (int_like(a) && int_like(b)) return value::integer(mul_checked(a.as_int(), b.as_int()));
      if (a.is_number() && b.is_number()) return value::floating(a.as_float() * b.as_float());
      if ((a.is_string() || a.is_list()) && int_like(b)) return repeat(a, b.as_int());
      if (int_like(a) && (b.is_string() || b.is_list())) return repeat(b, a.as_int());
      unsupported("*", a, b);
    case binary_op::div:
      if (a.is_number() && b.is_number()) {
        if (b.as_float() == 0.0) throw eval_error("division by zero");
        return value::floating(a.as_float() / b.as_float());
      }
      unsupported("/", a, b);
    case binary_op::floordiv:
      if (int_like(a) && int_like(b)) {
        std::int64_t x = a.as_int(), y = b.as_int();
        if (y == 0) throw eval_error("integer division or modulo by zero");
        if (x == std::numeric_limits<std::int64_t>::min() && y == -1) overflow();
        std::int64_t q = x / y;
        if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
        return value::integer(q);
      }
      if (a.is_number() && b.is_number()) {
        if (b.as_float() == 0.0) throw eval_error("float floor division by zero");
        return value::floating(std::floor(a.as_float() / b.as_float()));
      }
      unsupported("//", a, b);
    case binary_op::mod:
      if (int_like(a) && int_like(b)) {
        std::int64_t x = a.as_int(), y = b.as_int();
        if (y == 0) throw eval_error("integer division or modulo by zero");
        if (y == -1) return value::integer(0);
        std::int64_t r = x % y;
        if (r != 0 && ((r < 0) != (y < 0))) r += y;
        return value::integer(r);
      }
      if (a.is_number() && b.is_number()) {
        double y = b.as_float();
        if (y == 0.0) throw eval_error("float modulo");
        double r = std::fmod(a.as_float(), y);
        if (r != 0.0 && ((r < 0) != (y < 0))) r += y;
        return value::floating(r);
      }
      if (a.is_string()) throw eval_error("printf-style string formatting ('%') is not supported");
      unsupported("%", a, b);
    case binary_op::pow:
      if (int_like(a) && int_like(b) && b.as_int() >= 0) return value::integer(int_pow(a.as_int(), b.as_int()));
      if (a.is_number() && b.is_number()) return value::floating(std::pow(a.as_float(), b.as_float()));
      unsupported("**", a, b);
    case binary_op::and_:
    case binary_op::or_: break;
  }
  throw eval_error("internal error: unexpected operator");
}

value negate(const value& v) {
  if (int_like(v)) {
    if (v.as_int() == std::numeric_limits<std::int64_t>::min()) overflow();
    return value::integer(-v.as_int());
  }
  if (v.is_float()) return value::floating(-v.as_float());
  if (v.is_undefined()) throw eval_error(v.undefined_message());
  throw eval_error("bad operand type for unary -: '" + std::string(v.type_name()) + "'");
}

value unary_plus(const value& v) {
  if (int_like(v)) return value::integer(v.as_int());
  if (v.is_float()) return v;
  if (v.is_undefined()) throw eval_error(v.undefined_message());
  throw eval_error("bad operand type for unary +: '" + std::string(v.type_name()) + "'");
}

value get_attribute(const value& obj, std::string_view name, bool chainable) {
  switch (obj.type()) {
    case value::kind::undefined:
      if (chainable) return obj;
      throw eval_error(obj.undefined_message());
    case value::kind::object: return obj.as_object().attribute(name);
    case value::kind::none: return value::undefined("'None' has no attribute " + pyformat::string_repr(name));
    case value::kind::dict:
      if (!has_method(obj, name)) {
        if (const value* v = obj.as_dict().find(name)) return *v;
      }
      break;
    default: break;
  }
  if (has_method(obj, name)) return bind_method(obj, name);
  return value::undefined(elem_message(obj, value::from_string(std::string(name))));
}

value get_item(const value& obj, const value& key, bool chainable) {
  switch (obj.type()) {
    case value::kind::undefined:
      if (chainable) return obj;
      throw eval_error(obj.undefined_message());
    case value::kind::none: return value::undefined("'None' has no attribute " + repr(key));
    case value::kind::dict:
      if (key.is_string()) {
        if (const value* v = obj.as_dict().find(key.as_string())) return *v;
      }
      break;
    case value::kind::list:
      if (int_like(key)) {
        auto n = static_cast<std::int64_t>(obj.as_list().size());
        std::int64_t i = key.as_int() < 0 ? key.as_int() + n : key.as_int();
        if (i >= 0 && i < n) return obj.as_list()[static_cast<std::size_t>(i)];
        return value::undefined(elem_message(obj, key));
      }
      break;
    case value::kind::string:
      if (int_like(key)) {
        auto bounds = text::boundaries(obj.as_string());
        auto n = static_cast<std::int64_t>(bounds.size()) - 1;
        std::int64_t i = key.as_int() < 0 ? key.as_int() + n : key.as_int();
        if (i >= 0 && i < n) {
          auto at = static_cast<std::size_t>(i);
          return value::from_string(obj.as_string().substr(bounds[at], bounds[at + 1] - bounds[at]));
        }
        return value::undefined(elem_message(obj, key));
      }
      break;
    case value::kind::object:
      if (key.is_string()) return obj.as_object().attribute(key.as_string());
      break;
    default: break;
  }
  if (key.is_string() && has_method(obj, key.as_string())) return bind_method(obj, key.as_string());
  return value::undefined(elem_message(obj, key));
}

namespace {

// Python's PySlice_AdjustIndices: resolves a slice over n elements into start/stop/step.
void slice_indices(std::int64_t n, const value& start, const value& stop, const value& step, std::int64_t& s0,
                   std::int64_t& s1, std::int64_t& st) {
  auto part = [](const value& v, const char* what) -> std::optional<std::int64_t> {
    if (v.is_none()) return std::nullopt;
    if (!int_like(v)) throw eval_error(std::string("slice ") + what + " must be an integer or None");
    return v.as_int();
  };
  auto step_v = part(step, "step");
  st = step_v.value_or(1);
  if (st == 0) throw eval_error("slice step cannot be zero");
  auto clamp = [&](std::optional<std::int64_t> v, std::int64_t dflt) {
    if (!v) return dflt;
    std::int64_t i = *v;
    if (i < 0) {
      i += n;
      if (i < 0) i = st < 0 ? -1 : 0;
    } else if (i >= n) {
      i = st < 0 ? n - 1 : n;
    }
    return i;
  };
  s0 = clamp(part(start, "start"), st < 0 ? n - 1 : 0);
  s1 = clamp(part(stop, "stop"), st < 0 ? -1 : n);
}

}  // namespace

value slice(const value& obj, const value& start, const value& stop, const value& step) {
  if (obj.is_undefined()) throw eval_error(obj.undefined_message());
  std::int64_t s0, s1, st;
  if (obj.is_list()) {
    const auto& items = obj.as_list();
    slice_indices(static_cast<std::int64_t>(items.size()), start, stop, step, s0, s1, st);
    list_t out;
    for (std::int64_t i = s0; st > 0 ? i < s1 : i > s1; i += st) out.push_back(items[static_cast<std::size_t>(i)]);
    return value::from_list(std::move(out));
  }
  if (obj.is_string()) {
    const auto& s = obj.as_string();
    auto bounds = text::boundaries(s);
    slice_indices(static_cast<std::int64_t>(bounds.size()) - 1, start, stop, step, s0, s1, st);
    std::string out;
    for (std::int64_t i = s0; st > 0 ? i < s1 : i > s1; i += st) {
      auto at = static_cast<std::size_t>(i);
      out.append(s, bounds[at], bounds[at + 1] - bounds[at]);
    }
    return value::from_string(std::move(out));
  }
  throw eval_error("'" + std::string(obj.type_name()) + "' object is not subscriptable");
}

value attribute_path(const value& obj, std::string_view path, bool chainable) {
  value cur = obj;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = path.find('.', start);
    std::string_view part = path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    bool digits = !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
    value key = digits ? value::integer(std::stoll(std::string(part))) : value::from_string(std::string(part));
    cur = get_item(cur, key, chainable);
    if (dot == std::string_view::npos) return cur;
    start = dot + 1;
  }
}

}  // namespace hf::tmpl
