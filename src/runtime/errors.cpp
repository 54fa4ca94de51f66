#include "runtime/errors.hpp"

#include "runtime/exception_group.hpp"

namespace hf::rt {

std::string describe(const std::exception_ptr& e) {
  if (!e) return "no exception";
  try {
    std::rethrow_exception(e);
  } catch (const cancelled& c) {
    return "cancelled: " + c.message();
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "unknown exception (not derived from std::exception)";
  }
}

task_failed::task_failed(std::exception_ptr cause)
    : std::runtime_error("task failed: " + describe(cause)), cause_(std::move(cause)) {}

exception_group::exception_group(std::string message, std::vector<std::exception_ptr> members)
    : message_(std::move(message)), members_(std::move(members)) {
  if (members_.empty()) throw argument_error("exception_group needs at least one member");
  what_ = message_ + " (" + std::to_string(members_.size()) + " sub-exception" +
          (members_.size() == 1 ? "" : "s") + ")";
  for (const auto& m : members_) what_ += "\n  - " + describe(m);
}

void exception_group::for_each_leaf(
    const std::function<void(const std::exception_ptr&)>& fn) const {
  for (const auto& m : members_) {
    try {
      std::rethrow_exception(m);
    } catch (const exception_group& g) {
      g.for_each_leaf(fn);
    } catch (...) {
      fn(m);
    }
  }
}

size_t exception_group::leaf_count() const {
  size_t n = 0;
  for_each_leaf([&](const std::exception_ptr&) { ++n; });
  return n;
}

bool exception_group::any_leaf(const std::function<bool(const std::exception_ptr&)>& pred) const {
  bool found = false;
  for_each_leaf([&](const std::exception_ptr& p) { found = found || pred(p); });
  return found;
}

std::pair<std::optional<exception_group>, std::optional<exception_group>> exception_group::split(
    const std::function<bool(const std::exception_ptr&)>& pred) const {
  std::vector<std::exception_ptr> match, rest;
  for (const auto& m : members_) {
    bool is_group = false;
    try {
      std::rethrow_exception(m);
    } catch (const exception_group& g) {
      is_group = true;
      auto [sm, sr] = g.split(pred);
      if (sm) match.push_back(std::make_exception_ptr(*sm));
      if (sr) rest.push_back(std::make_exception_ptr(*sr));
    } catch (...) {
    }
    if (!is_group) (pred(m) ? match : rest).push_back(m);
  }
  std::optional<exception_group> a, b;
  if (!match.empty()) a.emplace(message_, std::move(match));
  if (!rest.empty()) b.emplace(message_, std::move(rest));
  return {std::move(a), std::move(b)};
}

}  // namespace hf::rt
