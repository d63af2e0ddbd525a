# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

BIN := target/release/starrocks-overview
# Extra flags for the server, e.g. make run ARGS="--listen 0.0.0.0:3000"
ARGS ?=

# The server the browser tests run: the release build by default; `make test`
# uses the debug build `cargo test` has just made (see test-e2e).
E2E_BIN ?= target/release/starrocks-overview

# Leptos' components return their exact view types unless erased: erased, each
# component is one boxed view and the browser's wasm about a fifth smaller
# (BENCHMARKS.md, "Dashboard craft"). The server renders the same HTML either
# way, so the debug server `cargo test` builds serves this bundle.
LEPTOS_RUSTFLAGS := --cfg erase_components

.PHONY: run test build site setup lint test-rust test-e2e clean-e2e

## Install what is missing, build the release and serve on http://127.0.0.1:3000
## (with the demo clusters while no real cluster is registered)
run: setup build
	$(BIN) --demo-if-empty $(ARGS)

## Every test: formatting, clippy on both builds, Rust tests, browser tests.
## The browser tests run the server `cargo test` built (debug profile, overflow
## checks on) with the release wasm bundle, whose size and speed the first-load
## budgets measure; an optimised server build would add about ten minutes and
## test nothing more. `make run` builds the release server.
test:
	scripts/setup.sh test
	$(MAKE) lint test-rust site
	$(MAKE) test-e2e E2E_BIN=target/debug/starrocks-overview

setup:
	scripts/setup.sh build

build:
	RUSTFLAGS="$(LEPTOS_RUSTFLAGS)" cargo leptos build --release --split
	node scripts/bundle-chunks.mjs target/site/pkg
	node scripts/precompress.mjs target/site

## The browser's half alone: the release wasm bundle, CSS and static files.
site:
	RUSTFLAGS="$(LEPTOS_RUSTFLAGS)" cargo leptos build --release --frontend-only --split
	node scripts/bundle-chunks.mjs target/site/pkg
	node scripts/precompress.mjs target/site

## The server crates (the workspace's default members) and the browser build
## (the frontend crate with the app's hydrate feature) are linted apart: built
## together, cargo would unify the app's ssr and hydrate features.
lint:
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy -p frontend -p app --target wasm32-unknown-unknown -- -D warnings

test-rust:
	cargo test

test-e2e:
	test -x $(E2E_BIN) || { echo "no $(E2E_BIN): run make build (or cargo test) first" >&2; exit 1; }
	cd end2end && SRO_E2E_BIN=$(E2E_BIN) npx playwright test
