#!/usr/bin/env bash
# A front end built against an INSTALLED libcredenza, as the register's web front end would be:
#   frontend.bash BUILD_DIR SOURCE_DIR PATH/TO/credenza
# cmake --install into a temporary prefix; examples/frontend configured there with
# find_package(credenza CONFIG) and, separately, compiled with pkg-config; then run against a
# school made with the CLI: a letter's password verifies, a wrong one does not, and "Password
# dimenticata?" queues a recovery letter.
set -u
BUILD=$(realpath "$1")
SOURCE=$(realpath "$2")
CREDENZA=$(realpath "$3")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/credenza-install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PASSED=0
FAILED=0
check() { # check DESCRIPTION COMMAND...
    local description=$1
    shift
    if "$@" >>"$WORK/log" 2>&1; then
        PASSED=$((PASSED + 1))
        echo "ok   - $description"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL - $description"
        tail -n 30 "$WORK/log" | sed 's/^/    /'
    fi
}

PREFIX=$WORK/prefix
check "cmake --install puts the library, its headers, a CMake package and a pkg-config file in the prefix" \
    bash -c "cmake --install '$BUILD' --prefix '$PREFIX' >/dev/null &&
             test -f '$PREFIX/lib/libcredenza.a' && test -f '$PREFIX/include/credenza/session.hpp' &&
             test -f '$PREFIX/include/credenza/version.hpp' &&
             test -f '$PREFIX/lib/cmake/credenza/credenzaConfig.cmake' &&
             test -f '$PREFIX/lib/pkgconfig/credenza.pc'"

check "cmake --install also puts the command, its compressed man pages, the completion, the configuration, the systemd units and the docs in the prefix" \
    bash -c "test -x '$PREFIX/bin/credenza' && test -s '$PREFIX/share/man/man1/credenza-send.1.gz' &&
             gzip -t '$PREFIX/share/man/man5/credenza.conf.5.gz' &&
             test -s '$PREFIX/share/bash-completion/completions/credenza' &&
             grep -qx 'db = /var/lib/credenza/credenza.db' '$PREFIX/etc/credenza/credenza.conf' &&
             test -s '$PREFIX/lib/systemd/system/credenza-send.timer' &&
             test -s '$PREFIX/share/doc/credenza/README.md' && test -s '$PREFIX/share/doc/credenza/cron.example'"

check "examples/frontend builds with find_package(credenza CONFIG) against the installed copy" \
    bash -c "cmake -S '$SOURCE/examples/frontend' -B '$WORK/frontend' -G Ninja -DCMAKE_PREFIX_PATH='$PREFIX' \
                 -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build '$WORK/frontend' >/dev/null"

check "the installed headers do not need the source tree: no path of it in the package" \
    bash -c "! grep -rq '$SOURCE' '$PREFIX/lib/cmake/credenza' '$PREFIX/lib/pkgconfig'"

check "the installed headers mention no SQLite: storage stays behind the library's repositories" \
    bash -c "! grep -rqE '#include <(SQLiteCpp|sqlite3)|SQLite::' '$PREFIX/include/credenza'"

check "pkg-config gives what a Makefile needs to build the same front end" \
    bash -c "PKG_CONFIG_PATH='$PREFIX/lib/pkgconfig' pkg-config --exists credenza &&
             g++ -std=c++20 -o '$WORK/frontend-pc' '$SOURCE/examples/frontend/main.cpp' \
                 \$(PKG_CONFIG_PATH='$PREFIX/lib/pkgconfig' pkg-config --cflags --libs credenza)"

# A school with one family's letter in ./outbox, made with the CLI.
cd "$WORK" || exit 1
cat >credenza.conf <<CONF
[credentials]
kdf_memlimit_mib = 19
kdf_opslimit = 2
CONF
export CREDENZA_CONFIG=$WORK/credenza.conf CREDENZA_DB=$WORK/credenza.db
{
    "$CREDENZA" init --school-code 87004020589 --school-name 'ITIS Vallauri' \
        --portal-url 'https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589' \
        --mail-from segreteria@itisvallauri.edu.it --domain itisvallauri.edu.it &&
        "$CREDENZA" import "$SOURCE/tests/data/enrolment_2025.csv" --year 2025/2026 &&
        "$CREDENZA" issue --class 5A --kind family && "$CREDENZA" send
} >>"$WORK/log" 2>&1
letter=$(/usr/bin/python3 "$SOURCE/tests/tools/letters.py" outbox | head -n 1)
code=$(cut -f3 <<<"$letter")
password=$(cut -f4 <<<"$letter")

check "the front end accepts the password of the letter (exit 0)" \
    bash -c "printf '%s\n' '$password' | '$WORK/frontend/frontend' verify '$code' | grep -q welcome"
check "the front end refuses a wrong password (exit 1)" \
    bash -c "printf 'wrong-password\n' | '$WORK/frontend/frontend' verify '$code'; test \$? -eq 1"
check "the front end built with pkg-config gives the same answer" \
    bash -c "printf '%s\n' '$password' | '$WORK/frontend-pc' verify '$code' | grep -q welcome"
check "the front end's recovery queues one recovery letter, audited with the front end as operator" \
    bash -c "'$WORK/frontend/frontend' recover '$code' &&
             test \"\$(sqlite3 credenza.db \"SELECT count(*) FROM letter WHERE purpose = 'recovery'\")\" = 1 &&
             sqlite3 credenza.db \"SELECT operator FROM audit WHERE action LIKE 'recover%'\" | grep -qx web"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
