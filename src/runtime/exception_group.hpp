// A tree of failures: what a task group raises when one or more children (or its host) failed
// (E-2, E-6). Members are exception_ptrs and may themselves be groups; nothing is ever dropped.
//   catch (const rt::exception_group& g) {
//     if (g.contains<std::runtime_error>()) ...; auto [match, rest] = g.split<my_error>(); }
#pragma once
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hf::rt {

class exception_group : public std::exception {
 public:
  exception_group(std::string message, std::vector<std::exception_ptr> members);

  const char* what() const noexcept override { return what_.c_str(); }
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return members_; }
  size_t size() const noexcept { return members_.size(); }

  // Calls fn on every leaf (non-group member), depth first, in order.
  void for_each_leaf(const std::function<void(const std::exception_ptr&)>& fn) const;
  // Number of leaves in the whole tree.
  size_t leaf_count() const;

  // True if some leaf satisfies pred.
  bool any_leaf(const std::function<bool(const std::exception_ptr&)>& pred) const;
  template <class E>
  bool contains() const {
    return any_leaf([](const std::exception_ptr& p) { return is<E>(p); });
  }

  // Splits into (leaves matching pred, the rest), keeping nesting; either side may be empty.
  std::pair<std::optional<exception_group>, std::optional<exception_group>> split(
      const std::function<bool(const std::exception_ptr&)>& pred) const;
  template <class E>
  auto split() const {
    return split([](const std::exception_ptr& p) { return is<E>(p); });
  }

  // Whether p holds an E (or something derived from it).
  template <class E>
  static bool is(const std::exception_ptr& p) {
    try {
      std::rethrow_exception(p);
    } catch (const E&) {
      return true;
    } catch (...) {
      return false;
    }
  }

 private:
  std::string message_;
  std::vector<std::exception_ptr> members_;
  std::string what_;
};

}  // namespace hf::rt
