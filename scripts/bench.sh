#!/usr/bin/env bash
# scripts/bench.sh — PRODUCT.md §7's throughput targets, measured side by side in one run.
#
#   scripts/bench.sh                 pgbench -N, then `dakflow bench transitions` (8 clients, then 8 paced
#                                    at half that rate for the half-load p99) and `dakflow bench deadline` (200 and 500 clients)
#                                    against one `dakflow serve` on PostgreSQL, then pgbench -N again; prints the
#                                    ratios against the higher pgbench figure
#   BENCH_SECONDS=30 scripts/bench.sh   longer runs (default 15 s each, after BENCH_WARMUP=3 s unmeasured)
#   BENCH_PPROF=1 scripts/bench.sh      also saves a 10 s CPU profile of the server under the deadline
#                                    load to bench-out/deadline.pprof (`go tool pprof -top` prints it)
#
# Needs a running PostgreSQL and a role that may create databases, by default the one .ci/run makes:
# BENCH_PG=postgres://dakflow:dakflow@127.0.0.1:5432 (databases dakflow_bench and dakflow_pgbench are
# dropped and created anew), and pgbench (Debian's postgresql-client / postgresql-15).
# The figures are ratios because the machines are noisy: only numbers of the same run compare.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -d /usr/local/go/bin ]] && export PATH="/usr/local/go/bin:$PATH"
[[ -d /usr/lib/postgresql/15/bin ]] && export PATH="$PATH:/usr/lib/postgresql/15/bin"

pg="${BENCH_PG:-postgres://dakflow:dakflow@127.0.0.1:5432}"
secs="${BENCH_SECONDS:-15}"
out="bench-out"
port="${BENCH_PORT:-18080}"
mkdir -p "$out"

for db in dakflow_bench dakflow_pgbench; do
	psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
done

# checkpoint writes out what the step before dirtied, so that no run pays for the one before it (pgbench's
# initialisation dirties a million rows, which the checkpointer would otherwise write during the next runs).
# It needs the role to hold pg_checkpoint (.ci/run grants it) or to be a superuser.
checkpoint() {
	psql "$pg/postgres" -qc CHECKPOINT >/dev/null 2>&1 ||
		echo "(CHECKPOINT refused: grant pg_checkpoint to the role for runs that do not pay for the one before)" >&2
}

echo "==> pgbench -N (scale 10, 8 clients, ${secs}s)"
pgbench -q -i -s 10 "$pg/dakflow_pgbench" >/dev/null 2>&1
checkpoint
pgbench_tps() { pgbench -N -c 8 -j 2 -T "$secs" "$pg/dakflow_pgbench" 2>/dev/null | awk '/^tps/ {print $3; exit}'; }
pg_first=$(pgbench_tps)
echo "pgbench -N: $pg_first TPS"

go build -o "$out/dakflow" ./cmd/dakflow
export DAKFLOW_DATABASE_URL="$pg/dakflow_bench?sslmode=disable" DAKFLOW_DATA_DIR="$out/data" DAKFLOW_LOG_LEVEL=warn
rm -rf "$out/data"
"$out/dakflow" seed demo >/dev/null
checkpoint
"$out/dakflow" serve --addr "127.0.0.1:$port" --base-url "http://127.0.0.1:$port" --pprof-addr "127.0.0.1:$((port+1))" >"$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
	sleep 0.2
done

# Each run starts from a checkpoint, and first loads the server for BENCH_WARMUP seconds (3 by default) without measuring, as pgbench
# runs on an initialised database: the clients' first proposals, prepared statements and caches.
bench() { checkpoint && "$out/dakflow" bench "$@" --url "http://127.0.0.1:$port" --warmup "${BENCH_WARMUP:-3}s" --duration "${secs}s" --json; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "==> dakflow bench transitions, 8 clients"
full=$(bench transitions --clients 8)
echo "$full"
# Half load is half the rate just measured, paced (--rate) over the same 8 clients: fewer clients
# running flat out would still saturate the machine, and their p99 would be a full-load one.
half_rate=$(python3 -c "import sys; print(round(float(sys.argv[1]) / 2, 1))" "$(field "$full" transitions_per_second)")
echo "==> dakflow bench transitions, 8 clients paced at $half_rate/s (half load)"
half=$(bench transitions --clients 8 --rate "$half_rate")
echo "$half"
profiler=""
if [[ -n "${BENCH_PPROF:-}" ]]; then
	(sleep 3 && curl -fs "http://127.0.0.1:$((port+1))/debug/pprof/profile?seconds=10" -o "$out/deadline.pprof") &
	profiler=$!
fi
echo "==> dakflow bench deadline, 200 clients"
d200=$(bench deadline --clients 200)
echo "$d200"
[[ -n "$profiler" ]] && wait "$profiler"
echo "==> dakflow bench deadline, 500 clients"
d500=$(bench deadline --clients 500)
echo "$d500"

# pgbench again, with the server stopped: the first run is now and then disturbed (about 1,000 TPS
# where the machine gives 2,500 and more, every other run of an afternoon), which made the ratios look
# better than they were. The ratios are taken against the higher of the two.
kill $server 2>/dev/null; wait $server 2>/dev/null || true
checkpoint
pg_last=$(pgbench_tps)
echo "pgbench -N again: $pg_last TPS"
pg_tps=$(python3 -c "import sys; print(max(float(sys.argv[1]), float(sys.argv[2])))" "$pg_first" "$pg_last")

# The last column tells a slower machine from a slower build: the same build
# on a busier host takes more CPU per transition, and its latencies follow.
# Ratios have three decimals, and each line says whether its target was met:
# with two, 0.0951 printed as 0.10 beside a target of 0.1.
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.3f}')" "$1" "$pg_tps"; }
verdict() { python3 -c "import sys; print('met' if eval(sys.argv[1]) else 'MISSED')" "$1"; }
full_ok=$(verdict "$(field "$full" transitions_per_second) / $pg_tps >= 0.2")
half_ok=$(verdict "$(field "$half" p99_ms) <= 25")
d200_ok=$(verdict "$(field "$d200" transitions_per_second) / $pg_tps >= 0.1 and $(field "$d200" errors) == 0")
d500_ok=$(verdict "$(field "$d500" errors) == 0")
cat <<EOF

| scenario | result | vs pgbench -N ($pg_tps TPS, the higher of $pg_first and $pg_last) | target | server CPU per transition |
|---|---|---|---|---|
| transitions, 8 clients | $(field "$full" transitions_per_second | cut -d. -f1)/s, p99 $(field "$full" p99_ms) ms, $(field "$full" errors) errors | **$(ratio "$(field "$full" transitions_per_second)")×** | ≥ 0.2×: $full_ok | $(field "$full" server_cpu_ms_per_transition) ms |
| transitions at half that rate (8 clients, paced) | $(field "$half" transitions_per_second | cut -d. -f1)/s, p99 $(field "$half" p99_ms) ms | | p99 ≤ 25 ms: $half_ok | $(field "$half" server_cpu_ms_per_transition) ms |
| deadline day, 200 clients | $(field "$d200" transitions_per_second | cut -d. -f1) submissions/s, p99 $(field "$d200" p99_ms) ms, $(field "$d200" errors) errors | **$(ratio "$(field "$d200" transitions_per_second)")×** | ≥ 0.1×, 0 errors: $d200_ok | $(field "$d200" server_cpu_ms_per_transition) ms |
| deadline day, 500 clients | $(field "$d500" transitions_per_second | cut -d. -f1) submissions/s, p99 $(field "$d500" p99_ms) ms, $(field "$d500" errors) errors, server RSS $(( $(field "$d500" server_rss_bytes) >> 20 )) MiB | $(ratio "$(field "$d500" transitions_per_second)")× | 0 errors: $d500_ok | $(field "$d500" server_cpu_ms_per_transition) ms |
EOF
