#include "app/server/usage_recorder.hpp"

#include <chrono>
#include <vector>

#include "observability/log.hpp"
#include "runtime/errors.hpp"
#include "runtime/threads/to_thread.hpp"

namespace hf::app {
namespace {

// Rows per transaction: large enough that a burst costs few commits, small enough that a batch
// never holds the database's write lock for long.
constexpr std::size_t k_batch_rows = 256;

std::int64_t micros(rt::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

}  // namespace

auth::usage_row usage_row_of(const api::request_record& r, bool log_prompts, std::int64_t time_ms) {
  auth::usage_row row;
  row.time_ms = time_ms;
  row.key_name = std::string(r.key_name);
  row.model = r.model;
  row.route = std::string(r.route);
  row.method = std::string(r.method);
  row.status = r.status;
  row.error_code = r.error_code;
  row.prompt_tokens = static_cast<std::int64_t>(r.prompt_tokens);
  row.completion_tokens = static_cast<std::int64_t>(r.completion_tokens);
  row.latency_us = micros(r.latency);
  if (r.first_token) row.first_token_us = micros(*r.first_token);
  row.streamed = r.streamed;
  if (log_prompts && !r.body.empty()) row.prompt = std::string(r.body);
  return row;
}

usage_recorder::usage_recorder(auth::usage_log& log, bool log_prompts, std::size_t max_buffered)
    : log_(log), log_prompts_(log_prompts) {
  auto [tx, rx] = rt::create_memory_object_stream<auth::usage_row>(max_buffered);
  tx_ = std::move(tx);
  rx_ = std::move(rx);
}

void usage_recorder::record(const api::request_record& r) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auth::usage_row row = usage_row_of(r, log_prompts_, now);
  try {
    tx_.send_nowait(std::move(row));
  } catch (const rt::would_block&) {
    if (dropped_++ == 0) {
      obs::get_logger("usage").warn(
          "usage log buffer full: dropping rows until the writer catches up");
    }
  } catch (const rt::closed_resource_error&) {  // after close(): the server is stopping
    ++dropped_;
  }
}

rt::task<void> usage_recorder::run() {
  auto log = obs::get_logger("usage");
  std::vector<auth::usage_row> batch;
  while (auto first = co_await rx_.receive_or_end()) {
    batch.clear();
    batch.push_back(std::move(*first));
    try {
      while (batch.size() < k_batch_rows) batch.push_back(rx_.receive_nowait());
    } catch (const rt::would_block&) {
    } catch (const rt::end_of_stream&) {
    }
    try {
      co_await rt::to_thread::run_sync([&] { log_.append(batch); });
      written_ += batch.size();
    } catch (const std::exception& e) {
      dropped_ += batch.size();
      log.error("cannot write the usage log",
                {{"error", e.what()}, {"rows", static_cast<std::uint64_t>(batch.size())}});
    }
  }
  done_.set();
}

void usage_recorder::close() {
  tx_.close();
}

rt::task<void> usage_recorder::wait_written() {
  co_await done_.wait();
}

}  // namespace hf::app
