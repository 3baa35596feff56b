#!/bin/sh
# fuzz.sh runs every fuzz target of the module for a fixed time and
# prints the executions of each.
#
#	scripts/fuzz.sh [seconds] [pattern]
#
# seconds is the time of each target (60 by default); pattern, a regular
# expression, keeps the targets whose package path or name it matches.
# It fails when a target fails, or runs fewer than FUZZ_MIN_EXECS
# executions (10000 by default): a target that slow tests little.
#
# Go's fuzzer minimizes each new input it finds, trying to remove every
# span of its bytes: that takes time in the square of the input's length,
# and by default up to a minute per input, during which nothing else is
# tried. The targets bound their inputs; this script also bounds the
# minimizing, to FUZZ_MINIMIZE (5s by default). A failing input is
# written to the package's testdata/fuzz; go test -run=Target/name runs
# it again, and go test -fuzz=Target -fuzzminimizetime=1m minimizes it
# further. Run it from anywhere in the module.
set -u

seconds=${1:-60}
pattern=${2:-.}
min=${FUZZ_MIN_EXECS:-10000}
minimize=${FUZZ_MINIMIZE:-5s}

cd "$(dirname "$0")/.." || exit 2
root=$(go list -m) || exit 2
log=$(mktemp -d) || exit 2
trap 'rm -rf "$log"' EXIT

# Every "func FuzzXxx(" of a test file, as "dir name".
targets=$(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' . |
	while read -r file; do
		dir=$(dirname "$file")
		sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$file" | while read -r name; do
			echo "${dir#./} $name"
		done
	done | sort | grep -E -- "$pattern")
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz target matches $pattern" >&2
	exit 2
fi

status=0
printf '%-32s %-24s %12s %10s  %s\n' package target executions per-second result
echo "$targets" | while read -r dir name; do
	out="$log/$(echo "$dir.$name" | tr / _).txt"
	go test -run '^$' -fuzz "^$name\$" -fuzztime "${seconds}s" -fuzzminimizetime "$minimize" "./$dir" >"$out" 2>&1
	code=$?
	# The last progress line: "fuzz: elapsed: 1m0s, execs: 123456 (2057/sec), ..."
	execs=$(sed -nE 's/.*execs: ([0-9]+) .*/\1/p' "$out" | tail -n 1)
	execs=${execs:-0}
	rate=$((execs / seconds))
	result=ok
	if [ "$code" -ne 0 ]; then
		result=FAIL
	elif [ "$execs" -lt "$min" ]; then
		result="SLOW (under $min)"
	fi
	printf '%-32s %-24s %12s %10s  %s\n' "${dir:-.}" "$name" "$execs" "$rate" "$result"
	if [ "$result" != ok ]; then
		sed -n '1,40p' "$out" | sed 's/^/    /'
		echo fail >>"$log/failed"
	fi
done
if [ -e "$log/failed" ]; then
	status=1
fi
echo "module $root: $(echo "$targets" | wc -l) targets, ${seconds}s each"
exit $status
