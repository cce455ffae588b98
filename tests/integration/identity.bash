# SPID, CIE and eIDAS logins (issue 15): `identity` maps a codice fiscale to accounts and records the
# login; `report activation`, `remind`, `switch-login` and [school] cycle.

LETTERS="$PYTHON $SOURCE_DIR/tests/tools/letters.py"
DANGELO=DNGFNC76P05H501R # Francesco D'Angelo: guardian of three pupils in 1A, 2A and 5A

# json EXPRESSION: evaluates a Python expression over the JSON of ./out, bound to `d`.
json() {
    "$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$WORK/out" "$1"
}

family_of() {
    sql "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id
         WHERE a.kind = 'family' AND p.tax_code = '$1'"
}

student_of() {
    sql "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id
         WHERE a.kind = 'student' AND p.tax_code = '$1'"
}

TEST "identity answers a guardian's accounts from TINIT-, lower case or spaced codes, with pupils and capabilities"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
code=$(family_of $DANGELO)
credenza identity "TINIT-$DANGELO"
expect_status 0
cp out first.json
expect_equal "$(json 'd["status"]')" found "status"
expect_equal "$(json '[a["user_code"] for a in d["accounts"]]')" "['$code']" "accounts"
expect_equal "$(json '[a["kind"] for a in d["accounts"]]')" "['family']" "kind"
expect_equal "$(json 'sorted(p["class"] for p in d["accounts"][0]["pupils"])')" "['1A', '2A', '5A']" "pupils' classes"
expect_equal "$(json '"DNGNCL11C14H501W" in [p["tax_code"] for p in d["accounts"][0]["pupils"]]')" True "a pupil"
expect_equal "$(json '"justify_absences" in d["accounts"][0]["capabilities"]')" True "a family's capability"
expect_no_out "D'Angelo"
expect_no_out "@"
for spelling in "tinit-${DANGELO,,}" " TINIT - DNG FNC 76P05 H501R " "$DANGELO"; do
    credenza identity "$spelling"
    expect_status 0
    cmp -s out first.json || fail "'$spelling' answered differently: $(cat out)"
done
# A pupil (adult, in 5A) is found as a student.
credenza identity TINIT-DNGTMS07E20H501A
expect_status 0
expect_equal "$(json '[(a["kind"], a["user_code"]) for a in d["accounts"]]')" \
    "[('student', '$(student_of DNGTMS07E20H501A)')]" "the pupil's account"
# Nothing was recorded by a look-up.
expect_equal "$(sql "SELECT count(*) FROM account WHERE last_login_at IS NOT NULL")" 0 "logins recorded"

TEST "an unknown, a malformed and a foreign eIDAS number get the same answer: exit 1, no account"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza identity TINIT-RSSMRA80A01H501U # valid, not enrolled
expect_status 1
cp out unknown.out
cp err unknown.err
expect_equal "$(json 'd')" "{'status': 'none', 'accounts': []}" "the answer"
for other in "TINIT-DNGFNC76P05H501X" "TINIT-DNGFNC76P05H501" "TINDE-1234567890" "TINIT-"; do
    credenza identity "$other"
    expect_status 1
    cmp -s out unknown.out && cmp -s err unknown.err || fail "'$other' answered differently: $(cat out err)"
done

TEST "a codice fiscale with omocodia letters finds its person"
init_school
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
expect_status 0
credenza identity tinit-bncmrc80a01h50mu
expect_status 0
expect_equal "$(json '[a["user_code"] for a in d["accounts"]]')" "['$(family_of BNCMRC80A01H50MU)']" "accounts"

TEST "--record-login records the first and the last login with their method, audited; account show prints them"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
code=$(family_of $DANGELO)
credenza identity "TINIT-$DANGELO" --record-login spid
expect_status 0
expect_equal "$(json 'd["recorded"]')" "['$code']" "recorded"
credenza identity "TINIT-$DANGELO" --record-login cie --account "${code,,}"
expect_status 0
expect_equal "$(sql "SELECT first_login_method || ' ' || last_login_method || ' ' || (first_login_at <= last_login_at)
                     FROM account WHERE user_code = '$code'")" "spid cie 1" "first and last"
expect_equal "$(sql "SELECT group_concat(detail, '; ') FROM audit WHERE action = 'login recorded' AND account = '$code'")" \
    "method=spid first; method=cie" "audit rows"
credenza --format json account show "$code"
expect_status 0
expect_equal "$(json 'd["first_login_method"] + " " + d["last_login_method"]')" "spid cie" "account show"
expect_equal "$(json 'd["first_login_at"] != "" and d["last_login_at"] != ""')" True "the times"
# Another person's user code is answered as nobody, and records nothing.
other=$(family_of PTILNE79B67F839R)
credenza identity "TINIT-$DANGELO" --record-login spid --account "$other"
expect_status 1
expect_equal "$(sql "SELECT count(*) FROM account WHERE last_login_at IS NOT NULL")" 1 "accounts with a login"
credenza identity "TINIT-$DANGELO" --record-login cns
expect_status 64

TEST "a person whose accounts are all disabled gets exit 77, no account, and no login recorded"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
code=$(family_of $DANGELO)
credenza account disable "$code" --reason "test"
expect_status 0
credenza identity "TINIT-$DANGELO" --record-login spid
expect_status 77
expect_equal "$(json 'd')" "{'status': 'disabled', 'accounts': [], 'recorded': []}" "the answer"
expect_err "disabled"
expect_equal "$(sql "SELECT count(*) FROM account WHERE last_login_at IS NOT NULL")" 0 "logins recorded"

TEST "[school] cycle: first-cycle pupils get no student account and no letter; the import says how many"
init_school
printf '[school]\ncycle = both\nfirst_cycle_classes = 1P, 3m\n' >>credenza.conf
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
expect_status 0
expect_out "first cycle: 2 pupils with no student account"
expect_equal "$(sql "SELECT group_concat(p.class) FROM account a JOIN pupil p ON p.person_id = a.person_id
                     WHERE a.kind = 'student'")" "3A" "student accounts"
expect_equal "$(sql "SELECT count(*) FROM account WHERE kind = 'family'")" 3 "family accounts"
credenza issue
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id WHERE a.kind = 'student'")" 1 \
    "student letters"
# A primary school: nobody gets a student account.
rm -f credenza.db* && init_school
printf '[school]\ncycle = primo\n' >>credenza.conf
credenza --format json import "$DATA/spid_cycle.csv" --year 2025/2026
expect_status 0
expect_equal "$(json 'd["first_cycle_pupils"]')" 3 "first-cycle pupils (json)"
expect_equal "$(sql "SELECT count(*) FROM account WHERE kind = 'student'")" 0 "student accounts"
# A school that sets the cycle after its pupils had accounts: the next import disables them (counted in
# its audit row, listed in its review), and a pupil who reaches the second cycle gets his back.
rm -f credenza.db* && init_school
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
expect_equal "$(sql "SELECT count(*) FROM account WHERE kind = 'student' AND status = 'active'")" 3 "students before"
printf '[school]\ncycle = both\nfirst_cycle_classes = 1P, 3m\n' >>credenza.conf
credenza import "$DATA/spid_cycle.csv" --year 2025/2026 --dry-run --format csv
expect_status 0
"$PYTHON" -c '
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["change"] == "disabled"]
sys.exit(0 if sorted(r["class"] for r in rows) == ["1P", "3M"] else "review: %s" % rows)
' "$WORK/out" || fail "the review does not list the two first-cycle accounts"
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
expect_status 0
expect_out "first cycle: 2 student accounts made earlier disabled"
expect_equal "$(sql "SELECT group_concat(p.class) FROM account a JOIN pupil p ON p.person_id = a.person_id
                     WHERE a.kind = 'student' AND a.status = 'active'")" "3A" "active student accounts"
sed -i 's/^first_cycle_classes = .*/first_cycle_classes = 3m/' credenza.conf
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM account WHERE kind = 'student' AND status = 'active'")" 2 \
    "active student accounts once 1P is second cycle"
# 'both' without classes is a configuration error, and nothing is written.
rm -f credenza.db* && init_school
printf '[school]\ncycle = both\n' >>credenza.conf
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
expect_status 78
expect_err "first_cycle_classes"
expect_equal "$(sql "SELECT count(*) FROM person")" 0 "persons written"

TEST "report activation counts, per class, who never logged in, how the others did, and tax codes to check"
init_school
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
credenza issue
credenza send
expect_status 0
sara=$(student_of FRRSRA09C50L219T)
rossi=$(family_of RSSMRA80A01H501U)
password=$($LETTERS outbox --field password "$rossi")
credenza_stdin "$password" verify "$rossi"
expect_status 0
credenza identity TINIT-FRRSRA09C50L219T --record-login cie
expect_status 0
expect_equal "$(sql "SELECT last_login_method FROM account WHERE user_code = '$rossi'")" password "a password login"
credenza --format json report activation
expect_status 0
expect_equal "$(json '[(r["class"], r["accounts"], r["never_logged_in"], r["last_password"], r["last_cie"], r["families_on_password"], r["tax_codes_to_check"]) for r in d]')" \
    "[('1P', 2, 2, 0, 0, 0, 0), ('3A', 2, 0, 1, 1, 1, 0), ('3M', 2, 2, 0, 0, 0, 1)]" "rows"
credenza --format json report activation --accounts --class 3a
expect_status 0
expect_equal "$(json '[(r["attention"], r["user_code"], r["last_login_method"]) for r in d]')" \
    "[('password_login', '$rossi', 'password')]" "accounts of 3A to follow up"
credenza --format csv report activation --accounts
expect_status 0
expect_out "tax_code_to_check"
expect_out "never_logged_in"
grep -q "^tax_code_to_check,$(family_of VRDNNA82M41F205D)," out || fail "the misfit code is not listed: $(cat out)"

TEST "remind queues a letter without secrets for those who never logged in, at most once per interval, audited"
init_school
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
credenza identity TINIT-RSSMRA80A01H501U
credenza remind --never-logged-in
expect_status 0
expect_out "0 reminders queued"
expect_out "6 without a credentials letter sent"
credenza issue
credenza send
expect_status 0
credenza identity TINIT-RSSMRA80A01H501U --record-login spid
expect_status 0
credenza remind --never-logged-in --dry-run
expect_status 0
expect_out "dry run"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE purpose = 'reminder'")" 0 "reminders after a dry run"
credenza remind --never-logged-in --class 3M
expect_status 0
expect_out "1 reminder queued"
credenza remind --never-logged-in
expect_status 0
expect_out "2 reminders queued (1 reminded in the last 14 days"
credenza remind --never-logged-in
expect_status 0
expect_out "0 reminders queued (3 reminded"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'queue reminder'")" 3 "audit rows"
expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id
                     WHERE l.purpose = 'reminder' AND a.user_code = '$(family_of RSSMRA80A01H501U)'")" 0 \
    "a reminder to one who logged in"
hashes_before=$(sql "SELECT group_concat(coalesce(password_hash, '') || coalesce(pin_hash, '')) FROM account")
ls outbox/*.eml | sort >"$WORK/letters-before"
credenza send
expect_status 0
# Outbox files are named by class, surname and user code: the new ones are those not there before.
ls outbox/*.eml | sort | comm -13 "$WORK/letters-before" - >"$WORK/reminders"
expect_equal "$(wc -l <"$WORK/reminders")" 3 "reminders sent"
expect_equal "$(sql "SELECT group_concat(coalesce(password_hash, '') || coalesce(pin_hash, '')) FROM account")" \
    "$hashes_before" "hashes after sending reminders"
while read -r file; do
    "$PYTHON" - "$file" <<'PY' || fail "$file: not a reminder without secrets"
import email, email.policy, re, sys
message = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
text = message.get_body(("plain",)).get_content()
assert "come accedere" in message["Subject"], message["Subject"]
assert not re.search(r"^(Password|PIN): ", text, re.MULTILINE), text
assert "lettera delle credenziali" in text or "SPID" in text, text
PY
done <"$WORK/reminders"

TEST "a school year under passwords, the switch to SPID/CIE, a year under it, and the switch back"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue
credenza send
expect_status 0
code=$(family_of $DANGELO)
password=$($LETTERS outbox --field password "$code")
pin=$($LETTERS outbox --field pin "$code")
credenza_stdin "$password" verify "$code"
expect_status 0
families=$(sql "SELECT count(*) FROM account WHERE kind = 'family'")
# The switch waits for the configuration to say it.
credenza switch-login spid_cie
expect_status 78
expect_err "family_login"
printf '[policy]\nfamily_login = spid_cie\n' >>credenza.conf
credenza switch-login spid_cie --dry-run
expect_status 0
expect_out "$families family accounts would be switched"
expect_equal "$(sql "SELECT count(*) FROM account WHERE login_method = 'spid_cie'")" 0 "switched by a dry run"
letters=$(sql "SELECT count(*) FROM letter")
credenza switch-login spid_cie
expect_status 0
expect_out "$families family accounts switched to SPID/CIE; every PIN kept, no letter queued"
expect_equal "$(sql "SELECT count(*) FROM letter")" "$letters" "letters queued by the switch"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'family login switched'")" 1 "audit rows"
credenza switch-login spid_cie
expect_out "0 family accounts switched"
# The family's password no longer verifies, answered as for an unknown name; its PIN does.
credenza_stdin "$password" verify FZZZZZZZZ
cp out unknown.out
cp err unknown.err
credenza_stdin "$password" verify "$code"
expect_status 1
cmp -s out unknown.out && cmp -s err unknown.err || fail "a switched family answers differently: $(cat out err)"
credenza_stdin "$pin" verify "$code" --pin
expect_status 0
credenza identity "TINIT-$DANGELO" --record-login spid
expect_status 0
# The next year under SPID/CIE: a new family gets a letter with no password.
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027
expect_status 0
credenza issue
credenza send
expect_status 0
newcomer=$(family_of MRNLRI85R52D742X)
[ -n "$($LETTERS outbox --field pin "$newcomer")" ] || fail "no PIN for the new family"
[ -z "$($LETTERS outbox --field password "$newcomer")" ] || fail "a password for a SPID family"
# And back to passwords: the old password works again, the PIN is the same, nothing is queued.
sed -i 's/^family_login = spid_cie$/family_login = password/' credenza.conf
letters=$(sql "SELECT count(*) FROM letter")
credenza switch-login password
expect_status 0
families=$(sql "SELECT count(*) FROM account WHERE kind = 'family'")
expect_out "$families family accounts switched to passwords"
expect_out "have no password"
expect_equal "$(sql "SELECT count(*) FROM letter")" "$letters" "letters queued by the switch back"
credenza_stdin "$password" verify "$code"
expect_status 0
credenza_stdin "$pin" verify "$code" --pin
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'family login switched'")" 2 "audit rows"

TEST "a database of schema version 2 is migrated: login columns appear, letters are kept, a reminder can be queued"
init_school
credenza import "$DATA/spid_cycle.csv" --year 2025/2026
credenza issue
expect_status 0
letters=$(sql "SELECT group_concat(id || purpose || state || account_id) FROM letter")
# Back to what version 2 wrote: no login columns, and a letter table that knows no reminder.
sqlite3 credenza.db "
    DROP TABLE bounce;
    ALTER TABLE account DROP COLUMN first_login_method; ALTER TABLE account DROP COLUMN last_login_at;
    ALTER TABLE account DROP COLUMN last_login_method;
    CREATE TABLE letter_v2 AS SELECT * FROM letter; DROP TABLE letter;
    CREATE TABLE letter (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES account(id),
        purpose TEXT NOT NULL CHECK (purpose IN ('initial', 'reset', 'recovery')),
        new_pin INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'queued',
        recipient TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT,
        last_code INTEGER, last_reply TEXT NOT NULL DEFAULT '', message_id TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '', operator TEXT NOT NULL DEFAULT '', queued_at TEXT NOT NULL, sent_at TEXT,
        updated_at TEXT NOT NULL);
    INSERT INTO letter SELECT * FROM letter_v2; DROP TABLE letter_v2;
    PRAGMA user_version = 2;"
expect_equal "$(sql "SELECT count(*) FROM pragma_table_info('account') WHERE name LIKE 'last_login%'")" 0 "v2 columns"
credenza account list
expect_status 0
expect_equal "$(sql "PRAGMA user_version")" 6 "schema version"
expect_equal "$(sql "SELECT count(*) FROM pragma_table_info('account') WHERE name LIKE '%login_method'")" 3 \
    "login method columns"
expect_equal "$(sql "SELECT group_concat(id || purpose || state || account_id) FROM letter")" "$letters" "letters"
expect_equal "$(sql "SELECT count(*) FROM pragma_index_list('letter')")" 3 "letter indexes"
credenza send
credenza remind --never-logged-in
expect_status 0
expect_out "4 reminders queued"
credenza audit verify
expect_status 0
