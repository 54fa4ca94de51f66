#include "template/template.hpp"

#include "template/ast.hpp"
#include "template/evaluator.hpp"
#include "template/json_bridge.hpp"
#include "template/lexer.hpp"
#include "template/parser.hpp"

namespace hf::tmpl {

struct template_::impl {
  options opts;
  stmt_list body;
};

template_ template_::parse(std::string_view source, options opts) {
  auto p = std::make_shared<impl>();
  p->opts = std::move(opts);
  p->body = parser(tokenize(source, p->opts)).parse_template();
  return template_(std::move(p));
}

const options& template_::opts() const { return impl_->opts; }

namespace {

template <class Json>
dict_t context_of(const Json& context) {
  if (context.is_null()) return {};
  if (!context.is_object()) throw template_error("the render context must be a JSON object", 0, 0);
  try {
    value v = from_json(context);
    return v.as_dict();
  } catch (const eval_error& e) {
    throw template_error(e.what(), 0, 0);
  }
}

}  // namespace

std::string template_::render(const nlohmann::json& context) const {
  evaluator ev(impl_->opts, context_of(context));
  std::string out;
  ev.render(impl_->body, out);
  return out;
}

std::string template_::render_ordered(const nlohmann::ordered_json& context) const {
  evaluator ev(impl_->opts, context_of(context));
  std::string out;
  ev.render(impl_->body, out);
  return out;
}

}  // namespace hf::tmpl
