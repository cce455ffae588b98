# sanitize
# credenza init

TEST "init creates the database and the key file, both readable by the owner only"
init_school
expect_equal "$(stat -c %a credenza.db)" 600 "database mode"
expect_equal "$(stat -c %a credenza.db.key)" 600 "key file mode"
expect_equal "$(sql 'SELECT code || "|" || name FROM school')" '87004020589|ITIS "G. Vallauri"' "school row"

TEST "init refuses to overwrite an existing database and leaves it as it was"
init_school
before=$(sha256sum credenza.db credenza.db.key)
credenza init --school-code 87004020589 --school-name Other --portal-url https://example.it \
    --mail-from a@example.it
expect_status 73
expect_err "already exists"
expect_equal "$(sha256sum credenza.db credenza.db.key)" "$before" "files after refusal"

TEST "init refuses an existing key file and creates no database"
echo "something precious" >credenza.db.key
credenza init --school-code 87004020589 --school-name X --portal-url https://example.it --mail-from a@example.it
expect_status 73
expect_err "key file 'credenza.db.key' already exists"
[ ! -e credenza.db ] || fail "a database was created"
expect_equal "$(cat credenza.db.key)" "something precious" "key file content"

TEST "init rejects a school code with a wrong check digit, naming the option"
credenza init --school-code 87004020588 --school-name X --portal-url https://example.it --mail-from a@example.it
expect_status 64
expect_err "--school-code"
[ ! -e credenza.db ] && [ ! -e credenza.db.key ] || fail "files were created"

TEST "init without a required option is a usage error"
credenza init --school-code 87004020589
expect_status 64
expect_err "--school-name"

TEST "the audit log records the init"
init_school
expect_equal "$(sql 'SELECT action FROM audit')" "init" "audit action"
