# sanitize
# credenza import: expected values are computed here from the CSV files, never by running the tool.

# Python helpers over the sample files; every call gets the file paths as arguments.
ENROLMENT_PY='
import csv, datetime, json, sys

def read(path, encoding="utf-8-sig", delimiter=","):
    with open(path, newline="", encoding=encoding) as f:
        reader = csv.DictReader(f, delimiter=delimiter)
        rows = []
        for row in reader:
            row["_line"] = reader.line_num
            rows.append(row)
        return rows

def guardians(row):
    found = []
    for i in range(1, 10):
        code = (row.get("guardian%d_tax_code" % i) or "").strip()
        if code:
            found.append({"tax_code": code, "surname": row["guardian%d_surname" % i],
                          "name": row["guardian%d_name" % i], "email": row.get("guardian%d_email" % i, ""),
                          "position": i, "line": row["_line"]})
    return found

def pupils(rows):
    return {r["student_tax_code"]: r for r in rows}

def guardian_map(rows):
    result = {}
    for r in rows:
        for g in guardians(r):
            result.setdefault(g["tax_code"], dict(g, pupils=set()))["pupils"].add(r["student_tax_code"])
    return result

def is_adult(iso):
    born = datetime.date.fromisoformat(iso)
    today = datetime.date.today()
    return (today.year - born.year - ((today.month, today.day) < (born.month, born.day))) >= 18

problems = []
def check(condition, what):
    if not condition:
        problems.append(what)

def done():
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)
'

# py 'CODE' ARGS...: runs CODE after the helpers above, with ARGS in sys.argv[1:].
py() {
    local code=$1
    shift
    "$PYTHON" -c "$ENROLMENT_PY
$code" "$@"
}

# py_check 'CODE' ARGS...: CODE calls check(); every failed check fails the test.
py_check() {
    local output
    output=$(py "$1
done()" "${@:2}") || fail "$output"
}

pupil_count() { py 'print(len(read(sys.argv[1])))' "$1"; }
guardian_count() { py 'print(len(guardian_map(read(sys.argv[1]))))' "$1"; }

# The whole database as SQL text: "unchanged" means this text is identical.
dump() { sqlite3 credenza.db .dump; }

# The counts lines that import prints for a first import of FILE into an empty school.
first_import_counts() {
    local pupils guardians
    pupils=$(pupil_count "$1")
    guardians=$(guardian_count "$1")
    printf 'pupils:    %d new, 0 changed, 0 unchanged, 0 left\n' "$pupils"
    printf 'guardians: %d new, 0 changed, 0 unchanged, 0 with no pupil left\n' "$guardians"
    printf 'accounts:  %d created, 0 disabled, 0 enabled\n' $((pupils + guardians))
}

counts_lines() { grep -E '^(pupils|guardians|accounts): ' "$WORK/out"; }

import_2025() {
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
}

# check_defect_file NAME LINE:HEADER...: the file is refused with exactly these defects, on an
# empty school and on one that already holds enrolment_2025.csv, and nothing changes.
check_defect_file() {
    local name=$1
    shift
    local file=$DATA/$name
    local expected
    expected=$(printf '%s\n' "$@")
    for state in empty populated; do
        if [ "$state" = populated ]; then
            import_2025
        fi
        local before
        before=$(dump)
        credenza import "$file"
        expect_status 65
        local found
        found=$(sed -n "s|^$file:\([0-9]*\): \([a-z0-9_]*\): .*|\1:\2|p" "$WORK/err")
        expect_equal "$found" "$expected" "defects reported for $name ($state school)"
        expect_equal "$(grep -c "^$file:" "$WORK/err")" "$#" "lines naming $name ($state school)"
        expect_err "nothing was imported"
        expect_equal "$(dump)" "$before" "database after the refused $name ($state school)"
    done
}

TEST "an enrolment file imports: every pupil and every distinct guardian gets one account"
init_school
import_2025
expect_equal "$(counts_lines)" "$(first_import_counts "$DATA/enrolment_2025.csv")" "printed counts"
credenza account list --format json
cp "$WORK/out" accounts.json
py_check '
rows = read(sys.argv[1])
accounts = json.load(open(sys.argv[2]))
by_code = {}
for a in accounts:
    by_code.setdefault(a["tax_code"], []).append(a)
family = [a for a in accounts if a["kind"] == "family"]
students = [a for a in accounts if a["kind"] == "student"]
expected_pupils = pupils(rows)
expected_guardians = guardian_map(rows)
check(len(students) == len(expected_pupils), "student accounts: %d, pupils: %d" % (len(students), len(expected_pupils)))
check(len(family) == len(expected_guardians), "family accounts: %d, guardians: %d" % (len(family), len(expected_guardians)))
for code, g in expected_guardians.items():
    held = [a for a in by_code.get(code, []) if a["kind"] == "family"]
    check(len(held) == 1, "guardian %s has %d family accounts" % (code, len(held)))
    if held:
        check(set(held[0]["pupils"]) == g["pupils"], "guardian %s covers %s, expected %s" % (code, held[0]["pupils"], sorted(g["pupils"])))
        check(held[0]["email"] == g["email"], "guardian %s email %r" % (code, held[0]["email"]))
# The guardian of three pupils, and the two guardians of the D Angelo siblings.
francesco = [a for a in family if a["tax_code"] == "DNGFNC76P05H501R"]
check(len(francesco) == 1 and len(francesco[0]["pupils"]) == 3, "the guardian of three pupils: %s" % francesco)
siblings = {"DNGNCL11C14H501W", "DNGGLI10D58H501A"}
for code in ("DNGFNC76P05H501R", "PTILNE79B67F839R"):
    held = [a for a in family if a["tax_code"] == code]
    check(len(held) == 1 and siblings <= set(held[0]["pupils"]), "guardian %s does not cover both siblings" % code)
check(all(a["credentials"] == "none" for a in accounts), "some account has credentials")
for s in students:
    row = expected_pupils.get(s["tax_code"])
    check(row is not None, "student account for an unknown pupil %s" % s["tax_code"])
    if row:
        check(s["adult"] is is_adult(row["birth_date"]), "adult of %s is %r" % (s["tax_code"], s["adult"]))
        check(s["class"] == row["class"], "class of %s is %r" % (s["tax_code"], s["class"]))
        check(s["pupils"] == [s["tax_code"]], "student %s pupils %r" % (s["tax_code"], s["pupils"]))
check(sum(1 for s in students if s["adult"]) == sum(1 for r in rows if is_adult(r["birth_date"])), "number of adults")
' "$DATA/enrolment_2025.csv" accounts.json

TEST "the tax codes, names and ISO birth dates of the file are what the database holds"
init_school
import_2025
sql "SELECT p.tax_code, p.surname, p.name, pu.birth_date, pu.class, pu.school_year FROM pupil pu
     JOIN person p ON p.id = pu.person_id ORDER BY p.tax_code" >stored.txt
py_check '
rows = sorted(read(sys.argv[1]), key=lambda r: r["student_tax_code"])
expected = ["|".join([r["student_tax_code"], r["student_surname"], r["student_name"], r["birth_date"], r["class"], "2025/2026"]) for r in rows]
stored = open(sys.argv[2], encoding="utf-8").read().splitlines()
check(stored == expected, "stored pupils differ:\n%s\nexpected:\n%s" % ("\n".join(stored), "\n".join(expected)))
' "$DATA/enrolment_2025.csv" stored.txt

TEST "re-importing the same file changes nothing and keeps every user code"
init_school
import_2025
codes_before=$(sql 'SELECT user_code FROM account ORDER BY id')
pupils=$(pupil_count "$DATA/enrolment_2025.csv")
guardians=$(guardian_count "$DATA/enrolment_2025.csv")
import_2025
expect_equal "$(counts_lines)" "$(printf 'pupils:    0 new, 0 changed, %d unchanged, 0 left\nguardians: 0 new, 0 changed, %d unchanged, 0 with no pupil left\naccounts:  0 created, 0 disabled, 0 enabled' "$pupils" "$guardians")" "counts of the second import"
expect_equal "$(sql 'SELECT user_code FROM account ORDER BY id')" "$codes_before" "user codes"
expect_equal "$(sql 'SELECT count(*) FROM account')" $((pupils + guardians)) "accounts"

TEST "the register's export (';', Windows-1252, CRLF, DD/MM/YYYY, an extra column) imports on the first try"
init_school
credenza import "$DATA/registro_export.csv" --year 2025/2026
expect_status 0
expect_out "columns not read: Note"
sql "SELECT p.tax_code, p.surname, p.name, pu.birth_date, pu.class FROM pupil pu
     JOIN person p ON p.id = pu.person_id ORDER BY p.tax_code" >stored.txt
py_check '
import datetime
rows = sorted(read(sys.argv[1], encoding="cp1252", delimiter=";"), key=lambda r: r["Codice Fiscale"])
def iso(d):
    return datetime.datetime.strptime(d, "%d/%m/%Y").date().isoformat()
expected = ["|".join([r["Codice Fiscale"], r["Cognome"], r["Nome"], iso(r["Data di nascita"]), r["Classe"]]) for r in rows]
stored = open(sys.argv[2], encoding="utf-8").read().splitlines()
check(stored == expected, "stored pupils differ:\n%s\nexpected:\n%s" % ("\n".join(stored), "\n".join(expected)))
guardian_codes = set()
for r in rows:
    for i in (1, 2):
        if r["Codice Fiscale Genitore %d" % i]:
            guardian_codes.add(r["Codice Fiscale Genitore %d" % i])
check(len(guardian_codes) == 11, "distinct guardians in the export: %d" % len(guardian_codes))
' "$DATA/registro_export.csv" stored.txt
# One accented name checked byte for byte: "Lucà" in UTF-8, and the date in ISO form.
expect_equal "$(sql "SELECT hex(surname) FROM person WHERE tax_code = 'LCUMTT09B14C351X'")" "4C7563C3A0" "UTF-8 bytes of Lucà"
expect_equal "$(sql "SELECT birth_date FROM pupil JOIN person ON person.id = pupil.person_id WHERE tax_code = 'LCUMTT09B14C351X'")" "2009-02-14" "ISO birth date"
expect_equal "$(sql "SELECT count(*) FROM account WHERE kind = 'family'")" 11 "family accounts"
expect_equal "$(sql "SELECT count(*) FROM account WHERE kind = 'student'")" 6 "student accounts"

TEST "--delimiter ';' and --encoding windows-1252 given explicitly read the register's export"
init_school
credenza import "$DATA/registro_export.csv" --delimiter ';' --encoding windows-1252
expect_status 0
expect_equal "$(sql 'SELECT count(*) FROM pupil')" 6 "pupils"
expect_equal "$(sql "SELECT name FROM person WHERE tax_code = 'LCUMTT09B14C351X'")" "Mattia" "a name"

TEST "an explicit --delimiter or --encoding that does not fit the file is honoured and refused"
init_school
before=$(dump)
credenza import "$DATA/registro_export.csv" --delimiter ','
expect_status 65
expect_err "student_tax_code: missing column"
credenza import "$DATA/registro_export.csv" --encoding utf-8
expect_status 65
expect_err "registro_export.csv:2: "
expect_err "not valid UTF-8"
expect_equal "$(dump)" "$before" "database"

TEST "a file starting with a UTF-8 byte order mark imports, its first column recognised"
init_school
{ printf '\xef\xbb\xbf'; cat "$DATA/enrolment_2025.csv"; } >bom.csv
credenza import bom.csv --year 2025/2026
expect_status 0
expect_equal "$(counts_lines)" "$(first_import_counts "$DATA/enrolment_2025.csv")" "printed counts"
expect_equal "$(sql "SELECT count(*) FROM person WHERE tax_code = 'DNGNCL11C14H501W'")" 1 "first pupil's tax code"

TEST "a bad codice fiscale is refused with its line and header, and nothing changes"
init_school
check_defect_file bad_codice_fiscale.csv 3:student_tax_code 4:student_tax_code

TEST "a bad e-mail address is refused with its line and header, and nothing changes"
init_school
check_defect_file bad_email.csv 2:guardian1_email 4:student_email

TEST "an impossible date is refused with its line and header, and nothing changes"
init_school
check_defect_file bad_date.csv 3:birth_date

TEST "a bad class is refused with its line and header, and nothing changes"
init_school
check_defect_file bad_class.csv 2:class

TEST "a pupil given twice is refused on the second line, and nothing changes"
init_school
check_defect_file duplicate_pupil.csv 4:student_tax_code
expect_err "duplicate_pupil.csv:4: student_tax_code: pupil 'GLLCLL07D50D969P' already appears on line 2"

TEST "control characters are refused, and line numbers count the physical lines of a quoted line break"
init_school
check_defect_file control_characters.csv 3:student_name 4:student_surname

TEST "a missing required column is refused on the header line, naming the field and --map"
init_school
check_defect_file missing_column.csv 1:class
expect_err "--map"

TEST "a row with too few fields is refused with its line, and nothing changes"
init_school
check_defect_file ragged_row.csv 3:row
expect_err "ragged_row.csv:3: row: has 12 fields where the header has 14"

TEST "a file with many errors lists every one of them, and nothing changes"
init_school
check_defect_file many_errors.csv 3:student_tax_code 5:guardian1_email 6:birth_date 7:class 9:student_surname
expect_err "has 5 errors: nothing was imported"

TEST "--dry-run prints the counts of the real import and writes nothing, not even an audit row"
init_school
before=$(dump)
audit_before=$(sql 'SELECT count(*) FROM audit')
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026 --dry-run
expect_status 0
expect_out "dry run, nothing written"
dry_counts=$(counts_lines)
expect_equal "$dry_counts" "$(first_import_counts "$DATA/enrolment_2025.csv")" "dry-run counts"
expect_equal "$(dump)" "$before" "database after the dry run"
expect_equal "$(sql 'SELECT count(*) FROM audit')" "$audit_before" "audit rows"
expect_equal "$(sql 'SELECT count(*) FROM account')" 0 "accounts"
import_2025
expect_equal "$(counts_lines)" "$dry_counts" "counts of the real import"

TEST "a real import is recorded in the audit log with its counts"
init_school
import_2025
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import'")" 1 "import audit rows"
expect_equal "$(sql "SELECT detail LIKE 'file=enrolment_2025.csv year=2025/2026 rows=12 %' FROM audit WHERE action = 'import'")" 1 "audit detail"

TEST "next school year: continuing pupils keep their accounts, leavers are disabled, a new sibling joins the family"
init_school
import_2025
sql "SELECT p.tax_code || '|' || a.kind || '|' || a.user_code FROM account a JOIN person p ON p.id = a.person_id ORDER BY 1" >codes_2025.txt
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027
expect_status 0
counts_lines >printed.txt
sql "SELECT p.tax_code || '|' || a.kind || '|' || a.user_code || '|' || a.status FROM account a JOIN person p ON p.id = a.person_id ORDER BY 1" >accounts_2026.txt
sql "SELECT p.tax_code || '|' || pu.status || '|' || pu.class || '|' || pu.school_year FROM pupil pu JOIN person p ON p.id = pu.person_id ORDER BY 1" >pupils_2026.txt
credenza account list --format json
cp "$WORK/out" accounts.json
py_check '
old, new = read(sys.argv[1]), read(sys.argv[2])
old_p, new_p = pupils(old), pupils(new)
old_g, new_g = guardian_map(old), guardian_map(new)
codes_2025 = {tuple(l.split("|")[:2]): l.split("|")[2] for l in open(sys.argv[3]).read().splitlines()}
accounts = {}
for l in open(sys.argv[4]).read().splitlines():
    code, kind, user_code, status = l.split("|")
    accounts[(code, kind)] = (user_code, status)
stored_pupils = {l.split("|")[0]: l.split("|")[1:] for l in open(sys.argv[5]).read().splitlines()}
continuing = set(old_p) & set(new_p)
left = set(old_p) - set(new_p)
joined = set(new_p) - set(old_p)
check(len(continuing) == 8 and len(left) == 4 and len(joined) == 2, "data: %d continuing, %d left, %d new" % (len(continuing), len(left), len(joined)))
for code in continuing:
    check(accounts[(code, "student")] == (codes_2025[(code, "student")], "active"), "continuing pupil %s: %s" % (code, accounts[(code, "student")]))
    check(stored_pupils[code] == ["active", new_p[code]["class"], "2026/2027"], "continuing pupil %s stored as %s" % (code, stored_pupils[code]))
for code in left:
    check(stored_pupils[code][0] == "left", "pupil %s who left is %s" % (code, stored_pupils[code][0]))
    check(accounts[(code, "student")] == (codes_2025[(code, "student")], "disabled"), "student account of %s who left: %s" % (code, accounts[(code, "student")]))
for code in joined:
    check((code, "student") in accounts and accounts[(code, "student")][1] == "active", "new pupil %s has no active account" % code)
    check(stored_pupils[code] == ["active", new_p[code]["class"], "2026/2027"], "new pupil %s stored as %s" % (code, stored_pupils[code]))
for code in set(old_g) | set(new_g):
    status = "active" if code in new_g else "disabled"
    check(accounts[(code, "family")][1] == status, "family account of %s is %s, expected %s" % (code, accounts[(code, "family")][1], status))
    if code in old_g:
        check(accounts[(code, "family")][0] == codes_2025[(code, "family")], "family user code of %s changed" % code)
# No new family account for the younger sibling: one per distinct guardian ever seen.
family_accounts = [k for k in accounts if k[1] == "family"]
check(len(family_accounts) == len(set(old_g) | set(new_g)), "family accounts: %d" % len(family_accounts))
davide, emma = "PTIDVD12P03F839N", "PTIMME11T41F839M"
listed = {a["tax_code"]: a for a in json.load(open(sys.argv[6])) if a["kind"] == "family"}
for parent in ("PTIGPP74R30F839Q", "DLCNNA77E54F839V"):
    check(davide in listed[parent]["pupils"] and len(listed[parent]["pupils"]) == 2, "family of %s covers %s" % (parent, listed[parent]["pupils"]))
check(set(listed["DNGFNC76P05H501R"]["pupils"]) == new_g["DNGFNC76P05H501R"]["pupils"], "Francesco D Angelo covers the pupils who left")
# The printed counts, from the two files.
def changed(g):
    a, b = old_g[g], new_g[g]
    return (a["surname"], a["name"], a["email"].lower()) != (b["surname"], b["name"], b["email"].lower())
g_new = len(set(new_g) - set(old_g))
g_changed = sum(1 for g in set(new_g) & set(old_g) if changed(g))
g_unchanged = len(set(new_g) & set(old_g)) - g_changed
g_left = len(set(old_g) - set(new_g))
expected = [
    "pupils:    %d new, %d changed, 0 unchanged, %d left" % (len(joined), len(continuing), len(left)),
    "guardians: %d new, %d changed, %d unchanged, %d with no pupil left" % (g_new, g_changed, g_unchanged, g_left),
    "accounts:  %d created, %d disabled, 0 enabled" % (len(joined) + g_new, len(left) + g_left),
]
printed = open(sys.argv[7]).read().splitlines()
check(printed == expected, "printed:\n%s\nexpected:\n%s" % ("\n".join(printed), "\n".join(expected)))
' "$DATA/enrolment_2025.csv" "$DATA/enrolment_2026.csv" codes_2025.txt accounts_2026.txt pupils_2026.txt accounts.json printed.txt
expect_equal "$(sql "SELECT disabled_by FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'FNTPLA77L07A944I'")" import "who disabled a guardian with no pupil left"

TEST "a pupil who comes back the year after leaving gets the same student account enabled again"
init_school
import_2025
code=$(sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'FNTNCL11R02A944N' AND kind = 'student'")
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027
expect_status 0
expect_equal "$(sql "SELECT status FROM account WHERE user_code = '$code'")" disabled "student account after leaving"
credenza import "$DATA/enrolment_2025.csv" --year 2027/2028
expect_status 0
expect_equal "$(sql "SELECT status FROM account WHERE user_code = '$code'")" active "student account after coming back"
expect_equal "$(sql "SELECT count(*) FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'FNTNCL11R02A944N'")" 1 "accounts of the pupil"

TEST "a changed guardian address is applied when the family account has no credentials yet"
init_school
import_2025
sed 's/luca\.rinaldi@outlook\.it/luca.rinaldi79@gmail.com/' "$DATA/enrolment_2025.csv" >changed.csv
credenza import changed.csv --year 2025/2026
expect_status 0
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'RNLLCU79D16L219S'")" "luca.rinaldi79@gmail.com" "new address"
expect_no_out "NOT applied"
expect_out "guardians: 0 new, 1 changed,"

TEST "a changed address of a family with credentials is held back until --accept-changes"
init_school
import_2025
code=$(sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'RNLLCU79D16L219S' AND kind = 'family'")
sql "UPDATE account SET password_hash = 'x' WHERE user_code = '$code'"
sed 's/luca\.rinaldi@outlook\.it/luca.rinaldi79@gmail.com/' "$DATA/enrolment_2025.csv" >changed.csv
line=$(grep -n 'luca.rinaldi79@gmail.com' changed.csv | cut -d: -f1)
credenza import changed.csv --year 2025/2026
expect_status 0
expect_out "address change of $code at changed.csv:$line: 'luca.rinaldi@outlook.it' -> 'luca.rinaldi79@gmail.com' (NOT applied)"
expect_out "--accept-changes"
# The held change and its explanation together, before the snapshot line; the guardian counted as held.
guardians=$(guardian_count "$DATA/enrolment_2025.csv")
expect_out "guardians: 0 new, 0 changed, $((guardians - 1)) unchanged, 0 with no pupil left, 1 held"
credenza import changed.csv --year 2025/2026 --dry-run --format json
expect_status 0
"$PYTHON" -c '
import json, sys
counts = json.load(open(sys.argv[1]))["guardians"]
sys.exit(0 if counts["held"] == 1 and counts["unchanged"] == int(sys.argv[2]) - 1 else "guardians %r" % counts)
' "$WORK/out" "$guardians" || fail "held guardian in the JSON counts"
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'RNLLCU79D16L219S'")" "luca.rinaldi@outlook.it" "address kept"
credenza import changed.csv --year 2025/2026 --accept-changes
expect_status 0
expect_out "address change of $code at changed.csv:$line: 'luca.rinaldi@outlook.it' -> 'luca.rinaldi79@gmail.com' (applied)"
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'RNLLCU79D16L219S'")" "luca.rinaldi79@gmail.com" "address applied"

TEST "held changes are printed with their explanation, before the snapshot and the next step"
init_school
import_2025
code=$(sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'RNLLCU79D16L219S' AND kind = 'family'")
sql "UPDATE account SET password_hash = 'x' WHERE user_code = '$code'"
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027
expect_status 0
change_at=$(grep -n "address change of $code .*(NOT applied)" "$WORK/out" | cut -d: -f1)
explained_at=$(grep -n '^accounts above already have credentials' "$WORK/out" | cut -d: -f1)
snapshot_at=$(grep -n '^snapshot of the database' "$WORK/out" | cut -d: -f1)
issue_at=$(grep -n "^run 'credenza issue'" "$WORK/out" | cut -d: -f1)
[ -n "$change_at" ] && [ -n "$snapshot_at" ] && [ -n "$issue_at" ] || fail "missing lines in: $(cat "$WORK/out")"
expect_equal "$explained_at" $((change_at + 1)) "line of the explanation of the held change"
[ "$snapshot_at" -gt "$explained_at" ] && [ "$issue_at" -gt "$explained_at" ] ||
    fail "snapshot ($snapshot_at) or next step ($issue_at) before the held changes' explanation ($explained_at)"

TEST "a missing file exits 66 naming it"
init_school
credenza import no-such-file.csv
expect_status 66
expect_err "'no-such-file.csv'"

TEST "--map reads a column whose header the tool does not know as the field named"
init_school
sed '1s/,class,/,Classe Frequentata,/' "$DATA/enrolment_2025.csv" >classe.csv
credenza import classe.csv --year 2025/2026
expect_status 65
expect_err "classe.csv:1: class: missing column"
credenza import classe.csv --year 2025/2026 --map 'Classe Frequentata=class'
expect_status 0
py_check '
rows = read(sys.argv[1])
expected = sorted("%s|%s" % (r["student_tax_code"], r["class"]) for r in rows)
stored = sys.argv[2].splitlines()
check(stored == expected, "classes stored: %s" % stored)
' "$DATA/enrolment_2025.csv" "$(sql "SELECT p.tax_code || '|' || pu.class FROM pupil pu JOIN person p ON p.id = pu.person_id ORDER BY 1")"

TEST "--map naming a field that does not exist is refused with exit 65 and nothing written"
init_school
before=$(dump)
credenza import "$DATA/enrolment_2025.csv" --map 'class=classroom'
expect_status 65
expect_err "classroom: unknown field"
expect_equal "$(dump)" "$before" "database"

TEST "warnings for a guardian without e-mail and a shared address go to stderr with FILE:LINE"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
expected=$(py '
rows = read(sys.argv[1])
seen, addresses = set(), {}
for r in rows:
    for g in guardians(r):
        if g["tax_code"] in seen:
            continue
        seen.add(g["tax_code"])
        if not g["email"]:
            print("%s:%d: guardian%d_email: guardian %s %s (%r, of a pupil of class %s) has no e-mail" % (sys.argv[1], g["line"], g["position"], g["surname"], g["name"], g["tax_code"], r["class"]))
        elif g["email"].lower() in addresses:
            print("%s:%d: guardian%d_email: %r is also the address of guardian %r" % (sys.argv[1], g["line"], g["position"], g["email"], addresses[g["email"].lower()]))
        else:
            addresses[g["email"].lower()] = g["tax_code"]
' "$DATA/enrolment_2025.csv")
expect_equal "$(printf '%s\n' "$expected" | wc -l)" 2 "warnings expected from the data"
while IFS= read -r warning; do
    expect_err "credenza: warning: $warning"
done <<<"$expected"
expect_equal "$(grep -c 'credenza: warning: ' "$WORK/err")" 2 "warnings printed"
expect_equal "$(grep 'has no e-mail' "$WORK/err" | grep -c '@')" 0 "addresses in the no-address warning"
expect_no_out "warning"

TEST "--format json prints the report as JSON with the counts"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026 --format json
expect_status 0
py_check '
rows = read(sys.argv[1])
report = json.loads(sys.argv[2])
n, m = len(pupils(rows)), len(guardian_map(rows))
check(report["rows"] == n, "rows %r" % report["rows"])
check(report["school_year"] == "2025/2026", "school_year %r" % report["school_year"])
check(report["dry_run"] is False, "dry_run %r" % report["dry_run"])
check(report["pupils"] == {"new": n, "changed": 0, "unchanged": 0, "left": 0, "held": 0}, "pupils %r" % report["pupils"])
check(report["guardians"] == {"new": m, "changed": 0, "unchanged": 0, "left": 0, "held": 0}, "guardians %r" % report["guardians"])
check(report["accounts"] == {"created": n + m, "disabled": 0, "enabled": 0}, "accounts %r" % report["accounts"])
check(len(report["warnings"]) == 2, "warnings %r" % report["warnings"])
check(report["address_changes"] == [], "address_changes %r" % report["address_changes"])
' "$DATA/enrolment_2025.csv" "$(cat "$WORK/out")"

TEST "a file that would make most of a large school leave is refused without --yes, and applied with it"
init_school
import_2025
head -3 "$DATA/enrolment_2025.csv" >two_pupils.csv
active=$(pupil_count "$DATA/enrolment_2025.csv")
staying=$(pupil_count two_pupils.csv)
before=$(dump)
credenza import two_pupils.csv --year 2025/2026
expect_status 65
expect_err "--yes"
expect_err "--classes"
expect_equal "$(dump)" "$before" "database after the refusal"
credenza import two_pupils.csv --year 2025/2026 --yes
expect_status 0
expect_out "pupils:    0 new, 0 changed, $staying unchanged, $((active - staying)) left"
expect_equal "$(sql "SELECT count(*) FROM pupil WHERE status = 'left'")" $((active - staying)) "pupils who left"
expect_equal "$(sql "SELECT count(*) FROM account WHERE kind = 'student' AND status = 'active'")" "$staying" "active student accounts"

TEST "a school of fewer than ten pupils may lose more than half of them without --yes"
init_school
credenza import "$DATA/registro_export.csv" --year 2025/2026
expect_status 0
head -3 "$DATA/registro_export.csv" >two_pupils.csv
credenza import two_pupils.csv --year 2025/2026
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM pupil WHERE status = 'left'")" 4 "pupils who left"

TEST "import without a database exits 66, points to init and creates nothing"
credenza import "$DATA/enrolment_2025.csv"
expect_status 66
expect_err "credenza init"
[ ! -e credenza.db ] || fail "a database was created"

TEST "an import for a school year older than the database's is refused unless confirmed"
init_school
credenza import "$DATA/enrolment_2026.csv" --year 2026/2027
expect_status 0
before=$(sql "SELECT group_concat(school_year || status, ',') FROM pupil")
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 65
expect_err "already holds 2026/2027"
expect_equal "$(sql "SELECT group_concat(school_year || status, ',') FROM pupil")" "$before" "pupils after refusal"
credenza --yes import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
