#!/usr/bin/env bash
# Measures what issue 10 asks for, in a fresh clone of this repository:
#   1. a clean `make test` (tools already installed), stage by stage;
#   2. the rebuild after touching one line in the app, in a health rule and in
#      the simulator: `cargo leptos build` (debug, server and wasm) and the
#      Rust test binaries (`make test-rust` without running them).
# Usage: scripts/measure-build.sh [REV] [WORKDIR]
# Works on revisions before the workspace (one crate under src/) and after it.
# Leave the machine idle while it runs: it is a measurement.
set -euo pipefail
REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}
REV=${1:-HEAD}
WORK=${2:-$(mktemp -d /tmp/sro-measure.XXXXXX)}
export PATH="$HOME/.cargo/bin:$PATH"

stamp() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(stamp)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '%s\n' "$*" | tee -a "$WORK/measure.txt"; }

git clone -q "$REPO" "$WORK/clone"
cd "$WORK/clone"
git checkout -q "$REV"
# The clone has no tools/node_modules or end2end/node_modules: link the ones of
# the source checkout, so that only the build is measured, not npm.
for d in tools/node_modules end2end/node_modules; do
  [ -e "$REPO/$d" ] && ln -s "$REPO/$d" "$d"
done
log "# $(git log -1 --format='%h %s' | cut -c1-80)"
log "# $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(date -u +%FT%TZ)"

t0=$(stamp)
make test > "$WORK/make-test.log" 2>&1 && status=ok || status="FAILED (see $WORK/make-test.log)"
log "clean make test: $(took "$t0") s, $status"
log "target/: $(du -sh target | cut -f1)"
# Where the time went: cargo's and Playwright's own summaries.
grep -E "Finished .* in |test result: .* finished in [0-9.]+s$|^ +[0-9]+ passed \(" "$WORK/make-test.log" \
  | grep -v " 0 passed" | sed 's/^/  /' | tee -a "$WORK/measure.txt"

# Which files stand for "the app", "a health rule" and "the simulator".
if [ -d crates ]; then
  APP=crates/app/src/fleet.rs
  RULE=crates/overview/src/health.rs
  SIM=crates/sim/src/fe_http/metrics.rs
  TEST_RUST="cargo test --no-run"
else
  APP=src/app/fleet.rs
  RULE=src/server/overview/health.rs
  SIM=src/server/sim/fe_http.rs
  TEST_RUST="cargo test --features ssr --no-run"
fi

# Warm both debug builds once: the rebuilds below start from them.
cargo leptos build > /dev/null 2>&1
$TEST_RUST > /dev/null 2>&1

for what in app:$APP rule:$RULE sim:$SIM; do
  name=${what%%:*}; file=${what#*:}
  sed -i '1i // touched by measure-build.sh' "$file"
  t=$(stamp); cargo leptos build > /dev/null 2>&1; a=$(took "$t")
  t=$(stamp); $TEST_RUST > /dev/null 2>&1; b=$(took "$t")
  git checkout -q -- "$file"
  # Back to the untouched state without counting it.
  cargo leptos build > /dev/null 2>&1; $TEST_RUST > /dev/null 2>&1
  log "touch $name ($file): cargo leptos build ${a} s, test binaries ${b} s"
done
log "done; logs in $WORK"
