# sanitize
# The findings of the security review (issue 16) that are not verify's or recover's own: a
# database open to other users, core dumps, the send lock and the outbox against links, a change
# of secret racing a reset, the keyed audit chain.

LETTERS="$PYTHON $SOURCE_DIR/tests/tools/letters.py"

# school_with_family: enrolment_2025, the family letters of class 5A sent to ./outbox; $CODE and
# $PASSWORD are Francesco D'Angelo's.
school_with_family() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    credenza issue --class 5A --kind family
    credenza send
    expect_status 0
    CODE=$(sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'DNGFNC76P05H501R' AND a.kind = 'family'")
    PASSWORD=$($LETTERS outbox --field password "$CODE")
}

TEST "a database (or its -wal) open to group or others is refused with 77 and the chmod that fixes it"
init_school
chmod 644 credenza.db
credenza account list
expect_status 77
expect_err "chmod 600 'credenza.db'"
chmod 600 credenza.db
credenza account list
expect_status 0
sqlite3 credenza.db "PRAGMA journal_mode" >/dev/null
[ -e credenza.db-wal ] || sqlite3 credenza.db "CREATE TABLE IF NOT EXISTS t (x); DROP TABLE t;"
if [ -e credenza.db-wal ]; then
    chmod 660 credenza.db-wal
    credenza account list
    expect_status 77
    expect_err "'credenza.db-wal'"
fi

TEST "no core dump can be written by a running command: its core size limit is 0"
init_school
mkfifo secret
"$CREDENZA" verify FZZZZZZZZ <secret >/dev/null 2>&1 &
pid=$!
exec 3>secret # verify now waits for the secret
# Until main() has run (the hard limit drops to 0), or 5 s.
for _ in $(seq 50); do
    limits=$(grep "Max core file size" "/proc/$pid/limits" 2>/dev/null)
    [[ "$limits" =~ size[[:space:]]+0[[:space:]]+0[[:space:]] ]] && break
    sleep 0.1
done
echo wrong >&3
exec 3>&-
wait "$pid"
[[ "$limits" =~ size[[:space:]]+0[[:space:]]+0[[:space:]] ]] || fail "core size limit: $limits"

TEST "one send per database file whatever path names it: a second path waits for the first"
school_with_family
credenza recover "$CODE"
ln credenza.db other-name.db
sed -i "s|^\[credentials\]$|[credentials]\nkey_file = $WORK/credenza.db.key|" credenza.conf
flock -n credenza.db sleep 5 &
holder=$!
sleep 0.3
credenza --db other-name.db send
expect_status 75
expect_err "another 'credenza send' is running"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect_equal "$(sql "SELECT state FROM letter WHERE purpose = 'recovery'")" queued "the recovery letter"
[ ! -e credenza.db.send.lock ] || fail "a lock file named after a path is still made"

TEST "an outbox that is a symbolic link is refused: no letter is written through it"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue --class 5A --kind family
mkdir elsewhere
ln -s elsewhere outbox
credenza send
expect_status 73
expect_err "symbolic link"
expect_equal "$(ls elsewhere | wc -l)" 0 "letters written through the link"
[ "$(sql "SELECT count(*) FROM letter WHERE state <> 'queued'")" = 0 ] || fail "letters left their queue"

TEST "a reset landing while passwd hashes the new password wins: the change is refused, the old password stays revoked"
school_with_family
# A slow hash for the new password (the mailed one verifies at its own, fast, cost) opens the window.
sed -i 's/^kdf_opslimit = 2$/kdf_opslimit = 60/' credenza.conf
grep -q "kdf_opslimit = 60" credenza.conf || fail "the configuration was not changed"
printf '%s\n%s\n%s\n' "$PASSWORD" 'quattro gatti sul tetto di Velletri' 'quattro gatti sul tetto di Velletri' |
    "$CREDENZA" passwd "$CODE" >passwd.out 2>passwd.err &
changer=$!
# The check of the current password is over once the first login is recorded.
for _ in $(seq 1200); do
    [ "$(sql "SELECT first_login_at IS NOT NULL FROM account WHERE user_code = '$CODE'")" = 1 ] && break
    sleep 0.05
done
credenza reset "$CODE" --reason "prot. 12, lost letter" --yes
expect_status 0
wait "$changer"
changer_status=$?
[ -n "$(sql "SELECT first_login_at FROM account WHERE user_code = '$CODE'")" ] || fail "passwd never checked the password"
reset_id=$(sql "SELECT max(id) FROM audit WHERE action = 'reset'")
changed_id=$(sql "SELECT coalesce(max(id), 0) FROM audit WHERE action = 'password changed'")
if [ "$changed_id" -lt "$reset_id" ] && [ "$changed_id" != 0 ]; then
    fail "the change finished before the reset: the window was missed, the test proves nothing"
fi
expect_equal "$changer_status" 1 "passwd status"
expect_equal "$(sql "SELECT password_hash IS NULL FROM account WHERE user_code = '$CODE'")" 1 "password revoked by the reset"
expect_equal "$changed_id" 0 "'password changed' rows"

TEST "the audit chain is keyed from the key file: a row edited and the chain recomputed with SHA-256 is found"
school_with_family
credenza audit verify
expect_status 0
sqlite3 credenza.db "DROP TRIGGER audit_no_update; UPDATE audit SET detail = replace(detail, 'code=', 'code=9') WHERE action = 'send sent'"
# What anyone able to write the database could do with the old, unkeyed chain.
"$PYTHON" "$SOURCE_DIR/tests/tools/rechain_v1.py" credenza.db
credenza audit verify
expect_status 1
expect_err "the audit log was altered"

TEST "audit head prints the chain head; audit verify --head finds a log cut after it"
school_with_family
credenza audit head
expect_status 0
head=$(cat "$WORK/out")
[[ "$head" =~ ^[0-9]+:[0-9a-f]{64}$ ]] || fail "audit head printed '$head'"
credenza account disable "$CODE" --reason "test"
credenza audit verify --head "$head"
expect_status 0
sqlite3 credenza.db "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= ${head%%:*}"
credenza audit verify
expect_status 0
credenza audit verify --head "$head"
expect_status 1
expect_err "no longer holds the head you kept"

TEST "without the key file, a command that writes to a keyed audit log stops with 78 and writes nothing"
school_with_family
rows=$(sql "SELECT count(*) FROM audit")
mv credenza.db.key key.saved
credenza account disable "$CODE" --reason "test"
expect_status 78
expect_err "key file"
expect_equal "$(sql "SELECT count(*) FROM audit")" "$rows" "audit rows"
expect_equal "$(sql "SELECT status FROM account WHERE user_code = '$CODE'")" active "account status"
