// Umbrella header of the structured-concurrency runtime (anyio's model in C++ coroutines).
// See ../shared/spec/structured-concurrency.md for the behaviour and each header for its use.
#pragma once
#include "runtime/cancel_scope.hpp"
#include "runtime/checkpoint.hpp"
#include "runtime/clock.hpp"
#include "runtime/errors.hpp"
#include "runtime/exception_group.hpp"
#include "runtime/introspection.hpp"
#include "runtime/run.hpp"
#include "runtime/sleep.hpp"
#include "runtime/task.hpp"
#include "runtime/task_group.hpp"
#include "runtime/task_handle.hpp"
