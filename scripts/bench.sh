#!/usr/bin/env bash
# scripts/bench.sh — PRODUCT.md §7's throughput targets, measured side by side in one run.
#
#   scripts/bench.sh                 against one `dakflow serve` on PostgreSQL: `dakflow bench transitions`
#                                    at 8 clients BENCH_PAIRS times (3 by default), each run between two runs
#                                    of pgbench -N (8 clients), its ratio taken against the mean of the two;
#                                    then 8 clients paced at half the median rate (the half-load p99), and
#                                    `dakflow bench deadline` at 200 and 500 clients, then pgbench -N again
#                                    (server stopped), and pgbench -N paced at half its own rate (the host's
#                                    tail, beside the half-load p99); prints every pair's ratio and the median's
#                                    verdict, and the share of CPU time the host stole during each run; the
#                                    half-load run's transitions, one row each, in bench-out/half-load.csv
#   BENCH_SECONDS=30 scripts/bench.sh   longer runs (default 15 s each, after BENCH_WARMUP=3 s unmeasured)
#   BENCH_PPROF=1 scripts/bench.sh      also saves a 10 s CPU profile of the server under the deadline
#                                    load to bench-out/deadline.pprof (`go tool pprof -top` prints it)
#
# Needs a running PostgreSQL and a role that may create databases, by default the one .ci/run makes:
# BENCH_PG=postgres://dakflow:dakflow@127.0.0.1:5432 (databases dakflow_bench and dakflow_pgbench are
# dropped and created anew), and pgbench (Debian's postgresql-client / postgresql-15).
# The figures are ratios because the machines are noisy: only numbers of the same run compare. A shared
# host moves by a fifth within minutes (the same build measured 430 and 620 transitions a second within
# the hour, pgbench 2,000 and 3,000 TPS), so each transitions run is set against the pgbench runs just
# before and after it, and the verdict is the median of the pairs: one disturbed run, either side's,
# moves it no more than it should.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -d /usr/local/go/bin ]] && export PATH="/usr/local/go/bin:$PATH"
[[ -d /usr/lib/postgresql/15/bin ]] && export PATH="$PATH:/usr/lib/postgresql/15/bin"

pg="${BENCH_PG:-postgres://dakflow:dakflow@127.0.0.1:5432}"
secs="${BENCH_SECONDS:-15}"
pairs="${BENCH_PAIRS:-3}"
[[ "$pairs" =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_PAIRS: a number of transitions runs, 1 or more (got $pairs)" >&2; exit 2; }
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
# The host's steal: the share of this machine's CPU time its hypervisor gave to others while a run ran
# (/proc/stat), one line per run in $out/steal in the order they ran. On a shared host it explains a slow
# run or a long p99 better than any figure of dakflow's: a transitions run at half load met 16 ms with
# 3 % stolen and missed at 47 ms with 12 % on the same build within the same half hour.
cpu_ticks() { awk '/^cpu / {print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
: >"$out/steal"
stealing() {
	local before after rc=0
	before=$(cpu_ticks)
	"$@" || rc=$?
	after=$(cpu_ticks)
	python3 -c "import sys; s0, t0, s1, t1 = map(int, sys.argv[1:]); print(f'{100 * (s1 - s0) / max(t1 - t0, 1):.0f} %')" $before $after >>"$out/steal"
	return $rc
}
steal_of() { sed -n "${1}p" "$out/steal"; } # steal_of N: the N-th run's steal
pgbench_run() { checkpoint && pgbench -N -c 8 -j 2 -T "$secs" "$pg/dakflow_pgbench" 2>/dev/null | awk '/^tps/ {printf "%.0f\n", $3; exit}'; }
pgbench_tps() { stealing pgbench_run; }
pg_runs=("$(pgbench_tps)")
echo "pgbench -N: ${pg_runs[0]} TPS"

go build -o "$out/dakflow" ./cmd/dakflow
export DAKFLOW_DATABASE_URL="$pg/dakflow_bench?sslmode=disable" DAKFLOW_DATA_DIR="$out/data" DAKFLOW_LOG_LEVEL=warn
rm -rf "$out/data"
"$out/dakflow" seed demo >/dev/null
checkpoint
"$out/dakflow" serve --addr "127.0.0.1:$port" --base-url "http://127.0.0.1:$port" --pprof-addr "127.0.0.1:$((port+1))" >"$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
	sleep 0.2
done

# Each run starts from a checkpoint, and first loads the server for BENCH_WARMUP seconds (3 by default) without measuring, as pgbench
# runs on an initialised database: the clients' first proposals, prepared statements and caches.
bench_run() { checkpoint && "$out/dakflow" bench "$@" --url "http://127.0.0.1:$port" --warmup "${BENCH_WARMUP:-3}s" --duration "${secs}s" --json; }
bench() { stealing bench_run "$@"; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

fulls=()
for i in $(seq "$pairs"); do
	echo "==> dakflow bench transitions, 8 clients ($i of $pairs)"
	fulls+=("$(bench transitions --clients 8)")
	echo "${fulls[-1]}"
	pg_runs+=("$(pgbench_tps)")
	echo "pgbench -N: ${pg_runs[-1]} TPS (dakflow serve idle)"
done
# pair_ratio i: the i-th transitions run (from 0) against the mean of the pgbench runs before and after it.
pair_ratio() { python3 -c "import json,sys; print(json.loads(sys.argv[1])['transitions_per_second'] / ((float(sys.argv[2]) + float(sys.argv[3])) / 2))" "${fulls[$1]}" "${pg_runs[$1]}" "${pg_runs[$(($1 + 1))]}"; }
ratios=()
for i in $(seq 0 $((pairs - 1))); do ratios+=("$(pair_ratio "$i")"); done
median_ratio=$(python3 -c "import statistics,sys; print(statistics.median(float(a) for a in sys.argv[1:]))" "${ratios[@]}")
# The median run stands for the full load: its rate halved paces the half-load run, its line is the table's.
mid=$(python3 -c "import sys; r=[float(a) for a in sys.argv[1:]]; print(sorted(range(len(r)), key=r.__getitem__)[(len(r) - 1) // 2])" "${ratios[@]}")
full="${fulls[$mid]}"
# Half load is half the rate just measured, paced (--rate) over the same 8 clients: fewer clients
# running flat out would still saturate the machine, and their p99 would be a full-load one.
half_rate=$(python3 -c "import sys; print(round(float(sys.argv[1]) / 2, 1))" "$(field "$full" transitions_per_second)")
echo "==> dakflow bench transitions, 8 clients paced at $half_rate/s (half load)"
half=$(bench transitions --clients 8 --rate "$half_rate" --latencies "$out/half-load.csv")
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

# pgbench again, with the server stopped: the deadline runs are set against the mean of this one and the
# last one before them.
kill $server 2>/dev/null || true; wait $server 2>/dev/null || true
pg_runs+=("$(pgbench_tps)")
echo "pgbench -N again: ${pg_runs[-1]} TPS"
pg_deadline=$(python3 -c "import sys; print(round((float(sys.argv[1]) + float(sys.argv[2])) / 2))" "${pg_runs[-2]}" "${pg_runs[-1]}")

# The host's own tail at half load: pgbench -N paced (-R) at half the mean of its runs, each transaction's
# time from its log, less its schedule lag (the time it waited for its turn, as a paced dakflow bench never
# counts: a tick nobody takes is dropped). PostgreSQL alone, five statements a transaction, on the same
# machine: what its p99 is above its p50 is the host's, and dakflow's half-load p99 stands beside it.
pg_half_rate=$(python3 -c "import statistics,sys; print(round(statistics.mean(float(a) for a in sys.argv[1:]) / 2))" "${pg_runs[@]}")
pgbench_half() {
	rm -rf "$out/pgbench-half" && mkdir -p "$out/pgbench-half" && checkpoint &&
		pgbench -N -c 8 -j 2 -T "$secs" -R "$pg_half_rate" --log --log-prefix="$out/pgbench-half/tx" "$pg/dakflow_pgbench" >/dev/null 2>&1
}
echo "==> pgbench -N paced at $pg_half_rate/s (half its rate)"
# A context figure: if it cannot be had, the table says so rather than the script stopping without one.
stealing pgbench_half || echo "(pgbench -N -R failed: the host's tail is not measured)" >&2
pg_half=$({ cat "$out"/pgbench-half/tx* 2>/dev/null || true; } | python3 -c "
import sys
t = sorted(int(f[2]) - int(f[6]) for f in (line.split() for line in sys.stdin) if len(f) >= 7)
print(f'p50 {t[(len(t) - 1) // 2] / 1000:.1f} ms, p99 {t[int(0.99 * (len(t) - 1))] / 1000:.1f} ms' if t else 'not measured')")
echo "pgbench -N at $pg_half_rate/s: $pg_half"

# The last column tells a slower machine from a slower build: the same build
# on a busier host takes more CPU per transition, and its latencies follow.
# Ratios have three decimals, and each line says whether its target was met:
# with two, 0.0951 printed as 0.10 beside a target of 0.1.
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.3f}')" "$1" "$2"; }
verdict() { python3 -c "import sys; print('met' if eval(sys.argv[1]) else 'MISSED')" "$1"; }
full_ok=$(verdict "$median_ratio >= 0.2")
half_ok=$(verdict "$(field "$half" p99_ms) <= 25")
d200_ok=$(verdict "$(field "$d200" transitions_per_second) / $pg_deadline >= 0.1 and $(field "$d200" errors) == 0")
d500_ok=$(verdict "$(field "$d500" errors) == 0")
echo
# The steal lines, in the order the runs ran: pgbench, then each transitions run and the pgbench after
# it, then half load, deadline 200 and 500, the last pgbench and pgbench at half its rate.
half_n=$((2 * pairs + 2))
echo "| transitions run, 8 clients | result | pgbench -N before / after | ratio to their mean | server CPU per transition | host steal: run (pgbench before / after) |"
echo "|---|---|---|---|---|---|"
for i in $(seq 0 $((pairs - 1))); do
	f="${fulls[$i]}"
	echo "| $((i + 1)) | $(field "$f" transitions_per_second | cut -d. -f1)/s, p99 $(field "$f" p99_ms) ms, $(field "$f" errors) errors | ${pg_runs[$i]} / ${pg_runs[$((i + 1))]} TPS | $(ratio "${ratios[$i]}" 1)× | $(field "$f" server_cpu_ms_per_transition) ms | $(steal_of $((2 * i + 2))) ($(steal_of $((2 * i + 1))) / $(steal_of $((2 * i + 3)))) |"
done
cat <<EOF

| scenario | result | vs pgbench -N | target | server CPU per transition | host steal |
|---|---|---|---|---|---|
| transitions, 8 clients: the median of $pairs runs | $(field "$full" transitions_per_second | cut -d. -f1)/s, p99 $(field "$full" p99_ms) ms, $(field "$full" errors) errors | **$(ratio "$median_ratio" 1)×** (each run against the pgbench runs either side) | ≥ 0.2×: $full_ok | $(field "$full" server_cpu_ms_per_transition) ms | $(steal_of $((2 * mid + 2))) |
| transitions at half that rate (8 clients, paced) | $(field "$half" transitions_per_second | cut -d. -f1)/s, p50 $(field "$half" p50_ms) ms, p99 $(field "$half" p99_ms) ms | pgbench -N paced at half its rate ($pg_half_rate/s): $pg_half | p99 ≤ 25 ms: $half_ok | $(field "$half" server_cpu_ms_per_transition) ms | $(steal_of $half_n) (pgbench: $(steal_of $((half_n + 4)))) |
| deadline day, 200 clients | $(field "$d200" transitions_per_second | cut -d. -f1) submissions/s, p99 $(field "$d200" p99_ms) ms, $(field "$d200" errors) errors | **$(ratio "$(field "$d200" transitions_per_second)" "$pg_deadline")×** (against $pg_deadline TPS, the mean of ${pg_runs[-2]} and ${pg_runs[-1]}) | ≥ 0.1×, 0 errors: $d200_ok | $(field "$d200" server_cpu_ms_per_transition) ms | $(steal_of $((half_n + 1))) (pgbench after: $(steal_of $((half_n + 3)))) |
| deadline day, 500 clients | $(field "$d500" transitions_per_second | cut -d. -f1) submissions/s, p99 $(field "$d500" p99_ms) ms, $(field "$d500" errors) errors, server RSS $(( $(field "$d500" server_rss_bytes) >> 20 )) MiB | $(ratio "$(field "$d500" transitions_per_second)" "$pg_deadline")× | 0 errors: $d500_ok | $(field "$d500" server_cpu_ms_per_transition) ms | $(steal_of $((half_n + 2))) |
EOF
