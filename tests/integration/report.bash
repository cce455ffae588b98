# credenza report summary|classes|deliveries|problems: values checked against what
# tests/data/enrolment_2025.csv implies. No "# sanitize" line: the HTML tests run Chromium.

# The expected numbers, from the enrolment file itself.
EXPECT_PY='
import csv, io, json, sys

rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))

def guardians(r):
    return [(r["guardian%d_tax_code" % i], r["guardian%d_email" % i]) for i in (1, 2) if r["guardian%d_tax_code" % i]]

def expected_classes(sent=(), deferred=(), failed=()):
    # sent / deferred / failed: tax codes whose initial letter is in that state; every other
    # account with an address has its letter queued.
    out = {}
    for c in sorted({r["class"] for r in rows}):
        pupils = [r for r in rows if r["class"] == c]
        families = {}
        for r in pupils:
            families.update(dict(guardians(r)))
        accounts = [(code, email) for code, email in families.items()]
        accounts += [(r["student_tax_code"], r["student_email"]) for r in pupils]
        with_address = [code for code, email in accounts if email]
        state = lambda code: "sent" if code in sent else "deferred" if code in deferred else "failed" if code in failed else "pending"
        out[c] = {
            "class": c, "pupils": len(pupils), "family_accounts": len(families), "student_accounts": len(pupils),
            "letters_sent": sum(state(x) == "sent" for x in with_address),
            "letters_pending": sum(state(x) == "pending" for x in with_address),
            "letters_deferred": sum(state(x) == "deferred" for x in with_address),
            "letters_failed": sum(state(x) == "failed" for x in with_address),
            "without_address": sum(1 for _, email in accounts if not email),
            "families_with_credentials": sum(1 for code, email in families.items() if email and state(code) == "sent"),
            "students_with_credentials": sum(1 for r in pupils if r["student_email"] and state(r["student_tax_code"]) == "sent"),
        }
    return out

problems = []
def check(condition, what):
    if not condition:
        problems.append(what)
def done():
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)
'

# py_check 'CODE' ARGS...: CODE runs with the enrolment rows and helpers above; argv[2:] are ARGS.
py_check() {
    local output
    output=$("$PYTHON" -c "$EXPECT_PY
$1
done()" "$DATA/enrolment_2025.csv" "${@:2}") || fail "$output"
}

school_with_letters() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
    credenza issue
    expect_status 0
}

# letter_of TAX_CODE KIND: the id of the account's initial letter.
letter_where() {
    echo "account_id = (SELECT a.id FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = '$1' AND a.kind = '$2')"
}

TEST "report classes as CSV: every class's counts match the enrolment, letters queued"
school_with_letters
credenza report classes --format csv
expect_status 0
py_check '
got = {r["class"]: {k: (v if k == "class" else int(v)) for k, v in r.items()} for r in csv.DictReader(io.StringIO(open(sys.argv[2], newline="").read()))}
want = expected_classes()
check(list(got) == ["1A", "1B", "2A", "5A"], "classes %r" % list(got))
for c in want:
    check(got.get(c) == want[c], "class %s: got %r, want %r" % (c, got.get(c), want[c]))
' "$WORK/out"

TEST "report classes follows the letters: sent, deferred and failed as the database says"
school_with_letters
credenza send
expect_status 0
# Laura Bianchi's address bounced, Elena Pietà's server said later.
sql "UPDATE letter SET state = 'failed', last_code = 550, last_reply = '550 5.1.1 user unknown' WHERE $(letter_where BNCLRA83M59L219L family)"
sql "UPDATE letter SET state = 'deferred', last_code = 451, last_reply = '451 4.7.1 try later' WHERE $(letter_where PTILNE79B67F839R family)"
credenza report classes --format json
expect_status 0
py_check '
got = {r["class"]: r for r in json.loads(open(sys.argv[2]).read())}
every = [r["student_tax_code"] for r in rows] + [g for r in rows for g, _ in guardians(r)]
want = expected_classes(sent=set(every) - {"BNCLRA83M59L219L", "PTILNE79B67F839R"},
                        deferred={"PTILNE79B67F839R"}, failed={"BNCLRA83M59L219L"})
for c in want:
    check(got.get(c) == want[c], "class %s: got %r, want %r" % (c, got.get(c), want[c]))
check(got["1A"]["letters_failed"] == 1 and got["2A"]["letters_deferred"] == 1, "spot check %r" % got)
' "$WORK/out"

TEST "report classes --class keeps only those classes, in class order"
school_with_letters
credenza report classes --class 5a --class 1B --format csv
expect_status 0
expect_equal "$(cut -d, -f1 "$WORK/out" | tr -d '\r' | tr '\n' ' ')" "class 1B 5A " "classes listed"
credenza report classes --year 2024/2025 --format csv
expect_equal "$(wc -l <"$WORK/out")" 1 "lines for a year with no pupils"

TEST "report classes as a table: aligned columns, no colour when not a terminal"
school_with_letters
credenza report classes
expect_status 0
expect_equal "$(head -1 "$WORK/out" | tr -s ' ')" "CLASS PUPILS FAMILIES STUDENTS SENT PENDING DEFERRED FAILED NO_ADDRESS" "header"
expect_equal "$(grep '^1B ' "$WORK/out" | tr -s ' ')" "1B 3 6 3 0 6 0 0 3" "1B line"
grep -q $'\x1b' "$WORK/out" && fail "escape sequences in a table that is not on a terminal"
expect_equal "$(awk '{ print length($0) }' "$WORK/out" | sort -u | wc -l)" 1 "all lines of one width"

TEST "report classes --excel: a UTF-8 BOM, ';' and headings in words that Python's csv module reads back"
school_with_letters
credenza report classes --format csv --excel
expect_status 0
py_check '
raw = open(sys.argv[2], "rb").read()
check(raw.startswith(b"\xef\xbb\xbf"), "no BOM")
got = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
check([r["class"] for r in got] == ["1A", "1B", "2A", "5A"], "classes %r" % got)
check(got[1]["no address"] == "3", "1B without address %r" % got[1])
' "$WORK/out"

TEST "--excel alone writes the Excel CSV, and with another format it is a usage error"
school_with_letters
credenza report classes --format csv --excel
expect_status 0
cp "$WORK/out" "$WORK/excel_with_format"
credenza --excel report classes
expect_status 0
cmp -s "$WORK/out" "$WORK/excel_with_format" || fail "--excel alone differs from --format csv --excel"
credenza --format json --excel report classes
expect_status 64
expect_err "--excel writes CSV: it cannot go with --format json"

TEST "report deliveries: one row per letter with its address, state, attempts and last reply"
school_with_letters
credenza send
expect_status 0
sql "UPDATE letter SET state = 'failed', last_code = 550, last_reply = '550 5.1.1 <laura.bianchi@example.it>: user unknown' WHERE $(letter_where BNCLRA83M59L219L family)"
credenza report deliveries --format json
expect_status 0
py_check '
got = json.loads(open(sys.argv[2]).read())
check(len(got) == 19 + 10, "letters %d" % len(got))
check(sorted(r["address"] for r in got) == sorted([r["student_email"] for r in rows if r["student_email"]] + [e for e in {g: e for r in rows for g, e in guardians(r) if e}.values()]), "addresses")
laura = [r for r in got if r["surname"] == "Bianchi" and r["name"] == "Laura"]
check(len(laura) == 1, "Laura Bianchi rows %r" % laura)
check(laura[0]["state"] == "failed" and laura[0]["last_code"] == 550 and laura[0]["last_reply"].startswith("550 5.1.1"), "Laura %r" % laura)
check(laura[0]["attempts"] == 1 and laura[0]["classes"] == ["1A"] and laura[0]["kind"] == "family", "Laura %r" % laura)
check(all(r["state"] == "sent" for r in got if r is not laura[0]), "states")
check([r["letter"] for r in got] == sorted(r["letter"] for r in got), "order")
francesco = [r for r in got if r["surname"] == "D\x27Angelo" and r["name"] == "Francesco"][0]
check(francesco["classes"] == ["1A", "2A", "5A"], "Francesco classes %r" % francesco)
' "$WORK/out"

TEST "report deliveries --class 1B: the letters of 1B's guardians and students only"
school_with_letters
credenza report deliveries --class 1B --format csv
expect_status 0
py_check '
got = list(csv.DictReader(io.StringIO(open(sys.argv[2], newline="").read())))
pupils = [r for r in rows if r["class"] == "1B"]
want = sorted([e for r in pupils for g, e in guardians(r) if e] + [r["student_email"] for r in pupils if r["student_email"]])
check(sorted(r["address"] for r in got) == want, "addresses %r, want %r" % ([r["address"] for r in got], want))
check(all(r["state"] == "queued" for r in got), "states")
' "$WORK/out"

TEST "report problems: no address, a shared address, a 5xx bounce, a locked account, each with its reason"
school_with_letters
credenza send
sql "UPDATE letter SET state = 'failed', last_code = 550, last_reply = '550 5.1.1 user unknown' WHERE $(letter_where BNCLRA83M59L219L family)"
sql "UPDATE account SET pin_failures = 10 WHERE person_id = (SELECT id FROM person WHERE tax_code = 'CLMCHR81S43F205G')"
credenza report problems --format csv
expect_status 0
py_check '
got = list(csv.DictReader(io.StringIO(open(sys.argv[2], newline="").read())))
summary = [(r["problem"], r["tax_code"]) for r in got]
want = [("no_address", "FNTNCL11R02A944N"), ("no_address", "GRCMTN11E70D205L"), ("no_address", "GRCRRT75T12G273S"),
        ("delivery_failed", "BNCLRA83M59L219L"),
        ("shared_address", "FNTPLA77L07A944I"), ("shared_address", "RSSGNN80A65F839I"), ("locked", "CLMCHR81S43F205G")]
check(summary == want, "problems %r" % summary)
check(all(r["reason"] for r in got), "a problem without a reason")
by = {r["tax_code"]: r for r in got}
check(by["FNTPLA77L07A944I"]["address"] == "famiglia.fontana@gmail.com", "shared address")
check("Giovanna Russo" in by["FNTPLA77L07A944I"]["reason"], "shared reason %r" % by["FNTPLA77L07A944I"]["reason"])
check("550 5.1.1 user unknown" in by["BNCLRA83M59L219L"]["reason"], "bounce reason")
check("--accept-changes" in by["BNCLRA83M59L219L"]["reason"], "bounce advice names --accept-changes")
check("institutional address" in by["GRCMTN11E70D205L"]["reason"], "student without address reason")
check("PIN locked after 10 failures" in by["CLMCHR81S43F205G"]["reason"], "locked reason")
check(by["GRCRRT75T12G273S"]["classes"] == "1B", "classes of Roberto Greco")
' "$WORK/out"

TEST "report problems names a family whose address came with a later import, and report summary counts every problem's rows"
school_with_letters
credenza send
expect_status 0
# Roberto Greco's address arrives with next week's export, Luca Rinaldi's changes (held: he had his
# letter); Laura Bianchi's account is disabled by hand.
sed -e 's/GRCRRT75T12G273S,Greco,Roberto,,/GRCRRT75T12G273S,Greco,Roberto,roberto.greco@example.it,/' \
    -e 's/luca\.rinaldi@outlook\.it/luca.rinaldi79@gmail.com/' "$DATA/enrolment_2025.csv" >later.csv
credenza import later.csv --year 2025/2026
expect_status 0
credenza account disable "$(sql "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'BNCLRA83M59L219L'")" --reason test
expect_status 0
for scope in "" "--class 1B"; do
    # shellcheck disable=SC2086
    credenza report problems --format json $scope
    expect_status 0
    cp "$WORK/out" problems.json
    # shellcheck disable=SC2086
    credenza report summary --format json $scope
    expect_status 0
    cp "$WORK/out" summary.json
    py_check '
listed, summary = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
codes = sorted(k[len("problems_"):] for k in summary if k.startswith("problems_"))
check(len(codes) >= 10, "problem counts in the summary: %r" % codes)
for code in codes:
    rows = sum(1 for p in listed if p["problem"] == code)
    check(summary["problems_" + code] == rows, "%s: summary %d, rows %d" % (code, summary["problems_" + code], rows))
check(set(p["problem"] for p in listed) <= set(codes), "a problem the summary does not count")
for kind in ("family", "student"):
    rows = sum(1 for p in listed if p["problem"] == "no_address" and p["kind"] == kind)
    check(summary[kind + "_accounts_without_address"] == rows, "%s without address: summary %d, rows %d"
          % (kind, summary[kind + "_accounts_without_address"], rows))
by = {(p["problem"], p["tax_code"]) for p in listed}
if sys.argv[4] == "":
    check(("never_sent", "GRCRRT75T12G273S") in by, "Roberto Greco never sent: %r" % sorted(by))
    check(("disabled", "BNCLRA83M59L219L") in by, "Laura Bianchi disabled: %r" % sorted(by))
    check(("address_held", "RNLLCU79D16L219S") in by, "Luca Rinaldi held: %r" % sorted(by))
    check(summary["problems_never_sent"] == 1 and summary["problems_disabled"] == 1, "counts %r" % summary)
else:
    check(("never_sent", "GRCRRT75T12G273S") in by and ("disabled", "BNCLRA83M59L219L") not in by, "1B: %r" % sorted(by))
' problems.json summary.json "$scope"
done
credenza report problems
expect_status 0
expect_out "roberto.greco@example.it"
expect_out "credenza issue"
expect_out "--accept-changes"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'import held' AND (detail LIKE '%@%' OR account = '')")" 0 \
    "held changes audited with an address or without an account"
credenza import later.csv --year 2025/2026 --accept-changes
expect_status 0
credenza report problems --format csv
expect_status 0
expect_no_out "address_held"

TEST "report problems takes the lock limit from [policy] pin_max_failures"
school_with_letters
sql "UPDATE account SET pin_failures = 10 WHERE person_id = (SELECT id FROM person WHERE tax_code = 'CLMCHR81S43F205G')"
printf '[policy]\npin_max_failures = 11\n' >>credenza.conf
credenza report problems --format csv
expect_status 0
expect_no_out "locked"
credenza report problems --class 2A --format csv
expect_equal "$(wc -l <"$WORK/out")" 1 "lines for 2A (header only)"

TEST "report summary keeps its record form, and --class narrows it"
school_with_letters
credenza report summary
expect_status 0
expect_equal "$(grep '^pupils_active:' "$WORK/out" | tr -s ' ')" "pupils_active: 12" "pupils"
expect_equal "$(grep '^letters_queued:' "$WORK/out" | tr -s ' ')" "letters_queued: 29" "queued"
credenza report summary --class 1B --format json
expect_status 0
py_check '
got = json.loads(open(sys.argv[2]).read())
check(got["pupils_active"] == 3 and got["guardians"] == 6, "1B counts %r" % got)
check(got["family_accounts_without_address"] == 1 and got["student_accounts_without_address"] == 2, "1B no address %r" % got)
' "$WORK/out"

TEST "report with a bad --year is a usage error"
school_with_letters
credenza report classes --year 2025
expect_status 64
expect_err "--year"

TEST "report audit still lists the log"
school_with_letters
credenza report audit --format csv
expect_status 0
expect_out ",import,"
expect_out ",queue initial,"

TEST "the html pages are self-contained, escape every field and render in headless Chromium"
school_with_letters
credenza send
sql "UPDATE person SET name = '<b>Laura</b> & \"co\"' WHERE tax_code = 'BNCLRA83M59L219L'"
sql "UPDATE letter SET state = 'failed', last_code = 550, last_reply = '550 <script>alert(1)</script>' WHERE $(letter_where BNCLRA83M59L219L family)"
for report in summary classes deliveries problems; do
    credenza --format html report "$report"
    expect_status 0
    cp "$WORK/out" "$report.html"
    grep -qi '<script' "$report.html" && fail "$report: an unescaped <script"
    grep -qiE '(src|href)=|@import|url\(' "$report.html" && fail "$report: a reference to an outside resource"
    grep -qF '<b>Laura' "$report.html" && fail "$report: an unescaped name"
    head -1 "$report.html" | grep -qx '<!DOCTYPE html>' || fail "$report: not an HTML page"
    render=$(bash "$SOURCE_DIR/tests/tools/render_html.sh" "$report.html" "$report.png") || fail "$report: $render"
done
grep -qF '&lt;b&gt;Laura&lt;/b&gt; &amp; &quot;co&quot;' problems.html || fail "escaped name missing from problems.html"
grep -qF '550 &lt;script&gt;' deliveries.html || fail "escaped reply missing from deliveries.html"
# Every family of 2A and 5A has its letter, 1A lacks Laura Bianchi's: 4 of 5.
grep -qF '<span class="label">1A</span>' classes.html || fail "no bar for 1A"
grep -qF '4 of 5 (80%)' classes.html || fail "1A's bar is not 4 of 5"
grep -qF '6 of 6 (100%)' classes.html || fail "no full bar"
render=$(bash "$SOURCE_DIR/tests/tools/render_html.sh" classes.html classes.png)
bars=$(sed -n 's/.*bar_pixels=\([0-9]*\).*/\1/p' <<<"$render")
[ "${bars:-0}" -gt 10000 ] || fail "the bars are not drawn in the screenshot ($render)"
