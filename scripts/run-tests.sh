#!/usr/bin/env bash
# Builds and runs every test: the Release build (all layers, integration, tools), then the runtime
# (and engine/template) suites under ASan+UBSan, then the runtime under TSan, then a short run of
# each libFuzzer target (clang-16, ASan + UBSan) over its seed corpus.
# Usage: scripts/run-tests.sh [all|release|sanitizers|fuzz]
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
jobs="${JOBS:-$(nproc)}"
source scripts/sanitizer-env.sh

run_preset() {
  local preset="$1" dir="$2"; shift 2
  echo "=== [$preset] configure + build"
  cmake --preset "$preset" >/dev/null
  cmake --build "$dir" -j "$jobs" "$@"
  echo "=== [$preset] ctest"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 300)
}

if [ "$what" = all ] || [ "$what" = release ]; then
  # npm packages for the end-to-end tests (the official openai client), from package-lock.json.
  (cd tests/integration/node && npm ci --no-audit --no-fund --loglevel=error)
  run_preset release build
fi
if [ "$what" = all ] || [ "$what" = sanitizers ]; then
  # Only the test binaries: the sanitizer runs cover the runtime (and the template interpreter).
  run_preset asan-ubsan build-asan --target runtime_tests conformance_tests template_tests
  run_preset tsan build-tsan --target runtime_tests conformance_tests
fi
if [ "$what" = all ] || [ "$what" = fuzz ]; then
  # HFSERVE_FUZZ_SMOKE_SECONDS per target (tests/fuzz/CMakeLists.txt); `make fuzz` runs longer.
  run_preset fuzz build-fuzz --target fuzz_targets
fi
