# sanitize
# credenza audit verify and report audit: the hash chain holds, tampering is found, rows name
# accounts by user code only; and no command ever prints a password or a PIN.

LETTERS="$PYTHON $SOURCE_DIR/tests/tools/letters.py"
NEW_PASSWORD='quattro gatti sul tetto'
NEW_PIN=480913

# logged ARGS... / logged_stdin TEXT ARGS...: credenza, with stdout and stderr also kept in ./transcript.
logged() {
    credenza "$@"
    cat "$WORK/out" "$WORK/err" >>transcript
}
logged_stdin() {
    credenza_stdin "$@"
    cat "$WORK/out" "$WORK/err" >>transcript
}

user_code() {
    sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = '$1' AND a.kind = '$2'"
}

letter() {
    $LETTERS outbox --field "$1" "$2"
}

# a_short_log: a school whose audit log has some 20 rows (init, import, 9 letters queued and sent).
a_short_log() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    credenza issue --class 5A
    credenza send
    expect_status 0
    [ "$(sql 'SELECT count(*) FROM audit')" -ge 20 ] || fail "only $(sql 'SELECT count(*) FROM audit') audit rows"
}

# a_school_year: every lifecycle command once or more, each logged; leaves a long audit log.
a_school_year() {
    init_school
    logged import "$DATA/enrolment_2025.csv" --year 2025/2026 -v
    logged issue
    logged send -v
    family=$(user_code DNGFNC76P05H501R family)
    adult=$(user_code DNGTMS07E20H501A student)
    pw=$(letter password "$family")
    pin=$(letter pin "$family")
    logged_stdin "$pw"$'\n' verify "$family" -v
    logged_stdin "wrong"$'\n' verify "$family" -v
    logged_stdin "$pw"$'\n'"$NEW_PASSWORD"$'\n'"$NEW_PASSWORD"$'\n' passwd "$family" -v
    expect_status 0
    logged_stdin "$pw"$'\n'"corto"$'\n'"corto"$'\n' passwd "$family"
    logged_stdin "$NEW_PASSWORD"$'\n'"$pw"$'\n'"${pw}x"$'\n' passwd "$family"
    logged_stdin "$pin"$'\n'"$NEW_PIN"$'\n'"$NEW_PIN"$'\n' pin "$family" -v
    expect_status 0
    logged_stdin "$NEW_PIN"$'\n'"$pin"$'\n'"$pin"$'\n' pin "$family" # back to the letter's PIN
    expect_status 0
    logged_stdin "$pin"$'\n'123456$'\n'123456$'\n' pin "$family"
    for _ in $(seq 10); do
        # each after the wait a wrong PIN earns, so that the ten reach the lock
        sql "UPDATE account SET pin_last_failure_at = '2020-01-01T00:00:00Z' WHERE user_code = '$family'"
        logged_stdin 000001$'\n' verify "$family" --pin -v
    done
    logged_stdin "$pin"$'\n' verify "$family" --pin -v
    SUDO_USER=segreteria logged reset "$family" --reason "richiesta scritta prot. 77" --pin --yes -v
    expect_status 0
    logged recover "$(tr 'a-z' 'A-Z' <<<tommaso.dangelo@itisvallauri.edu.it)" -v
    logged recover famiglia.fontana@gmail.com -v
    logged account disable "$(user_code RNLLCU79D16L219S family)" --reason "decaduto" -v
    logged send -v
    logged_stdin "$(letter password "$adult")"$'\n' verify "$adult" -v
    logged_stdin "$(letter pin "$adult")"$'\n' verify "$adult" --pin -v
    expect_status 0
    for format in table csv json; do
        logged account list --format "$format"
        logged account show "$family" --format "$format"
        logged report audit --format "$format"
        logged report summary --format "$format"
    done
    logged audit verify -v
}

TEST "audit verify exits 0 on an intact log after a year of lifecycle commands"
a_school_year
credenza audit verify -v
expect_status 0
expect_out "intact"
expect_out "$(sql 'SELECT count(*) FROM audit') rows"
[ "$(sql 'SELECT count(*) FROM audit')" -gt 50 ] || fail "the year left only $(sql 'SELECT count(*) FROM audit') audit rows"

TEST "audit verify -q prints nothing on success"
init_school
credenza audit verify -q
expect_status 0
expect_equal "$(cat "$WORK/out" "$WORK/err")" "" "output"

TEST "a row edited behind the tool's back: audit verify exits 1 naming that row"
a_short_log
sqlite3 credenza.db "DROP TRIGGER audit_no_update; UPDATE audit SET detail='x' WHERE id=3"
credenza audit verify
expect_status 1
expect_err "altered at row 3:"

TEST "an edited account or operator is found too, in a row near the end"
a_short_log
last=$(sql 'SELECT max(id) FROM audit')
sqlite3 credenza.db "DROP TRIGGER audit_no_update; UPDATE audit SET operator='someone' WHERE id=$((last - 1))"
credenza audit verify
expect_status 1
expect_err "altered at row $((last - 1)):"

TEST "a row deleted from the middle: audit verify exits 1 naming the first broken row"
a_short_log
sqlite3 credenza.db "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id=10"
credenza audit verify
expect_status 1
expect_err "altered at row 11:"

TEST "a forged row with a recomputed-looking hash but the wrong link is found"
a_short_log
sqlite3 credenza.db "DROP TRIGGER audit_no_update; UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE id = 3) WHERE id = 10"
credenza audit verify
expect_status 1
expect_err "altered at row 10:"

TEST "the audit table refuses UPDATE and DELETE while its triggers are in place"
a_short_log
! sqlite3 credenza.db "UPDATE audit SET detail='x' WHERE id=3" 2>/dev/null || fail "UPDATE was allowed"
! sqlite3 credenza.db "DELETE FROM audit WHERE id=3" 2>/dev/null || fail "DELETE was allowed"
credenza audit verify
expect_status 0

TEST "audit without a subcommand is a usage error"
init_school
credenza audit
expect_status 64

TEST "report audit --account lists that account's rows, and only them"
a_school_year
family=$(user_code DNGFNC76P05H501R family)
credenza report audit --account "$family" --format csv
expect_status 0
tr -d '\r' <"$WORK/out" >report.csv
expect_equal "$(head -1 report.csv)" "id,at,operator,action,account,detail" "header"
expect_equal "$(tail -n +2 report.csv | cut -d, -f5 | sort -u)" "$family" "accounts listed"
expect_equal "$(tail -n +2 report.csv | cut -d, -f1 | tr '\n' ' ')" "$(sql "SELECT id FROM audit WHERE account = '$family' ORDER BY id" | tr '\n' ' ')" "rows listed"
for action in "queue initial" "password changed" "pin changed" "pin locked" "reset" "queue reset"; do
    grep -qF ",$action,$family," report.csv || fail "no '$action' row for $family"
done
expect_equal "$(grep -F ",reset,$family," report.csv | cut -d, -f3)" segreteria "operator of the reset"

TEST "no audit row holds a password or PIN from any letter, or one chosen with passwd or pin"
a_school_year
# Not the hash columns: a 6-digit PIN could occur in a hex digest by chance.
sql "SELECT id, at, operator, action, account, detail FROM audit" >audit.txt
$LETTERS outbox --secrets | sort -u >secrets.txt
[ "$(wc -l <secrets.txt)" -gt 40 ] || fail "only $(wc -l <secrets.txt) secrets found in the letters"
printf '%s\n%s\n' "$NEW_PASSWORD" "$NEW_PIN" >>secrets.txt
while read -r secret; do
    ! grep -qF -- "$secret" audit.txt || fail "the audit log holds the secret '$secret'"
done <secrets.txt

TEST "no audit row holds a guardian's or pupil's name, e-mail or codice fiscale"
a_school_year
sql "SELECT operator, action, account, detail FROM audit" >audit.txt
"$PYTHON" - "$DATA/enrolment_2025.csv" >people.txt <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    for who in ("guardian1_", "guardian2_", "student_"):
        for field in ("tax_code", "surname", "name", "email"):
            value = row[who + field]
            if len(value) >= 3:
                print(value)
PY
[ "$(wc -l <people.txt)" -gt 100 ] || fail "only $(wc -l <people.txt) personal values read"
while read -r value; do
    ! grep -qiwF -- "$value" audit.txt || fail "the audit log holds '$value': $(grep -iwF -- "$value" audit.txt | head -1)"
done < <(sort -u people.txt)

TEST "no command prints a password or a PIN: every output of a year of commands is clean"
a_school_year
[ -s transcript ] || fail "nothing was logged"
$LETTERS outbox --secrets | sort -u >secrets.txt
[ "$(wc -l <secrets.txt)" -gt 40 ] || fail "only $(wc -l <secrets.txt) secrets found in the letters"
printf '%s\n%s\n' "$NEW_PASSWORD" "$NEW_PIN" >>secrets.txt
while read -r secret; do
    ! grep -qF -- "$secret" transcript || fail "a command printed the secret '$secret': $(grep -F -- "$secret" transcript | head -1)"
done <secrets.txt

TEST "a database of schema version 1 is migrated: the new columns appear, its unkeyed log is sealed and verifies"
a_short_log
# Back to what version 1 wrote: no schema-2 columns or tables, and a plain SHA-256 audit chain.
sqlite3 credenza.db "
    DROP TABLE bounce; DROP INDEX letter_message_id;
    DROP TABLE login_guess; DROP TABLE recover_request;
    ALTER TABLE account DROP COLUMN pin_last_failure_at;
    ALTER TABLE account DROP COLUMN pending_password_hash; ALTER TABLE account DROP COLUMN pending_pin_hash;
    ALTER TABLE account DROP COLUMN pending_expires_at;
    ALTER TABLE account DROP COLUMN pending_password_failures; ALTER TABLE account DROP COLUMN pending_pin_failures;
    ALTER TABLE account DROP COLUMN first_login_method; ALTER TABLE account DROP COLUMN last_login_at;
    ALTER TABLE account DROP COLUMN last_login_method;
    DROP TRIGGER audit_no_update;
    PRAGMA user_version = 1;"
"$PYTHON" "$SOURCE_DIR/tests/tools/rechain_v1.py" credenza.db
sqlite3 credenza.db "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
old_rows=$(sql "SELECT count(*) FROM audit")
old_head=$(sql "SELECT id || ':' || hash FROM audit ORDER BY id DESC LIMIT 1")
credenza account list
expect_status 0
expect_equal "$(sql "PRAGMA user_version")" 6 "schema version"
expect_equal "$(sql "SELECT count(*) FROM pragma_table_info('account') WHERE name LIKE 'pending_%'")" 5 "pending columns"
expect_equal "$(sql "SELECT action || ' ' || detail FROM audit WHERE id = $old_rows + 1")" \
    "audit sealed rows=$old_rows head=${old_head#*:}" "the seal"
credenza audit verify --head "$old_head"
expect_status 0
# An old row edited and the old chain recomputed is found: the seal names the old head.
sqlite3 credenza.db "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'changed' WHERE id = 2"
"$PYTHON" "$SOURCE_DIR/tests/tools/rechain_v1.py" credenza.db "$old_rows"
credenza audit verify
expect_status 1
expect_err "row $((old_rows + 1))"

TEST "report audit --since reads a date in the school's time zone, also as DD/MM/YYYY, and refuses what is no date"
a_short_log
printf '[school]\ntimezone = Europe/Rome\n' >>credenza.conf
# Two rows moved around midnight in Rome (CET, UTC+1): 00:30 on 1 December is 23:30 UTC on 30 November.
sqlite3 credenza.db "DROP TRIGGER audit_no_update;
  UPDATE audit SET at = '2026-11-30T20:00:00Z' WHERE id = 1;
  UPDATE audit SET at = '2026-11-30T22:30:00Z' WHERE id = 2;
  UPDATE audit SET at = '2026-11-30T23:30:00Z' WHERE id = 3;
  UPDATE audit SET at = '2026-12-01T09:00:00Z' WHERE id > 3"
later=$(sql "SELECT count(*) FROM audit WHERE id >= 3")
for since in 2026-12-01 01/12/2026 "2026-12-01 00:30" "01/12/2026 00:30"; do
    credenza report audit --since "$since" --format csv
    expect_status 0
    expect_equal "$(tail -n +2 "$WORK/out" | tr -d '\r' | cut -d, -f1 | sort -n | head -1)" 3 "first row since $since"
    expect_equal "$(($(wc -l <"$WORK/out") - 1))" "$later" "rows since $since"
done
credenza report audit --since "2026-12-01T00:31" --format csv
expect_equal "$(tail -n +2 "$WORK/out" | tr -d '\r' | cut -d, -f1 | sort -n | head -1)" 4 "first row since 00:31"
for bad in 31/11/2026 yesterday 2026-12-1; do
    credenza report audit --since "$bad"
    expect_status 64
    expect_err "invalid --since '$bad': give a date (2026-09-01 or 01/09/2026)"
done
