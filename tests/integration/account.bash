# sanitize
# credenza account list|show|disable|enable: expected values come from enrolment_2025.csv.

ENROLMENT_PY='
import csv, io, json, sys

def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

def guardian_codes(row):
    return [row["guardian%d_tax_code" % i] for i in (1, 2) if row["guardian%d_tax_code" % i]]

# Tax codes of the accounts that cover a pupil of one of the classes: the pupils and their guardians.
def covering(rows, classes):
    codes = set()
    for r in rows:
        if r["class"] in classes:
            codes.add(("student", r["student_tax_code"]))
            codes.update(("family", g) for g in guardian_codes(r))
    return codes

problems = []
def check(condition, what):
    if not condition:
        problems.append(what)

def done():
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)
'

# py_check 'CODE' ARGS...: CODE calls check() with the helpers above; a failed check fails the test.
py_check() {
    local output
    output=$("$PYTHON" -c "$ENROLMENT_PY
$1
done()" "${@:2}") || fail "$output"
}

school_with_2025() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
}

# user_code TAX_CODE KIND
user_code() {
    sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = '$1' AND a.kind = '$2'"
}

TEST "account list prints a table with a header line and one line per account"
school_with_2025
credenza account list
expect_status 0
expect_equal "$(head -1 "$WORK/out" | tr -s ' ')" "USER_CODE KIND SURNAME NAME EMAIL STATUS CLASSES CREDENTIALS" "header line"
expect_equal "$(($(wc -l <"$WORK/out") - 1))" "$(sql 'SELECT count(*) FROM account')" "account lines"
code=$(user_code DNGFNC76P05H501R family)
expect_equal "$(grep "^$code " "$WORK/out" | tr -s ' ')" "$code family D'Angelo Francesco francesco.dangelo@example.it active 1A 2A 5A none" "Francesco D'Angelo's line"

TEST "account list --format csv is CSV that a parser reads back, one row per account"
school_with_2025
credenza account list --format csv
expect_status 0
cp "$WORK/out" accounts.csv
py_check '
rows = read(sys.argv[1])
listed = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
header = listed[0]
check(header == ["user_code", "kind", "tax_code", "surname", "name", "email", "status", "pupils", "classes", "credentials", "must_change_password"], "header %r" % header)
records = [dict(zip(header, r)) for r in listed[1:]]
check(all(len(r) == len(header) for r in listed[1:]), "rows of another width")
expected = {("student", r["student_tax_code"]) for r in rows}
for r in rows:
    expected.update(("family", g) for g in guardian_codes(r))
check({(r["kind"], r["tax_code"]) for r in records} == expected, "accounts listed differ from the file")
check(len(records) == len(expected), "%d rows for %d accounts" % (len(records), len(expected)))
names = {r["student_tax_code"]: (r["student_surname"], r["student_name"]) for r in rows}
for r in records:
    if r["kind"] == "student":
        check((r["surname"], r["name"]) == names[r["tax_code"]], "name of %s: %s %s" % (r["tax_code"], r["surname"], r["name"]))
' "$DATA/enrolment_2025.csv" accounts.csv

TEST "account list --format json has the documented fields, with class and adult for students"
school_with_2025
credenza account list --format json
expect_status 0
cp "$WORK/out" accounts.json
py_check '
import datetime
rows = {r["student_tax_code"]: r for r in read(sys.argv[1])}
accounts = json.load(open(sys.argv[2]))
common = {"user_code", "kind", "tax_code", "surname", "name", "email", "status", "pupils", "credentials", "must_change_password"}
today = datetime.date.today()
def adult(iso):
    born = datetime.date.fromisoformat(iso)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day)) >= 18
check(len(accounts) > 0, "no accounts")
for a in accounts:
    check(common <= set(a), "%s lacks %s" % (a.get("user_code"), common - set(a)))
    check(a["status"] == "active" and a["credentials"] == "none" and a["must_change_password"] is True, "state of %s: %r" % (a["user_code"], a))
    check(isinstance(a["pupils"], list), "pupils of %s is not a list" % a["user_code"])
    if a["kind"] == "student":
        row = rows[a["tax_code"]]
        check(a["class"] == row["class"], "class of %s: %r" % (a["tax_code"], a["class"]))
        check(a["adult"] is adult(row["birth_date"]), "adult of %s: %r" % (a["tax_code"], a["adult"]))
        check(a["email"] == row["student_email"], "email of %s: %r" % (a["tax_code"], a["email"]))
        check(a["user_code"].startswith("S"), "student user code %s" % a["user_code"])
    else:
        check(a["kind"] == "family" and a["user_code"].startswith("F"), "family user code %s" % a["user_code"])
' "$DATA/enrolment_2025.csv" accounts.json

TEST "account list --kind selects family or student accounts only"
school_with_2025
credenza account list --kind family --format json
expect_status 0
cp "$WORK/out" family.json
credenza account list --kind student --format json
expect_status 0
cp "$WORK/out" student.json
py_check '
rows = read(sys.argv[1])
family, students = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
guardians = {g for r in rows for g in guardian_codes(r)}
check({a["kind"] for a in family} == {"family"}, "kinds with --kind family: %s" % {a["kind"] for a in family})
check(sorted(a["tax_code"] for a in family) == sorted(guardians), "family accounts listed")
check({a["kind"] for a in students} == {"student"}, "kinds with --kind student")
check(sorted(a["tax_code"] for a in students) == sorted(r["student_tax_code"] for r in rows), "student accounts listed")
' "$DATA/enrolment_2025.csv" family.json student.json
credenza account list --kind teacher
expect_status 64

TEST "account list --class lists the pupils of the class and the family accounts of their guardians"
school_with_2025
credenza account list --class 5A --format json
expect_status 0
cp "$WORK/out" 5a.json
credenza account list --class 1A --class 1B --format json
expect_status 0
cp "$WORK/out" 1a1b.json
py_check '
rows = read(sys.argv[1])
for path, classes in ((sys.argv[2], {"5A"}), (sys.argv[3], {"1A", "1B"})):
    listed = {(a["kind"], a["tax_code"]) for a in json.load(open(path))}
    check(listed == covering(rows, classes), "--class %s lists %s, expected %s" % (sorted(classes), sorted(listed), sorted(covering(rows, classes))))
# A guardian of pupils in 1A, 2A and 5A appears under each of those classes.
check(("family", "DNGFNC76P05H501R") in covering(rows, {"5A"}), "data: Francesco D Angelo has a pupil in 5A")
' "$DATA/enrolment_2025.csv" 5a.json 1a1b.json

TEST "account list --class takes the class as a secretary types it, in lower case"
school_with_2025
credenza account list --class 5A --format csv
upper=$(cat "$WORK/out")
credenza account list --class 5a --format csv
expect_status 0
expect_equal "$(cat "$WORK/out")" "$upper" "accounts of class 5a"

TEST "account list --status disabled lists only the disabled accounts"
school_with_2025
code=$(user_code RNLLCU79D16L219S family)
credenza account disable "$code" --reason "test"
expect_status 0
credenza account list --status disabled --format csv
expect_status 0
expect_equal "$(tail -n +2 "$WORK/out" | cut -d, -f1)" "$code" "disabled accounts"
credenza account list --status active --format csv
expect_no_out "$code"
expect_equal "$(($(wc -l <"$WORK/out") - 1))" "$(($(sql 'SELECT count(*) FROM account') - 1))" "active accounts"

TEST "account show finds an account by user code and by codice fiscale in lower case"
school_with_2025
code=$(user_code DNGFNC76P05H501R family)
credenza account show "$code"
expect_status 0
by_code=$(cat "$WORK/out")
credenza account show dngfnc76p05h501r
expect_status 0
expect_equal "$(cat "$WORK/out")" "$by_code" "show by codice fiscale"
expect_out "user_code:"
expect_equal "$(grep '^user_code:' "$WORK/out" | tr -s ' ')" "user_code: $code" "user code line"
expect_equal "$(grep '^tax_code:' "$WORK/out" | tr -s ' ')" "tax_code: DNGFNC76P05H501R" "tax code line"
credenza account show "$(tr 'A-Z' 'a-z' <<<"$code")"
expect_status 0
expect_equal "$(cat "$WORK/out")" "$by_code" "show by user code in lower case"

TEST "account show --format json of a family account lists its pupils, classes and capabilities"
school_with_2025
credenza account show DNGFNC76P05H501R --format json
expect_status 0
py_check '
rows = read(sys.argv[1])
a = json.loads(sys.argv[2])
mine = [r for r in rows if "DNGFNC76P05H501R" in guardian_codes(r)]
check(sorted(a["pupils"]) == sorted(r["student_tax_code"] for r in mine), "pupils %r" % a["pupils"])
check(sorted(a["classes"]) == sorted({r["class"] for r in mine}), "classes %r" % a["classes"])
check("justify_absences" in a["capabilities"] and "lessons" in a["capabilities"], "capabilities %r" % a["capabilities"])
check(a["has_password"] is False and a["has_pin"] is False, "secrets %r %r" % (a["has_password"], a["has_pin"]))
' "$DATA/enrolment_2025.csv" "$(cat "$WORK/out")"

TEST "account find pieta finds the Pietàs, and a family through its pupil's name, without case or accents"
school_with_2025
credenza account find pieta --format json
expect_status 0
py_check '
rows = read(sys.argv[1])
found = json.loads(sys.argv[2])
# Who a secretary expects: everyone called Pietà, and each family account of a pupil called Pietà.
want = set()
for r in rows:
    if r["student_surname"] == "Pietà":
        want.add(("student", r["student_tax_code"]))
        want.update(("family", g) for g in guardian_codes(r))
    for i in (1, 2):
        if r["guardian%d_surname" % i] == "Pietà":
            want.add(("family", r["guardian%d_tax_code" % i]))
got = {(a["kind"], a["tax_code"]) for a in found}
check(got == want, "found %r, want %r" % (sorted(got), sorted(want)))
anna = [a for a in found if a["surname"] == "De Luca"]
check(len(anna) == 1 and anna[0]["pupil_names"] == ["Emma Pietà (1B)"], "Anna De Luca with her pupil: %r" % anna)
' "$DATA/enrolment_2025.csv" "$(cat "$WORK/out")"
credenza account find 'PIETÀ 1b'
expect_status 0
expect_equal "$(($(wc -l <"$WORK/out") - 1))" 3 "rows for 'PIETÀ 1b' (Giuseppe Pietà, Anna De Luca, Emma Pietà)"
expect_out "Emma Pietà (1B)"
expect_no_out "Elena"
credenza account find nessuno
expect_status 0
expect_out "no account matches 'nessuno'"
credenza account find '  '
expect_status 64
expect_err "nothing to search for"

TEST "account list --search and --class narrow the list together; the table has a class column"
school_with_2025
credenza account list --search pieta --class 1a --format csv
expect_status 0
py_check '
got = list(csv.DictReader(io.StringIO(sys.argv[1])))
# Elena Pietà: mother of Nicolò (1A); the other Pietà accounts cover 1B only.
check([(r["kind"], r["tax_code"]) for r in got] == [("family", "PTILNE79B67F839R")], "rows %r" % got)
check(got[0]["classes"] == "1A 2A", "classes %r" % got[0]["classes"])
' "$(cat "$WORK/out")"

TEST "account show names the pupils and a student's guardians, and when a password to change expires"
school_with_2025
credenza account show DNGNCL11C14H501W --format json
expect_status 0
py_check '
a = json.loads(sys.argv[1])
check(a["pupil_names"] == ["Nicolò D'"'"'Angelo (1A)"], "pupil names %r" % a["pupil_names"])
g = a["guardians"]
check(len(g) == 2 and g[0].startswith("Francesco D'"'"'Angelo (F") and g[1].startswith("Elena Pietà (F"), "guardians %r" % g)
check(a["password_expires_at"] == "", "no password, no expiry: %r" % a["password_expires_at"])
' "$(cat "$WORK/out")"
code=$(user_code DNGFNC76P05H501R family)
sql "UPDATE account SET password_hash = 'x', password_set_at = '2026-09-01T08:00:00Z', must_change_password = 1 WHERE user_code = '$code'"
printf '[policy]\ninitial_password_days = 10\n' >>credenza.conf
credenza account show "$code"
expect_status 0
expect_equal "$(grep '^password_expires_at:' "$WORK/out" | tr -s ' ')" "password_expires_at: 2026-09-11 08:00" "expiry line"
expect_equal "$(grep '^pupil_names:' "$WORK/out" | tr -s ' ')" "pupil_names: Nicolò D'Angelo (1A) Giulia D'Angelo (2A) Tommaso D'Angelo (5A)" "pupils line"

TEST "account show of an unknown account exits 65 naming it"
school_with_2025
credenza account show FZZZZZZZZ
expect_status 65
expect_err "'FZZZZZZZZ'"
expect_equal "$(cat "$WORK/out")" "" "stdout"

TEST "no command ever prints a password or PIN hash"
school_with_2025
hash='$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g'
code=$(user_code DNGFNC76P05H501R family)
student=$(user_code DNGTMS07E20H501A student)
sql "UPDATE account SET password_hash = '$hash', pin_hash = '$hash' WHERE user_code IN ('$code', '$student')"
check_no_hash() {
    expect_status 0
    for stream in out err; do
        ! grep -qiE 'argon2|c2FsdHNhbHRzYWx0|aGFzaGhhc2g' "$WORK/$stream" || fail "'$*' printed a hash on std$stream"
    done
}
for format in table csv json; do
    credenza account list --format "$format"
    check_no_hash account list --format "$format"
    for account in "$code" "$student" DNGFNC76P05H501R; do
        credenza account show "$account" --format "$format"
        check_no_hash account show "$account" --format "$format"
    done
done
credenza account show "$code"
expect_equal "$(grep '^has_password:' "$WORK/out" | tr -s ' ')" "has_password: yes" "the hash is seen as a password"
credenza account disable "$code" --reason 'check'
check_no_hash account disable
credenza account enable "$code"
check_no_hash account enable
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026 -v
check_no_hash import
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026 --format json
check_no_hash import --format json

TEST "account disable with --reason disables the account and audits the user code and the reason"
school_with_2025
code=$(user_code RNLLCU79D16L219S family)
credenza account disable RNLLCU79D16L219S --reason "genitore decaduto dalla responsabilità"
expect_status 0
expect_out "account 'RNLLCU79D16L219S' disabled"
expect_equal "$(sql "SELECT status || '|' || disabled_by FROM account WHERE user_code = '$code'")" "disabled|admin" "account state"
expect_equal "$(sql "SELECT action || '|' || account FROM audit ORDER BY id DESC LIMIT 1")" "disable|$code" "audit row"
expect_equal "$(sql "SELECT detail LIKE '%genitore decaduto dalla responsabilità%' FROM audit ORDER BY id DESC LIMIT 1")" 1 "reason audited"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE detail LIKE '%RNLLCU79D16L219S%' OR account = 'RNLLCU79D16L219S'")" 0 "codice fiscale in the audit log"
credenza account show "$code" --format json
expect_out '"status": "disabled"'
expect_out '"disabled_by": "admin"'

TEST "account enable re-enables a disabled account and audits it"
school_with_2025
code=$(user_code RNLLCU79D16L219S family)
credenza account disable "$code" --reason "verifica"
expect_status 0
credenza account enable "$code" --reason "verificato"
expect_status 0
expect_out "enabled"
expect_equal "$(sql "SELECT status || '|' || disabled_by FROM account WHERE user_code = '$code'")" "active|" "account state"
expect_equal "$(sql "SELECT action || '|' || account FROM audit ORDER BY id DESC LIMIT 1")" "enable|$code" "audit row"
expect_equal "$(sql "SELECT detail LIKE '%verificato%' FROM audit ORDER BY id DESC LIMIT 1")" 1 "reason audited"

TEST "disabling an account twice says it already was, and audits only once"
school_with_2025
code=$(user_code RNLLCU79D16L219S family)
credenza account disable "$code"
expect_status 0
audits=$(sql "SELECT count(*) FROM audit")
credenza account disable "$code"
expect_status 0
expect_out "already"
expect_equal "$(sql "SELECT count(*) FROM audit")" "$audits" "audit rows"
credenza account enable "$code"
credenza account enable "$code"
expect_status 0
expect_out "already"

TEST "an account disabled by hand stays disabled when the next import lists its pupil again"
school_with_2025
code=$(user_code RNLLCU79D16L219S family)
credenza account disable "$code" --reason "revoca"
expect_status 0
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
expect_equal "$(sql "SELECT status FROM account WHERE user_code = '$code'")" disabled "status after the import"

TEST "account disable of an unknown account exits 65 and changes nothing"
school_with_2025
audits=$(sql "SELECT count(*) FROM audit")
credenza account disable FZZZZZZZZ --reason x
expect_status 65
expect_err "'FZZZZZZZZ'"
expect_equal "$(sql "SELECT count(*) FROM audit")" "$audits" "audit rows"
expect_equal "$(sql "SELECT count(*) FROM account WHERE status = 'disabled'")" 0 "disabled accounts"

TEST "account without a subcommand is a usage error"
school_with_2025
credenza account
expect_status 64
