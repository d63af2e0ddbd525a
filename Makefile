# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

BIN := target/release/starrocks-overview
# Extra flags for the server, e.g. make run ARGS="--listen 0.0.0.0:3000"
ARGS ?=

.PHONY: run test build setup lint test-rust test-e2e clean-e2e

## Install what is missing, build the release and serve on http://127.0.0.1:3000
## (with the demo clusters while no real cluster is registered)
run: setup build
	$(BIN) --demo-if-empty $(ARGS)

## Every test: formatting, clippy on both builds, Rust tests, browser tests
test:
	scripts/setup.sh test
	$(MAKE) lint test-rust build test-e2e

setup:
	scripts/setup.sh build

build:
	cargo leptos build --release
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
	cd end2end && npx playwright test
