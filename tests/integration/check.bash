# credenza check: one line per check (configuration, database, key file, templates, mail,
# daily cap), exit 0 only when all pass; a real SMTP login and MAIL FROM, and nothing sent.
source "$SOURCE_DIR/tests/integration/smtp.bash"

# A school (no letters) whose mail goes to a STARTTLS + AUTH server; args: server fault arguments.
school_on_checked_smtp() {
    start_secure_smtp "$@" || return 1
    init_school
    smtp_config starttls
}

# expect_check NAME ok|FAIL: the line of that check in ./out says so.
expect_check() {
    grep -qE "^$2 +$1 " out || fail "check '$1' is not '$2': $(cat out)"
}

TEST "check passes every check against a working school and SMTP server, one line each, and sends nothing"
school_on_checked_smtp
credenza check
expect_status 0
expect_equal "$(wc -l <out)" 6 "lines"
for name in configuration database key_file templates mail daily_cap; do
    expect_check "$name" ok
done
expect_out "accepts the login and the sender <segreteria@itisvallauri.edu.it>"
expect_equal "$(count_events mail_from)" 1 "MAIL FROM tried"
expect_equal "$(count_events rset)" 1 "RSET after it"
expect_equal "$(count_events accept)" 0 "messages accepted"
expect_no_out "$SMTP_PASSWORD"
credenza --format json check
expect_status 0
"$PYTHON" -c '
import json, sys
report = json.load(open(sys.argv[1]))
assert report["passed"] is True, report
assert [c["check"] for c in report["checks"]] == ["configuration", "database", "key_file", "templates", "mail",
                                                  "daily_cap"], report
assert all(c["passed"] for c in report["checks"]), report
' out || fail "unexpected JSON: $(cat out)"
credenza -q check
expect_status 0
expect_equal "$(cat out err)" "" "output of a quiet check that passed"

TEST "check fails the configuration for an unknown key, exit 78, and checks nothing else"
init_school
printf '[mail]\ntransprot = smtp\n' >>credenza.conf
credenza check
expect_status 78
expect_check configuration FAIL
expect_out "did you mean 'mail.transport'?"
expect_equal "$(wc -l <out)" 1 "lines"

TEST "check fails the database when it is missing (66), readable by others (77) or damaged (74)"
init_school
mv credenza.db elsewhere.db
credenza check --no-connect
expect_status 66
expect_check database FAIL
mv elsewhere.db credenza.db
chmod 644 credenza.db
credenza check --no-connect
expect_status 77
expect_check database FAIL
expect_out "chmod 600"
chmod 600 credenza.db
# Damage a page in the middle of the file (not the header).
size=$(stat -c %s credenza.db)
dd if=/dev/urandom of=credenza.db bs=1 seek=$((size / 2)) count=2048 conv=notrunc 2>/dev/null
credenza check --no-connect
[ "$STATUS" != 0 ] || fail "a damaged database passed"
expect_check database FAIL

TEST "check fails the key file when readable by others (77) or from another school (78)"
init_school
chmod 644 credenza.db.key
credenza check --no-connect
expect_status 77
expect_check key_file FAIL
expect_check database ok
chmod 600 credenza.db.key
mkdir other && (cd other && CREDENZA_CONFIG=$WORK/credenza.conf "$CREDENZA" --db other.db init --school-code 87004020589 \
    --school-name Altra --portal-url 'https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589' \
    --mail-from segreteria@itisvallauri.edu.it >/dev/null 2>&1) || fail "second init failed"
cp other/other.db.key credenza.db.key
credenza check --no-connect
expect_status 78
expect_check key_file FAIL

TEST "check fails the templates when the school's letter has an unknown field"
init_school
mkdir -p letters/it
printf 'Subject: Credenziali\n\nCodice {user_code}, password {pasword}\n' >letters/it/family.txt
printf '[mail]\ntemplate_dir = %s\n' "$WORK/letters" >>credenza.conf
credenza check --no-connect
[ "$STATUS" != 0 ] || fail "a template with an unknown field passed"
expect_check templates FAIL
expect_out "pasword"

TEST "check fails the mail server's login (535) with exit 78 naming [smtp] user, and never shows the password"
school_on_checked_smtp
CREDENZA_SMTP_PASSWORD=not-the-password credenza check
expect_status 78
expect_check mail FAIL
expect_out "[smtp] user"
expect_out "535"
expect_no_out "not-the-password"
expect_no_err "not-the-password"

TEST "check fails a self-signed certificate until [smtp] ca_file names it"
school_on_checked_smtp
sed -i '/^ca_file/d' credenza.conf
credenza check
expect_status 78
expect_check mail FAIL
expect_out "[smtp] ca_file"
sed -i "s|^\[smtp\]$|[smtp]\nca_file = $CERT_FILE|" credenza.conf
credenza check
expect_status 0
expect_check mail ok

TEST "check fails a sender the server refuses, naming [mail] from"
school_on_checked_smtp --reject-sender 'segreteria@*'
credenza check
expect_status 78
expect_check mail FAIL
expect_out "[mail] from"

TEST "check fails the mail check when no server listens (69) and when the outbox cannot be written (73)"
school_on_checked_smtp
stop_smtp_servers
credenza check
expect_status 69
expect_check mail FAIL
sed -i 's/^transport = smtp/transport = dir/' credenza.conf
# Below a plain file: no directory can be made there, whoever runs it (even root).
touch not-a-directory
printf '[mail]\noutbox = %s\n' "$WORK/not-a-directory/outbox" >>credenza.conf
credenza check
expect_status 73
expect_check mail FAIL
expect_out "[mail] outbox"

TEST "check fails the daily cap when more letters are due than the cap leaves today"
start_secure_smtp || return
school_with_letters
smtp_config starttls mail.daily_cap=10
credenza check
expect_status 75
expect_check daily_cap FAIL
expect_out "29 letters due, but only 10"
