// Sequence filters: length/count, first, last, join, list, items, dictsort, sort, unique, reverse,
// min, max, sum, batch, attr, map, select/reject, selectattr/rejectattr. Where Jinja2 returns a
// generator (map, select, unique, ...) these return a list, which prints and iterates the same way
// once passed through |list or |join.
#include <algorithm>

#include "template/args.hpp"
#include "template/evaluator.hpp"
#include "template/filters.hpp"
#include "template/filters_impl.hpp"
#include "template/methods.hpp"
#include "template/operators.hpp"
#include "template/tests.hpp"
#include "template/text.hpp"

namespace hf::tmpl {
namespace {

value lowered(const value& v) { return v.is_string() ? value::from_string(text::lower(v.as_string())) : v; }

// Jinja2's make_attrgetter / make_multi_attrgetter, with optional case folding.
struct key_getter {
  std::vector<std::string> paths;  // empty: the item itself
  bool fold_case = false;
  bool chainable = false;

  value operator()(const value& item) const {
    if (paths.empty()) return fold_case ? lowered(item) : item;
    if (paths.size() == 1) {
      value k = attribute_path(item, paths[0], chainable);
      return fold_case ? lowered(k) : k;
    }
    list_t keys;
    for (const auto& p : paths) {
      value k = attribute_path(item, p, chainable);
      keys.push_back(fold_case ? lowered(k) : k);
    }
    return value::from_list(std::move(keys));
  }
};

key_getter make_getter(evaluator& ev, const value& attribute, bool fold_case, bool multi) {
  key_getter g;
  g.fold_case = fold_case;
  g.chainable = ev.chainable_undefined();
  if (attribute.is_none() || attribute.is_undefined()) return g;
  if (attribute.is_int()) {
    g.paths.push_back(std::to_string(attribute.as_int()));
    return g;
  }
  std::string attr = to_str(attribute);
  if (!multi) {
    g.paths.push_back(attr);
    return g;
  }
  for (const auto& part : text::split(attr, std::string(","), -1)) g.paths.push_back(text::strip(part));
  return g;
}

value f_length(evaluator&, value v, call_args args) {
  bound_args("length", std::move(args), {});
  return value::integer(static_cast<std::int64_t>(length(v)));
}

value f_first(evaluator&, value v, call_args args) {
  bound_args("first", std::move(args), {});
  list_t items = iterate(v);
  return items.empty() ? value::undefined("No first item, sequence was empty.") : items.front();
}

value f_last(evaluator&, value v, call_args args) {
  bound_args("last", std::move(args), {});
  list_t items = iterate(v);
  return items.empty() ? value::undefined("No last item, sequence was empty.") : items.back();
}

value f_join(evaluator& ev, value v, call_args args) {
  bound_args a("join", std::move(args), {"d", "attribute"});
  std::string sep = a.has(0) ? to_str(a[0]) : "";
  key_getter get = make_getter(ev, a[1], false, false);
  std::string out;
  bool first = true;
  for (const auto& item : iterate(v)) {
    if (!first) out += sep;
    first = false;
    append_str(out, get(item));
  }
  return value::from_string(std::move(out));
}

value f_list(evaluator&, value v, call_args args) {
  bound_args("list", std::move(args), {});
  return value::from_list(iterate(v));
}

value f_items(evaluator&, value v, call_args args) {
  bound_args("items", std::move(args), {});
  if (v.is_undefined()) return value::from_list(list_t{});
  if (!v.is_dict()) throw eval_error("Can only get item pairs from a mapping.");
  list_t out;
  for (const auto& [k, item] : v.as_dict()) out.push_back(value::from_list(list_t{value::from_string(k), item}));
  return value::from_list(std::move(out));
}

// Python's sorted(items, key=key, reverse=reverse): stable in both directions.
list_t sorted_by(list_t items, const key_getter& key, bool reverse) {
  std::vector<std::pair<value, std::size_t>> keyed;
  keyed.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) keyed.emplace_back(key(items[i]), i);
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    return reverse ? compare(y.first, x.first) < 0 : compare(x.first, y.first) < 0;
  });
  list_t out;
  out.reserve(items.size());
  for (const auto& [k, i] : keyed) out.push_back(std::move(items[i]));
  return out;
}

value f_dictsort(evaluator&, value v, call_args args) {
  bound_args a("dictsort", std::move(args), {"case_sensitive", "by", "reverse"});
  if (!v.is_dict()) throw eval_error("dictsort() requires a mapping, not " + std::string(v.type_name()));
  std::string by = a.string_or(1, "key");
  if (by != "key" && by != "value") throw eval_error("You can only sort by either \"key\" or \"value\"");
  key_getter key;
  key.paths.push_back(by == "key" ? "0" : "1");
  key.fold_case = !a.bool_or(0, false);
  list_t pairs;
  for (const auto& [k, item] : v.as_dict()) pairs.push_back(value::from_list(list_t{value::from_string(k), item}));
  return value::from_list(sorted_by(std::move(pairs), key, a.bool_or(2, false)));
}

value f_sort(evaluator& ev, value v, call_args args) {
  bound_args a("sort", std::move(args), {"reverse", "case_sensitive", "attribute"});
  key_getter key = make_getter(ev, a[2], !a.bool_or(1, false), /*multi=*/true);
  return value::from_list(sorted_by(iterate(v), key, a.bool_or(0, false)));
}

value f_unique(evaluator& ev, value v, call_args args) {
  bound_args a("unique", std::move(args), {"case_sensitive", "attribute"});
  key_getter key = make_getter(ev, a[1], !a.bool_or(0, false), false);
  list_t out, seen;
  for (auto& item : iterate(v)) {
    value k = key(item);
    if (std::any_of(seen.begin(), seen.end(), [&](const value& s) { return equals(s, k); })) continue;
    seen.push_back(std::move(k));
    out.push_back(std::move(item));
  }
  return value::from_list(std::move(out));
}

value f_reverse(evaluator&, value v, call_args args) {
  bound_args("reverse", std::move(args), {});
  if (v.is_string()) return slice(v, value::none(), value::none(), value::integer(-1));
  list_t items = iterate(v);
  std::reverse(items.begin(), items.end());
  return value::from_list(std::move(items));
}

value min_or_max(evaluator& ev, value v, call_args args, bool want_max) {
  bound_args a(want_max ? "max" : "min", std::move(args), {"case_sensitive", "attribute"});
  list_t items = iterate(v);
  if (items.empty()) return value::undefined("No aggregated item, sequence was empty.");
  key_getter key = make_getter(ev, a[1], !a.bool_or(0, false), false);
  std::size_t best = 0;
  value best_key = key(items[0]);
  for (std::size_t i = 1; i < items.size(); ++i) {
    value k = key(items[i]);
    int c = compare(k, best_key);
    if (want_max ? c > 0 : c < 0) {
      best = i;
      best_key = std::move(k);
    }
  }
  return items[best];
}
value f_min(evaluator& ev, value v, call_args args) { return min_or_max(ev, std::move(v), std::move(args), false); }
value f_max(evaluator& ev, value v, call_args args) { return min_or_max(ev, std::move(v), std::move(args), true); }

value f_sum(evaluator& ev, value v, call_args args) {
  bound_args a("sum", std::move(args), {"attribute", "start"});
  key_getter key = make_getter(ev, a[0], false, false);
  value total = a.has(1) ? a[1] : value::integer(0);
  for (const auto& item : iterate(v)) total = binary(binary_op::add, total, key(item));
  return total;
}

value f_batch(evaluator&, value v, call_args args) {
  bound_args a("batch", std::move(args), {"linecount", "fill_with"});
  auto n = a.int_or(0, 0);
  if (n <= 0) throw eval_error("batch() linecount must be positive");
  list_t out, cur;
  for (auto& item : iterate(v)) {
    cur.push_back(std::move(item));
    if (static_cast<std::int64_t>(cur.size()) == n) {
      out.push_back(value::from_list(std::move(cur)));
      cur.clear();
    }
  }
  if (!cur.empty()) {
    if (a.has(1) && !a[1].is_none())
      while (static_cast<std::int64_t>(cur.size()) < n) cur.push_back(a[1]);
    out.push_back(value::from_list(std::move(cur)));
  }
  return value::from_list(std::move(out));
}

value f_attr(evaluator&, value v, call_args args) {
  bound_args a("attr", std::move(args), {"name"});
  std::string name = to_str(a[0]);
  // Unlike obj.name, |attr never falls back to item lookup.
  if (v.is_object()) return v.as_object().attribute(name);
  if (has_method(v, name)) return bind_method(v, name);
  return value::undefined("'" + std::string(v.type_name()) + " object' has no attribute '" + name + "'");
}

value f_map(evaluator& ev, value v, call_args args) {
  list_t items = iterate(v);
  list_t out;
  out.reserve(items.size());
  if (args.positional.empty()) {
    value attribute, fallback = value::none();
    bool have_attribute = false;
    for (auto& [k, x] : args.named) {
      if (k == "attribute") {
        attribute = std::move(x);
        have_attribute = true;
      } else if (k == "default") {
        fallback = std::move(x);
      } else {
        throw eval_error("Unexpected keyword argument '" + k + "'");
      }
    }
    if (!have_attribute) throw eval_error("map requires a filter argument");
    key_getter key = make_getter(ev, attribute, false, false);
    for (const auto& item : items) {
      value r = key(item);
      out.push_back(r.is_undefined() && !fallback.is_none() ? fallback : std::move(r));
    }
    return value::from_list(std::move(out));
  }
  if (!args.positional[0].is_string()) throw eval_error("map() filter name must be a string");
  std::string name = args.positional[0].as_string();
  args.positional.erase(args.positional.begin());
  for (auto& item : items) out.push_back(apply_filter(ev, name, std::move(item), args));
  return value::from_list(std::move(out));
}

// select/reject/selectattr/rejectattr: keep items whose (attribute) passes the test (or is truthy).
value select_impl(evaluator& ev, value v, call_args args, bool by_attribute, bool keep_matching) {
  key_getter key;
  key.chainable = ev.chainable_undefined();
  std::size_t next = 0;
  if (by_attribute) {
    if (args.positional.empty()) throw eval_error("Missing parameter for attribute name");
    key = make_getter(ev, args.positional[0], false, false);
    next = 1;
  }
  std::optional<std::string> test;
  if (args.positional.size() > next) {
    if (!args.positional[next].is_string()) throw eval_error("test name must be a string");
    test = args.positional[next].as_string();
    ++next;
  }
  call_args test_args;
  test_args.positional.assign(args.positional.begin() + static_cast<std::ptrdiff_t>(std::min(next, args.positional.size())),
                              args.positional.end());
  test_args.named = std::move(args.named);
  list_t out;
  for (auto& item : iterate(v)) {
    value k = key(item);
    bool pass = test ? apply_test(ev, *test, k, test_args) : k.truthy();
    if (pass == keep_matching) out.push_back(std::move(item));
  }
  return value::from_list(std::move(out));
}
value f_select(evaluator& ev, value v, call_args a) { return select_impl(ev, std::move(v), std::move(a), false, true); }
value f_reject(evaluator& ev, value v, call_args a) { return select_impl(ev, std::move(v), std::move(a), false, false); }
value f_selectattr(evaluator& ev, value v, call_args a) { return select_impl(ev, std::move(v), std::move(a), true, true); }
value f_rejectattr(evaluator& ev, value v, call_args a) { return select_impl(ev, std::move(v), std::move(a), true, false); }

}  // namespace

void add_sequence_filters(filter_table& t) {
  t.emplace("length", f_length);
  t.emplace("count", f_length);
  t.emplace("first", f_first);
  t.emplace("last", f_last);
  t.emplace("join", f_join);
  t.emplace("list", f_list);
  t.emplace("items", f_items);
  t.emplace("dictsort", f_dictsort);
  t.emplace("sort", f_sort);
  t.emplace("unique", f_unique);
  t.emplace("reverse", f_reverse);
  t.emplace("min", f_min);
  t.emplace("max", f_max);
  t.emplace("sum", f_sum);
  t.emplace("batch", f_batch);
  t.emplace("attr", f_attr);
  t.emplace("map", f_map);
  t.emplace("select", f_select);
  t.emplace("reject", f_reject);
  t.emplace("selectattr", f_selectattr);
  t.emplace("rejectattr", f_rejectattr);
}

}  // namespace hf::tmpl
