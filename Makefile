# Engram — `make run` opens the REPL, `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
PREFIX ?= /usr/local
CONFIG ?= release
BIN = .build/$(CONFIG)/engram
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test bench install deps build clean

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

build: deps
	$(SWIFT) build -c $(CONFIG) --product engram

run: build
	@$(BIN)

test: deps
	$(SWIFT) build --product engram
	ENGRAM_BINARY="$(CURDIR)/.build/debug/engram" $(SWIFT) test --parallel

bench: deps
	$(SWIFT) build -c release --product engram
	./bench/run.sh

install: build
	install -d $(PREFIX)/bin
	install -m 755 $(BIN) $(PREFIX)/bin/engram

clean:
	rm -rf .build
