#!/usr/bin/env bash
# Filters `ctest -V` output: keeps GoogleTest's failures (with a few lines of their message),
# its summary lines and CTest's closing summary; exits non-zero when ctest reported a
# failure or printed no summary at all.
status=0
seen_summary=0
context=0  # lines still to show after a failure, so its message is visible
while IFS= read -r line; do
  line=${line#*: }  # ctest -V prefixes lines with "N: "
  case "$line" in
    *"tests failed out of"*)
      seen_summary=1
      [[ "$line" == *" 0 tests failed"* ]] || status=1 ;;
  esac
  case "$line" in
    *": Failure"*|"Failure"*|*"C++ exception"*)
      echo "$line"; context=6 ;;
    *"[  FAILED  ]"*|*"[  PASSED  ]"*|*"[==========]"*|*"tests passed"*|*"tests failed"*|*"Total Test time"*|*"The following tests FAILED"*|*"(Failed)"*|*"ERROR: AddressSanitizer"*|*"ERROR: LeakSanitizer"*|*"runtime error:"*|*"SUMMARY:"*)
      echo "$line"; context=0 ;;
    *)
      if [ $context -gt 0 ]; then
        echo "    $line"
        context=$((context - 1))
      fi ;;
  esac
done
if [ $seen_summary -eq 0 ]; then
  echo "ctest printed no summary: the test run did not complete" >&2
  status=1
fi
exit $status
