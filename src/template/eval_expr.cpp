// Expression half of the evaluator. Failures inside an expression surface as eval_error and are
// turned into template_error at the innermost expression, so messages point at the exact spot.
#include "template/error.hpp"
#include "template/evaluator.hpp"
#include "template/filters.hpp"
#include "template/methods.hpp"
#include "template/operators.hpp"
#include "template/tests.hpp"

namespace hf::tmpl {

value evaluator::eval(const expr& e) {
  try {
    return eval_inner(e);
  } catch (const eval_error& err) {
    throw template_error(err.what(), e.line, e.column);
  }
}

call_args evaluator::eval_args(const call_args_expr& args) {
  call_args out;
  out.positional.reserve(args.positional.size());
  for (const auto& a : args.positional) out.positional.push_back(eval(*a));
  for (const auto& [name, a] : args.named) out.named.emplace_back(name, eval(*a));
  return out;
}

value evaluator::call(const value& callee, call_args args) {
  if (callee.is_function()) return callee.as_function().call(*this, std::move(args));
  if (callee.is_undefined()) throw eval_error(callee.undefined_message());
  throw eval_error("'" + std::string(callee.type_name()) + "' object is not callable");
}

value evaluator::eval_call(const call_expr& c) {
  if (c.callee->kind == expr_kind::getattr) {
    // obj.method(...): call the method directly instead of materialising a bound method.
    const auto& ga = static_cast<const getattr_expr&>(*c.callee);
    value obj = eval(*ga.object);
    if (has_method(obj, ga.name)) return call_method(*this, obj, ga.name, eval_args(c.args));
    value f = get_attribute(obj, ga.name, chainable_undefined());
    return call(f, eval_args(c.args));
  }
  value f = eval(*c.callee);
  return call(f, eval_args(c.args));
}

value evaluator::eval_compare(const compare_expr& c) {
  value left = eval(*c.first);
  for (const auto& [op, e] : c.rest) {
    value right = eval(*e);
    bool ok = false;
    switch (op) {
      case compare_op::eq: ok = equals(left, right); break;
      case compare_op::ne: ok = !equals(left, right); break;
      case compare_op::lt: ok = compare(left, right) < 0; break;
      case compare_op::le: ok = compare(left, right) <= 0; break;
      case compare_op::gt: ok = compare(left, right) > 0; break;
      case compare_op::ge: ok = compare(left, right) >= 0; break;
      case compare_op::in: ok = contains(right, left); break;
      case compare_op::not_in: ok = !contains(right, left); break;
    }
    if (!ok) return value::boolean(false);
    left = std::move(right);
  }
  return value::boolean(true);
}

value evaluator::eval_inner(const expr& e) {
  switch (e.kind) {
    case expr_kind::literal: return static_cast<const literal_expr&>(e).v;
    case expr_kind::name: return lookup(static_cast<const name_expr&>(e).name);
    case expr_kind::list: {
      list_t items;
      for (const auto& item : static_cast<const list_expr&>(e).items) items.push_back(eval(*item));
      return value::from_list(std::move(items));
    }
    case expr_kind::dict: {
      dict_t d;
      for (const auto& [k, v] : static_cast<const dict_expr&>(e).items) {
        value key = eval(*k);
        if (!key.is_string()) throw eval_error("dict keys must be strings, not " + std::string(key.type_name()));
        d.set(key.as_string(), eval(*v));
      }
      return value::from_dict(std::move(d));
    }
    case expr_kind::getattr: {
      const auto& g = static_cast<const getattr_expr&>(e);
      return get_attribute(eval(*g.object), g.name, chainable_undefined());
    }
    case expr_kind::getitem: {
      const auto& g = static_cast<const getitem_expr&>(e);
      value obj = eval(*g.object);
      return get_item(obj, eval(*g.key), chainable_undefined());
    }
    case expr_kind::slice: {
      const auto& s = static_cast<const slice_expr&>(e);
      value obj = eval(*s.object);
      auto part = [&](const expr_ptr& p) { return p ? eval(*p) : value::none(); };
      value start = part(s.start), stop = part(s.stop), step = part(s.step);
      if (obj.is_undefined() && chainable_undefined()) return obj;
      return slice(obj, start, stop, step);
    }
    case expr_kind::unary: {
      const auto& u = static_cast<const unary_expr&>(e);
      value v = eval(*u.operand);
      if (u.op == unary_op::not_) return value::boolean(!v.truthy());
      return u.op == unary_op::neg ? negate(v) : unary_plus(v);
    }
    case expr_kind::binary: {
      const auto& b = static_cast<const binary_expr&>(e);
      value left = eval(*b.left);
      // `and`/`or` return one of their operands, like Python.
      if (b.op == binary_op::and_) return left.truthy() ? eval(*b.right) : left;
      if (b.op == binary_op::or_) return left.truthy() ? left : eval(*b.right);
      return binary(b.op, left, eval(*b.right));
    }
    case expr_kind::compare: return eval_compare(static_cast<const compare_expr&>(e));
    case expr_kind::cond: {
      const auto& c = static_cast<const cond_expr&>(e);
      if (eval(*c.test).truthy()) return eval(*c.then);
      if (c.otherwise) return eval(*c.otherwise);
      return value::undefined("the inline if-expression on line " + std::to_string(e.line) +
                              " evaluated to false and no else section was defined.");
    }
    case expr_kind::call: return eval_call(static_cast<const call_expr&>(e));
    case expr_kind::filter: {
      const auto& f = static_cast<const filter_expr&>(e);
      value input = eval(*f.operand);
      return apply_filter(*this, f.filter.name, std::move(input), eval_args(f.filter.args));
    }
    case expr_kind::test: {
      const auto& t = static_cast<const test_expr&>(e);
      value input = eval(*t.operand);
      bool r = apply_test(*this, t.name, input, eval_args(t.args));
      return value::boolean(t.negated ? !r : r);
    }
  }
  throw eval_error("internal error: unknown expression");
}

}  // namespace hf::tmpl
