// Expression half of the parser: Jinja2's precedence climbing, lowest first:
// conditional, or, and, not, comparisons, + -, ~, * / // %, **, unary - +, then primaries with
// postfix .attr [item] (call) and |filter / is test.
#include <algorithm>

#include "template/error.hpp"
#include "template/filters.hpp"
#include "template/parser.hpp"
#include "template/tests.hpp"

namespace hf::tmpl {
namespace {

constexpr int max_expr_depth = 128;  // about 64 levels of parentheses

template <class T>
std::unique_ptr<T> make_at(const token& t) {
  auto n = std::make_unique<T>();
  n->line = t.line;
  n->column = t.column;
  return n;
}

template <class T>
std::unique_ptr<T> make_at(const expr& e) {
  auto n = std::make_unique<T>();
  n->line = e.line;
  n->column = e.column;
  return n;
}

expr_ptr make_binary(binary_op op, expr_ptr left, expr_ptr right, const token& at) {
  auto n = make_at<binary_expr>(at);
  n->op = op;
  n->left = std::move(left);
  n->right = std::move(right);
  return n;
}

}  // namespace

expr_ptr parser::parse_tuple(bool with_condexpr, bool explicit_parens,
                             std::initializer_list<std::string_view> extra_end_names) {
  const token& start = cur();
  std::vector<expr_ptr> items;
  bool is_tuple = false;
  auto at_end = [&] {
    const token& t = cur();
    if (t.kind == token_kind::var_end || t.kind == token_kind::block_end || at_op(")")) return true;
    return t.kind == token_kind::name &&
           std::find(extra_end_names.begin(), extra_end_names.end(), t.text) != extra_end_names.end();
  };
  while (true) {
    if (!items.empty()) expect_op(",");
    if (at_end()) break;
    items.push_back(parse_expression(with_condexpr));
    if (at_op(",")) is_tuple = true;
    else break;
  }
  if (!is_tuple) {
    if (!items.empty()) return std::move(items[0]);
    if (!explicit_parens) fail("expected an expression, got " + describe(cur()), cur());
  }
  auto n = make_at<list_expr>(start);
  n->items = std::move(items);
  return n;
}

expr_ptr parser::parse_expression(bool with_condexpr) {
  if (++depth_ > max_expr_depth) fail("expression nested too deeply", cur());
  expr_ptr e = with_condexpr ? parse_condexpr() : parse_or();
  --depth_;
  return e;
}

expr_ptr parser::parse_condexpr() {
  expr_ptr e = parse_or();
  while (at_name("if")) {
    auto n = make_at<cond_expr>(advance());
    n->then = std::move(e);
    n->test = parse_or();
    if (skip_name("else")) n->otherwise = parse_condexpr();
    e = std::move(n);
  }
  return e;
}

expr_ptr parser::parse_or() {
  expr_ptr left = parse_and();
  while (at_name("or")) {
    const token& t = advance();
    left = make_binary(binary_op::or_, std::move(left), parse_and(), t);
  }
  return left;
}

expr_ptr parser::parse_and() {
  expr_ptr left = parse_not();
  while (at_name("and")) {
    const token& t = advance();
    left = make_binary(binary_op::and_, std::move(left), parse_not(), t);
  }
  return left;
}

expr_ptr parser::parse_not() {
  if (at_name("not")) {
    auto n = make_at<unary_expr>(advance());
    n->op = unary_op::not_;
    if (++depth_ > max_expr_depth) fail("expression nested too deeply", cur());
    n->operand = parse_not();
    --depth_;
    return n;
  }
  return parse_compare();
}

expr_ptr parser::parse_compare() {
  expr_ptr first = parse_math1();
  std::vector<std::pair<compare_op, expr_ptr>> rest;
  while (true) {
    compare_op op;
    if (cur().kind == token_kind::op && (cur().text == "==" || cur().text == "!=" || cur().text == "<" ||
                                         cur().text == "<=" || cur().text == ">" || cur().text == ">=")) {
      const std::string& s = cur().text;
      op = s == "==" ? compare_op::eq
         : s == "!=" ? compare_op::ne
         : s == "<"  ? compare_op::lt
         : s == "<=" ? compare_op::le
         : s == ">"  ? compare_op::gt
                     : compare_op::ge;
      advance();
    } else if (at_name("in")) {
      advance();
      op = compare_op::in;
    } else if (at_name("not") && look().kind == token_kind::name && look().text == "in") {
      advance();
      advance();
      op = compare_op::not_in;
    } else {
      break;
    }
    rest.emplace_back(op, parse_math1());
  }
  if (rest.empty()) return first;
  auto n = make_at<compare_expr>(*first);
  n->first = std::move(first);
  n->rest = std::move(rest);
  return n;
}

expr_ptr parser::parse_math1() {
  expr_ptr left = parse_concat();
  while (at_op("+") || at_op("-")) {
    const token& t = advance();
    left = make_binary(t.text == "+" ? binary_op::add : binary_op::sub, std::move(left), parse_concat(), t);
  }
  return left;
}

expr_ptr parser::parse_concat() {
  expr_ptr left = parse_math2();
  while (at_op("~")) {
    const token& t = advance();
    left = make_binary(binary_op::concat, std::move(left), parse_math2(), t);
  }
  return left;
}

expr_ptr parser::parse_math2() {
  expr_ptr left = parse_pow();
  while (at_op("*") || at_op("/") || at_op("//") || at_op("%")) {
    const token& t = advance();
    binary_op op = t.text == "*"    ? binary_op::mul
                 : t.text == "/"    ? binary_op::div
                 : t.text == "//"   ? binary_op::floordiv
                                    : binary_op::mod;
    left = make_binary(op, std::move(left), parse_pow(), t);
  }
  return left;
}

expr_ptr parser::parse_pow() {
  // Jinja2's ** is left-associative: 2 ** 3 ** 2 == 64.
  expr_ptr left = parse_unary(true);
  while (at_op("**")) {
    const token& t = advance();
    left = make_binary(binary_op::pow, std::move(left), parse_unary(true), t);
  }
  return left;
}

expr_ptr parser::parse_unary(bool with_filter) {
  if (++depth_ > max_expr_depth) fail("expression nested too deeply", cur());
  expr_ptr node;
  if (at_op("-") || at_op("+")) {
    auto n = make_at<unary_expr>(cur());
    n->op = advance().text == "-" ? unary_op::neg : unary_op::pos;
    n->operand = parse_unary(false);
    node = std::move(n);
  } else {
    node = parse_primary();
  }
  node = parse_postfix(std::move(node));
  if (with_filter) node = parse_filter_expr(std::move(node));
  --depth_;
  return node;
}

expr_ptr parser::parse_primary() {
  const token& t = cur();
  switch (t.kind) {
    case token_kind::name: {
      advance();
      if (t.text == "true" || t.text == "True" || t.text == "false" || t.text == "False") {
        auto n = make_at<literal_expr>(t);
        n->v = value::boolean(t.text == "true" || t.text == "True");
        return n;
      }
      if (t.text == "none" || t.text == "None") {
        auto n = make_at<literal_expr>(t);
        n->v = value::none();
        return n;
      }
      auto n = make_at<name_expr>(t);
      n->name = t.text;
      return n;
    }
    case token_kind::string: {
      auto n = make_at<literal_expr>(t);
      std::string s = advance().text;
      while (cur().kind == token_kind::string) s += advance().text;  // adjacent literals join
      n->v = value::from_string(std::move(s));
      return n;
    }
    case token_kind::integer: {
      auto n = make_at<literal_expr>(t);
      n->v = value::integer(advance().int_value);
      return n;
    }
    case token_kind::floating: {
      auto n = make_at<literal_expr>(t);
      n->v = value::floating(advance().float_value);
      return n;
    }
    case token_kind::op:
      if (t.text == "(") {
        advance();
        expr_ptr e = parse_tuple(true, /*explicit_parens=*/true);
        expect_op(")");
        return e;
      }
      if (t.text == "[") return parse_list();
      if (t.text == "{") return parse_dict();
      break;
    default: break;
  }
  fail("unexpected " + describe(t), t);
}

expr_ptr parser::parse_list() {
  auto n = make_at<list_expr>(advance());
  while (!at_op("]")) {
    if (!n->items.empty()) expect_op(",");
    if (at_op("]")) break;
    n->items.push_back(parse_expression());
  }
  expect_op("]");
  return n;
}

expr_ptr parser::parse_dict() {
  auto n = make_at<dict_expr>(advance());
  while (!at_op("}")) {
    if (!n->items.empty()) expect_op(",");
    if (at_op("}")) break;
    expr_ptr key = parse_expression();
    expect_op(":");
    n->items.emplace_back(std::move(key), parse_expression());
  }
  expect_op("}");
  return n;
}

expr_ptr parser::parse_postfix(expr_ptr node) {
  while (true) {
    if (at_op(".") || at_op("[")) node = parse_subscript(std::move(node));
    else if (at_op("(")) node = parse_call(std::move(node));
    else return node;
  }
}

expr_ptr parser::parse_filter_expr(expr_ptr node) {
  while (true) {
    if (at_op("|")) {
      advance();
      auto n = make_at<filter_expr>(cur());
      n->filter = parse_filter_call();
      n->operand = std::move(node);
      node = std::move(n);
    } else if (at_name("is")) {
      node = parse_test(std::move(node));
    } else if (at_op("(")) {
      node = parse_call(std::move(node));
    } else {
      return node;
    }
  }
}

expr_ptr parser::parse_subscript(expr_ptr node) {
  const token& t = advance();
  if (t.text == ".") {
    const token& attr = advance();
    if (attr.kind == token_kind::name) {
      auto n = make_at<getattr_expr>(t);
      n->object = std::move(node);
      n->name = attr.text;
      return n;
    }
    if (attr.kind != token_kind::integer) fail("expected name or number after '.'", attr);
    auto n = make_at<getitem_expr>(t);
    n->object = std::move(node);
    auto key = make_at<literal_expr>(attr);
    key->v = value::integer(attr.int_value);
    n->key = std::move(key);
    return n;
  }
  expr_ptr sub = parse_subscribed();
  if (at_op(",")) fail("tuple subscripts are not supported", cur());
  expect_op("]");
  if (sub->kind == expr_kind::slice) {
    static_cast<slice_expr&>(*sub).object = std::move(node);
    return sub;
  }
  auto n = make_at<getitem_expr>(t);
  n->object = std::move(node);
  n->key = std::move(sub);
  return n;
}

expr_ptr parser::parse_subscribed() {
  const token& start = cur();
  expr_ptr first;
  if (!at_op(":")) {
    first = parse_expression();
    if (!at_op(":")) return first;
  }
  auto n = make_at<slice_expr>(start);
  n->start = std::move(first);
  advance();  // the first colon
  if (!at_op(":") && !at_op("]") && !at_op(",")) n->stop = parse_expression();
  if (skip_op(":")) {
    if (!at_op("]") && !at_op(",")) n->step = parse_expression();
  }
  return n;
}

expr_ptr parser::parse_call(expr_ptr callee) {
  auto n = make_at<call_expr>(cur());
  n->callee = std::move(callee);
  n->args = parse_call_args();
  return n;
}

call_args_expr parser::parse_call_args() {
  call_args_expr args;
  const token& open = cur();
  expect_op("(");
  bool need_comma = false;
  while (!at_op(")")) {
    if (need_comma) {
      expect_op(",");
      if (at_op(")")) break;
    }
    if (at_op("*") || at_op("**")) fail("*args and **kwargs in calls are not supported", cur());
    if (cur().kind == token_kind::name && look().kind == token_kind::op && look().text == "=") {
      std::string key = advance().text;
      advance();
      args.named.emplace_back(std::move(key), parse_expression());
    } else {
      if (!args.named.empty()) fail("positional argument follows keyword argument", open);
      args.positional.push_back(parse_expression());
    }
    need_comma = true;
  }
  expect_op(")");
  return args;
}

filter_call parser::parse_filter_call() {
  filter_call f;
  const token& t = expect_name();
  f.line = t.line;
  f.column = t.column;
  f.name = t.text;
  while (at_op(".")) {
    advance();
    f.name += "." + expect_name().text;
  }
  // Like Jinja2, an unknown filter is a template error at parse time, not when first used.
  if (!filter_exists(f.name)) fail("no filter named '" + f.name + "'", t);
  if (at_op("(")) f.args = parse_call_args();
  return f;
}

expr_ptr parser::parse_test(expr_ptr node) {
  auto n = make_at<test_expr>(advance());  // 'is'
  if (skip_name("not")) n->negated = true;
  const token& name_token = expect_name();
  n->name = name_token.text;
  while (at_op(".")) {
    advance();
    n->name += "." + expect_name().text;
  }
  if (!test_exists(n->name)) fail("no test named '" + n->name + "'", name_token);
  const token& t = cur();
  bool arg_start = t.kind == token_kind::name || t.kind == token_kind::string || t.kind == token_kind::integer ||
                   t.kind == token_kind::floating || at_op("[") || at_op("{");
  if (at_op("(")) {
    n->args = parse_call_args();
  } else if (arg_start && !at_name("else") && !at_name("or") && !at_name("and")) {
    if (at_name("is")) fail("you cannot chain multiple tests with is", t);
    // `x is divisibleby 3`: one argument without parentheses.
    n->args.positional.push_back(parse_postfix(parse_primary()));
  }
  n->operand = std::move(node);
  return n;
}

}  // namespace hf::tmpl
