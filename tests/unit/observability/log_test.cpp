#include "observability/log.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "observability/access_log.hpp"

namespace hf::obs {
namespace {

using namespace std::chrono;

// 1700000000 s after the epoch is 2023-11-14T22:13:20Z.
const system_clock::time_point k_time = system_clock::time_point(milliseconds(1700000000123));

// Captures global log output for one test and restores the previous configuration.
class captured_log {
 public:
  explicit captured_log(log_level level, log_format format = log_format::text)
      : saved_(logging_config()) {
    configure_logging({level, format, &out_});
  }
  ~captured_log() { configure_logging(saved_); }
  std::vector<std::string> lines() const {
    std::vector<std::string> r;
    std::istringstream in(out_.str());
    for (std::string l; std::getline(in, l);) r.push_back(l);
    return r;
  }

 private:
  log_config saved_;
  std::ostringstream out_;
};

TEST(Log, TimestampIsIso8601UtcWithMilliseconds) {
  EXPECT_EQ(format_timestamp(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(k_time), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(format_timestamp(k_time + microseconds(999)), "2023-11-14T22:13:20.123Z");
}

TEST(Log, TextRecordHasTimestampLevelLoggerMessageAndFields) {
  const std::string id = "org/model";
  const std::string line = format_record({k_time,
                                          log_level::info,
                                          "serving",
                                          "model loaded",
                                          {{"model", id}, {"ms", 123}, {"ok", true}}},
                                         log_format::text);
  EXPECT_EQ(line,
            "2023-11-14T22:13:20.123Z INFO  serving: model loaded model=org/model ms=123 ok=true");
}

TEST(Log, TextQuotesValuesThatWouldBeAmbiguous) {
  const std::string line =
      format_record({k_time,
                     log_level::warn,
                     "x",
                     "m",
                     {{"a", "two words"}, {"b", ""}, {"c", "k=v"}, {"d", "q\"\n"}}},
                    log_format::text);
  EXPECT_EQ(line, R"(2023-11-14T22:13:20.123Z WARN  x: m a="two words" b="" c="k=v" d="q\"\n")");
}

TEST(Log, TextMessageStaysOnOneLine) {
  const std::string line =
      format_record({k_time, log_level::error, "x", "bad\nthing", {}}, log_format::text);
  EXPECT_EQ(line, "2023-11-14T22:13:20.123Z ERROR x: bad\\nthing");
}

TEST(Log, JsonRecordCarriesTheSameFields) {
  const std::string line = format_record(
      {k_time, log_level::debug, "engine", "step", {{"tokens", 7u}, {"rate", 1.5}, {"neg", -3}}},
      log_format::json);
  EXPECT_EQ(
      line,
      R"({"ts":"2023-11-14T22:13:20.123Z","level":"debug","logger":"engine","msg":"step","tokens":7,"rate":1.5,"neg":-3})");
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["tokens"], 7);
}

TEST(Log, JsonEscapesAndRepairsInvalidUtf8) {
  const std::string bad =
      std::string("a\"b\\c\x01") + "\xff" + "\xc3\xa9";  // \xff invalid, é valid
  const std::string line =
      format_record({k_time, log_level::info, "x", bad, {{"v", bad}}}, log_format::json);
  const auto j = nlohmann::json::parse(line);  // throws if the line is not valid JSON/UTF-8
  const std::string expected = "a\"b\\c\x01\xEF\xBF\xBD\xc3\xa9";
  EXPECT_EQ(j["msg"], expected);
  EXPECT_EQ(j["v"], expected);
}

TEST(Log, JsonRenamesFieldsThatClashWithRecordKeys) {
  const auto j = nlohmann::json::parse(format_record(
      {k_time, log_level::info, "x", "m", {{"msg", "other"}, {"level", 1}}}, log_format::json));
  EXPECT_EQ(j["msg"], "m");
  EXPECT_EQ(j["_msg"], "other");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["_level"], 1);
}

TEST(Log, NonFiniteNumbers) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(format_record({k_time, log_level::info, "x", "m", {{"v", inf}}}, log_format::text),
            "2023-11-14T22:13:20.123Z INFO  x: m v=inf");
  EXPECT_EQ(nlohmann::json::parse(format_record({k_time, log_level::info, "x", "m", {{"v", inf}}},
                                                log_format::json))["v"],
            nullptr);
}

TEST(Log, ParsesLevelsAndFormats) {
  EXPECT_EQ(parse_log_level("INFO"), log_level::info);
  EXPECT_EQ(parse_log_level("warning"), log_level::warn);
  EXPECT_EQ(parse_log_level("critical"), log_level::error);
  EXPECT_EQ(parse_log_level("trace"), log_level::trace);
  EXPECT_FALSE(parse_log_level("loud"));
  EXPECT_EQ(parse_log_format("JSON"), log_format::json);
  EXPECT_FALSE(parse_log_format("xml"));
  EXPECT_EQ(log_level_name(log_level::warn), "warn");
}

TEST(Log, RecordsBelowTheLevelAreDropped) {
  captured_log cap(log_level::warn);
  auto log = get_logger("t");
  EXPECT_FALSE(logger::enabled(log_level::info));
  log.info("hidden");
  log.debug("hidden");
  log.warn("shown", {{"n", 1}});
  log.error("also shown");
  const auto lines = cap.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(" WARN  t: shown n=1"), std::string::npos);
  EXPECT_NE(lines[1].find(" ERROR t: also shown"), std::string::npos);
}

TEST(Log, OffSilencesEverything) {
  captured_log cap(log_level::off);
  get_logger("t").error("nothing");
  EXPECT_TRUE(cap.lines().empty());
}

TEST(Log, ConcurrentWritersNeverInterleaveLines) {
  captured_log cap(log_level::info, log_format::json);
  constexpr int k_threads = 4, k_each = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([t] {
      auto log = get_logger("w" + std::to_string(t));
      for (int i = 0; i < k_each; ++i) log.info("tick", {{"i", i}, {"pad", std::string(100, 'x')}});
    });
  for (auto& th : threads) th.join();
  const auto lines = cap.lines();
  ASSERT_EQ(lines.size(), size_t{k_threads * k_each});
  for (const auto& l : lines) EXPECT_EQ(nlohmann::json::parse(l)["msg"], "tick");
}

TEST(AccessLog, WritesOneInfoLineWithRequestFields) {
  captured_log cap(log_level::info, log_format::json);
  access_log("abc123", "POST", "/v1/chat/completions", 200, 512, microseconds(4250));
  const auto lines = cap.lines();
  ASSERT_EQ(lines.size(), 1u);
  const auto j = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(j["logger"], "access");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["request_id"], "abc123");
  EXPECT_EQ(j["method"], "POST");
  EXPECT_EQ(j["path"], "/v1/chat/completions");
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["bytes"], 512);
  EXPECT_DOUBLE_EQ(j["duration_ms"].get<double>(), 4.25);
}

TEST(AccessLog, SkippedWhenInfoIsDisabled) {
  captured_log cap(log_level::warn);
  access_log("id", "GET", "/", 200, 0, milliseconds(1));
  EXPECT_TRUE(cap.lines().empty());
}

TEST(RequestId, FreshIdsAreUniqueHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const auto id = new_request_id();
    ASSERT_EQ(id.size(), 16u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(RequestId, ClientIdsAreCheckedBeforeUse) {
  EXPECT_EQ(valid_request_id("req-1.a_b:c"), "req-1.a_b:c");
  EXPECT_FALSE(valid_request_id(""));
  EXPECT_FALSE(valid_request_id("has space"));
  EXPECT_FALSE(valid_request_id("new\nline"));
  EXPECT_FALSE(valid_request_id(std::string(129, 'a')));
  EXPECT_TRUE(valid_request_id(std::string(128, 'a')));
}

}  // namespace
}  // namespace hf::obs
