// Shows a weight job's progress (engine/weights/progress.hpp) on stderr: on a terminal one line
// rewritten in place ("loading gpt2: 312 / 988 MiB, 32 %, about 7 s left"), otherwise a plain
// line at each quarter, so that logs stay readable. Install it around the work:
//   progress_line show("loading " + dir.string());
//   auto m = engine::load_model(dir);
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "engine/weights/progress.hpp"

namespace hf::cli {

class progress_line {
 public:
  explicit progress_line(std::string what);
  ~progress_line();  // ends the terminal line
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;

 private:
  void update(std::uint64_t done, std::uint64_t total);

  std::string what_;
  bool terminal_;
  bool shown_ = false;
  int quarter_ = -1;  // the last quarter printed (not a terminal)
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
  engine::weight_progress_scope scope_;
};

}  // namespace hf::cli
