# sanitize
# [policy] family_login = spid_cie: families log in with SPID or CIE (law 182/2025), their letters
# carry the user code and the PIN but no password; students keep their passwords.

LETTERS="$PYTHON $SOURCE_DIR/tests/tools/letters.py"

# spid_school [LANGUAGE]: enrolment_2025 imported, letters issued and sent to ./outbox.
spid_school() {
    init_school
    printf '[policy]\nfamily_login = spid_cie\n' >>credenza.conf
    [ -z "${1:-}" ] || printf '[mail]\nlanguage = %s\n' "$1" >>credenza.conf
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    credenza issue
    credenza send
    expect_status 0
    FAMILY=$(sql "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id
                  WHERE a.kind = 'family' AND p.email <> '' ORDER BY a.id LIMIT 1")
    STUDENT=$(sql "SELECT a.user_code FROM account a JOIN pupil p ON p.person_id = a.person_id
                   WHERE a.kind = 'student' AND p.institutional_email <> '' ORDER BY a.id LIMIT 1")
}

TEST "a family letter carries the user code and the PIN, no password, and says to log in with SPID or CIE"
spid_school
file=$($LETTERS outbox --field file "$FAMILY")
text=$($LETTERS outbox --field text "$FAMILY")
grep -q "^Codice utente: $FAMILY\$" <<<"$text" || fail "no user code line"
grep -q '^PIN: [0-9]\{6\}$' <<<"$text" || fail "no PIN line"
grep -q '^Password:' <<<"$text" && fail "a family letter carries a password"
grep -qF "SPID o CIE" <<<"$text" || fail "the letter does not say to log in with SPID or CIE"
expect_equal "$(grep -c '^Password: ' "outbox/$file")" 0 "password lines in the raw message"

TEST "the mailed PIN signs; no family password verifies, and the account records SPID/CIE"
spid_school
pin=$($LETTERS outbox --field pin "$FAMILY")
credenza_stdin "$pin" verify "$FAMILY" --pin
expect_status 0
# A password for a family is answered as for an unknown user code: no tell of who is a family.
credenza_stdin "anything at all" verify FZZZZZZZZ
cp out unknown.out
cp err unknown.err
credenza_stdin "anything at all" verify "$FAMILY"
expect_status 1
cmp -s out unknown.out && cmp -s err unknown.err || fail "a SPID family answers differently: $(cat out err)"
expect_equal "$(sql "SELECT login_method || ' ' || (password_hash IS NULL) FROM account WHERE user_code = '$FAMILY'")" \
    "spid_cie 1" "login method and password hash"
credenza account show "$FAMILY"
expect_out "spid_cie"

TEST "students keep their passwords"
spid_school
password=$($LETTERS outbox --field password "$STUDENT")
[ -n "$password" ] || fail "a student letter without a password"
credenza_stdin "$password" verify "$STUDENT"
expect_status 0
expect_equal "$(sql "SELECT login_method FROM account WHERE user_code = '$STUDENT'")" password "student login"

TEST "a family has no password to change or reset; its PIN can be reset and the new one works"
spid_school
credenza_stdin $'x\nUna frase lunga e nuova 42\nUna frase lunga e nuova 42\n' passwd "$FAMILY"
expect_status 1
expect_err "nothing was changed"
credenza --yes reset "$FAMILY" --reason "PIN lost, written request 12/2026"
expect_status 64
expect_err "only its PIN can be reset"
credenza --yes reset "$FAMILY" --reason "PIN lost, written request 12/2026" --pin
expect_status 0
credenza send
expect_status 0
pin=$($LETTERS outbox --field pin "$FAMILY")
credenza_stdin "$pin" verify "$FAMILY" --pin
expect_status 0
grep -q '^Password:' <<<"$($LETTERS outbox --field text "$FAMILY")" && fail "the reset letter carries a password"
true

TEST "the English letter for a SPID family"
spid_school en
text=$($LETTERS outbox --field text "$FAMILY")
grep -q "^User code: $FAMILY\$" <<<"$text" || fail "no user code line"
grep -qF "SPID or" <<<"$text" || fail "the letter does not say to log in with SPID or CIE"

TEST "a bad family_login is a configuration error naming the line"
init_school
printf '[policy]\nfamily_login = cns\n' >>credenza.conf
credenza account list
expect_status 78
expect_err "policy.family_login"
