// The public API: errors carry line/column, raise_exception maps to template_raised, options,
// JSON context handling, and one parsed template rendered concurrently.
#include "template/template.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "test_util.hpp"

namespace hf::tmpl {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using testing::hf_options;
using testing::hf_render;

template_error parse_error(std::string_view source) {
  try {
    template_::parse(source, hf_options());
  } catch (const template_error& e) {
    return e;
  }
  ADD_FAILURE() << "no parse error for: " << source;
  return template_error("none", 0, 0);
}

template_error render_error(std::string_view source, const ordered_json& ctx = ordered_json::object()) {
  auto t = template_::parse(source, hf_options());
  try {
    t.render(ctx);
  } catch (const template_raised&) {
    ADD_FAILURE() << "raise_exception instead of an error";
  } catch (const template_error& e) {
    return e;
  }
  ADD_FAILURE() << "no render error for: " << source;
  return template_error("none", 0, 0);
}

TEST(template_api, parse_errors_have_line_and_column) {
  auto e = parse_error("Hello\n{% if x %}\n  {{ 1 + }}\n{% endif %}");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 10);
  EXPECT_NE(std::string(e.what()).find("template:3:10:"), std::string::npos) << e.what();

  e = parse_error("line one\n{% for x in y %}\nbody");
  EXPECT_EQ(e.line(), 3);
  EXPECT_NE(e.message().find("endfor"), std::string::npos) << e.message();

  e = parse_error("ab {{ 'unterminated }}");
  EXPECT_EQ(e.line(), 1);
  EXPECT_EQ(e.column(), 7);

  e = parse_error("{{ x | nosuchfilter }}");
  EXPECT_EQ(e.message(), "no filter named 'nosuchfilter'");
  EXPECT_EQ(e.column(), 8);

  e = parse_error("\n\n  {% endif %}");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.message(), "unexpected tag 'endif'");
}

TEST(template_api, render_errors_point_at_the_expression) {
  auto e = render_error("line1\n  {{ 1 / 0 }}");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.message(), "division by zero");

  e = render_error("{% for m in messages %}\n{{ m.content.text.upper() }}{% endfor %}",
                   {{"messages", {{{"content", "x"}}}}});
  EXPECT_EQ(e.line(), 2);

  e = render_error("{{ foo.bar }}");
  EXPECT_EQ(e.message(), "'foo' is undefined");
}

TEST(template_api, raise_exception_is_template_raised) {
  auto t = template_::parse("{{ raise_exception('Roles must alternate: ' ~ n) }}", hf_options());
  try {
    t.render(json{{"n", 3}});
    FAIL() << "no exception";
  } catch (const template_raised& e) {
    EXPECT_EQ(e.message(), "Roles must alternate: 3");
    EXPECT_STREQ(e.what(), "Roles must alternate: 3");
  }
  // It is also a template_error, so one catch handles every template failure.
  EXPECT_THROW(t.render(json{{"n", 1}}), template_error);
}

TEST(template_api, chainable_undefined_option) {
  options opts = hf_options();
  EXPECT_THROW(template_::parse("{{ a.b.c }}", opts).render(json::object()), template_error);
  opts.chainable_undefined = true;
  EXPECT_EQ(template_::parse("[{{ a.b.c }}][{{ a['x'][0] }}]", opts).render(json::object()), "[][]");
}

TEST(template_api, ordered_json_keeps_key_order) {
  const char* src = "{{ d|tojson }} {% for k in d %}{{ k }}{% endfor %}";
  auto t = template_::parse(src, hf_options());
  ordered_json ordered = {{"d", ordered_json::parse(R"({"zeta": 1, "alpha": 2})")}};
  EXPECT_EQ(t.render(ordered), R"({"zeta": 1, "alpha": 2} zetaalpha)");
  // nlohmann::json stores objects sorted by key, so that order is what the template sees.
  json sorted = {{"d", json::parse(R"({"zeta": 1, "alpha": 2})")}};
  EXPECT_EQ(t.render(sorted), R"({"alpha": 2, "zeta": 1} alphazeta)");
}

TEST(template_api, braced_context_picks_the_json_overload) {
  auto t = template_::parse("{{ greeting }}, {{ names|join(' & ') }}", hf_options());
  EXPECT_EQ(t.render({{"greeting", "Hi"}, {"names", {"Ann", "Bo"}}}), "Hi, Ann & Bo");
}

TEST(template_api, context_values_convert_like_python_json) {
  ordered_json ctx = ordered_json::parse(R"({"i": 3, "f": 3.0, "big": 18446744073709551615,
    "n": null, "b": false, "s": "é", "l": [1, "x"], "o": {"k": [true]}})");
  EXPECT_EQ(hf_render("{{ i }} {{ f }} {{ big }} {{ n }} {{ b }} {{ s }} {{ l }} {{ o }}", ctx),
            "3 3.0 1.8446744073709552e+19 None False é [1, 'x'] {'k': [True]}");
}

TEST(template_api, deeply_nested_context_is_refused) {
  ordered_json deep = 1;
  for (int i = 0; i < 300; ++i) deep = ordered_json::array({deep});
  auto t = template_::parse("{{ x|length }}", hf_options());
  EXPECT_THROW(t.render(ordered_json{{"x", deep}}), template_error);
  ordered_json ok = 1;
  for (int i = 0; i < 100; ++i) ok = ordered_json::array({ok});
  EXPECT_EQ(t.render(ordered_json{{"x", ok}}), "1");
}

TEST(template_api, repetition_is_bounded_not_a_memory_bomb) {
  EXPECT_EQ(hf_render("{{ 'ab' * 3 }}|{{ [1] * 2 }}|{{ 'x' * 0 }}|{{ '' * 722 ** 3 }}"),
            "ababab|[1, 1]||");
  // Found by fuzzing: 750 MB and seconds of rendering before the bound.
  EXPECT_THROW(hf_render("{{ 'ab' * 722 ** 3 }}"), template_error);
  EXPECT_THROW(hf_render("{{ [1, 2] * 9223372036854775807 }}"), template_error);
  EXPECT_EQ(hf_render("{{ ('a' * 16777216) | length }}"), "16777216");
}

TEST(template_api, context_must_be_an_object) {
  auto t = template_::parse("x", hf_options());
  EXPECT_THROW(t.render(json::array({1, 2})), template_error);
  EXPECT_EQ(t.render(json(nullptr)), "x");
}

TEST(template_api, strftime_now_reads_the_configured_clock) {
  options opts = hf_options();
  opts.clock = [] { return std::time_t{1721736000}; };  // 2024-07-23 12:00 UTC
  EXPECT_EQ(template_::parse("{{ strftime_now('%Y-%m-%d') }}", opts).render(json::object()), "2024-07-23");
}

TEST(template_api, whitespace_options_default_to_jinja2_defaults) {
  auto t = template_::parse("{% if true %}\n  x\n{% endif %}\n", options{});
  EXPECT_EQ(t.render(json::object()), "\n  x\n");
  EXPECT_FALSE(t.opts().trim_blocks);
}

TEST(template_api, runaway_recursion_is_an_error_not_a_crash) {
  auto e = render_error("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}");
  EXPECT_NE(e.message().find("recursion"), std::string::npos) << e.message();
  std::string deep = "{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}";
  EXPECT_THROW(template_::parse(deep, hf_options()), template_error);
  std::string deep_blocks;
  for (int i = 0; i < 1000; ++i) deep_blocks += "{% if true %}";
  EXPECT_THROW(template_::parse(deep_blocks, hf_options()), template_error);
}

TEST(template_api, parse_once_render_many_concurrently) {
  auto t = template_::parse(
      "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}"
      "<{{ m.role }}>{{ m.content|trim }}{% endfor %}#{{ ns.n }}",
      hf_options());
  auto make_ctx = [](int i) {
    ordered_json msgs = ordered_json::array();
    for (int k = 0; k <= i % 5; ++k) msgs.push_back({{"role", "user"}, {"content", " m" + std::to_string(i) + " "}});
    return ordered_json{{"messages", msgs}};
  };
  std::vector<std::string> expected;
  for (int i = 0; i < 8; ++i) expected.push_back(t.render(make_ctx(i)));
  std::vector<std::string> got(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int r = 0; r < 200; ++r) {
        std::string out = t.render(make_ctx(i));
        if (out != expected[static_cast<std::size_t>(i)]) {
          got[static_cast<std::size_t>(i)] = out;
          return;
        }
      }
      got[static_cast<std::size_t>(i)] = expected[static_cast<std::size_t>(i)];
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(got, expected);
  EXPECT_EQ(expected[2], "<user>m2<user>m2<user>m2#3");
}

}  // namespace
}  // namespace hf::tmpl
