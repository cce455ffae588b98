# sanitize
# credenza export gworkspace and account set-email --from-proposal.

school_with_2025() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
}

# check_csv FILE 'PYTHON': the CSV's rows as `rows` (list of dicts) and `header`; check() as usual.
check_csv() {
    local output
    output=$("$PYTHON" -c '
import csv, sys
problems = []
def check(condition, what):
    if not condition:
        problems.append(what)
raw = open(sys.argv[1], "rb").read()
reader = csv.reader(raw.decode("utf-8").splitlines())
header = next(reader)
rows = [dict(zip(header, r)) for r in reader]
'"$2"'
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
' "$1") || fail "$output"
}

HEADER='First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],Change Password at Next Sign-In'

TEST "export gworkspace writes Google's CSV, 0600, a row per pupil without an institutional address"
school_with_2025
credenza export gworkspace --out google.csv
expect_status 0
expect_equal "$(stat -c %a google.csv)" 600 "file mode"
expect_equal "$(head -1 google.csv | tr -d '\r')" "$HEADER" "header"
check_csv google.csv '
check(len(rows) == 2, "rows %d" % len(rows))
by = {r["Last Name [Required]"]: r for r in rows}
check(by["Greco"]["First Name [Required]"] == "Martina", "Martina %r" % by.get("Greco"))
check(by["Greco"]["Email Address [Required]"] == "martina.greco@itisvallauri.edu.it", "Martina %r" % by["Greco"])
check(by["Fontana"]["Email Address [Required]"] == "niccolo.fontana@itisvallauri.edu.it", "Niccolò %r" % by["Fontana"])
check(by["Fontana"]["First Name [Required]"] == "Niccolò", "Niccolò name %r" % by["Fontana"])
for r in rows:
    check(r["Org Unit Path [Required]"] == "/Studenti/1B", "org unit %r" % r)
    check(r["Change Password at Next Sign-In"] == "TRUE", "change password %r" % r)
    check(len(r["Password [Required]"]) == 12, "password length")
check(rows[0]["Password [Required]"] != rows[1]["Password [Required]"], "same password twice")
'

TEST "export gworkspace warns that the file holds Google's passwords, which credenza keeps nowhere"
school_with_2025
credenza export gworkspace --out google.csv
expect_status 0
expect_err "'google.csv' holds the initial passwords of 2 new Google Workspace accounts"
for password in $(tail -n +2 google.csv | cut -d, -f4); do
    ! grep -qF -- "$password" credenza.db* || fail "a Google password is in the database"
    ! grep -qF -- "$password" "$WORK/err" || fail "a Google password is on stderr"
done
expect_equal "$(sql "SELECT detail FROM audit WHERE action = 'export gworkspace'")" "rows=2" "audit row"

TEST "export gworkspace refuses to overwrite a file (exit 73) and leaves it as it was"
school_with_2025
echo "keep me" >google.csv
credenza export gworkspace --out google.csv
expect_status 73
expect_err "'google.csv' already exists"
expect_equal "$(cat google.csv)" "keep me" "existing file"

TEST "export gworkspace without --out is a usage error; '--out -' writes to standard output"
school_with_2025
credenza export gworkspace
expect_status 64
expect_err "--out"
credenza export gworkspace --out -
expect_status 0
expect_equal "$(head -1 "$WORK/out" | tr -d '\r')" "$HEADER" "header on stdout"
expect_equal "$(wc -l <"$WORK/out")" 3 "lines on stdout"

TEST "export gworkspace without a school domain is a configuration error (78)"
cat >credenza.conf <<CONF
[credentials]
kdf_memlimit_mib = 19
CONF
export CREDENZA_CONFIG=$WORK/credenza.conf
credenza init --school-code 87004020589 --school-name X --portal-url https://example.it --mail-from a@example.it
expect_status 0
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza export gworkspace --out google.csv
expect_status 78
expect_err "domain"
[ ! -e google.csv ] || fail "a file was written"

TEST "export gworkspace --class: only those classes; a class with every address set gives the header only"
school_with_2025
credenza export gworkspace --class 1a --out google.csv
expect_status 0
expect_equal "$(wc -l <google.csv)" 1 "lines"
expect_err "no active pupil lacks an institutional address"

TEST "an address already held by another pupil gets a number"
school_with_2025
sql "UPDATE pupil SET institutional_email = 'martina.greco@itisvallauri.edu.it' WHERE person_id = (SELECT id FROM person WHERE tax_code = 'PTIMME11T41F839M')"
credenza export gworkspace --out google.csv
expect_status 0
grep -qF ',martina.greco2@itisvallauri.edu.it,' google.csv || fail "no martina.greco2 in $(cat google.csv)"

TEST "account set-email --from-proposal --dry-run prints the changes and changes nothing"
school_with_2025
before=$(sql "SELECT count(*) FROM pupil WHERE institutional_email = ''")
credenza account set-email --from-proposal --dry-run
expect_status 0
expect_out "martina.greco@itisvallauri.edu.it"
expect_out "niccolo.fontana@itisvallauri.edu.it"
expect_out "dry run: 2 institutional addresses would be set"
expect_equal "$(sql "SELECT count(*) FROM pupil WHERE institutional_email = ''")" "$before" "pupils without an address"

TEST "account set-email --from-proposal records the addresses the export proposed, audited, and letters can follow"
school_with_2025
credenza export gworkspace --out google.csv
expect_status 0
credenza account set-email --from-proposal --class 1B --format csv
expect_status 0
expect_equal "$(sql "SELECT institutional_email FROM pupil WHERE person_id = (SELECT id FROM person WHERE tax_code = 'GRCMTN11E70D205L')")" \
    "martina.greco@itisvallauri.edu.it" "Martina Greco's address"
expect_equal "$(tail -n +2 google.csv | cut -d, -f3 | sort | tr '\n' ' ')" \
    "$(sql "SELECT institutional_email FROM pupil WHERE person_id IN (SELECT id FROM person WHERE tax_code IN ('GRCMTN11E70D205L', 'FNTNCL11R02A944N')) ORDER BY 1" | tr '\n' ' ')" \
    "addresses of the export and of set-email"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'set email' AND detail = 'from proposal'")" 2 "audit rows"
expect_equal "$(sql "SELECT account FROM audit WHERE action = 'set email' ORDER BY id LIMIT 1")" \
    "$(sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'FNTNCL11R02A944N' AND a.kind = 'student'")" \
    "audited by the student's user code"
credenza issue --kind student
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM letter")" 12 "letters: every student has an address now"
credenza account set-email --from-proposal
expect_status 0
expect_out "0 institutional addresses set"

TEST "account set-email without --from-proposal is a usage error"
school_with_2025
credenza account set-email
expect_status 64
