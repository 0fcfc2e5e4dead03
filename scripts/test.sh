#!/usr/bin/env bash
# scripts/test.sh — the one test command for dakflow.
#
#   scripts/test.sh                      vet, then test every package on SQLite, and every package
#                                        whose tests open a database on PostgreSQL
#   scripts/test.sh -run TestFire        extra arguments go to `go test`
#   scripts/test.sh ./internal/store -v  package paths replace ./...
#
# It runs `go vet`, then `go test -count=1` twice, side by side: once with
# DAKFLOW_TEST_DATABASE=sqlite under -race and once with
# DAKFLOW_TEST_DATABASE=postgres (-race too with DAKFLOW_PG_RACE=1)
# (DAKFLOW_SERIAL_PASSES=1: one after the other, their output as it comes); a full run
# takes the browser tests out of the -race pass into a normal build of their own
# (DAKFLOW_BROWSER_RACE=1 keeps them under -race).
# The PostgreSQL run needs DAKFLOW_TEST_POSTGRES_URL, for example
#   postgres://dakflow:dakflow@127.0.0.1:5432/dakflow_test?sslmode=disable
# Without it the PostgreSQL run is left out with a clear message; under CI
# (CI set and not "false"/"0") that is a failure, never a silent skip.
# Tests also need pdftotext (poppler-utils) and, for browser tests, /usr/bin/chromium.
#
# After the test runs, a full run (no arguments) fuzzes every `func Fuzz…` target of
# internal/ for DAKFLOW_FUZZTIME each (default 2s; 0 skips; 10m for a long hunt), one
# target per `go test -fuzz` (go allows one per invocation), on SQLite; their instrumented builds start
# at low priority beside the test runs. Setting
# DAKFLOW_FUZZTIME also fuzzes after a partial run, the targets of the packages given. A crash fails the run and leaves
# its input in testdata/fuzz/<FuzzName>/ of the package: commit it with the fix.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -d /usr/local/go/bin ]]; then
	export PATH="/usr/local/go/bin:$PATH"
fi

in_ci() {
	[[ -n "${CI:-}" && "${CI}" != "false" && "${CI}" != "0" ]]
}

# Split the arguments: package patterns (./x, ../x, dakflow/...) replace ./...;
# everything else is passed to `go test` as flags.
# A flag written as "-flag value" keeps its value, so `-run ./x` stays a flag.
pkgs=()
flags=()
want_value=false
for arg in "$@"; do
	if $want_value; then
		flags+=("$arg")
		want_value=false
		continue
	fi
	case "$arg" in
	-v | -short | -race | -json | -cover | -failfast | -benchmem | -fullpath | -x | -n | -a | -trimpath | -*=*)
		flags+=("$arg") ;;
	-*) flags+=("$arg") && want_value=true ;;
	./* | ../* | . | dakflow | dakflow/*) pkgs+=("$arg") ;;
	*) flags+=("$arg") ;;
	esac
done
if [[ ${#pkgs[@]} -eq 0 ]]; then
	pkgs=(./...)
fi

echo "==> go version: $(go version)"
echo "==> go vet ${pkgs[*]}"
go vet "${pkgs[@]}"

failed=()

# The race detector watches the Go code, which is the same on both engines:
# the SQLite pass runs under -race, the PostgreSQL pass at full speed (its
# subject is the engine: row locks, isolation, constraints, real concurrent
# transactions), which keeps the whole run within CI's 15 minutes on two
# cores. DAKFLOW_PG_RACE=1 runs the PostgreSQL pass under -race too.
# -race also turns on checkptr, which checks every unsafe.Pointer conversion as it runs: dakflow has
# none, and the transpiled SQLite driver is made of them (an eighth of a -race test's time went to the
# checks). The race detector itself is unchanged. DAKFLOW_CHECKPTR=1 keeps them.
race_flags=(-race -gcflags=all=-d=checkptr=0)
if [[ -n "${DAKFLOW_CHECKPTR:-}" ]]; then
	race_flags=(-race)
fi

run_tests() {
	local db="$1" race=("${race_flags[@]}")
	shift
	if [[ "$db" == postgres && -z "${DAKFLOW_PG_RACE:-}" ]]; then
		race=()
	fi
	if [[ "$db" == browser ]]; then # the browser tests, on SQLite, in a normal build (see below)
		db=sqlite race=()
	fi
	echo
	echo "==> go test ${race[*]:-} (DAKFLOW_TEST_DATABASE=$db) $* ${flags[*]:-}"
	DAKFLOW_TEST_DATABASE="$db" go test "${race[@]}" -count=1 -timeout 20m "${flags[@]}" "$@"
}

# In a full run the browser tests (headless Chromium through the pages; SQLite only) run in a pass of
# their own in a normal build, beside the others: most of their time is Chromium and the pages' own
# rendering, which -race only slows (the same handlers run under -race in the HTTP tests), and under
# -race they were a third of internal/web's time. DAKFLOW_BROWSER_RACE=1 keeps them in the -race pass.
browser_tests='Browser|FitTheScreen'
split_browser=false
if [[ $# -eq 0 && -z "${DAKFLOW_BROWSER_RACE:-}" ]]; then
	split_browser=true
fi

# db_packages prints the packages among those given whose tests open a
# database (they import store/dbtest or web/apitest). The PostgreSQL pass
# runs only these: the others never touch a database, and already ran in
# the SQLite pass.
db_packages() {
	go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' "${pkgs[@]}" |
		awk '/internal\/store\/dbtest|internal\/web\/apitest/ { print $1 }'
}

# fuzz_targets prints "package target" for every fuzz target under internal/.
fuzz_targets() {
	grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' internal |
		sed -E 's|^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)$|./\1 \2|' | sort -u
}

# fuzz_in_pkgs keeps the targets of the package paths given (all for ./...).
fuzz_in_pkgs() {
	local pkg target p
	while read -r pkg target; do
		for p in "${pkgs[@]}"; do
			if [[ "$p" == ./... || "$p" == */... && "$pkg/" == "${p%...}"* || "${p%/}" == "$pkg" || "$p" == "${pkg#./}" || "$p" == "dakflow/${pkg#./}" ]]; then
				echo "$pkg $target"
				break
			fi
		done
	done
}

fuzztime="${DAKFLOW_FUZZTIME:-2s}"
want_fuzz=false
if [[ "$fuzztime" != "0" && "$fuzztime" != "0s" ]] && [[ $# -eq 0 || -n "${DAKFLOW_FUZZTIME:-}" ]]; then
	want_fuzz=true
fi

# A fuzz target's test binary is built with every package it imports instrumented for coverage: a build
# of its own, two to three minutes on a fresh machine for the packages that reach the database drivers.
# Those builds start now, at low priority beside the test passes (which leave a core idle now and then),
# and the fuzzing after the passes finds them in the build cache.
fuzz_prebuild=""
if $want_fuzz; then
	(fuzz_targets | fuzz_in_pkgs | awk '{ print $1 }' | sort -u | while read -r pkg; do
		nice -n 10 go test -c -fuzz . -o /dev/null "$pkg" >/dev/null 2>&1 || true # a failure shows in run_fuzz
	done) &
	fuzz_prebuild=$!
fi

# The two passes run side by side, each into a log of its own printed when
# both are done: most of a pass's time is one package (internal/web, with its
# browser walk) while the machine's other core idles, so together they take
# little longer than the slower one alone. DAKFLOW_SERIAL_PASSES=1 runs them
# one after the other, as before.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pass_pids=()
pass_names=()
start_pass() { # start_pass NAME DB PKGS...: runs in the background unless serial
	local name="$1"
	shift
	if [[ -n "${DAKFLOW_SERIAL_PASSES:-}" ]]; then
		run_tests "$@" || failed+=("$name")
		return
	fi
	run_tests "$@" >"$logs/$name.log" 2>&1 &
	pass_pids+=($!)
	pass_names+=("$name")
}

if $split_browser; then
	start_pass sqlite sqlite -skip "$browser_tests" "${pkgs[@]}"
	start_pass browser browser -run "$browser_tests" ./internal/web
else
	start_pass sqlite sqlite "${pkgs[@]}"
fi

if [[ -n "${DAKFLOW_TEST_POSTGRES_URL:-}" ]]; then
	mapfile -t pg_pkgs < <(db_packages)
	if [[ ${#pg_pkgs[@]} -eq 0 ]]; then
		echo
		echo "==> PostgreSQL pass: none of ${pkgs[*]} opens a database"
	else
		start_pass postgres postgres "${pg_pkgs[@]}"
	fi
else
	echo
	echo "==> PostgreSQL not configured: DAKFLOW_TEST_POSTGRES_URL is not set, so the PostgreSQL test run did NOT happen."
	echo "    Set it, e.g. DAKFLOW_TEST_POSTGRES_URL='postgres://dakflow:dakflow@127.0.0.1:5432/dakflow_test?sslmode=disable'"
	if in_ci; then
		echo "    CI is set: a missing PostgreSQL is a failure." >&2
		failed+=("postgres (not configured)")
	fi
fi

for i in "${!pass_pids[@]}"; do
	status=0
	wait "${pass_pids[$i]}" || status=$?
	cat "$logs/${pass_names[$i]}.log"
	if [[ $status -ne 0 ]]; then
		failed+=("${pass_names[$i]}")
	fi
done

# The memory target (PRODUCT.md §7: under 150 MB whatever the uploads and bodies) is measured
# without -race, whose shadow memory is resident too: a full run repeats TestMemoryUnderAbuse
# in a normal build (about 12 s) for each engine whose pass ran under -race (the PostgreSQL
# pass already measured it, unless DAKFLOW_PG_RACE is set).
if [[ $# -eq 0 ]]; then
	for db in sqlite postgres; do
		[[ "$db" == postgres && ( -z "${DAKFLOW_TEST_POSTGRES_URL:-}" || -z "${DAKFLOW_PG_RACE:-}" ) ]] && continue
		echo
		echo "==> go test (no -race, DAKFLOW_TEST_DATABASE=$db) -run '^TestMemoryUnderAbuse\$' ./cmd/dakflow"
		if ! DAKFLOW_TEST_DATABASE="$db" go test -count=1 -run '^TestMemoryUnderAbuse$' ./cmd/dakflow; then
			failed+=("memory $db")
		fi
	done
fi

run_fuzz() {
	local fuzztime="$1" pkg target n=0 fuzz_start=$SECONDS
	echo
	echo "==> fuzzing each target for $fuzztime (DAKFLOW_FUZZTIME; DAKFLOW_TEST_DATABASE=sqlite)"
	while read -r pkg target; do
		echo "--> $target $pkg"
		# go's fuzzing coordinator sometimes ends a short run with "context deadline exceeded"
		# and no failing input (a worker late to stop, not a finding): that run is repeated, up
		# to twice. A real crash writes its input under testdata/fuzz/ and fails at once.
		for attempt in 1 2 3; do
			if out=$(DAKFLOW_TEST_DATABASE=sqlite go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" </dev/null 2>&1); then
				echo "$out"
				break
			fi
			echo "$out"
			if ((attempt < 3)) && grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
				echo "--> $target: the fuzzing engine timed out without a failing input; running it again"
				continue
			fi
			failed+=("fuzz $target")
			break
		done
		n=$((n + 1))
	done < <(fuzz_targets | fuzz_in_pkgs)
	echo "==> fuzzed $n targets in $((SECONDS - fuzz_start))s"
}

if [[ "$fuzztime" == "0" || "$fuzztime" == "0s" ]]; then
	echo
	echo "==> fuzzing skipped (DAKFLOW_FUZZTIME=$fuzztime)"
elif $want_fuzz; then
	[[ -n "$fuzz_prebuild" ]] && wait "$fuzz_prebuild"
	run_fuzz "$fuzztime"
fi

echo
if [[ ${#failed[@]} -gt 0 ]]; then
	printf '==> FAILED: %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "==> all test runs passed"
