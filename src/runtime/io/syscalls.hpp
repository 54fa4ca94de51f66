// Performs one op as a plain non-blocking syscall; shared by the epoll backend and the io_uring
// backend's fallbacks. Returns the result (>= 0) or -errno (-EAGAIN: not ready).
#pragma once
#include "runtime/io/backend.hpp"

namespace hf::rt::io {
long perform_now(op* o);
// Whether the op waits for readability (else writability).
bool waits_readable(op_kind k);
}  // namespace hf::rt::io
