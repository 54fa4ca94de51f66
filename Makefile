# Entry points. `make serve` and `make test` work on a fresh Debian 12 machine (they install what
# is missing first). Everything real lives in CMake (CMakePresets.json) and scripts/.
JOBS ?= $(shell nproc)
ARGS ?=

.PHONY: deps build build-all serve test test-release test-sanitizers bench format tidy check-changed clean

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
	rm -rf build build-asan build-tsan build-debug
