#!/usr/bin/env bash
# replay.sh - replays every fuzz target's seed corpus (tests/fuzz/corpus/NAME)
# through its replay_NAME program, so make check runs the fuzzers' inputs.
set -u
src=${CELLDESK_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=$(dirname "${CELLDESK:-./celldesk}")
status=0
for target in date conf text protocol scan temp_csv fhir; do
	if ! "$build/tests/fuzz/replay_$target" "$src/tests/fuzz/corpus/$target"; then
		echo "FAIL: fuzz corpus $target"
		status=1
	fi
done
exit $status
