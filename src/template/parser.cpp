#include "template/parser.hpp"

#include <algorithm>

#include "template/error.hpp"

namespace hf::tmpl {
namespace {

constexpr int max_block_depth = 100;

template <class T>
std::unique_ptr<T> make_at(const token& t) {
  auto n = std::make_unique<T>();
  n->line = t.line;
  n->column = t.column;
  return n;
}

bool is_end_tag(const token& t, std::initializer_list<std::string_view> tags) {
  return t.kind == token_kind::name && std::find(tags.begin(), tags.end(), t.text) != tags.end();
}

std::string list_tags(std::initializer_list<std::string_view> tags) {
  std::string out;
  for (auto t : tags) {
    if (!out.empty()) out += " or ";
    out += "'" + std::string(t) + "'";
  }
  return out;
}

}  // namespace

const token& parser::look(std::size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

bool parser::skip_op(std::string_view op) {
  if (!at_op(op)) return false;
  advance();
  return true;
}

bool parser::skip_name(std::string_view name) {
  if (!at_name(name)) return false;
  advance();
  return true;
}

void parser::expect_op(std::string_view op) {
  if (!at_op(op)) fail("expected '" + std::string(op) + "', got " + describe(cur()), cur());
  advance();
}

const token& parser::expect_name() {
  if (cur().kind != token_kind::name) fail("expected a name, got " + describe(cur()), cur());
  return advance();
}

void parser::expect_kind(token_kind kind, std::string_view what) {
  if (cur().kind != kind) fail("expected " + std::string(what) + ", got " + describe(cur()), cur());
  advance();
}

void parser::fail(const std::string& message, const token& at) const {
  throw template_error(message, at.line, at.column);
}

std::string parser::describe(const token& t) {
  switch (t.kind) {
    case token_kind::data: return "template data";
    case token_kind::var_begin: return "'{{'";
    case token_kind::var_end: return "'}}'";
    case token_kind::block_begin: return "'{%'";
    case token_kind::block_end: return "'%}'";
    case token_kind::name:
    case token_kind::integer:
    case token_kind::floating:
    case token_kind::op: return "'" + t.text + "'";
    case token_kind::string: return "string";
    case token_kind::eof: return "end of template";
  }
  return "token";
}

stmt_list parser::parse_template() {
  stmt_list body = subparse({});
  if (cur().kind != token_kind::eof) fail("unexpected " + describe(cur()), cur());
  return body;
}

stmt_list parser::subparse(std::initializer_list<std::string_view> end_tags) {
  stmt_list body;
  while (cur().kind != token_kind::eof) {
    const token& t = cur();
    if (t.kind == token_kind::data) {
      auto s = make_at<text_stmt>(t);
      s->text = t.text;
      advance();
      body.push_back(std::move(s));
    } else if (t.kind == token_kind::var_begin) {
      auto s = make_at<output_stmt>(t);
      advance();
      s->expression = parse_tuple(/*with_condexpr=*/true, /*explicit_parens=*/false);
      expect_kind(token_kind::var_end, "'}}'");
      body.push_back(std::move(s));
    } else if (t.kind == token_kind::block_begin) {
      advance();
      if (end_tags.size() != 0 && is_end_tag(cur(), end_tags)) return body;
      body.push_back(parse_statement());
      expect_kind(token_kind::block_end, "'%}'");
    } else {
      fail("unexpected " + describe(t), t);
    }
  }
  return body;
}

stmt_list parser::parse_statements(std::initializer_list<std::string_view> end_tags, bool drop_needle) {
  skip_op(":");
  expect_kind(token_kind::block_end, "'%}'");
  const token start = cur();
  stmt_list body = subparse(end_tags);
  if (cur().kind == token_kind::eof)
    fail("unexpected end of template, expected " + list_tags(end_tags), start);
  if (drop_needle) advance();
  return body;
}

stmt_ptr parser::parse_statement() {
  const token& t = cur();
  if (t.kind != token_kind::name) fail("tag name expected", t);
  if (++block_depth_ > max_block_depth) fail("blocks nested too deeply", t);
  struct depth_guard {
    int& d;
    ~depth_guard() { --d; }
  } guard{block_depth_};
  const std::string& n = t.text;
  if (n == "if") return parse_if();
  if (n == "for") return parse_for();
  if (n == "set") return parse_set();
  if (n == "macro") return parse_macro();
  if (n == "call") return parse_call_block();
  if (n == "filter") return parse_filter_block();
  if (n == "with") return parse_with(false);
  if (n == "generation") return parse_with(true);  // HF's AssistantTracker: renders its body
  if (n == "break" || n == "continue") return parse_loop_control();
  if (n.rfind("end", 0) == 0 || n == "elif" || n == "else")
    fail("unexpected tag '" + n + "'", t);
  fail("unknown tag '" + n + "'", t);
}

stmt_ptr parser::parse_if() {
  auto node = make_at<if_stmt>(advance());
  while (true) {
    expr_ptr test = parse_tuple(/*with_condexpr=*/false, false);
    stmt_list body = parse_statements({"elif", "else", "endif"}, false);
    node->branches.emplace_back(std::move(test), std::move(body));
    const token& t = advance();
    if (t.text == "elif") continue;
    if (t.text == "else") node->otherwise = parse_statements({"endif"}, true);
    break;
  }
  return node;
}

stmt_ptr parser::parse_for() {
  auto node = make_at<for_stmt>(advance());
  node->var = parse_assign_target(/*with_tuple=*/true, /*with_namespace=*/false, {"in"});
  if (!skip_name("in")) fail("expected 'in', got " + describe(cur()), cur());
  node->iterable = parse_tuple(/*with_condexpr=*/false, false, {"recursive"});
  if (skip_name("if")) node->condition = parse_expression();
  if (at_name("recursive")) fail("recursive for loops are not supported", cur());
  ++loop_depth_;
  node->body = parse_statements({"endfor", "else"}, false);
  --loop_depth_;
  if (advance().text == "else") node->otherwise = parse_statements({"endfor"}, true);
  return node;
}

stmt_ptr parser::parse_set() {
  const token& start = advance();
  target var = parse_assign_target(/*with_tuple=*/true, /*with_namespace=*/true, {});
  if (skip_op("=")) {
    auto node = make_at<set_stmt>(start);
    node->var = std::move(var);
    node->expression = parse_tuple(true, false);
    return node;
  }
  auto node = make_at<set_block_stmt>(start);
  if (var.is_tuple) fail("a block set needs a single name", start);
  node->var = std::move(var);
  while (skip_op("|")) node->filters.push_back(parse_filter_call());
  node->body = parse_statements({"endset"}, true);
  return node;
}

std::vector<macro_param> parser::parse_signature() {
  std::vector<macro_param> params;
  expect_op("(");
  while (!at_op(")")) {
    if (!params.empty()) expect_op(",");
    macro_param p;
    p.name = expect_name().text;
    if (skip_op("=")) {
      p.default_value = parse_expression();
    } else if (!params.empty() && params.back().default_value) {
      fail("non-default argument follows default argument", cur());
    }
    params.push_back(std::move(p));
  }
  expect_op(")");
  return params;
}

stmt_ptr parser::parse_macro() {
  auto node = make_at<macro_stmt>(advance());
  node->name = expect_name().text;
  node->params = parse_signature();
  int saved_loops = loop_depth_;
  loop_depth_ = 0;  // break/continue cannot cross a macro body
  node->body = parse_statements({"endmacro"}, true);
  loop_depth_ = saved_loops;
  return node;
}

stmt_ptr parser::parse_call_block() {
  auto node = make_at<call_block_stmt>(advance());
  if (at_op("(")) node->caller_params = parse_signature();
  const token& at = cur();
  node->call = parse_expression();
  if (node->call->kind != expr_kind::call) fail("expected a call after 'call'", at);
  int saved_loops = loop_depth_;
  loop_depth_ = 0;
  node->body = parse_statements({"endcall"}, true);
  loop_depth_ = saved_loops;
  return node;
}

stmt_ptr parser::parse_filter_block() {
  auto node = make_at<filter_block_stmt>(advance());
  node->filters.push_back(parse_filter_call());
  while (skip_op("|")) node->filters.push_back(parse_filter_call());
  node->body = parse_statements({"endfilter"}, true);
  return node;
}

stmt_ptr parser::parse_with(bool generation) {
  auto node = make_at<with_stmt>(advance());
  if (generation) {
    node->body = parse_statements({"endgeneration"}, true);
    return node;
  }
  while (cur().kind != token_kind::block_end) {
    if (!node->assignments.empty()) expect_op(",");
    target var = parse_assign_target(true, false, {});
    expect_op("=");
    node->assignments.emplace_back(std::move(var), parse_expression());
  }
  node->body = parse_statements({"endwith"}, true);
  return node;
}

stmt_ptr parser::parse_loop_control() {
  const token& t = advance();
  if (loop_depth_ == 0) fail("'" + t.text + "' outside of a loop", t);
  auto node = std::make_unique<loop_control_stmt>(t.text == "break" ? stmt_kind::break_ : stmt_kind::continue_);
  node->line = t.line;
  node->column = t.column;
  return node;
}

target parser::parse_assign_target(bool with_tuple, bool with_namespace,
                                   std::initializer_list<std::string_view> extra_end_names) {
  const token& start = cur();
  if (with_namespace && start.kind == token_kind::name && look().kind == token_kind::op && look().text == ".") {
    target t;
    t.line = start.line;
    t.column = start.column;
    t.name = advance().text;
    advance();  // the dot
    t.attribute = expect_name().text;
    return t;
  }
  if (!with_tuple) {
    target t;
    t.line = start.line;
    t.column = start.column;
    t.name = expect_name().text;
    return t;
  }
  // A "simplified" tuple: primaries separated by commas, as Jinja2 parses assignment targets.
  std::vector<expr_ptr> items;
  bool is_tuple = false;
  while (true) {
    if (!items.empty()) expect_op(",");
    if (cur().kind == token_kind::block_end || at_op(")") ||
        (cur().kind == token_kind::name &&
         std::find(extra_end_names.begin(), extra_end_names.end(), cur().text) != extra_end_names.end()))
      break;
    items.push_back(parse_primary());
    if (at_op(",")) is_tuple = true;
    else break;
  }
  if (items.empty()) fail("expected an assignment target, got " + describe(cur()), cur());
  if (!is_tuple) return to_target(*items[0]);
  target t;
  t.line = start.line;
  t.column = start.column;
  t.is_tuple = true;
  for (const auto& e : items) t.items.push_back(to_target(*e));
  return t;
}

target parser::to_target(const expr& e) const {
  target t;
  t.line = e.line;
  t.column = e.column;
  if (e.kind == expr_kind::name) {
    t.name = static_cast<const name_expr&>(e).name;
    return t;
  }
  if (e.kind == expr_kind::list) {
    t.is_tuple = true;
    for (const auto& item : static_cast<const list_expr&>(e).items) t.items.push_back(to_target(*item));
    return t;
  }
  throw template_error("cannot assign to this expression", e.line, e.column);
}

}  // namespace hf::tmpl
