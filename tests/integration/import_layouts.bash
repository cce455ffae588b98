# sanitize
# credenza import: real exports — header spellings, a row per guardian, two files, columns that
# must not be dropped in silence, files that are not CSV, and the bound on listed problems.
# Expected values come from the fixture files (tests/data/README.md), never from the tool.

dump() { sqlite3 credenza.db .dump; }

# The pupils, guardians and links of the database, as text to compare between two imports.
people() {
    sql "SELECT p.tax_code, p.surname, p.name, p.email, coalesce(pu.birth_date, ''), coalesce(pu.class, ''),
                coalesce(pu.institutional_email, '') FROM person p LEFT JOIN pupil pu ON pu.person_id = p.id ORDER BY 1"
    sql "SELECT g.tax_code, p.tax_code, position FROM guardianship JOIN person g ON g.id = guardian_id
         JOIN person p ON p.id = pupil_id ORDER BY 1, 2"
}

# reference: the people that the canonical enrolment_2025.csv gives, in a separate school.
reference() {
    mkdir -p ref
    (cd ref && credenza --db credenza.db init --school-code 87004020589 --school-name S \
        --portal-url https://example.it --mail-from a@example.it >/dev/null &&
        credenza --db credenza.db import "$DATA/enrolment_2025.csv" --year 2025/2026 >/dev/null &&
        DB=credenza.db people)
}

TEST "Italian header variants (CODICE FISCALE ALUNNO, Data Nascita, E-mail alunno, genitore1Cognome, CF Gen. 2) import as the canonical file does"
init_school
credenza import "$DATA/header_variants.csv" --year 2025/2026
expect_status 0
expect_out "layout: pupil-rows (detected)"
expect_no_out "columns not read"
expect_equal "$(people)" "$(reference)" "people of the variant file and of the canonical file"

TEST "a row per guardian (Nuvola's COGNOME TUTORE ... RUOLO DEL TUTORE) is detected, printed and merged by pupil"
init_school
credenza import "$DATA/nuvola_tutori.csv" --year 2025/2026
expect_status 0
expect_out "layout: guardian-rows (detected)"
expect_out "($(($(wc -l <"$DATA/nuvola_tutori.csv") - 1)) rows,"
expect_out "pupils:    12 new,"
expect_out "guardians: 20 new,"
expect_equal "$(people)" "$(reference)" "people of the row-per-guardian file and of the canonical file"

TEST "rows of one pupil that disagree on the pupil's own fields are refused naming both lines"
init_school
# Line 3 is Nicolò D'Angelo's second guardian row: give it another class.
sed '3s/;1A;/;2A;/' "$DATA/nuvola_tutori.csv" >disagree.csv
credenza import disagree.csv --year 2025/2026
expect_status 65
expect_err "disagree.csv:3: CLASSE: pupil 'DNGNCL11C14H501W' has '2A' here but '1A' on line 2"
expect_err "nothing was imported"
expect_equal "$(sql 'SELECT count(*) FROM person')" 0 "persons"

TEST "two files (import PUPILS --guardians FILE) are joined by the pupil's codice fiscale"
init_school
credenza import "$DATA/two_files_alunni.csv" --guardians "$DATA/two_files_tutori.csv" --year 2025/2026 --dry-run
expect_status 0
expect_out "layout: two-files (detected)"
expect_out "two_files_tutori.csv: 'CODICE FISCALE TUTORE' -> guardian_tax_code"
expect_out "two_files_alunni.csv: 'Data di nascita' -> birth_date"
credenza import "$DATA/two_files_alunni.csv" --guardians "$DATA/two_files_tutori.csv" --year 2025/2026
expect_status 0
expect_equal "$(people)" "$(reference)" "people of the two files and of the canonical file"

TEST "a guardian row of a pupil who is not in the pupils file is refused with its line"
init_school
head -4 "$DATA/two_files_alunni.csv" >alunni.csv
credenza import alunni.csv --guardians "$DATA/two_files_tutori.csv" --year 2025/2026
expect_status 65
line=$(grep -n '^GRCMTN11E70D205L' "$DATA/two_files_tutori.csv" | head -1 | cut -d: -f1)
expect_err "$DATA/two_files_tutori.csv:$line: CODICE FISCALE ALUNNO: pupil 'GRCMTN11E70D205L' is not in 'alunni.csv'"
expect_equal "$(sql 'SELECT count(*) FROM person')" 0 "persons"

TEST "--layout forces the layout: a row per guardian read as rows per pupil finds each pupil twice"
init_school
credenza import "$DATA/nuvola_tutori.csv" --year 2025/2026 --layout pupil-rows --dry-run
expect_status 65
expect_err "nuvola_tutori.csv:3: CODICE FISCALE ALUNNO: pupil 'DNGNCL11C14H501W' already appears on line 2"
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026 --layout guardian-rows --dry-run
expect_status 65
expect_err "guardians: a row per guardian holds one guardian"

TEST "a column that looks like a field is an error naming the probable field and the --map for it"
init_school
sed '1s/guardian1_email/E-mail genitore principale/' "$DATA/enrolment_2025.csv" >principale.csv
before=$(dump)
credenza import principale.csv --year 2025/2026
expect_status 65
expect_err "principale.csv:1: E-mail genitore principale: looks like guardian1_email but is not a header credenza knows: map it with --map 'E-mail genitore principale=guardian1_email'"
expect_equal "$(dump)" "$before" "database"
credenza import principale.csv --year 2025/2026 --map 'E-mail genitore principale=guardian1_email'
expect_status 0
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'DNGFNC76P05H501R'")" "francesco.dangelo@example.it" "mapped address"

TEST "--map COLUMN=ignore leaves out a column that looks like a field, and it is listed as not read"
init_school
sed '1s/$/,Email vecchia/; 2,$s/$/,x/' "$DATA/enrolment_2025.csv" >vecchia.csv
credenza import vecchia.csv --year 2025/2026 --dry-run
expect_status 65
expect_err "vecchia.csv:1: Email vecchia: looks like student_email"
credenza import vecchia.csv --year 2025/2026 --dry-run --map 'Email vecchia=ignore'
expect_status 0
expect_out "'Email vecchia' -> (not read)"
expect_out "columns not read: Email vecchia"

TEST "a repeatable option given before FILE takes one value: --map, --classes and --class leave FILE to the command"
init_school
sed '1s/$/,Email vecchia/; 2,$s/$/,x/' "$DATA/enrolment_2025.csv" >vecchia.csv
credenza import --dry-run --map 'Email vecchia=ignore' vecchia.csv --year 2025/2026
expect_status 0
expect_out "'Email vecchia' -> (not read)"
credenza import --dry-run --classes 1A,2A vecchia.csv --map 'Email vecchia=ignore' --year 2025/2026
expect_status 0
expect_out "1A "
expect_out "2A "
expect_no_out "5A "

TEST "--map with an unknown field lists the fields"
init_school
credenza import "$DATA/enrolment_2025.csv" --map 'birth_date=Data di nascita'
expect_status 65
expect_err "Data di nascita: unknown field in --map 'birth_date=Data di nascita': the fields are student_tax_code, student_surname, student_name, birth_date, class, student_email, guardianN_tax_code"

TEST "import --fields prints every field with its accepted headers, without a database"
credenza import --fields
expect_status 0
for field in student_tax_code student_surname student_name birth_date class student_email guardianN_tax_code \
    guardianN_surname guardianN_name guardianN_email guardianN_role; do
    expect_out "$field"
done
expect_out "Data Nascita"
expect_out "COGNOME TUTORE"
[ ! -e credenza.db ] || fail "a database was created"

TEST "a dry run prints which file column feeds which field"
init_school
credenza import "$DATA/registro_export.csv" --dry-run
expect_status 0
expect_out "columns:"
expect_out "'Codice Fiscale' -> student_tax_code"
expect_out "'Email Genitore 2' -> guardian2_email"
expect_out "'Note' -> (not read)"

TEST "a mapping saved in [import] map imports next year's file without flags; --map on the command line wins"
init_school
sed '1s/,class,/,Classe Frequentata,/; 1s/guardian1_email/Mail Padre Principale/' "$DATA/enrolment_2025.csv" >register.csv
cat >>credenza.conf <<CONF
[import]
map = Classe Frequentata=class; Mail Padre Principale=guardian1_email
CONF
credenza import register.csv --year 2025/2026
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM pupil WHERE class = '1A'")" 3 "pupils of 1A"
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'DNGFNC76P05H501R'")" "francesco.dangelo@example.it" "mapped address"
credenza import register.csv --year 2025/2026 --map 'Classe Frequentata=student_name' --dry-run
expect_status 65
expect_err "student_name: column given twice"
printf '[import]\nmap = Classe Frequentata\n' >bad.conf
credenza --config bad.conf import register.csv --year 2025/2026
expect_status 78
expect_err "[import] map: bad entry 'Classe Frequentata'"

TEST "a header with a guardian number too large for an int is a clear error, not a crash (issue 16)"
init_school
sed '1s/guardian2_email/Email Genitore 99999999999999999999/' "$DATA/enrolment_2025.csv" >huge.csv
credenza import huge.csv --year 2025/2026
expect_status 65
expect_err "huge.csv:1: Email Genitore 99999999999999999999: guardian number '99999999999999999999' is out of range: guardians are numbered 1 to 9"
expect_no_err "unexpected"
expect_no_err "stoi"

TEST "workbooks, a PDF and UTF-16 text are recognised by their bytes with one error saying how to save as CSV"
init_school
"$PYTHON" - <<'PY'
import zipfile
with zipfile.ZipFile("iscritti.xlsx", "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", "<workbook/>")
with zipfile.ZipFile("iscritti.ods", "w") as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    z.writestr("content.xml", "<office:document-content/>")
open("iscritti.xls", "wb").write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
open("iscritti.pdf", "wb").write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
open("iscritti.txt", "wb").write("Codice Fiscale\tCognome\n".encode("utf-16"))
PY
# The same header as UTF-16 without a byte order mark.
printf 'Codice Fiscale,Cognome\n' | iconv -f utf-8 -t utf-16le >nobom.csv
before=$(dump)
for pair in "iscritti.xlsx:an Excel workbook (.xlsx)" "iscritti.ods:a LibreOffice Calc spreadsheet (.ods)" \
    "iscritti.xls:an Excel 97-2003 workbook (.xls)" "iscritti.pdf:a PDF document" \
    "iscritti.txt:a UTF-16 text" "nobom.csv:a UTF-16 text"; do
    file=${pair%%:*}
    credenza import "$file" --year 2025/2026
    expect_status 65
    expect_err "credenza: error: '$file' is ${pair#*:}"
    expect_err "in Excel File > Save As > \"CSV UTF-8 (comma delimited) (*.csv)\""
    expect_err "in LibreOffice Calc File > Save As > \"Text CSV (.csv)\""
    expect_no_err "missing column"
    expect_equal "$(grep -c . "$WORK/err")" 1 "lines of the error for $file"
done
expect_equal "$(dump)" "$before" "database"

TEST "a file of many bad rows lists the first 100 problems and counts the rest"
init_school
"$PYTHON" - <<'PY'
with open("bad.csv", "w") as f:
    f.write("student_tax_code,student_surname,student_name,birth_date,class\n")
    for i in range(5000):
        f.write("XXXXXXXXXXXXXXXX,Rossi,Mario,2011-01-01,1A\n")
PY
credenza import bad.csv --year 2025/2026
expect_status 65
expect_equal "$(grep -c '^bad.csv:[0-9]*: student_tax_code: ' "$WORK/err")" 100 "listed problems"
expect_err "... and 4900 more problems not listed"
expect_err "'bad.csv' has 5000 errors: nothing was imported"

TEST "a guardian of two pupils whose address is on one of their rows only gets that address"
init_school
# Francesco D'Angelo is guardian1 of Nicolò (line 2) and of Giulia: leave his address out on Nicolò's row.
sed '2s/,francesco\.dangelo@example\.it,/,,/' "$DATA/enrolment_2025.csv" >one_address.csv
grep -q '^DNGNCL11C14H501W,.*,DNGFNC76P05H501R,D.Angelo,Francesco,,' one_address.csv || fail "the fixture edit did not apply"
credenza import one_address.csv --year 2025/2026
expect_status 0
expect_equal "$(sql "SELECT email FROM person WHERE tax_code = 'DNGFNC76P05H501R'")" "francesco.dangelo@example.it" "address"
expect_no_err "DNGFNC76P05H501R' has no e-mail"

TEST "a guardian of two pupils given with another name, or another address, is refused naming both lines"
init_school
# The file's first two rows naming Francesco D'Angelo and Elena Pietà (siblings' parents): on the
# second, another name for him and another address for her.
first=$(grep -n ',DNGFNC76P05H501R,' "$DATA/enrolment_2025.csv" | sed -n 1p | cut -d: -f1)
second=$(grep -n ',DNGFNC76P05H501R,' "$DATA/enrolment_2025.csv" | sed -n 2p | cut -d: -f1)
grep -n ',PTILNE79B67F839R,' "$DATA/enrolment_2025.csv" | sed -n 2p | grep -q "^$second:" || fail "the fixture changed"
sed "${second}s/,DNGFNC76P05H501R,D'Angelo,Francesco,/,DNGFNC76P05H501R,D'Angelo,Franco,/;${second}s/elena.pieta@libero.it/elena.pieta@gmail.com/" \
    "$DATA/enrolment_2025.csv" >two_names.csv
credenza import two_names.csv --year 2025/2026
expect_status 65
expect_err "two_names.csv:$second: guardian1_name: guardian 'DNGFNC76P05H501R' is 'Franco D'Angelo' here but 'Francesco D'Angelo' at two_names.csv:$first"
expect_err "two_names.csv:$second: guardian2_email: guardian 'PTILNE79B67F839R' has address 'elena.pieta@gmail.com' here but 'elena.pieta@libero.it' at two_names.csv:$first"
expect_err "nothing was imported"
expect_equal "$(sql 'SELECT count(*) FROM person')" 0 "persons"
