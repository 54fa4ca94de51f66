# Sourced by scripts/run-tests.sh and scripts/run-fuzz.sh: what the ASan, UBSan and TSan runs share
# (fail on the first report, leaks included) and a symbolizer, so that reports name functions
# and lines (llvm-16's, else whichever llvm-symbolizer is on PATH).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
for _symbolizer in /usr/lib/llvm-16/bin/llvm-symbolizer "$(command -v llvm-symbolizer || true)"; do
  if [ -n "$_symbolizer" ] && [ -x "$_symbolizer" ]; then
    export ASAN_SYMBOLIZER_PATH="$_symbolizer"
    break
  fi
done
unset _symbolizer
