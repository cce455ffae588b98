# sanitize
# credenza backup FILE: a consistent online copy, 0600, never over an existing file, never the key.

school_with_2025() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
}

# counts DB: rows of the main tables, one line.
counts() {
    DB=$1 sql "SELECT (SELECT count(*) FROM person) || ' ' || (SELECT count(*) FROM pupil) || ' ' ||
                      (SELECT count(*) FROM account) || ' ' || (SELECT count(*) FROM letter) || ' ' ||
                      (SELECT count(*) FROM audit)"
}

TEST "backup writes a 0600 single-file copy that passes integrity_check and holds the same rows"
school_with_2025
credenza backup copy.db
expect_status 0
expect_out "integrity ok"
expect_equal "$(stat -c %a copy.db)" 600 "backup mode"
expect_equal "$(DB=copy.db sql 'PRAGMA integrity_check')" ok "integrity_check"
expect_equal "$(DB=copy.db sql 'PRAGMA journal_mode')" delete "journal mode of the copy"
expect_equal "$(counts copy.db)" "$(counts credenza.db)" "row counts"
expect_equal "$(ls | grep -c '^copy\.db')" 1 "files named copy.db* (no temporary, journal or key left)"

TEST "backup says that the key file is not in it and must be kept apart; under -q (cron) it says nothing"
school_with_2025
credenza backup copy.db
expect_status 0
expect_err "key file 'credenza.db.key' is not in the backup"
[ ! -e copy.db.key ] || fail "the key file was copied"
credenza -q backup copy2.db
expect_status 0
expect_equal "$(cat out err)" "" "output of a quiet backup"
[ -s copy2.db ] || fail "the quiet backup was not written"

TEST "backup refuses an existing file with exit 73 and leaves it as it was"
school_with_2025
echo "an older backup" >copy.db
credenza backup copy.db
expect_status 73
expect_err "'copy.db' already exists"
expect_equal "$(cat copy.db)" "an older backup" "existing file"
expect_equal "$(ls | grep -c '^copy\.db')" 1 "files named copy.db*"

TEST "backup into a directory that does not exist is exit 73"
school_with_2025
credenza backup no/such/dir/copy.db
expect_status 73
expect_err "no/such/dir/copy.db"

TEST "backup without a database is exit 66"
credenza --db missing.db backup copy.db
expect_status 66
[ ! -e copy.db ] || fail "a backup was written"

TEST "a backup taken while send runs is one consistent snapshot"
school_with_2025
credenza issue
expect_status 0
"$CREDENZA" send --rate 300/min >send.out 2>send.err &
sender=$!
sleep 1.5
credenza backup during.db
expect_status 0
kill -0 "$sender" 2>/dev/null || echo "    (note: the send had finished before the backup)"
wait "$sender"
expect_equal "$(DB=during.db sql 'PRAGMA integrity_check')" ok "integrity_check"
expect_equal "$(DB=during.db sql "SELECT count(*) FROM letter")" 29 "letters in the backup"
expect_equal "$(DB=during.db sql "SELECT sum(n) FROM (SELECT count(*) AS n FROM letter GROUP BY state)")" 29 "letters by state"
# The hash of a mailed secret is committed with (before) its letter's state: a snapshot never has one without the other.
expect_equal "$(DB=during.db sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id
                                  WHERE l.state IN ('sending', 'sent') AND a.password_hash IS NULL")" 0 "sent letters without a hash"
expect_equal "$(DB=during.db sql "SELECT count(*) FROM audit WHERE action = 'send sent'")" \
    "$(DB=during.db sql "SELECT count(*) FROM letter WHERE state = 'sent'")" "audit rows of sent letters"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" 29 "letters sent in the live database"

TEST "backup into a folder names the copy by the time and --keep deletes only its oldest own backups"
school_with_2025
mkdir backups
# Three older backups of this database, one of another database, and a file of the admin's.
for stamp in 20250101T023000Z 20250102T023000Z 20250103T023000Z; do
    cp credenza.db "backups/credenza-$stamp.db"
done
cp credenza.db backups/other-20250101T023000Z.db
echo "notes" >backups/credenza-notes.db
credenza backup --keep 2 backups/
expect_status 0
new=$(ls backups | grep -E '^credenza-[0-9]{8}T[0-9]{6}Z\.db$' | sort | tail -1)
case $new in
    credenza-2025*) fail "no new backup was written: newest is '$new'" ;;
esac
expect_equal "$(DB=backups/$new sql 'PRAGMA integrity_check')" ok "integrity of the new backup"
expect_equal "$(stat -c %a "backups/$new")" 600 "mode of the new backup"
expect_equal "$(ls backups | sort | tr '\n' ' ')" \
    "credenza-20250103T023000Z.db $new credenza-notes.db other-20250101T023000Z.db " "what the folder keeps"
expect_out "deleted the old backup 'backups/credenza-20250101T023000Z.db'"

TEST "backup --keep with a file instead of a folder is a usage error and writes nothing"
school_with_2025
credenza backup --keep 3 copy.db
expect_status 64
expect_err "--keep needs a folder"
[ ! -e copy.db ] || fail "a backup was written"
