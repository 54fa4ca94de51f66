#!/usr/bin/env bash
# Runs one fuzz target for SECONDS over its seeds (tests/fuzz/corpus/NAME, never written) and its
# working corpus WORK/corpus, with its dictionary when tests/fuzz/dict/NAME.dict exists. A crash,
# leak, timeout (10 s per input), 2 GB of RSS or a sanitizer report saves the input in
# WORK/artifacts/ and exits 1; exit 79 means the target skipped itself (no fixtures). The one
# place the libFuzzer flags live: the ctest smoke runs and scripts/run-fuzz.sh both call it.
# Usage: tests/fuzz/run-target.sh BINARY NAME SECONDS WORK
set -euo pipefail
binary="$1" name="$2" seconds="$3" work="$4"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$work/corpus" "$work/artifacts"
dict=()
if [ -f "$here/dict/$name.dict" ]; then dict=(-dict="$here/dict/$name.dict"); fi
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -error_exitcode=1 \
  -timeout_exitcode=1 -print_final_stats=1 "${dict[@]}" -artifact_prefix="$work/artifacts/" \
  "$work/corpus" "$here/corpus/$name"
