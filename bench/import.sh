#!/usr/bin/env bash
# The dry run of a CSV import: a 10,000-row file planned against a 100,000-member cache (read,
# rules, seats, duplicates), without a portal. Prints the plan's counts and the median of five
# runs. Usage: bench/import.sh [ROWS] [MEMBERS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release --locked -p console-core --example import_dry_run -- "${1:-10000}" "${2:-100000}"
