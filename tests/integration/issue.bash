# sanitize
# credenza issue: counts follow tests/data/README.md for enrolment_2025.csv — 12 pupils and 20
# guardians = 32 accounts; no address: Roberto Greco (family), Martina Greco and Niccolò Fontana
# (students); so 29 letters, 19 family and 10 student.

imported_school() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
}

# user_code TAX_CODE KIND
user_code() {
    sql "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id
         WHERE p.tax_code = '$1' AND a.kind = '$2'"
}

letters_of_kind() {
    sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id WHERE a.kind = '$1'"
}

TEST "issue queues one letter per active account with an address and prints the counts"
imported_school
credenza issue
expect_status 0
expect_out "29 letters queued, 0 accounts had one already, 3 skipped"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'queued' AND purpose = 'initial'")" 29 "queued letters"
expect_equal "$(sql 'SELECT count(DISTINCT account_id) FROM letter')" 29 "accounts with a letter"
expect_equal "$(letters_of_kind family)" 19 "family letters"
expect_equal "$(letters_of_kind student)" 10 "student letters"
expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id
                     WHERE a.kind = 'family' AND l.new_pin = 1")" 19 "family letters carrying a new PIN"
expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id
                     WHERE a.kind = 'student' AND l.new_pin = 1")" 0 "student letters carrying a PIN"

TEST "issue lists the accounts it skipped for want of an address, by user code"
imported_school
credenza issue
expect_status 0
expect_err "3 accounts cannot get a letter"
expect_out "$(user_code GRCRRT75T12G273S family)"
expect_out "Roberto"
expect_out "$(user_code GRCMTN11E70D205L student)"
expect_out "Martina"
expect_out "Niccolò"
expect_out "no e-mail address recorded"
[ "$(grep -c 'no e-mail address recorded' out)" -eq 3 ] || fail "expected 3 skipped rows, got: $(cat out)"
skipped=$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id JOIN person p
               ON p.id = a.person_id WHERE p.tax_code IN ('GRCRRT75T12G273S', 'GRCMTN11E70D205L')")
expect_equal "$skipped" 0 "letters for accounts without an address"

TEST "issue run twice queues nothing the second time"
imported_school
credenza issue
expect_status 0
credenza issue
expect_status 0
expect_out "0 letters queued, 29 accounts had one already, 3 skipped"
expect_equal "$(sql 'SELECT count(*) FROM letter')" 29 "letters after two runs"

TEST "issue after the letters were sent still queues nothing"
imported_school
credenza issue
credenza send
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" 29 "sent letters"
credenza issue
expect_status 0
expect_out "0 letters queued, 29 accounts had one already"
expect_equal "$(sql 'SELECT count(*) FROM letter')" 29 "letters after a second issue"

TEST "issue --dry-run counts the letters and writes nothing"
imported_school
audit_before=$(sql 'SELECT count(*) FROM audit')
credenza issue --dry-run
expect_status 0
expect_out "dry run"
expect_out "29 letters queued"
expect_equal "$(sql 'SELECT count(*) FROM letter')" 0 "letters after a dry run"
expect_equal "$(sql 'SELECT count(*) FROM audit')" "$audit_before" "audit rows after a dry run"
credenza issue
expect_out "29 letters queued"

TEST "issue --kind family queues only family letters, each with a PIN"
imported_school
credenza issue --kind family
expect_status 0
expect_out "19 letters queued, 0 accounts had one already, 1 skipped"
expect_equal "$(letters_of_kind family)" 19 "family letters"
expect_equal "$(letters_of_kind student)" 0 "student letters"

TEST "issue --kind student queues only student letters, then --kind all adds the families"
imported_school
credenza issue --kind student
expect_status 0
expect_out "10 letters queued, 0 accounts had one already, 2 skipped"
expect_equal "$(letters_of_kind student)" 10 "student letters"
expect_equal "$(letters_of_kind family)" 0 "family letters"
credenza issue --kind all
expect_out "19 letters queued, 10 accounts had one already, 3 skipped"

TEST "issue --class selects the accounts of that class's pupils: students and their guardians"
imported_school
# 1A: Nicolò D'Angelo, Zoë Rinaldi, Alessandro Bianchi; guardians Francesco D'Angelo, Elena Pietà,
# Chiara Colombo, Luca Rinaldi, Laura Bianchi.
credenza issue --class 1A
expect_status 0
expect_out "8 letters queued, 0 accounts had one already, 0 skipped"
expect_equal "$(letters_of_kind student)" 3 "student letters of 1A"
expect_equal "$(letters_of_kind family)" 5 "family letters of 1A"
queued=$(sql "SELECT p.tax_code FROM letter l JOIN account a ON a.id = l.account_id
              JOIN person p ON p.id = a.person_id WHERE a.kind = 'family' ORDER BY 1" | tr '\n' ' ')
expect_equal "$queued" "BNCLRA83M59L219L CLMCHR81S43F205G DNGFNC76P05H501R PTILNE79B67F839R RNLLCU79D16L219S " \
    "guardians of 1A"

TEST "issue --class repeated selects the union; a guardian of pupils in both gets one letter"
imported_school
# 1A and 2A share Francesco D'Angelo and Elena Pietà (parents of Nicolò and Giulia).
credenza issue --class 1A --class 2A
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id
                     JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'DNGFNC76P05H501R'")" 1 \
    "letters for a guardian of pupils in 1A and 2A"
expect_equal "$(letters_of_kind student)" 6 "student letters of 1A and 2A"
expect_equal "$(sql 'SELECT count(*) - count(DISTINCT account_id) FROM letter')" 0 "duplicate letters"

TEST "issue --class 1B lists its pupils without an address as skipped"
imported_school
credenza issue --class 1B --kind student
expect_status 0
expect_out "1 letter queued, 0 accounts had one already, 2 skipped"
expect_out "$(user_code GRCMTN11E70D205L student)"

TEST "issue --class of a class with no pupils queues nothing"
imported_school
credenza issue --class 4C
expect_status 0
expect_out "0 letters queued"
expect_equal "$(sql 'SELECT count(*) FROM letter')" 0 "letters"

TEST "issue --format json prints the counts and the skipped accounts"
imported_school
credenza --format json issue
expect_status 0
"$PYTHON" -c '
import json, sys
report = json.load(open(sys.argv[1]))
assert report["queued"] == 29, report
assert report["already"] == 0, report
assert report["dry_run"] is False, report
assert sorted(s["kind"] for s in report["skipped"]) == ["family", "student", "student"], report
' out || fail "unexpected JSON: $(cat out)"

TEST "issue skips disabled accounts"
imported_school
credenza account disable "$(user_code DNGFNC76P05H501R family)" --reason "test: left the school" --yes
expect_status 0
credenza issue
expect_status 0
expect_out "28 letters queued"

TEST "issue rejects an unknown --kind as a usage error"
imported_school
credenza issue --kind teacher
expect_status 64
expect_equal "$(sql 'SELECT count(*) FROM letter')" 0 "letters"

TEST "issue writes an audit row for each queued letter, naming the account by user code only"
imported_school
credenza issue --kind family
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'queue initial'")" 19 "audit rows"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE detail LIKE '%@%' OR account LIKE '%@%'")" 0 \
    "audit rows with an address"
