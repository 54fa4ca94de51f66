#include "app/config/value_parsers.hpp"

#include <gtest/gtest.h>

namespace hf::app {
namespace {

TEST(ValueParsers, ByteSizeRoundTrip) {
  EXPECT_EQ(format_byte_size(16u << 20), "16MiB");
  EXPECT_EQ(format_byte_size(500'000'000), "500MB");
  EXPECT_EQ(format_byte_size(1000), "1KB");
  EXPECT_EQ(format_byte_size(7), "7B");
  EXPECT_EQ(format_byte_size(0), "0B");
  for (std::uint64_t v : {std::uint64_t{1} << 30, std::uint64_t{3'000'000}, std::uint64_t{1536},
                          std::uint64_t{12345}})
    EXPECT_EQ(parse_byte_size(format_byte_size(v)), v) << v;
  EXPECT_THROW(parse_byte_size(""), invalid_value);
  EXPECT_THROW(parse_byte_size("GiB"), invalid_value);
  EXPECT_THROW(parse_byte_size("1e9"), invalid_value);
}

TEST(ValueParsers, DurationFormatting) {
  EXPECT_EQ(format_duration(std::chrono::seconds(600)), "600s");
  EXPECT_EQ(format_duration(std::chrono::milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_duration(std::chrono::milliseconds(250)), "250ms");
  EXPECT_THROW(parse_duration("-1"), invalid_value);
  EXPECT_THROW(parse_duration("5 days"), invalid_value);
}

TEST(ValueParsers, ListsAndPaths) {
  EXPECT_EQ(split_list(" a, b,,c ,", ','), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_list("", ':').empty());
  EXPECT_EQ(expand_home("~/m", "/home/u"), std::filesystem::path("/home/u/m"));
  EXPECT_EQ(expand_home("~", "/home/u"), std::filesystem::path("/home/u"));
  EXPECT_EQ(expand_home("~x/m", "/home/u"), std::filesystem::path("~x/m"));
  EXPECT_EQ(expand_home("~/m", ""), std::filesystem::path("~/m"));
}

TEST(ValueParsers, BoolsPortsCounts) {
  EXPECT_TRUE(parse_bool("YES"));
  EXPECT_FALSE(parse_bool("off"));
  EXPECT_EQ(parse_port("0"), 0);
  EXPECT_EQ(parse_port("65535"), 65535);
  EXPECT_THROW(parse_port("8000x"), invalid_value);
  EXPECT_THROW(parse_port(""), invalid_value);
  EXPECT_EQ(parse_count("12", 1), 12u);
  EXPECT_THROW(parse_count("1.5", 1), invalid_value);
}

}  // namespace
}  // namespace hf::app
