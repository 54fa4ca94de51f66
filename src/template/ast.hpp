// The syntax tree the parser builds and the evaluator walks. Nodes are immutable after parsing and
// owned by the parsed template, so one tree serves any number of concurrent renders. Every node
// carries the 1-based line/column used in error messages.
//   const auto& out = static_cast<const output_stmt&>(stmt); ev.eval(*out.expression);
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "template/value.hpp"

namespace hf::tmpl {

struct node {
  int line = 0;
  int column = 0;
};

// ---- expressions ----

enum class expr_kind : std::uint8_t {
  literal, name, list, dict, getattr, getitem, slice, unary, binary, compare, cond, call, filter, test
};

struct expr : node {
  explicit expr(expr_kind k) : kind(k) {}
  virtual ~expr() = default;
  expr_kind kind;
};
using expr_ptr = std::unique_ptr<expr>;

struct call_args_expr {
  std::vector<expr_ptr> positional;
  std::vector<std::pair<std::string, expr_ptr>> named;
};

struct literal_expr : expr {
  literal_expr() : expr(expr_kind::literal) {}
  value v;
};
struct name_expr : expr {
  name_expr() : expr(expr_kind::name) {}
  std::string name;
};
struct list_expr : expr {  // list and tuple literals
  list_expr() : expr(expr_kind::list) {}
  std::vector<expr_ptr> items;
};
struct dict_expr : expr {
  dict_expr() : expr(expr_kind::dict) {}
  std::vector<std::pair<expr_ptr, expr_ptr>> items;
};
struct getattr_expr : expr {  // obj.name
  getattr_expr() : expr(expr_kind::getattr) {}
  expr_ptr object;
  std::string name;
};
struct getitem_expr : expr {  // obj[key]
  getitem_expr() : expr(expr_kind::getitem) {}
  expr_ptr object;
  expr_ptr key;
};
struct slice_expr : expr {  // obj[start:stop:step]; absent parts are null
  slice_expr() : expr(expr_kind::slice) {}
  expr_ptr object, start, stop, step;
};

enum class unary_op : std::uint8_t { not_, neg, pos };
struct unary_expr : expr {
  unary_expr() : expr(expr_kind::unary) {}
  unary_op op = unary_op::not_;
  expr_ptr operand;
};

enum class binary_op : std::uint8_t { add, sub, mul, div, floordiv, mod, pow, concat, and_, or_ };
struct binary_expr : expr {
  binary_expr() : expr(expr_kind::binary) {}
  binary_op op = binary_op::add;
  expr_ptr left, right;
};

// a < b <= c chains like Python.
enum class compare_op : std::uint8_t { eq, ne, lt, le, gt, ge, in, not_in };
struct compare_expr : expr {
  compare_expr() : expr(expr_kind::compare) {}
  expr_ptr first;
  std::vector<std::pair<compare_op, expr_ptr>> rest;
};

struct cond_expr : expr {  // then if test else otherwise; a missing else yields undefined
  cond_expr() : expr(expr_kind::cond) {}
  expr_ptr test, then, otherwise;
};

struct call_expr : expr {
  call_expr() : expr(expr_kind::call) {}
  expr_ptr callee;
  call_args_expr args;
};

struct filter_call : node {
  std::string name;
  call_args_expr args;
};
struct filter_expr : expr {  // operand | name(args)
  filter_expr() : expr(expr_kind::filter) {}
  expr_ptr operand;
  filter_call filter;
};
struct test_expr : expr {  // operand is [not] name(args)
  test_expr() : expr(expr_kind::test) {}
  expr_ptr operand;
  std::string name;
  call_args_expr args;
  bool negated = false;
};

// ---- statements ----

enum class stmt_kind : std::uint8_t {
  text, output, if_, for_, set, set_block, macro, call_block, filter_block, with, break_, continue_
};

struct stmt : node {
  explicit stmt(stmt_kind k) : kind(k) {}
  virtual ~stmt() = default;
  stmt_kind kind;
};
using stmt_ptr = std::unique_ptr<stmt>;
using stmt_list = std::vector<stmt_ptr>;

// What `set` and `for` assign to: a name, `ns.attr`, or a (nested) tuple of targets.
struct target : node {
  std::string name;
  std::string attribute;  // non-empty for ns.attr
  std::vector<target> items;
  bool is_tuple = false;
};

struct text_stmt : stmt {
  text_stmt() : stmt(stmt_kind::text) {}
  std::string text;
};
struct output_stmt : stmt {
  output_stmt() : stmt(stmt_kind::output) {}
  expr_ptr expression;
};
struct if_stmt : stmt {
  if_stmt() : stmt(stmt_kind::if_) {}
  std::vector<std::pair<expr_ptr, stmt_list>> branches;  // if, then each elif
  stmt_list otherwise;
};
struct for_stmt : stmt {
  for_stmt() : stmt(stmt_kind::for_) {}
  target var;
  expr_ptr iterable;
  expr_ptr condition;  // `for x in y if cond`, may be null
  stmt_list body;
  stmt_list otherwise;  // runs when no item passed
};
struct set_stmt : stmt {
  set_stmt() : stmt(stmt_kind::set) {}
  target var;
  expr_ptr expression;
};
struct set_block_stmt : stmt {
  set_block_stmt() : stmt(stmt_kind::set_block) {}
  target var;
  std::vector<filter_call> filters;
  stmt_list body;
};
struct macro_param {
  std::string name;
  expr_ptr default_value;  // null when required
};
struct macro_stmt : stmt {
  macro_stmt() : stmt(stmt_kind::macro) {}
  std::string name;
  std::vector<macro_param> params;
  stmt_list body;
};
struct call_block_stmt : stmt {  // {% call(params) macro(args) %}body{% endcall %}
  call_block_stmt() : stmt(stmt_kind::call_block) {}
  std::vector<macro_param> caller_params;
  expr_ptr call;
  stmt_list body;
};
struct filter_block_stmt : stmt {
  filter_block_stmt() : stmt(stmt_kind::filter_block) {}
  std::vector<filter_call> filters;
  stmt_list body;
};
struct with_stmt : stmt {
  with_stmt() : stmt(stmt_kind::with) {}
  std::vector<std::pair<target, expr_ptr>> assignments;
  stmt_list body;
};
struct loop_control_stmt : stmt {  // break / continue
  explicit loop_control_stmt(stmt_kind k) : stmt(k) {}
};

}  // namespace hf::tmpl
