// Walks a parsed template and writes its output. One evaluator serves one render call: it holds
// the variable scopes (Jinja2's rules: for-loop iterations and macros get their own scope, `if`
// does not), so concurrent renders of one template never share mutable state.
//   evaluator ev(opts, std::move(context)); std::string out; ev.render(body, out);
#pragma once
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "template/ast.hpp"
#include "template/options.hpp"
#include "template/value.hpp"

namespace hf::tmpl {

class evaluator {
 public:
  evaluator(const options& opts, dict_t context);

  // Throws template_error (with the location of the failing construct) or template_raised.
  void render(const stmt_list& body, std::string& out);
  value eval(const expr& e);
  // Calls a function value (macro, builtin, bound method); undefined and non-callables throw.
  value call(const value& callee, call_args args);
  value invoke_macro(const macro_stmt& m, call_args args);
  value invoke_caller(const call_block_stmt& block, std::size_t parent_scope, call_args args);

  bool chainable_undefined() const { return opts_.chainable_undefined; }
  std::time_t now() const;

 private:
  enum class flow { normal, break_, continue_ };
  struct scope {
    std::vector<std::pair<std::string, value>> vars;
    std::size_t parent;  // where name lookup continues; npos for the root
  };
  class scope_guard;

  flow exec_list(const stmt_list& body, std::string& out);
  flow exec(const stmt& s, std::string& out);
  flow exec_for(const for_stmt& s, std::string& out);
  void exec_call_block(const call_block_stmt& s, std::string& out);
  std::string render_body(const stmt_list& body);
  value apply_filters(const std::vector<filter_call>& filters, value v);

  value eval_inner(const expr& e);
  value eval_call(const call_expr& c);
  value eval_compare(const compare_expr& c);
  call_args eval_args(const call_args_expr& args);
  void bind_params(const std::vector<macro_param>& params, call_args args, const std::string& callee);

  value lookup(std::string_view name) const;
  void set_var(std::string_view name, value v);
  void assign(const target& t, value v);
  std::size_t push_scope(std::size_t parent);
  void enter_call(const std::string& callee);

  const options& opts_;
  dict_t context_;
  std::vector<scope> scopes_;
  int call_depth_ = 0;
};

}  // namespace hf::tmpl
