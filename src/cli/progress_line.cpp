#include "cli/progress_line.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace hf::cli {
namespace {
// Work shorter than this shows nothing: a progress line for a blink is noise.
constexpr auto k_quiet_for = std::chrono::milliseconds(500);
constexpr auto k_redraw_every = std::chrono::milliseconds(100);

std::string mib(std::uint64_t bytes) {
  return std::to_string(bytes / (std::uint64_t{1} << 20));
}
}  // namespace

progress_line::progress_line(std::string what)
    : what_(std::move(what)),
      terminal_(isatty(STDERR_FILENO) == 1),
      scope_([this](std::uint64_t done, std::uint64_t total) { update(done, total); }) {}

progress_line::~progress_line() {
  if (terminal_ && shown_) std::fputc('\n', stderr);
}

void progress_line::update(std::uint64_t done, std::uint64_t total) {
  const auto now = std::chrono::steady_clock::now();
  if (total == 0 || now - start_ < k_quiet_for) return;
  const double fraction = static_cast<double>(done) / static_cast<double>(total);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const int percent = static_cast<int>(fraction * 100.0);
  std::string line =
      what_ + ": " + mib(done) + " / " + mib(total) + " MiB, " + std::to_string(percent) + " %";
  if (fraction > 0.01 && done < total) {
    line += ", about " + std::to_string(std::lround(elapsed / fraction - elapsed)) + " s left";
  }
  if (terminal_) {
    if (done < total && now - last_ < k_redraw_every) return;
    last_ = now;
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    shown_ = true;
  } else if (const int quarter = percent / 25; quarter > quarter_) {
    quarter_ = quarter;
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace hf::cli
