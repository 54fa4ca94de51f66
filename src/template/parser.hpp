// Builds the syntax tree from tokens with Jinja2's grammar: statements (if/for/set/macro/call/
// filter/with/break/continue, plus HF's {% generation %}) and expressions with Jinja2's operator
// precedence (filters and tests bind tighter than arithmetic). Internal to the template layer.
//   stmt_list body = parser(tokenize(src, opts)).parse_template();
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "template/ast.hpp"
#include "template/lexer.hpp"

namespace hf::tmpl {

class parser {
 public:
  explicit parser(std::vector<token> tokens) : tokens_(std::move(tokens)) {}
  // Throws template_error with the line/column of the offending token.
  stmt_list parse_template();

 private:
  // token stream
  const token& cur() const { return tokens_[pos_]; }
  const token& look(std::size_t ahead = 1) const;
  const token& advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  bool at_op(std::string_view op) const { return cur().kind == token_kind::op && cur().text == op; }
  bool at_name(std::string_view name) const { return cur().kind == token_kind::name && cur().text == name; }
  bool skip_op(std::string_view op);
  bool skip_name(std::string_view name);
  void expect_op(std::string_view op);
  const token& expect_name();
  void expect_kind(token_kind kind, std::string_view what);
  [[noreturn]] void fail(const std::string& message, const token& at) const;
  static std::string describe(const token& t);

  // statements (parser.cpp)
  stmt_list subparse(std::initializer_list<std::string_view> end_tags);
  stmt_list parse_statements(std::initializer_list<std::string_view> end_tags, bool drop_needle);
  stmt_ptr parse_statement();
  stmt_ptr parse_if();
  stmt_ptr parse_for();
  stmt_ptr parse_set();
  stmt_ptr parse_macro();
  stmt_ptr parse_call_block();
  stmt_ptr parse_filter_block();
  stmt_ptr parse_with(bool generation);
  stmt_ptr parse_loop_control();
  std::vector<macro_param> parse_signature();
  target parse_assign_target(bool with_tuple, bool with_namespace,
                             std::initializer_list<std::string_view> extra_end_names);
  target to_target(const expr& e) const;

  // expressions (parser_expr.cpp)
  expr_ptr parse_tuple(bool with_condexpr, bool explicit_parens,
                       std::initializer_list<std::string_view> extra_end_names = {});
  expr_ptr parse_expression(bool with_condexpr = true);
  expr_ptr parse_condexpr();
  expr_ptr parse_or();
  expr_ptr parse_and();
  expr_ptr parse_not();
  expr_ptr parse_compare();
  expr_ptr parse_math1();
  expr_ptr parse_concat();
  expr_ptr parse_math2();
  expr_ptr parse_pow();
  expr_ptr parse_unary(bool with_filter);
  expr_ptr parse_primary();
  expr_ptr parse_list();
  expr_ptr parse_dict();
  expr_ptr parse_postfix(expr_ptr node);
  expr_ptr parse_filter_expr(expr_ptr node);
  expr_ptr parse_subscript(expr_ptr node);
  expr_ptr parse_subscribed();
  expr_ptr parse_call(expr_ptr callee);
  call_args_expr parse_call_args();
  filter_call parse_filter_call();
  expr_ptr parse_test(expr_ptr node);

  std::vector<token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;       // expression nesting, bounded so hostile templates cannot overflow the stack
  int loop_depth_ = 0;  // for break/continue checks
  int block_depth_ = 0;
};

}  // namespace hf::tmpl
