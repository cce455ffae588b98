#!/usr/bin/env bash
# Runs one integration suite against the real binary:
#   run_suite.bash SUITE.bash PATH/TO/credenza SOURCE_DIR
# A suite is a list of tests, each starting with TEST "a sentence saying what must hold".
# Every test runs in a fresh empty directory ($WORK) with CREDENZA_* cleared.
set -u

SUITE=$1
CREDENZA=$(realpath "$2")
SOURCE_DIR=$(realpath "$3")
DATA=$SOURCE_DIR/tests/data
PYTHON=/usr/bin/python3
export CREDENZA SOURCE_DIR DATA PYTHON

# The suites read English messages and UTC times, whatever the machine's locale and zone: gettext
# takes LANGUAGE over LC_ALL (but not under the C locale), LC_ALL over LC_MESSAGES and LANG. The
# Italian suite (italian.bash) sets its own.
unset LANGUAGE LC_MESSAGES
export LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/credenza-suite.XXXXXX")
FAILED=0
PASSED=0
CURRENT=""
CURRENT_FAILED=0

cleanup() {
    [ -n "${CLEANUP_HOOK:-}" ] && $CLEANUP_HOOK
    rm -rf "$ROOT"
}
trap cleanup EXIT

finish_test() {
    if [ -n "$CURRENT" ]; then
        if [ "$CURRENT_FAILED" -eq 0 ]; then
            PASSED=$((PASSED + 1))
            echo "ok   - $CURRENT"
        else
            FAILED=$((FAILED + 1))
            echo "FAIL - $CURRENT"
        fi
    fi
}

# TEST "sentence": closes the previous test and starts a new one in a fresh directory.
TEST() {
    finish_test
    CURRENT=$1
    CURRENT_FAILED=0
    WORK=$ROOT/$((PASSED + FAILED + 1))
    mkdir -p "$WORK"
    cd "$WORK" || exit 1
    for variable in $(env | sed -n 's/^\(CREDENZA_[A-Z_]*\)=.*/\1/p'); do
        unset "$variable"
    done
}

fail() {
    CURRENT_FAILED=1
    echo "    $*"
}

# credenza ARGS...: runs the binary; output in $WORK/out and $WORK/err, status in $STATUS.
credenza() {
    "$CREDENZA" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    STATUS=$?
}

# credenza_stdin TEXT ARGS...: the same, with TEXT on standard input.
credenza_stdin() {
    local input=$1
    shift
    printf '%s' "$input" | "$CREDENZA" "$@" >"$WORK/out" 2>"$WORK/err"
    STATUS=$?
}

expect_status() {
    if [ "$STATUS" != "$1" ]; then
        fail "expected exit status $1, got $STATUS"
        sed 's/^/    stdout: /' "$WORK/out" | head -20
        sed 's/^/    stderr: /' "$WORK/err" | head -20
    fi
}

# expect_out / expect_err TEXT: a fixed string that must occur.
expect_out() { grep -qF -- "$1" "$WORK/out" || fail "stdout lacks '$1'"; }
expect_err() { grep -qF -- "$1" "$WORK/err" || fail "stderr lacks '$1'"; }
expect_no_out() { ! grep -qF -- "$1" "$WORK/out" || fail "stdout unexpectedly has '$1'"; }
expect_no_err() { ! grep -qF -- "$1" "$WORK/err" || fail "stderr unexpectedly has '$1'"; }

# expect_equal ACTUAL EXPECTED [what]
expect_equal() {
    [ "$1" == "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

# sql QUERY: runs a query on ./credenza.db with the sqlite3 shell.
sql() {
    sqlite3 -batch -noheader "${DB:-credenza.db}" "$1"
}

# A school database in the current directory, with the fast KDF cost for tests.
init_school() {
    cat >credenza.conf <<CONF
[credentials]
kdf_memlimit_mib = 19
kdf_opslimit = 2
CONF
    export CREDENZA_CONFIG=$WORK/credenza.conf
    credenza init --school-code 87004020589 --school-name 'ITIS "G. Vallauri"' \
        --portal-url 'https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589' \
        --mail-from segreteria@itisvallauri.edu.it --domain itisvallauri.edu.it
    expect_status 0
}

# shellcheck disable=SC1090
source "$SUITE"
finish_test
echo "$(basename "$SUITE" .bash): $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
