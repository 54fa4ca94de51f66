// Exception types of the structured-concurrency runtime (spec section 5, E-1).
// `cancelled` deliberately does NOT derive from std::exception, so `catch (const std::exception&)`
// cannot swallow a cancellation; code that catches `...` must rethrow.
//   try { co_await rt::sleep(1s); } catch (const rt::cancelled& c) { cleanup(); throw; }
#pragma once
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

namespace hf::rt {

// Unwinds cancelled code. Absorbed by the cancel scope that asked for it (C-7).
class cancelled {
 public:
  explicit cancelled(std::string message) : message_(std::move(message)) {}
  const std::string& message() const noexcept { return message_; }
  const char* what() const noexcept { return message_.c_str(); }

 private:
  std::string message_;
};

// API misuse (anyio's RuntimeError): releasing a lock you do not hold, a second started(), ...
class usage_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};
// An invalid argument value (anyio's ValueError/TypeError).
class argument_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};
// run() was asked for a backend that does not exist (B-3).
class unknown_backend_error : public std::out_of_range {
 public:
  using std::out_of_range::out_of_range;
};
// fail_after / fail_at expired (D-7).
class timeout_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// A *_nowait operation could not complete at once.
class would_block : public std::runtime_error {
 public:
  would_block() : std::runtime_error("operation would block") {}
};
// Receiving from a stream whose send side is closed and drained.
class end_of_stream : public std::runtime_error {
 public:
  end_of_stream() : std::runtime_error("end of stream") {}
};
// Using a resource (stream end, socket) that this side has closed.
class closed_resource_error : public std::runtime_error {
 public:
  closed_resource_error() : std::runtime_error("resource is closed") {}
  using std::runtime_error::runtime_error;
};
// The other side of a resource is gone (receive end closed, connection reset).
class broken_resource_error : public std::runtime_error {
 public:
  broken_resource_error() : std::runtime_error("resource is broken") {}
  using std::runtime_error::runtime_error;
};
// Two tasks tried to read (or write) the same resource at once.
class busy_resource_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// A call into a run (through a token) after that run has finished.
class run_finished_error : public std::runtime_error {
 public:
  run_finished_error() : std::runtime_error("the run this token belongs to has finished") {}
};
// Task handle outcomes (E-8).
class task_not_finished : public std::logic_error {
 public:
  task_not_finished() : std::logic_error("task has not finished") {}
};
class task_failed : public std::runtime_error {
 public:
  explicit task_failed(std::exception_ptr cause);
  const std::exception_ptr& cause() const noexcept { return cause_; }

 private:
  std::exception_ptr cause_;
};
class task_cancelled : public task_failed {
 public:
  explicit task_cancelled(std::exception_ptr cause) : task_failed(std::move(cause)) {}
};

// Describes any exception_ptr in one line (type-independent), for messages and logs.
std::string describe(const std::exception_ptr& e);

}  // namespace hf::rt
