# Setubashi: `make run` serves the app with demo data; `make test` runs every check and test.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# Build outside the clone so that a fresh clone reuses the compiled dependencies.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/setubashi/target
export TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SERVER_BIN := $(CARGO_TARGET_DIR)/debug/server
SSR := -p domain -p documents -p migrations -p search -p app -p server --features app/ssr

.PHONY: run test tools build fmt-check clippy deny postgres rust-test replicas e2e schemathesis

## run: build, migrate, seed demo data into an empty database, serve on http://127.0.0.1:3000
run:
	scripts/install-tools.sh run
	cargo leptos build
	$(SERVER_BIN) serve

## test: formatting, clippy (ssr and hydrate), cargo-deny, Rust tests on SQLite and PostgreSQL,
## schemathesis against the API as each role, browser tests
test: tools fmt-check clippy deny postgres rust-test build replicas schemathesis e2e

tools:
	scripts/install-tools.sh test

build:
	cargo leptos build

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy $(SSR) --all-targets -- -D warnings
	cargo clippy -p frontend -p app -p domain --target wasm32-unknown-unknown -- -D warnings

deny:
	scripts/deny.sh

postgres:
	scripts/postgres.sh

rust-test:
	cargo test $(SSR)

## replicas: two server processes on one PostgreSQL database, with SIGKILLs (scripts/replicas.sh)
replicas:
	scripts/replicas.sh $(SERVER_BIN)

schemathesis:
	scripts/schemathesis.sh $(SERVER_BIN)

e2e:
	SETUBASHI_SERVER_BIN=$(SERVER_BIN) npx playwright test --config e2e/playwright.config.ts
