// The cancellation rules of spec section 2 (C-3, C-7, D-6) as pure functions over the scope tree.
#include "runtime/detail/core.hpp"
#include "runtime/errors.hpp"
#include "runtime/exception_group.hpp"

namespace hf::rt::detail {

time_point effective_deadline(scope_state* s) noexcept {
  time_point d = no_deadline;
  for (; s; s = s->parent) {
    if (s->cancel_called) return past_deadline;
    if (s->deadline < d) d = s->deadline;
    if (s->shield) break;
  }
  return d;
}

bool scope_absorbs(const scope_state* s) noexcept {
  if (!s->cancel_called) return false;
  return s->shield || effective_cancel(s->parent) == nullptr;
}

std::exception_ptr absorb_at_exit(scope_state* s, std::exception_ptr e) {
  if (!e || !scope_absorbs(s)) return e;
  try {
    std::rethrow_exception(e);
  } catch (const cancelled&) {
    s->cancelled_caught = true;
    return nullptr;
  } catch (const exception_group& g) {
    auto [cancels, rest] = g.split<cancelled>();
    if (!cancels) return e;
    s->cancelled_caught = true;
    return rest ? std::make_exception_ptr(std::move(*rest)) : nullptr;
  } catch (...) {
    return e;
  }
}

}  // namespace hf::rt::detail
