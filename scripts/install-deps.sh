#!/usr/bin/env bash
# Installs the Debian packages hfserve needs to build, test and benchmark, skipping those present.
# Safe to run repeatedly; `make serve` and `make test` call it first.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git python3 curl ca-certificates
  liburing-dev libpcre2-dev libopenblas-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libsqlite3-dev libssl-dev libboost-dev libgtest-dev libgmock-dev libhiredis-dev
  python3-anyio wrk redis-server prometheus
  # libomp-16-dev: omp.h for clang-tidy on the engine files built with -fopenmp (GCC has its own)
  clang-format clang-tidy-16 libomp-16-dev
  clang-16 libclang-rt-16-dev llvm-16
)
# For tests that skip (and say so) without them: the replica test (nginx) and the web page's
# browser test (chromium). Installed when possible; a machine that cannot still builds and tests.
optional=(nginx chromium)
absent() {
  ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
missing=()
for p in "${packages[@]}"; do
  if absent "$p"; then missing+=("$p"); fi
done
optional_missing=()
for p in "${optional[@]}"; do
  if absent "$p"; then optional_missing+=("$p"); fi
done
# Node.js and npm run the end-to-end tests (the official openai client). A machine may already have
# them from elsewhere (e.g. NodeSource, whose nodejs conflicts with Debian's npm): only install
# Debian's when the commands are missing.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ] && [ ${#optional_missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ${#optional_missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${optional_missing[*]} (optional)"
  $SUDO apt-get install -y -qq --no-install-recommends "${optional_missing[@]}" ||
    echo "install-deps: could not install ${optional_missing[*]}: the tests that need them skip"
fi
