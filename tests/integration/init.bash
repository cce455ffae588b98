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

TEST "init interrupted after its key was in place finishes on a re-run, with that key"
init_school
key_before=$(sha256sum <credenza.db.key)
mv credenza.db credenza.db.init   # as if killed just before the database was moved into place
credenza init --school-code 87004020589 --school-name 'ITIS "G. Vallauri"' \
    --portal-url 'https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589' \
    --mail-from segreteria@itisvallauri.edu.it
expect_status 0
[ -e credenza.db ] && [ ! -e credenza.db.init ] || fail "the database was not moved into place"
expect_equal "$(sha256sum <credenza.db.key)" "$key_before" "key file"
expect_equal "$(sql 'SELECT count(*) FROM audit')" 1 "one init in the audit log"

TEST "init interrupted before its key was in place starts over"
echo "half a database" >credenza.db.init
echo "half a key" >credenza.db.key.init
init_school
[ ! -e credenza.db.key.init ] || fail "the leftover key was not removed"
expect_equal "$(sql 'SELECT code FROM school')" "87004020589" "school"

TEST "a database left by another init for another key is not adopted"
init_school
mv credenza.db credenza.db.init
rm credenza.db.key
mkdir other && (cd other && CREDENZA_CONFIG= "$CREDENZA" init --school-code 87004020589 --school-name X \
    --portal-url https://example.it --mail-from a@example.it >/dev/null 2>&1)
cp other/credenza.db.key credenza.db.key
credenza init --school-code 87004020589 --school-name X --portal-url https://example.it --mail-from a@example.it
expect_status 73
[ ! -e credenza.db ] || fail "a database made with another key was adopted"

TEST "a key file that is not the database's own is refused before any secret is checked"
init_school
mkdir other && (cd other && CREDENZA_CONFIG= "$CREDENZA" init --school-code 87004020589 --school-name X \
    --portal-url https://example.it --mail-from a@example.it >/dev/null 2>&1)
cp other/credenza.db.key credenza.db.key
credenza_stdin 'whatever' verify FNOSUCHCODE
expect_status 78
expect_err "does not hold the key this database was made with"

TEST "a command that finds no database says where it looked and how to point at the school's, and creates none"
credenza report summary
expect_status 66
expect_err "no database 'credenza.db' in '$WORK'"
expect_err "no --db, no CREDENZA_DB and no config file"
expect_err "--db"
expect_no_err "create it with 'credenza init'"
[ ! -e credenza.db ] || fail "a database was created"
credenza send
expect_status 66
expect_err "no database 'credenza.db' in '$WORK'"
[ ! -e credenza.db ] || fail "send created a database"

TEST "init warns when the configuration names another database, even under -q"
printf 'db = %s\n[credentials]\nkdf_memlimit_mib = 19\n' "$WORK/school.db" >credenza.conf
export CREDENZA_CONFIG=$WORK/credenza.conf
credenza -q --db second.db init --school-code 87004020589 --school-name 'ITIS Vallauri' \
    --portal-url 'https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589' \
    --mail-from 'Segreteria ITIS Vallauri <segreteria@itisvallauri.edu.it>'
expect_status 0
expect_err "the configuration names another database, '$WORK/school.db'"
expect_err "commands without --db will use that one"
[ -e second.db ] || fail "init did not create the database it was given"
# The configured one, by its own name: no warning.
credenza init --school-code 87004020589 --school-name 'ITIS Vallauri' \
    --portal-url 'https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589' \
    --mail-from segreteria@itisvallauri.edu.it
expect_status 0
expect_no_err "warning"
[ -e school.db ] || fail "init did not create the configured database"
