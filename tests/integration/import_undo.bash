# sanitize
# credenza import: the snapshot taken before an import, and import --undo.

snapshots() { find "${1:-.}" -maxdepth 1 -name 'credenza.db.import-*.snapshot' | sort; }

# The enrolment and the accounts (not the audit log, which an undo extends).
state() {
    sqlite3 credenza.db "SELECT * FROM person ORDER BY id; SELECT * FROM pupil ORDER BY person_id;
        SELECT * FROM guardianship ORDER BY 1, 2; SELECT * FROM account ORDER BY id;"
}

import_file() {
    credenza import "$DATA/$1" --year "$2"
    expect_status 0
}

TEST "an import that changes something keeps a 0600 snapshot beside the database; one that changes nothing keeps none"
init_school
import_file enrolment_2025.csv 2025/2026
first=$(snapshots)
[ -n "$first" ] || fail "no snapshot after the first import"
expect_out "snapshot of the database before this import: ./credenza.db.import-"
expect_equal "$(stat -c %a "$first")" 600 "snapshot mode"
expect_equal "$(sqlite3 "$first" 'SELECT count(*) FROM person')" 0 "persons in the snapshot of the empty school"
import_file enrolment_2025.csv 2025/2026
expect_no_out "snapshot"
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027 --dry-run
expect_status 0
expect_equal "$(snapshots)" "$first" "snapshots after an import that changed nothing and a dry run"

TEST "import --undo brings back the state before the last import, keeps the audit chain, and steps back one import at a time"
init_school
import_file enrolment_2025.csv 2025/2026
after_2025=$(state)
sleep 1 # the undo names the import's file only when no earlier import shares the second of its snapshot
import_file enrolment_2026.csv 2026/2027
[ "$(state)" != "$after_2025" ] || fail "the 2026 import changed nothing"
imported_at=$(sql "SELECT at FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1")
credenza import --undo
expect_status 0
# Named as the secretary knows it: the file and the time of the import (local time), not the snapshot.
expect_out "the database is back to its state before the import of 'enrolment_2026.csv' on $(date -d "$imported_at" '+%Y-%m-%d %H:%M')"
expect_no_out "before the import of credenza.db"
expect_equal "$(state)" "$after_2025" "state after the undo"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import'")" 2 "import rows kept in the audit log"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import undo'")" 1 "undo rows"
credenza audit verify
expect_status 0
credenza import --undo
expect_status 0
expect_equal "$(sql 'SELECT count(*) FROM person')" 0 "persons after undoing the first import too"
credenza import --undo
expect_status 66
expect_err "no import to undo"

TEST "import --undo refuses while a send runs, and changes nothing"
init_school
import_file enrolment_2025.csv 2025/2026
before=$(state)
flock credenza.db sleep 30 & # a send holds a lock on the database file itself
holder=$!
sleep 0.3
credenza import --undo
expect_status 75
expect_err "send"
kill "$holder"
wait "$holder" 2>/dev/null
expect_equal "$(state)" "$before" "state"
[ -n "$(snapshots)" ] || fail "the snapshot was used up"

TEST "accounts mailed between an import and its undo keep the credentials they got; accounts the import made need --yes"
init_school
import_file enrolment_2025.csv 2025/2026
sleep 1 # the refusal names the import's file only when no earlier import shares the second of its snapshot
import_file enrolment_2026.csv 2026/2027
imported_at=$(sql "SELECT at FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1")
# 2A continues from 2025 (in the snapshot); 1A holds the two pupils new in 2026.
credenza issue --kind student --class 2A --class 1A
expect_status 0
credenza send
expect_status 0
kept=$(sql "SELECT group_concat(user_code, ' ') FROM (SELECT a.user_code FROM account a JOIN pupil pu ON pu.person_id = a.person_id
            WHERE a.kind = 'student' AND pu.class = '2A' AND a.password_hash IS NOT NULL ORDER BY 1)")
lost=$(sql "SELECT group_concat(user_code, ' ') FROM (SELECT a.user_code FROM account a JOIN pupil pu ON pu.person_id = a.person_id
            WHERE a.kind = 'student' AND pu.class = '1A' AND a.password_hash IS NOT NULL ORDER BY 1)")
expect_equal "$(wc -w <<<"$kept") $(wc -w <<<"$lost")" "3 2" "accounts mailed in 2A and 1A"
hashes=$(sql "SELECT user_code || password_hash FROM account WHERE password_hash IS NOT NULL AND kind = 'student' ORDER BY 1")
before=$(state)
credenza import --undo
expect_status 64
expect_err "undoing the import of 'enrolment_2026.csv' on $(date -d "$imported_at" '+%Y-%m-%d %H:%M') would delete"
expect_err "would delete 2 accounts whose credentials were mailed"
for code in $lost; do expect_err "$code: made by the import and sent its credentials since"; done
expect_err "--yes"
expect_equal "$(state)" "$before" "state after the refused undo"
credenza --yes import --undo
expect_status 0
expect_out "accounts that got letters since the import keep the credentials they were sent: ${kept// /, }"
expect_out "accounts made by the undone import whose mailed credentials no longer work: ${lost// /, }"
for code in $kept; do
    expect_equal "$(sql "SELECT user_code || password_hash FROM account WHERE user_code = '$code'")" "$(grep "^$code" <<<"$hashes")" "credentials of $code"
    expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id WHERE a.user_code = '$code' AND l.state = 'sent'")" 1 "letter of $code"
done
expect_equal "$(sql "SELECT count(*) FROM pupil WHERE class = '1A' AND school_year = '2025/2026'")" 3 "1A of 2025 is back"
credenza audit verify
expect_status 0

TEST "a recovery letter mailed between an import and its undo still works after the undo, and guesses stay counted"
init_school
import_file enrolment_2025.csv 2025/2026
credenza issue --kind student --class 2A
expect_status 0
credenza send
expect_status 0
code=$(sql "SELECT a.user_code FROM account a JOIN pupil pu ON pu.person_id = a.person_id
            WHERE a.kind = 'student' AND pu.class = '2A' AND a.password_hash IS NOT NULL ORDER BY 1 LIMIT 1")
import_file enrolment_2026.csv 2026/2027
credenza recover "$code"
expect_status 0
credenza send
expect_status 0
password=$(/usr/bin/python3 "$SOURCE_DIR/tests/tools/letters.py" outbox --field password "$code")
[ -n "$password" ] || fail "no password in the recovery letter of $code"
credenza_stdin "not the password" verify SZZZZZZZZ # shaped as a user code, known to nobody
expect_status 1
pending=$(sql "SELECT pending_password_hash FROM account WHERE user_code = '$code'")
[ -n "$pending" ] || fail "the recovery left no waiting password"
guesses=$(sql "SELECT count(*) FROM login_guess")
[ "$guesses" -gt 0 ] || fail "the wrong guess at an unknown name was not counted"
credenza import --undo
expect_status 0
expect_equal "$(sql "SELECT pending_password_hash FROM account WHERE user_code = '$code'")" "$pending" "waiting password after the undo"
expect_equal "$(sql "SELECT count(*) FROM login_guess")" "$guesses" "counted guesses after the undo"
credenza_stdin "$password" verify "$code"
expect_status 0

TEST "[import] snapshot_dir holds the snapshots and snapshots_kept bounds them"
init_school
printf '[import]\nsnapshot_dir = %s/snaps\nsnapshots_kept = 2\n' "$WORK" >>credenza.conf
import_file enrolment_2025.csv 2025/2026
import_file enrolment_2026.csv 2026/2027
sed 's/Marino,Beatrice/Marino,Bea/' "$DATA/enrolment_2026.csv" >renamed.csv
credenza import renamed.csv --year 2026/2027
expect_status 0
expect_equal "$(snapshots snaps | wc -l)" 2 "snapshots kept"
expect_equal "$(snapshots | wc -l)" 0 "snapshots beside the database"
expect_equal "$(stat -c %a snaps)" 700 "mode of the folder made for them"
newest=$(snapshots snaps | tail -1)
expect_equal "$(sqlite3 "$newest" "SELECT name FROM person WHERE tax_code = 'MRNBRC12B49D742S'")" Beatrice "the newest snapshot is the state before the last import"
credenza import --undo
expect_status 0
expect_equal "$(sql "SELECT name FROM person WHERE tax_code = 'MRNBRC12B49D742S'")" Beatrice "name after the undo"
before_undo=$(find snaps -name 'credenza.db.before-undo-*.snapshot')
expect_equal "$(sqlite3 "$before_undo" "SELECT name FROM person WHERE tax_code = 'MRNBRC12B49D742S'")" Bea "the copy of the state before the undo"
expect_equal "$(stat -c %a "$before_undo")" 600 "mode of the copy"
