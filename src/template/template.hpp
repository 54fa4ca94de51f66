// Chat templates: a Jinja2-compatible interpreter for the subset HF chat templates use. Parse
// once, render many times; render() is const and safe to call from several threads at once.
//   auto t = hf::tmpl::template_::parse(src, {.trim_blocks = true, .lstrip_blocks = true});
//   std::string prompt = t.render({{"messages", msgs}, {"add_generation_prompt", true}});
#pragma once
#include <concepts>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "template/error.hpp"
#include "template/options.hpp"

namespace hf::tmpl {

class template_ {
 public:
  // Throws template_error with the line/column of the first syntax error.
  static template_ parse(std::string_view source, options opts = {});

  // context is a JSON object whose members become template variables (messages, tools,
  // add_generation_prompt, bos_token, ...). Use ordered_json to keep the caller's key order where
  // the template prints JSON (tojson of tool schemas), as Python would.
  // Throws template_raised for raise_exception('msg'), template_error for other failures.
  std::string render(const nlohmann::json& context) const;
  // A template only so that render({{"k", v}, ...}) is not ambiguous and picks the one above.
  template <class Json>
    requires std::same_as<Json, nlohmann::ordered_json>
  std::string render(const Json& context) const {
    return render_ordered(context);
  }

  const options& opts() const;

 private:
  std::string render_ordered(const nlohmann::ordered_json& context) const;
  struct impl;
  explicit template_(std::shared_ptr<const impl> p) : impl_(std::move(p)) {}
  std::shared_ptr<const impl> impl_;
};

}  // namespace hf::tmpl
