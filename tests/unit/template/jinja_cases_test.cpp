// Every case of data/jinja_cases.json: snippets per feature whose expected output (or error) was
// produced by real Jinja2 with HF's chat-template environment (see data/gen_jinja_cases.py).
#include <gtest/gtest.h>

#include "template/template.hpp"
#include "test_util.hpp"

namespace hf::tmpl {
namespace {

using nlohmann::ordered_json;

std::vector<ordered_json> load_cases() {
  auto doc = ordered_json::parse(testing::read_file(testing::template_data_dir() + "/data/jinja_cases.json"));
  return doc.at("cases").get<std::vector<ordered_json>>();
}

class jinja_case : public ::testing::TestWithParam<ordered_json> {};

options case_options(const ordered_json& c) {
  options o = testing::hf_options();
  if (c.contains("options")) {
    const auto& j = c["options"];
    o.trim_blocks = j.value("trim_blocks", o.trim_blocks);
    o.lstrip_blocks = j.value("lstrip_blocks", o.lstrip_blocks);
    o.keep_trailing_newline = j.value("keep_trailing_newline", o.keep_trailing_newline);
  }
  return o;
}

TEST_P(jinja_case, renders_like_jinja2) {
  const ordered_json& c = GetParam();
  const std::string source = c.at("template").get<std::string>();
  SCOPED_TRACE("template: " + source);
  if (c.contains("expected")) {
    auto t = template_::parse(source, case_options(c));
    EXPECT_EQ(t.render(c.at("context")), c.at("expected").get<std::string>());
  } else if (c.contains("raises")) {
    auto t = template_::parse(source, case_options(c));
    try {
      t.render(c.at("context"));
      FAIL() << "expected raise_exception";
    } catch (const template_raised& e) {
      EXPECT_EQ(e.message(), c.at("raises").get<std::string>());
    }
  } else {
    // Jinja2 reports some of these at parse time and some while rendering; either is fine as long
    // as it is a template_error and not a raise_exception.
    const bool syntax = c.at("error") == "syntax";
    try {
      auto t = template_::parse(source, case_options(c));
      if (syntax) ADD_FAILURE() << "expected a parse error like: " << c.value("jinja2_message", "");
      t.render(c.at("context"));
      FAIL() << "expected an error like: " << c.value("jinja2_message", "");
    } catch (const template_raised& e) {
      FAIL() << "unexpected raise_exception: " << e.what();
    } catch (const template_error& e) {
      EXPECT_FALSE(e.message().empty());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(jinja2, jinja_case, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<ordered_json>& param_info) {
                           return param_info.param.at("feature").get<std::string>() + "_" +
                                  param_info.param.at("name").get<std::string>();
                         });

}  // namespace
}  // namespace hf::tmpl
