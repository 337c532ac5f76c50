# Shortcuts over scripts/: the scripts are the source of truth (README).
.PHONY: run dev test dist bindings fmt lint

run:            ## set up and start the app
	bash scripts/run.sh

dev:            ## start the app with the Vite dev server (hot reload)
	ui/node_modules/.bin/tauri dev

test:           ## set up and run every test, ending with a summary line
	bash scripts/test.sh

dist:           ## build the release .deb and .rpm (target/release/bundle/)
	bash scripts/dist.sh

bindings:       ## regenerate ui/src/platform/bindings.ts from the Rust commands
	UPDATE_BINDINGS=1 cargo test --test app committed_typescript_bindings_match_a_fresh_generation

fmt:            ## format Rust and check the UI
	cargo fmt --all

lint:
	cargo clippy --workspace --all-targets -- -D warnings
	npm --prefix ui run lint
