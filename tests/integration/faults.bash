# sanitize
# Faults of the machine: a full disk during import and during send (a file size limit, which
# fails every write past it as a full disk does), and the database held by another writer past
# the busy timeout. Each: a clear error, its exit status, the database intact, and a re-run that
# completes.

intact() {
    expect_equal "$(sqlite3 credenza.db 'PRAGMA integrity_check')" ok "integrity check"
}

# limited BLOCKS ARGS...: the binary with a file size limit of BLOCKS × 1024 bytes.
limited() {
    local blocks=$1
    shift
    (ulimit -f "$blocks"; exec "$CREDENZA" "$@") >"$WORK/out" 2>"$WORK/err" </dev/null
    STATUS=$?
}

TEST "a full disk during import: exit 74 naming what could not be written, nothing imported, a re-run completes"
init_school
# 36 KiB: not even room for the snapshot an import takes before it changes anything.
limited 36 import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 74
expect_err "disk I/O error"
intact
expect_equal "$(sql "SELECT count(*) FROM person")" 0 "persons after the import that could not take its snapshot"
# 200 KiB: room for the snapshot of the empty school, not for the write-ahead log of 400 pupils.
"$PYTHON" "$SOURCE_DIR/tests/tools/make_enrolment.py" --pupils 400 --seed 7 --year 2025/2026 --out big.csv
limited 200 import big.csv --year 2025/2026
expect_status 74
expect_err "credenza: error: database 'credenza.db': disk I/O error"
intact
expect_equal "$(sql "SELECT count(*) FROM person")" 0 "persons after the import that could not commit"
credenza import big.csv --year 2025/2026
expect_status 0
intact
[ "$(sql "SELECT count(*) FROM pupil")" -eq 400 ] || fail "the re-run did not import the 400 pupils"

TEST "a full disk during send: exit 74, the database intact, a re-run sends every letter once"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue --class 5A --kind family
expect_status 0
queued=$(sql "SELECT count(*) FROM letter WHERE state = 'queued'")
sqlite3 credenza.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
# 40 KiB for every file: the database is only read (its pages lie past the limit, written only at a
# checkpoint), and the write-ahead log fills after a commit or two: well before the letters are all
# recorded, however many claims and outcomes share a commit (a limit of the database's size + 64 KiB
# let a send whose commits grouped more letters finish within it).
[ "$(stat -c %s credenza.db)" -gt $(( 80 * 1024 )) ] || fail "the database is too small for the limit to bite"
limited 40 send
expect_status 74
expect_err "credenza: error:"
intact
credenza send
expect_status 0
intact
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" "$queued" "letters sent"
# A letter written before the disk filled but not recorded as sent is sent again with new secrets
# (as after a crash, see send_crash): its first copy's secrets no longer work.
[ "$(ls outbox/*.eml | wc -l)" -ge "$queued" ] || fail "letters in the outbox: $(ls outbox/*.eml | wc -l) of $queued"

TEST "the database held by another writer past the busy timeout: exit 75, nothing lost, a re-run completes"
init_school
"$PYTHON" - credenza.db <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open("held", "w").close()
time.sleep(14)
db.execute("ROLLBACK")
PY
holder=$!
for _ in $(seq 100); do [ -e held ] && break; sleep 0.1; done
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 75
wait "$holder"
intact
expect_equal "$(sql "SELECT count(*) FROM person")" 0 "persons after the refused import"
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
