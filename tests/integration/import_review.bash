# sanitize
# credenza import: re-imports that never lose data, risky changes held for every account kind,
# a per-account audit, the review of a dry run, and imports of some classes only.
# Expected values come from the fixture files (tests/data/README.md), never from the tool.

dump() { sqlite3 credenza.db .dump; }

import_2025() {
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
}

user_code_of() { sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = '$1' AND kind = '$2'"; }

# Pupils of both files whose 2025 row has an institutional address: the 2026 file without the
# column's values must keep exactly these.
continuing_with_address() {
    "$PYTHON" -c '
import csv, sys
old = {r["student_tax_code"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
new = {r["student_tax_code"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
for code in sorted(new):
    if code in old and old[code]["student_email"]:
        print(code + "|" + old[code]["student_email"])
' "$DATA/enrolment_2025.csv" "$DATA/enrolment_2026.csv"
}

TEST "next year's export with an empty institutional e-mail column keeps every recorded address and says how many"
init_school
import_2025
expected=$(continuing_with_address)
# The review's kept rows: the recorded value on the old side, the file's empty cell on the new side.
credenza import "$DATA/enrolment_2026_no_email.csv" --year 2026/2027 --dry-run --format csv
expect_status 0
kept=$("$PYTHON" -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")):
    if r["change"] == "kept":
        print("%s|%s|%s|%s" % (r["tax_code"], r["field"], r["old"], r["new"]))
' "$WORK/out" | sort)
expect_equal "$kept" "$(printf '%s\n' "$expected" | sed 's/|/|student_email|/; s/$/|/')" "kept rows of the review"
credenza import "$DATA/enrolment_2026_no_email.csv" --year 2026/2027
expect_status 0
expect_out "recorded values kept where the file is empty: $(printf '%s\n' "$expected" | wc -l)"
stored=$(sql "SELECT p.tax_code || '|' || pu.institutional_email FROM pupil pu JOIN person p ON p.id = pu.person_id
              WHERE pu.status = 'active' AND pu.institutional_email <> '' ORDER BY 1")
expect_equal "$stored" "$expected" "institutional addresses after the re-import"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE detail = 'field=student_email'")" 0 "audited address changes"

TEST "--clear-empty lets an empty cell clear the recorded address, listed in the dry run and audited per account"
init_school
import_2025
expected=$(continuing_with_address)
count=$(printf '%s\n' "$expected" | wc -l)
credenza import "$DATA/enrolment_2026_no_email.csv" --year 2026/2027 --clear-empty --dry-run
expect_status 0
expect_out "cleared (--clear-empty): $count"
expect_equal "$(grep -c ' cleared .*student_email' "$WORK/out")" "$count" "cleared rows of the review"
credenza import "$DATA/enrolment_2026_no_email.csv" --year 2026/2027 --clear-empty
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM pupil WHERE institutional_email <> '' AND status = 'active'")" 0 "addresses left"
for code in $(printf '%s\n' "$expected" | cut -d'|' -f1); do
    user_code=$(user_code_of "$code" student)
    expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import change' AND account = '$user_code' AND detail = 'field=student_email'")" 1 "audit of $code"
done

TEST "every change of a person's data is audited on their account with the field and never a value"
init_school
import_2025
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027
expect_status 0
luca=$(user_code_of RNLLCU79D16L219S family)
expect_equal "$(sql "SELECT detail FROM audit WHERE action = 'import change' AND account = '$luca'")" "field=email" "audit of Luca Rinaldi's new address"
nicolo=$(user_code_of DNGNCL11C14H501W student)
expect_equal "$(sql "SELECT group_concat(detail, ' ') FROM (SELECT detail FROM audit WHERE action = 'import change' AND account = '$nicolo' ORDER BY detail)")" "field=class field=school_year" "audit of Nicolò D'Angelo's new class"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import change' AND (detail LIKE '%@%' OR detail LIKE '%gmail%' OR detail LIKE '%2A%' OR account = '')")" 0 "audit rows with a value or without an account"

TEST "a changed address of a student who already had a letter is held until --accept-changes; without a letter it is applied"
init_school
import_2025
credenza issue --class 1A --kind student
expect_status 0
nicolo=$(user_code_of DNGNCL11C14H501W student)
sed 's/nicolo\.dangelo@/nicolo.dangelo2@/; s/martina\.greco@/x@/' "$DATA/enrolment_2025.csv" >changed.csv
# Martina Greco (1B) has no address nor letter: give her one.
sed -i 's/^\(GRCMTN11E70D205L,Greco,Martina,[^,]*,1B,\),/\1martina.greco@itisvallauri.edu.it,/' changed.csv
line=$(grep -n nicolo.dangelo2 changed.csv | cut -d: -f1)
credenza import changed.csv --year 2025/2026
expect_status 0
expect_out "address change of $nicolo at changed.csv:$line: 'nicolo.dangelo@itisvallauri.edu.it' -> 'nicolo.dangelo2@itisvallauri.edu.it' (NOT applied)"
expect_equal "$(sql "SELECT institutional_email FROM pupil JOIN person ON person.id = person_id WHERE tax_code = 'DNGNCL11C14H501W'")" "nicolo.dangelo@itisvallauri.edu.it" "held address"
expect_equal "$(sql "SELECT institutional_email FROM pupil JOIN person ON person.id = person_id WHERE tax_code = 'GRCMTN11E70D205L'")" "martina.greco@itisvallauri.edu.it" "first address of a student without a letter"
credenza import changed.csv --year 2025/2026 --accept-changes
expect_status 0
expect_out "(applied)"
expect_equal "$(sql "SELECT institutional_email FROM pupil JOIN person ON person.id = person_id WHERE tax_code = 'DNGNCL11C14H501W'")" "nicolo.dangelo2@itisvallauri.edu.it" "accepted address"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE account = '$nicolo' AND detail = 'field=student_email'")" 1 "audit of the accepted change"

TEST "a student address outside the school's domain is refused with FILE:LINE, unless [import] check_student_domain = false"
init_school
sed 's/nicolo\.dangelo@itisvallauri\.edu\.it/nicolo.dangelo@gmail.com/' "$DATA/enrolment_2025.csv" >gmail.csv
line=$(grep -n nicolo.dangelo@gmail.com gmail.csv | cut -d: -f1)
before=$(dump)
credenza import gmail.csv --year 2025/2026
expect_status 65
expect_err "gmail.csv:$line: student_email: 'nicolo.dangelo@gmail.com' is not an address of the school's domain 'itisvallauri.edu.it'"
expect_equal "$(dump)" "$before" "database"
printf '[import]\ncheck_student_domain = false\n' >>credenza.conf
credenza import gmail.csv --year 2025/2026
expect_status 0

TEST "a dry run lists who is new, changed (field: old -> new), leaving and disabled, by class, with names"
init_school
import_2025
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027 --dry-run
expect_status 0
dry=$(grep -E '^(pupils|guardians|accounts): ' "$WORK/out")
out=$(cat "$WORK/out")
match() { grep -qE -- "$1" <<<"$out" || fail "the review lacks a line matching: $1"; }
match "^1A +new +pupil +Marino +Beatrice"
match "^1A +new +guardian +Marino +Ilaria"
match "^2A +changed +pupil +D'Angelo +Nicolò +[A-Z0-9]+ +class +1A +2A"
match "^2A +changed +guardian +Rinaldi +Luca +[A-Z0-9]+ +email +luca.rinaldi@outlook.it +luca.rinaldi79@gmail.com"
match "^5A +leaving +pupil +Lombardi +Giorgia +[A-Z0-9]+"
match "^1B +leaving +pupil +Fontana +Niccolò"
match "^1B +disabled +guardian +Fontana +Paolo +[A-Z0-9]+"
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027 --dry-run --format csv
expect_status 0
"$PYTHON" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
who = {(r["change"], r["kind"], r["tax_code"]) for r in rows}
expected = {("new", "pupil", "MRNBRC12B49D742S"), ("leaving", "pupil", "LMBGRG08C44D969K"), ("disabled", "guardian", "FNTPLA77L07A944I")}
missing = expected - who
sys.exit("missing from the CSV review: %s (%d rows)" % (missing, len(rows)) if missing else 0)
' "$WORK/out" || fail "CSV review"
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027 --dry-run --format json
expect_status 0
"$PYTHON" -c '
import json, sys
report = json.load(open(sys.argv[1]))
changes = [r for r in report["review"] if r["change"] == "changed" and r["tax_code"] == "RNLLCU79D16L219S"]
ok = report["dry_run"] and changes and changes[0]["field"] == "email" and changes[0]["new"] == "luca.rinaldi79@gmail.com"
sys.exit(0 if ok else "JSON review: %s" % changes)
' "$WORK/out" || fail "JSON review"
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027
expect_status 0
expect_equal "$(grep -E '^(pupils|guardians|accounts): ' "$WORK/out")" "$dry" "counts of the real import and of the dry run"
expect_no_out "leaving"

TEST "a guardian replaced in their pupil's row and disabled is reviewed in that pupil's class"
init_school
import_2025
# Alessandro Bianchi's only guardian, Laura Bianchi (of no other pupil), replaced by Chiara Colombo.
sed 's/BNCLRA83M59L219L,Bianchi,Laura,laura.bianchi@example.it/CLMCHR81S43F205G,Colombo,Chiara,chiara.colombo@gmail.com/' \
    "$DATA/enrolment_2025.csv" >replaced.csv
credenza import replaced.csv --year 2025/2026 --dry-run
expect_status 0
grep -qE "^1A +disabled +guardian +Bianchi +Laura +[A-Z0-9]+" "$WORK/out" || fail "disabled guardian's row: $(grep disabled "$WORK/out")"

TEST "--classes 1A touches only 1A: other classes in the file are neither changed nor counted, absent ones do not leave"
init_school
import_2025
# 1A without Alessandro Bianchi, and 2A moved to 3A: only the first matters with --classes 1A.
{ head -1 "$DATA/enrolment_2025.csv"; grep ',1A,' "$DATA/enrolment_2025.csv" | grep -v '^BNCLSN11A09L219L'; grep ',2A,' "$DATA/enrolment_2025.csv" | sed 's/,2A,/,3A,/'; } >partial.csv
before_2a=$(sql "SELECT count(*) FROM pupil WHERE class = '2A' AND status = 'active'")
credenza import partial.csv --year 2025/2026 --classes 1A
expect_status 0
expect_out "classes: 1A only (3 pupils of other classes in the file not imported)"
expect_out "pupils:    0 new, 0 changed, 2 unchanged, 1 left"
expect_equal "$(sql "SELECT pu.status FROM pupil pu JOIN person p ON p.id = pu.person_id WHERE p.tax_code = 'BNCLSN11A09L219L'")" left "Alessandro Bianchi"
expect_equal "$(sql "SELECT count(*) FROM pupil WHERE class = '2A' AND status = 'active'")" "$before_2a" "2A pupils unchanged"
expect_equal "$(sql "SELECT count(*) FROM pupil WHERE status = 'active' AND class IN ('1B', '5A')")" 6 "1B and 5A still active"
credenza import partial.csv --year 2025/2026 --classes 1A,9
expect_status 64
expect_err "invalid class '9' in --classes"

TEST "every account an import disables or enables again has its own audit row with the reason, shown by report audit, chain intact"
init_school
import_2025
giorgia=$(user_code_of LMBGRG08C44D969K student)
paolo=$(user_code_of FNTPLA77L07A944I family)
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027 --dry-run
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action IN ('import disable', 'import enable')")" 0 "rows after a dry run"
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027
expect_status 0
# tests/data/README.md: 4 pupils leave (4 student accounts), 7 guardians become inactive.
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import disable' AND detail = 'reason=pupil left'")" 4 "student accounts disabled, audited"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import disable' AND detail = 'reason=no active pupil'")" 7 "family accounts disabled, audited"
expect_equal "$(sql "SELECT count(*) FROM audit a JOIN account ac ON ac.user_code = a.account WHERE a.action = 'import disable' AND ac.status = 'disabled' AND ac.disabled_by = 'import'")" 11 "audited accounts that are disabled"
credenza report audit --account "$giorgia" --format csv
expect_status 0
grep -qE "^[0-9]+,[^,]+,[^,]+,import disable,$giorgia,reason=pupil left" "$WORK/out" || fail "report audit of Giorgia Lombardi: $(cat "$WORK/out")"
credenza report audit --account "$paolo"
expect_status 0
expect_out "import disable"
expect_out "reason=no active pupil"
operator=$(sql "SELECT operator FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1")
expect_equal "$(sql "SELECT DISTINCT operator FROM audit WHERE action = 'import disable'")" "$operator" "operator of the rows"
# Last year's file again (as this year's): the leavers are back, and so are their families.
credenza import "$DATA/enrolment_2025.csv" --year 2026/2027
expect_status 0
expect_equal "$(sql "SELECT detail FROM audit WHERE action = 'import enable' AND account = '$giorgia'")" "reason=pupil back" "Giorgia Lombardi enabled"
expect_equal "$(sql "SELECT detail FROM audit WHERE action = 'import enable' AND account = '$paolo'")" "reason=pupil back" "Paolo Fontana enabled"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import enable'")" 11 "accounts enabled, audited"
credenza audit verify
expect_status 0

TEST "--clear-empty holds the clearing of an address of an account that had a letter until --accept-changes, listed once"
init_school
import_2025
credenza issue --class 1A --kind family
expect_status 0
luca=$(user_code_of RNLLCU79D16L219S family)
# Luca Rinaldi (1A, had a letter) and Martina Greco's mother Silvia Conti (1B, no letter) lose their addresses.
sed 's/luca\.rinaldi@outlook\.it//; s/silvia\.conti@alice\.it//' "$DATA/enrolment_2025.csv" >empty.csv
line=$(grep -n '^RNLZOE' empty.csv | cut -d: -f1)
credenza import empty.csv --year 2025/2026 --clear-empty --dry-run
expect_status 0
expect_out "address of $luca at empty.csv:$line: 'luca.rinaldi@outlook.it' cleared (NOT applied)"
expect_equal "$(grep -cE ' Rinaldi +Luca ' "$WORK/out")" 1 "review lines of Luca Rinaldi"
grep -qE '^1A +held +guardian +Rinaldi +Luca +[A-Z0-9]+ +email +luca.rinaldi@outlook.it *$' "$WORK/out" || fail "held line of Luca Rinaldi: $(cat "$WORK/out")"
expect_equal "$(grep -cE ' Conti +Silvia ' "$WORK/out")" 1 "review lines of Silvia Conti"
grep -qE '^1B +cleared +guardian +Conti +Silvia .*email +silvia.conti@alice.it *$' "$WORK/out" || fail "cleared line of Silvia Conti"
expect_out "cleared (--clear-empty): 1"
credenza import empty.csv --year 2025/2026 --clear-empty
expect_status 0
expect_out "address of $luca at empty.csv:$line: 'luca.rinaldi@outlook.it' cleared (NOT applied)"
expect_out "without an address no recovery letter could reach them"
expect_no_out "would go to the new address"
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'RNLLCU79D16L219S'")" "luca.rinaldi@outlook.it" "held address"
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'CNTSLV78C48D205T'")" "" "address of a family without a letter"
expect_equal "$(sql "SELECT detail FROM audit WHERE action = 'import held' AND account = '$luca'")" "held=email" "audit of the held clearing"
credenza report problems --format csv
expect_status 0
grep -qE "address_held.*RNLLCU79D16L219S|RNLLCU79D16L219S.*address_held" "$WORK/out" || fail "report problems: $(cat "$WORK/out")"
expect_out "held a change of this account's address (a new one, or its clearing)"
credenza import empty.csv --year 2025/2026 --clear-empty --accept-changes
expect_status 0
expect_out "address of $luca at empty.csv:$line: 'luca.rinaldi@outlook.it' cleared (applied)"
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'RNLLCU79D16L219S'")" "" "accepted clearing"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import change' AND account = '$luca' AND detail = 'field=email'")" 1 "audit of the accepted clearing"
