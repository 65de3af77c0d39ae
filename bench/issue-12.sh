#!/usr/bin/env bash
# Issue 12 in one run: every row's benchmark, one after another, on this machine (figure, baseline
# measured in the same run, ratio; each script prints the load average). Needs `pnpm build` first
# (cold load), PostgreSQL at DATABASE_URL (default: the machine's, a scratch database per script)
# and an fd limit above 2,000 (raised here). Optional: BEFORE=<a checkout built at an older commit>
# adds cold-load's before column. Output: each script's own tables; keep it with `| tee`.
set -euo pipefail
cd "$(dirname "$0")"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
ulimit -n 20000
run() { echo; echo "===== $* ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"; npx tsx "$@"; }
run cold-load.ts --runs "${RUNS:-10}" --no-map-request ${BEFORE:+--before "$BEFORE"}
run chats-rps.ts --seconds 3 --rounds 3 --drivers postgres
run chat-list-scale.ts --seconds 2 --rounds 2 --drivers postgres
run ttft.ts --requests 200 --driver postgres
run prompt-build.ts --builds 200
run answer-writes.ts --rounds 2
run sse-memory.ts --clients 2000 --rounds 20
run sse-memory.ts --clients 2000 --rounds 20 --before
echo; echo "===== done ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
