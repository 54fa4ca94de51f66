// Feeds the usage log (auth/usage_log.hpp) from the API's request records without ever blocking
// the event loop: record() turns a record into a row and queues it (a bounded buffer; a full
// buffer drops the row, counts it and says so in the log), and run() writes what is queued in
// batches, one SQLite transaction each, on a worker thread. close() lets run() write what is left
// and return: the server closes it after draining, so every answered request is written.
//   usage_recorder usage(log, cfg.log_prompts);
//   tg.start_soon([&] { return usage.run(); });
//   ctx.on_request = [&](const api::request_record& r) { usage.record(r); };
//   ... after srv.drain(): usage.close(); co_await usage.wait_written();
#pragma once
#include <cstddef>
#include <cstdint>

#include "api/openai/request_record.hpp"
#include "auth/usage_log.hpp"
#include "runtime/streams/memory_stream.hpp"
#include "runtime/sync/event.hpp"

namespace hf::app {

// The usage log's row for a request record; the body becomes the prompt only when asked.
auth::usage_row usage_row_of(const api::request_record& r, bool log_prompts, std::int64_t time_ms);

class usage_recorder {
 public:
  usage_recorder(auth::usage_log& log, bool log_prompts, std::size_t max_buffered = 4096);

  void record(const api::request_record& r);  // loop thread; never blocks
  rt::task<void> run();                       // until close(), then writes the rest
  void close();
  rt::task<void> wait_written();  // after close(): until run() has written the last row

  std::uint64_t written() const { return written_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  auth::usage_log& log_;
  bool log_prompts_;
  rt::send_stream<auth::usage_row> tx_;
  rt::receive_stream<auth::usage_row> rx_;
  rt::event done_;
  std::uint64_t written_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace hf::app
