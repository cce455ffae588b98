#!/bin/sh
# CTest runs each doctest case as its own test, selected by name. A ';' in a name splits it as a
# CMake list: that test would select no case and pass without running anything (33 cases did so
# before this check). Fails naming each such case.
#   unit_case_names.sh UNIT_BINARY
if "$1" --list-test-cases --no-version | grep -n ';'; then
    echo "unit_case_names: a unit test case name above has a ';': CTest would run nothing for it" >&2
    exit 1
fi
