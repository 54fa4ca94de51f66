# Entry points. `make serve` and `make test` work on a fresh Debian 12 machine (they install what
# is missing first). Everything real lives in CMake (CMakePresets.json) and scripts/.
JOBS ?= $(shell nproc)
ARGS ?=

.PHONY: deps build build-all serve test test-release test-sanitizers test-fuzz fuzz bench format tidy check-changed clean

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target hfserve

build-all: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

serve: build
	./build/hfserve serve $(ARGS)

test: deps
	@scripts/run-tests.sh

test-release: deps
	@scripts/run-tests.sh release

test-sanitizers: deps
	@scripts/run-tests.sh sanitizers

# The fuzz smoke runs alone (part of `make test`).
test-fuzz: deps
	@scripts/run-tests.sh fuzz

# Every libFuzzer target for FUZZ_SECONDS each (default 60); scripts/run-fuzz.sh says more.
FUZZ_SECONDS ?= 60
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzz.sh

bench: build-all
	@python3 scripts/run-bench.py

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

tidy:
	@cmake --preset release >/dev/null
	@git ls-files 'src/*.cpp' | xargs clang-tidy -p build --quiet

# What CI checks first: clang-format and clang-tidy (warnings as errors) on the lines changed
# since BASE (default: the last commit).
check-changed: deps
	@cmake --preset release >/dev/null
	@scripts/check-changed.py $(BASE)

clean:
	rm -rf build build-asan build-tsan build-debug build-fuzz
