#!/usr/bin/env bash
# Filters `ctest -V` output: keeps GoogleTest's per-test failures and summary lines and
# CTest's closing summary, drops the rest; exits non-zero when ctest reported a failure.
set -o pipefail
status=0
seen_summary=0
while IFS= read -r line; do
  line=${line#*: }  # ctest -V prefixes lines with "N: "
  case "$line" in
    *"[  FAILED  ]"*|*"[  PASSED  ]"*|*"[==========]"*|*"tests passed"*|*"tests failed"*|*"Total Test time"*|*"The following tests FAILED"*|*"(Failed)"*|*"Failure"*|*"ERROR: AddressSanitizer"*|*"runtime error:"*|*"SUMMARY:"*)
      echo "$line" ;;
  esac
  case "$line" in
    *"tests failed out of"*) seen_summary=1; [[ "$line" == *" 0 tests failed"* ]] || status=1 ;;
  esac
done
if [ $seen_summary -eq 0 ]; then
  echo "ctest printed no summary: the test run did not complete" >&2
  status=1
fi
exit $status
