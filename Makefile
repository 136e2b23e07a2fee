# The Makefile wraps CMake for people. Everything builds in $(BUILD).
#   make            build everything
#   make test       install what is missing, build, run every test (ctest)
#   make deps       install the Debian packages (apt-get, idempotent)
#   make deps-ipfs  install js-ipfs and the real test clients (npm ci of tests/ipfs and tests/clients,
#                   idempotent)
#   make install PREFIX=/usr/local
#   make format     clang-format every source file in place
#   make lint       clang-format check + cppcheck
#   make bench      benchmarks against etcd (see bench/README.md)
#   make demo       3 js-ipfs daemons + 3 cl-raftd peers on loopback; a file pinned with replication 2
#   make demo-stop  stop everything `make demo` started (by PID)
BUILD ?= build
PREFIX ?= /usr/local
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST_FLAGS ?=

SOURCES = $(shell git ls-files 'core/*.cpp' 'core/*.hpp' 'cmd/*.cpp' 'cmd/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' 2>/dev/null)

.PHONY: all build configure deps deps-check deps-ipfs test install format lint bench clean demo demo-stop

all: build

deps:
	scripts/deps.sh

deps-check:
	@scripts/deps.sh --check >/dev/null 2>&1 || scripts/deps.sh

deps-ipfs: deps-check
	scripts/ipfs-nodes.sh install
	scripts/clients.sh install

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: deps-check configure
	cmake --build $(BUILD) -j $(JOBS)

test: build deps-ipfs
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) $(CTEST_FLAGS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

format:
	clang-format -i $(SOURCES)

lint: deps-check configure
	@echo "lint: clang-format check" && clang-format --dry-run --Werror $(SOURCES)
	@echo "lint: cppcheck" && cppcheck --quiet --error-exitcode=1 --std=c++20 --language=c++ \
	  --enable=warning,performance,portability --inline-suppr \
	  --suppress=missingIncludeSystem --suppress=unknownMacro \
	  -I core $(filter %.cpp,$(SOURCES))

bench: build
	bench/run.sh

DEMO_TARGETS = cl-raftd cl-pin cl-status cl-sync cl-peers

demo: deps-check deps-ipfs configure
	cmake --build $(BUILD) -j $(JOBS) --target $(DEMO_TARGETS)
	BUILD=$(abspath $(BUILD)) scripts/demo.sh start

demo-stop:
	BUILD=$(abspath $(BUILD)) scripts/demo.sh stop

clean:
	rm -rf $(BUILD)
