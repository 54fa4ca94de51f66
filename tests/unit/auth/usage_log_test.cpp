// The usage log: rows come back as written (prompt only when given), a batch is all or nothing,
// summaries group by key and model from a start time, and a second connection (another process,
// `hfserve usage`) sees what the first wrote.
#include "auth/usage_log.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "temp_db.hpp"

namespace hf::auth {
namespace {

usage_row row(std::int64_t time_ms, std::string key, std::string model, int status, std::int64_t in,
              std::int64_t out, std::int64_t latency_us) {
  return {.time_ms = time_ms,
          .key_name = std::move(key),
          .model = std::move(model),
          .route = "/v1/completions",
          .method = "POST",
          .status = status,
          .error_code = status >= 400 ? "rate_limit_exceeded" : "",
          .prompt_tokens = in,
          .completion_tokens = out,
          .latency_us = latency_us};
}

TEST(usage_log, rows_read_back_as_written) {
  temp_db db;
  usage_log log(db.path());
  usage_row streamed = row(1000, "alice", "gpt2", 200, 5, 7, 1500);
  streamed.first_token_us = 300;
  streamed.streamed = true;
  usage_row logged = row(2000, "", "", 404, 0, 0, 20);
  logged.prompt = R"({"prompt":"hi"})";
  const std::vector<usage_row> batch = {streamed, logged};
  log.append(batch);

  const auto rows = log.rows(0);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].key_name, "alice");
  EXPECT_EQ(rows[0].model, "gpt2");
  EXPECT_EQ(rows[0].route, "/v1/completions");
  EXPECT_EQ(rows[0].method, "POST");
  EXPECT_EQ(rows[0].status, 200);
  EXPECT_EQ(rows[0].error_code, "");
  EXPECT_EQ(rows[0].prompt_tokens, 5);
  EXPECT_EQ(rows[0].completion_tokens, 7);
  EXPECT_EQ(rows[0].latency_us, 1500);
  EXPECT_EQ(rows[0].first_token_us, 300);
  EXPECT_TRUE(rows[0].streamed);
  EXPECT_FALSE(rows[0].prompt);  // no prompt text unless the server logs prompts
  EXPECT_EQ(rows[1].status, 404);
  EXPECT_EQ(rows[1].error_code, "rate_limit_exceeded");
  EXPECT_FALSE(rows[1].first_token_us);
  EXPECT_FALSE(rows[1].streamed);
  EXPECT_EQ(rows[1].prompt, R"({"prompt":"hi"})");
  EXPECT_EQ(log.rows(1001).size(), 1u);  // from a time on
}

TEST(usage_log, summaries_group_by_key_and_model_from_a_time_on) {
  temp_db db;
  usage_log log(db.path());
  const std::vector<usage_row> batch = {
      row(100, "old", "gpt2", 200, 1, 1, 1000),    // before `since`
      row(1000, "bob", "gpt2", 200, 3, 4, 1000),   //
      row(1100, "bob", "gpt2", 429, 0, 0, 3000),   // an error, counted as a request
      row(1200, "bob", "llama", 200, 10, 0, 500),  // another model: another line
      row(1300, "alice", "gpt2", 200, 2, 8, 2000),
  };
  log.append(batch);
  const auto s = log.summarise(1000);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].key_name, "alice");
  EXPECT_EQ(s[1].key_name, "bob");
  EXPECT_EQ(s[1].model, "gpt2");
  EXPECT_EQ(s[1].requests, 2);
  EXPECT_EQ(s[1].errors, 1);
  EXPECT_EQ(s[1].prompt_tokens, 3);
  EXPECT_EQ(s[1].completion_tokens, 4);
  EXPECT_DOUBLE_EQ(s[1].mean_latency_ms, 2.0);
  EXPECT_DOUBLE_EQ(s[1].max_latency_ms, 3.0);
  EXPECT_EQ(s[1].first_ms, 1000);
  EXPECT_EQ(s[1].last_ms, 1100);
  EXPECT_EQ(s[2].model, "llama");
  EXPECT_EQ(s[2].prompt_tokens, 10);
  EXPECT_EQ(log.summarise(0).size(), 4u);
}

TEST(usage_log, another_connection_sees_what_was_written_and_a_reopen_keeps_it) {
  temp_db db;
  {
    usage_log writer(db.path());
    const usage_log reader(db.path());
    const std::vector<usage_row> batch = {row(1, "k", "m", 200, 1, 2, 3)};
    writer.append(batch);
    ASSERT_EQ(reader.rows(0).size(), 1u);
  }
  const usage_log reopened(db.path());
  EXPECT_EQ(reopened.summarise(0).at(0).completion_tokens, 2);
}

TEST(usage_log, an_empty_batch_writes_nothing) {
  temp_db db;
  usage_log log(db.path());
  log.append({});
  EXPECT_TRUE(log.rows(0).empty());
  EXPECT_TRUE(log.summarise(0).empty());
}

}  // namespace
}  // namespace hf::auth
