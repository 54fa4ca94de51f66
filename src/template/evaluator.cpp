#include "template/evaluator.hpp"

#include <limits>

#include "template/error.hpp"
#include "template/filters.hpp"
#include "template/globals.hpp"
#include "template/objects.hpp"

namespace hf::tmpl {
namespace {

constexpr std::size_t no_parent = std::numeric_limits<std::size_t>::max();
constexpr int max_call_depth = 100;  // macro recursion; keeps the C++ stack small (worker threads)

class macro_function final : public function {
 public:
  explicit macro_function(const macro_stmt& m) : m_(m) {}
  std::string_view name() const override { return m_.name; }
  value call(evaluator& ev, call_args args) const override { return ev.invoke_macro(m_, std::move(args)); }

 private:
  const macro_stmt& m_;
};

// `caller` inside a macro invoked by {% call %}: renders the call block's body, resolving names
// from the scope around the call block.
class caller_function final : public function {
 public:
  caller_function(const call_block_stmt& block, std::size_t parent) : block_(block), parent_(parent) {}
  std::string_view name() const override { return "caller"; }
  value call(evaluator& ev, call_args args) const override {
    return ev.invoke_caller(block_, parent_, std::move(args));
  }

 private:
  const call_block_stmt& block_;
  std::size_t parent_;
};

}  // namespace

// Pops the scope pushed by push_scope when leaving a block, also on exceptions.
class evaluator::scope_guard {
 public:
  scope_guard(evaluator& ev, std::size_t parent) : ev_(ev) { ev_.push_scope(parent); }
  ~scope_guard() { ev_.scopes_.pop_back(); }
  scope_guard(const scope_guard&) = delete;
  scope_guard& operator=(const scope_guard&) = delete;

 private:
  evaluator& ev_;
};

evaluator::evaluator(const options& opts, dict_t context) : opts_(opts), context_(std::move(context)) {
  scopes_.push_back(scope{{}, no_parent});
}

std::time_t evaluator::now() const { return opts_.clock ? opts_.clock() : std::time(nullptr); }

void evaluator::render(const stmt_list& body, std::string& out) { exec_list(body, out); }

std::size_t evaluator::push_scope(std::size_t parent) {
  scopes_.push_back(scope{{}, parent});
  return scopes_.size() - 1;
}

value evaluator::lookup(std::string_view name) const {
  for (std::size_t i = scopes_.size() - 1; i != no_parent; i = scopes_[i].parent) {
    for (const auto& [k, v] : scopes_[i].vars)
      if (k == name) return v;
  }
  if (const value* v = context_.find(name)) return *v;
  return global_value(name);
}

void evaluator::set_var(std::string_view name, value v) {
  auto& vars = scopes_.back().vars;
  for (auto& [k, existing] : vars) {
    if (k == name) {
      existing = std::move(v);
      return;
    }
  }
  vars.emplace_back(std::string(name), std::move(v));
}

void evaluator::assign(const target& t, value v) {
  if (!t.attribute.empty()) {
    value ns = lookup(t.name);
    if (!ns.is_object() || !ns.as_object().set_attribute(t.attribute, std::move(v)))
      throw template_error("cannot assign attribute on non-namespace object", t.line, t.column);
    return;
  }
  if (!t.is_tuple) {
    set_var(t.name, std::move(v));
    return;
  }
  list_t items;
  try {
    items = iterate(v);
  } catch (const eval_error& e) {
    throw template_error(std::string("cannot unpack: ") + e.what(), t.line, t.column);
  }
  if (items.size() != t.items.size()) {
    std::string msg = items.size() > t.items.size()
                          ? "too many values to unpack (expected " + std::to_string(t.items.size()) + ")"
                          : "not enough values to unpack (expected " + std::to_string(t.items.size()) +
                                ", got " + std::to_string(items.size()) + ")";
    throw template_error(msg, t.line, t.column);
  }
  for (std::size_t i = 0; i < items.size(); ++i) assign(t.items[i], std::move(items[i]));
}

evaluator::flow evaluator::exec_list(const stmt_list& body, std::string& out) {
  for (const auto& s : body) {
    flow f = exec(*s, out);
    if (f != flow::normal) return f;
  }
  return flow::normal;
}

std::string evaluator::render_body(const stmt_list& body) {
  std::string out;
  exec_list(body, out);
  return out;
}

value evaluator::apply_filters(const std::vector<filter_call>& filters, value v) {
  for (const auto& f : filters) {
    try {
      v = apply_filter(*this, f.name, std::move(v), eval_args(f.args));
    } catch (const eval_error& e) {
      throw template_error(e.what(), f.line, f.column);
    }
  }
  return v;
}

evaluator::flow evaluator::exec(const stmt& s, std::string& out) {
  switch (s.kind) {
    case stmt_kind::text: out += static_cast<const text_stmt&>(s).text; return flow::normal;
    case stmt_kind::output: append_str(out, eval(*static_cast<const output_stmt&>(s).expression)); return flow::normal;
    case stmt_kind::if_: {
      const auto& node = static_cast<const if_stmt&>(s);
      for (const auto& [test, body] : node.branches)
        if (eval(*test).truthy()) return exec_list(body, out);
      return exec_list(node.otherwise, out);
    }
    case stmt_kind::for_: return exec_for(static_cast<const for_stmt&>(s), out);
    case stmt_kind::set: {
      const auto& node = static_cast<const set_stmt&>(s);
      assign(node.var, eval(*node.expression));
      return flow::normal;
    }
    case stmt_kind::set_block: {
      const auto& node = static_cast<const set_block_stmt&>(s);
      assign(node.var, apply_filters(node.filters, value::from_string(render_body(node.body))));
      return flow::normal;
    }
    case stmt_kind::macro: {
      const auto& node = static_cast<const macro_stmt&>(s);
      set_var(node.name, value::from_function(std::make_shared<const macro_function>(node)));
      return flow::normal;
    }
    case stmt_kind::call_block: exec_call_block(static_cast<const call_block_stmt&>(s), out); return flow::normal;
    case stmt_kind::filter_block: {
      const auto& node = static_cast<const filter_block_stmt&>(s);
      append_str(out, apply_filters(node.filters, value::from_string(render_body(node.body))));
      return flow::normal;
    }
    case stmt_kind::with: {
      const auto& node = static_cast<const with_stmt&>(s);
      std::vector<value> values;
      for (const auto& a : node.assignments) values.push_back(eval(*a.second));
      scope_guard guard(*this, scopes_.size() - 1);
      for (std::size_t i = 0; i < values.size(); ++i) assign(node.assignments[i].first, std::move(values[i]));
      return exec_list(node.body, out);
    }
    case stmt_kind::break_: return flow::break_;
    case stmt_kind::continue_: return flow::continue_;
  }
  return flow::normal;
}

evaluator::flow evaluator::exec_for(const for_stmt& s, std::string& out) {
  value iterable = eval(*s.iterable);
  list_t all;
  try {
    all = iterate(iterable);
  } catch (const eval_error& e) {
    throw template_error(e.what(), s.iterable->line, s.iterable->column);
  }
  auto items = std::make_shared<list_t>();
  if (s.condition) {
    for (auto& item : all) {
      scope_guard guard(*this, scopes_.size() - 1);
      assign(s.var, item);
      if (eval(*s.condition).truthy()) items->push_back(std::move(item));
    }
  } else {
    *items = std::move(all);
  }
  if (items->empty()) return exec_list(s.otherwise, out);
  // loop.depth counts recursive-loop levels, so it is 1 for every (non-recursive) loop.
  auto loop = std::make_shared<loop_object>(items, 1);
  value loop_value = value::from_object(loop);
  for (std::size_t i = 0; i < items->size(); ++i) {
    scope_guard guard(*this, scopes_.size() - 1);
    loop->set_index(i);
    assign(s.var, (*items)[i]);
    set_var("loop", loop_value);
    if (exec_list(s.body, out) == flow::break_) break;
  }
  return flow::normal;
}

void evaluator::exec_call_block(const call_block_stmt& s, std::string& out) {
  const auto& c = static_cast<const call_expr&>(*s.call);
  value callee = eval(*c.callee);
  call_args args = eval_args(c.args);
  args.named.emplace_back("caller", value::from_function(std::make_shared<const caller_function>(s, scopes_.size() - 1)));
  try {
    append_str(out, call(callee, std::move(args)));
  } catch (const eval_error& e) {
    throw template_error(e.what(), s.line, s.column);
  }
}

void evaluator::enter_call(const std::string& callee) {
  if (++call_depth_ > max_call_depth) {
    --call_depth_;
    throw eval_error("maximum recursion depth exceeded calling '" + callee + "'");
  }
}

void evaluator::bind_params(const std::vector<macro_param>& params, call_args args, const std::string& callee) {
  dict_t kwargs;
  list_t varargs;
  std::vector<bool> given(params.size(), false);
  std::vector<value> values(params.size());
  for (std::size_t i = 0; i < args.positional.size(); ++i) {
    if (i < params.size()) {
      values[i] = std::move(args.positional[i]);
      given[i] = true;
    } else {
      varargs.push_back(std::move(args.positional[i]));
    }
  }
  for (auto& [name, v] : args.named) {
    if (name == "caller") {
      set_var("caller", std::move(v));
      continue;
    }
    std::size_t i = 0;
    while (i < params.size() && params[i].name != name) ++i;
    if (i == params.size()) {
      kwargs.set(name, std::move(v));
      continue;
    }
    if (given[i]) throw eval_error("macro '" + callee + "' got multiple values for argument '" + name + "'");
    values[i] = std::move(v);
    given[i] = true;
  }
  // Defaults are evaluated in the macro's scope, so they may refer to earlier parameters.
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (!given[i]) {
      values[i] = params[i].default_value ? eval(*params[i].default_value)
                                          : value::undefined("parameter '" + params[i].name + "' was not provided");
    }
    set_var(params[i].name, std::move(values[i]));
  }
  set_var("varargs", value::from_list(std::move(varargs)));
  set_var("kwargs", value::from_dict(std::move(kwargs)));
}

value evaluator::invoke_macro(const macro_stmt& m, call_args args) {
  enter_call(m.name);
  struct depth_restore {
    int& d;
    ~depth_restore() { --d; }
  } restore{call_depth_};
  // Macros see their parameters and the template's top-level names, not the caller's locals.
  scope_guard guard(*this, 0);
  bind_params(m.params, std::move(args), m.name);
  return value::from_string(render_body(m.body));
}

value evaluator::invoke_caller(const call_block_stmt& block, std::size_t parent_scope, call_args args) {
  enter_call("caller");
  struct depth_restore {
    int& d;
    ~depth_restore() { --d; }
  } restore{call_depth_};
  scope_guard guard(*this, parent_scope < scopes_.size() ? parent_scope : 0);
  bind_params(block.caller_params, std::move(args), "caller");
  return value::from_string(render_body(block.body));
}

}  // namespace hf::tmpl
