# Engram — `make run` opens the REPL, `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
CONFIG ?= release
BIN = .build/$(CONFIG)/engram
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench install deps build clean fuzz manual format lint

# System packages the build and the tests need: libedit (line editing), SQLite, zstd and zlib
# (reading Anki packages), tmux (end-to-end tests), pkg-config (to find the libraries).
# Installed only when missing.
deps:
	@missing=""; \
	pkg-config --exists libedit 2>/dev/null || missing="$$missing libedit-dev"; \
	pkg-config --exists sqlite3 2>/dev/null || missing="$$missing libsqlite3-dev"; \
	pkg-config --exists libzstd 2>/dev/null || missing="$$missing libzstd-dev"; \
	pkg-config --exists zlib 2>/dev/null || missing="$$missing zlib1g-dev"; \
	command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	command -v tmux >/dev/null || missing="$$missing tmux"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# ZIPFoundation's manifest leaves a privacy manifest undeclared, and SwiftPM says so on every
# build; it is the dependency's, not ours, so it is kept off the screen (errors still show).
QUIET_DEPENDENCY = grep -v -e "found 1 file(s) which are unhandled" -e "ZIPFoundation/Resources/PrivacyInfo.xcprivacy" || true

build: deps
	@set -o pipefail; $(SWIFT) build -c $(CONFIG) --product engram 2>&1 | { $(QUIET_DEPENDENCY); }

run: build
	@$(BIN)

# The code style (.swift-format, swift-format from the toolchain): `make format` applies it,
# `make test` checks it first and fails on any difference.
FORMATTED = Sources Tests Package.swift Fuzz/Package.swift Fuzz/Sources

format:
	$(SWIFT) format --in-place --recursive --parallel $(FORMATTED)

lint:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMATTED)

test: deps lint
	$(SWIFT) build --product engram
	ENGRAM_BINARY="$(CURDIR)/.build/debug/engram" $(SWIFT) test --parallel

bench: deps
	$(SWIFT) build -c release --product engram
	./bench/run.sh

# The binary, its manual page (swift-argument-parser's generate-manual plugin) and shell
# completion scripts for bash, zsh and fish, all generated from the command definitions.
install: build manual
	install -d $(PREFIX)/bin $(PREFIX)/share/man/man1 $(PREFIX)/share/bash-completion/completions \
	  $(PREFIX)/share/zsh/site-functions $(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(PREFIX)/bin/engram
	install -m 644 .build/plugins/GenerateManual/outputs/engram/engram.1 $(PREFIX)/share/man/man1/engram.1
	$(BIN) --generate-completion-script bash > $(PREFIX)/share/bash-completion/completions/engram
	$(BIN) --generate-completion-script zsh > $(PREFIX)/share/zsh/site-functions/_engram
	$(BIN) --generate-completion-script fish > $(PREFIX)/share/fish/vendor_completions.d/engram.fish

manual: deps
	$(SWIFT) package plugin generate-manual

# libFuzzer over every parser (Fuzz/ is a package of its own: every module instrumented with
# AddressSanitizer and SanitizerCoverage, libFuzzer linked into the fuzz targets only):
# FUZZ_SECONDS each (default 600). New corpus entries go to .build/fuzz-corpus, crashing or slow
# inputs to .build/fuzz-artifacts (never the checkout); the seeds in
# Fuzz/Corpus (the Anki package target's are the Anki-made packages in
# Tests/EngramStoreTests/Fixtures) are read only.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS = FuzzDeck FuzzLogLine FuzzConfig FuzzScenario FuzzTextImport FuzzAnkiPackage
fuzz: deps
	cd Fuzz && ASAN_OPTIONS=detect_leaks=0 $(SWIFT) build -c debug -Xswiftc -sanitize=address \
	  -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
	@set -e; for target in $(FUZZ_TARGETS); do \
	  mkdir -p .build/fuzz-corpus/$$target .build/fuzz-artifacts; \
	  seeds=""; [ -d Fuzz/Corpus/$$target ] && seeds=Fuzz/Corpus/$$target; \
	  [ $$target = FuzzAnkiPackage ] && seeds="$$seeds Tests/EngramStoreTests/Fixtures"; \
	  echo "== $$target ($(FUZZ_SECONDS) s)"; \
	  ASAN_OPTIONS=detect_leaks=0 Fuzz/.build/debug/$$target -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=4096 \
	    -artifact_prefix=.build/fuzz-artifacts/$$target- -print_final_stats=1 .build/fuzz-corpus/$$target $$seeds; \
	done

clean:
	rm -rf .build
