# credenza send against a real SMTP server (scripts/smtp_test_server.py) with STARTTLS and AUTH:
# what arrives is well-formed, goes to the recorded address, and logs in. The 2025 sample gives
# 29 letters: 19 family (with a PIN) and 10 student.
source "$SOURCE_DIR/tests/integration/smtp.bash"

# A school with its 29 letters queued, mail to a STARTTLS + AUTH server; args: smtp_config settings.
school_on_smtp() {
    start_secure_smtp || return 1
    school_with_letters
    smtp_config starttls "$@"
}

TEST "send delivers every queued letter over STARTTLS with AUTH and marks each sent"
school_on_smtp
credenza send
expect_status 0
expect_equal "$(message_count)" 29 "messages the server stored"
expect_equal "$(sql "SELECT state || ' ' || count(*) FROM letter GROUP BY state")" "sent 29" "letter states"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE attempts <> 1")" 0 "letters with more than one attempt"

TEST "send is quiet when all went well and stdout is not a terminal; -v prints the summary"
school_on_smtp
credenza send --limit 3
expect_status 0
expect_equal "$(cat out)" "" "stdout"
credenza -v send
expect_status 0
expect_out "sent 26, deferred 0, failed 0"

TEST "send --format json prints a summary object"
school_on_smtp
credenza --format json send
expect_status 0
"$PYTHON" -c '
import json, sys
summary = json.load(open(sys.argv[1]))
assert (summary["sent"], summary["deferred"], summary["failed"]) == (29, 0, 0), summary
assert summary["paused"] is False and summary["dry_run"] is False, summary
' out || fail "unexpected summary: $(cat out)"

TEST "every delivered message is well-formed MIME with the school's headers and one line per credential"
school_on_smtp
credenza send
expect_status 0
letters >letters.tsv 2>problems || fail "check_letters: $(head -20 problems)"
expect_equal "$(wc -l <letters.tsv)" 29 "messages checked"
expect_equal "$(cut -f2 letters.tsv | sort | uniq -c | awk '{printf "%s %s; ", $1, $2}')" \
    "19 family; 10 student; " "letter kinds"
expect_equal "$(awk -F'\t' '$2 == "family" && $6 == "-"' letters.tsv | wc -l)" 0 "family letters without a PIN"
expect_equal "$(awk -F'\t' '$2 == "student" && $6 != "-"' letters.tsv | wc -l)" 0 "student letters with a PIN"
expect_equal "$(cut -f7 letters.tsv | sort -u | wc -l)" 29 "distinct Message-IDs"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE message_id = ''")" 0 "letters without a Message-ID"
cut -f7 letters.tsv | sort >delivered_ids
sql "SELECT message_id FROM letter" | sort >recorded_ids
cmp -s delivered_ids recorded_ids || fail "the Message-IDs recorded are not the ones delivered"

TEST "each letter goes to the address recorded at enrolment, and the database records it"
school_on_smtp
credenza send
letters | awk -F'\t' '{print $4 " " $3}' | LC_ALL=C sort >delivered
recorded_addresses | LC_ALL=C sort >recorded
cmp -s delivered recorded || fail "delivered vs recorded: $(diff delivered recorded | head)"
expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id
                     JOIN person p ON p.id = a.person_id
                     WHERE a.kind = 'family' AND l.recipient <> p.email")" 0 "family letters to another address"
grep -q ' francesco.dangelo@example.it$' delivered || fail "no letter for Francesco D'Angelo"
grep -q ' nicolo.dangelo@itisvallauri.edu.it$' delivered || fail "no letter for Nicolò D'Angelo's student account"
# Two parents sharing one mailbox get two letters with two user codes.
expect_equal "$(grep -c ' famiglia.fontana@gmail.com$' delivered)" 2 "letters to the shared Fontana mailbox"

TEST "the mailed passwords and PINs log in; wrong ones do not"
school_on_smtp
credenza send
letters >letters.tsv
expect_logins letters.tsv
IFS=$'\t' read -r _ _ _ code password pin _ < <(grep -P '^\S+\tfamily\t' letters.tsv | head -1)
credenza_stdin "${password}x" verify "$code"
expect_status 1
credenza_stdin "$password" verify "$code" --pin
expect_status 1
IFS=$'\t' read -r _ _ _ student_code _ _ _ < <(grep -P '^\S+\tstudent\t' letters.tsv | head -1)
credenza_stdin "$password" verify "$student_code"
expect_status 1

TEST "a family letter lists every pupil of the guardian by name and class"
school_on_smtp
credenza send
letters --json >letters.json
"$PYTHON" - letters.json <<'PY' || fail "pupil lines are wrong"
import json, sys
letters = {}
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    letters[record["to"]] = record
expected = {
    # A guardian of three pupils: one letter, three lines.
    "francesco.dangelo@example.it": ["Nicolò D'Angelo (classe 1A)", "Giulia D'Angelo (classe 2A)",
                                     "Tommaso D'Angelo (classe 5A)"],
    "elena.pieta@libero.it": ["Nicolò D'Angelo (classe 1A)", "Giulia D'Angelo (classe 2A)"],
    "laura.bianchi@example.it": ["Alessandro Bianchi (classe 1A)"],
}
ok = True
for address, pupils in expected.items():
    got = letters[address]["pupils"]
    if sorted(got) != sorted(pupils):
        print("%s: %s, expected %s" % (address, got, pupils))
        ok = False
sys.exit(0 if ok else 1)
PY
letter_body francesco.dangelo@example.it >body.txt
expect_equal "$(grep -c '(classe ' body.txt)" 3 "pupil lines in the letter of a guardian of three"
expect_equal "$(letters | grep -c $'\tfrancesco.dangelo@example.it\t')" 1 "letters to a guardian of three pupils"

TEST "report summary counts as sent exactly the letters the server stored"
school_on_smtp
credenza send --limit 7
credenza --format json report summary
expect_status 0
"$PYTHON" -c '
import json, sys
summary = json.load(open(sys.argv[1]))
stored = int(sys.argv[2])
assert summary["letters_sent"] == stored == 7, (summary, stored)
assert summary["letters_queued"] == 22, summary
assert summary["letters_failed"] == 0 and summary["letters_deferred"] == 0, summary
' out "$(message_count)" || fail "summary does not match the server: $(cat out)"

TEST "send --limit sends at most N letters and leaves the rest queued"
school_on_smtp
credenza send --limit 5
expect_status 0
expect_equal "$(message_count)" 5 "messages stored"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" 5 "sent letters"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'queued'")" 24 "queued letters"
credenza send
expect_status 0
expect_equal "$(message_count)" 29 "messages stored after the second run"
expect_equal "$(letters | cut -f4 | sort -u | wc -l)" 29 "distinct user codes delivered"

TEST "send --dry-run counts the letters due and sends and changes nothing"
school_on_smtp
audit_before=$(sql 'SELECT count(*) FROM audit')
credenza send --dry-run
expect_status 0
credenza -v send --dry-run
expect_status 0
expect_out "dry run: 29 letters due now"
expect_equal "$(message_count)" 0 "messages stored"
expect_equal "$(count_events connect)" 0 "connections to the server"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'queued' AND attempts = 0")" 29 "queued letters"
expect_equal "$(sql 'SELECT count(*) FROM account WHERE password_hash IS NOT NULL OR pin_hash IS NOT NULL')" 0 \
    "accounts with a secret"
expect_equal "$(sql 'SELECT count(*) FROM audit')" "$audit_before" "audit rows"

TEST "a second send sends nothing new"
school_on_smtp
credenza send
expect_status 0
hashes=$(sql 'SELECT group_concat(password_hash) FROM account')
credenza -v send
expect_status 0
expect_out "sent 0"
expect_equal "$(message_count)" 29 "messages stored after two runs"
expect_equal "$(sql 'SELECT group_concat(password_hash) FROM account')" "$hashes" "password hashes"

TEST "one connection per worker is reused for many messages"
school_on_smtp smtp.connections=2
credenza send
expect_status 0
expect_equal "$(message_count)" 29 "messages stored"
connections=$(count_events connect)
[ "$connections" -ge 2 ] && [ "$connections" -le 3 ] || fail "expected a probe and 1 or 2 connections, got $connections"

TEST "with one connection every letter goes through a single SMTP session, after one probe connection"
school_on_smtp smtp.connections=1
credenza send
expect_status 0
# The first connection only logs in and tries MAIL FROM, then RSET: nothing is claimed before it passes.
expect_equal "$(count_events connect)" 2 "connections"
expect_equal "$(count_events rset)" 1 "RSET of the probe"
expect_equal "$(message_count)" 29 "messages stored"

TEST "[mail] language = en writes English letters that log in"
school_on_smtp mail.language=en
credenza send
expect_status 0
letters --language en >letters.tsv 2>problems || fail "check_letters: $(head -5 problems)"
expect_equal "$(wc -l <letters.tsv)" 29 "English letters"
letter_body "$(head -1 letters.tsv | cut -f3)" >body.txt
grep -q '^User code: ' body.txt || fail "no 'User code:' line"
! grep -q 'Codice utente' body.txt || fail "an English letter in Italian"
expect_logins letters.tsv 3

TEST "a school's own template in [mail] template_dir replaces the built-in one"
mkdir -p templates/it
cat >templates/it/family.txt <<'TEMPLATE'
Subject: Accesso al registro di {school_name}

Gentile {name},
questa è la lettera della nostra scuola (modello proprio).

{pupils}

{credentials}

Indirizzo: {portal_url}
TEMPLATE
school_on_smtp "mail.template_dir=$WORK/templates"
credenza send
expect_status 0
letters --subject 'Accesso al registro di ITIS "G. Vallauri"' --json >letters.json 2>problems \
    || fail "check_letters: $(head -5 problems)"
expect_equal "$(grep -c '"kind": "custom"' letters.json)" 19 "family letters from the school's template"
expect_equal "$(grep -c '"kind": "student"' letters.json)" 10 "student letters from the built-in template"
letter_body laura.bianchi@example.it >body.txt
grep -q 'modello proprio' body.txt || fail "the school's text is missing"
letters >letters.tsv 2>/dev/null
expect_logins letters.tsv 3

TEST "a template with an unknown field stops send before anything is sent"
mkdir -p templates/it
printf 'Subject: Credenziali\n\nGentile {nome},\n{credentials}\n' >templates/it/student.txt
school_on_smtp "mail.template_dir=$WORK/templates"
credenza send
expect_status 78
expect_err "nome"
expect_equal "$(message_count)" 0 "messages stored"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'queued'")" 29 "queued letters"

TEST "the SMTP password never appears in any output, log or database file"
school_on_smtp
credenza -v send
expect_status 0
cp out send.out
cp err send.err
credenza --format json report summary
credenza report audit
cp out audit.out
for file in send.out send.err out err audit.out credenza.db credenza.db-wal credenza.db-shm \
    "$SMTP_DIR"/*.jsonl "$SMTP_DIR"/messages/*.eml; do
    [ -e "$file" ] || continue
    ! grep -qaF -- "$SMTP_PASSWORD" "$file" || fail "the SMTP password is in $file"
done
expect_equal "$(message_count)" 29 "messages stored"

TEST "the SMTP password may come from CREDENZA_SMTP_PASSWORD instead of a file"
start_secure_smtp
school_with_letters
smtp_config starttls
sed -i '/^password_file/d' credenza.conf
CREDENZA_SMTP_PASSWORD=$SMTP_PASSWORD credenza send
expect_status 0
expect_equal "$(message_count)" 29 "messages stored"
! grep -qF -- "$SMTP_PASSWORD" out err credenza.db || fail "the SMTP password leaked"

TEST "an [smtp] password_file readable by others is refused and nothing is sent"
school_on_smtp
cp "$SMTP_PASSWORD_FILE" loose_password
chmod 644 loose_password
sed -i "s|^password_file = .*|password_file = $WORK/loose_password|" credenza.conf
credenza send
expect_status 77
expect_err "chmod 600"
expect_no_err "$SMTP_PASSWORD"
expect_equal "$(message_count)" 0 "messages stored"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'queued'")" 29 "queued letters"

TEST "no password or PIN of the letters is in the database file, the audit log or any output"
school_on_smtp
credenza -v send
cat out err >outputs
credenza --format json report summary
cat out err >>outputs
credenza report audit
cat out err >>outputs
sqlite3 credenza.db .dump >dump.sql
letters | awk -F'\t' '{print $5; if ($6 != "-") print $6}' >secrets
expect_equal "$(wc -l <secrets)" 48 "secrets delivered (29 passwords, 19 PINs)"
for file in outputs dump.sql credenza.db credenza.db-wal; do
    [ -e "$file" ] || continue
    ! grep -qaF -f secrets "$file" || fail "a mailed secret is in $file"
done
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action LIKE 'send%'")" 29 "audit rows for the sends"

TEST "without SMTP settings send writes private .eml files to ./outbox and warns that they hold secrets"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue
credenza send
expect_status 0
expect_err "hold passwords and PINs"
expect_equal "$(stat -c %a outbox)" 700 "outbox mode"
expect_equal "$(find outbox -name '*.eml' | wc -l)" 29 "letters in the outbox"
expect_equal "$(find outbox -type f ! -perm 600 | wc -l)" 0 "outbox files not 0600"
"$PYTHON" "$CHECK_LETTERS" outbox >letters.tsv 2>problems || fail "check_letters: $(head -5 problems)"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" 29 "sent letters"
expect_logins letters.tsv

TEST "[smtp] url without [mail] transport = smtp warns and uses the outbox"
start_secure_smtp
school_with_letters
printf '\n[smtp]\nurl = smtp://127.0.0.1:%s\n' "$SMTP_PORT" >>credenza.conf
credenza send
expect_status 0
expect_err "transport is not 'smtp'"
expect_equal "$(message_count)" 0 "messages stored by the server"
expect_equal "$(find outbox -name '*.eml' | wc -l)" 29 "letters in the outbox"

TEST "a display-name sender in [mail] from, in UTF-8, heads the letters; the envelope has the bare address"
school_on_smtp 'mail.from=Segreteria «Vallauri» Cuneo <segreteria@itisvallauri.edu.it>'
credenza send --limit 1
expect_status 0
expect_equal "$(message_count)" 1 "messages stored"
"$PYTHON" - "$SMTP_DIR" <<'PY' || fail "the From header or the envelope sender is wrong"
import email, email.header, glob, json, sys
directory = sys.argv[1]
log = [json.loads(line) for line in open(directory + "/log.jsonl")]
assert log[0]["from"] == "segreteria@itisvallauri.edu.it", log
raw = open(sorted(glob.glob(directory + "/messages/*.eml"))[0], "rb").read()
message = email.message_from_bytes(raw)
header = message["From"]
assert "=?UTF-8?" in header, header
decoded = str(email.header.make_header(email.header.decode_header(header)))
assert decoded == "Segreteria «Vallauri» Cuneo <segreteria@itisvallauri.edu.it>", decoded
PY
