# credenza send interrupted by kill -9 at random moments, and two sends at once: nothing is
# lost, every letter ends up sent, and the last letter each account received logs in.
source "$SOURCE_DIR/tests/integration/smtp.bash"

# A bigger school (60 pupils, about 150 accounts) with its letters queued.
big_school() {
    init_school
    "$PYTHON" "$SOURCE_DIR/tests/tools/make_enrolment.py" --pupils 60 --seed 7 --year 2025/2026 --out big.csv \
        || fail "make_enrolment.py failed"
    credenza import big.csv --year 2025/2026
    expect_status 0
    credenza issue
    expect_status 0
}

# send_in_background OUTPUT: starts `credenza send` and sets SEND_PID.
send_in_background() {
    "$CREDENZA" send </dev/null >"$1" 2>&1 &
    SEND_PID=$!
}

# wait_for_event NAME: until the server logged an event of that kind (10 s at most).
wait_for_event() {
    local tries=0
    while [ "$(count_events "$1")" = 0 ] && [ $tries -lt 100 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
}

# last_letters: the last message the server stored for each user code, as TSV.
last_letters() {
    letters | awk -F'\t' '{last[$4] = $0} END {for (code in last) print last[code]}' | sort
}

TEST "send killed with -9 at random moments, then run to the end: every letter sent, the last one of each account logs in"
start_secure_smtp --delay 0.05
big_school
smtp_config starttls smtp.connections=2
total=$(sql 'SELECT count(*) FROM letter')
[ "$total" -gt 100 ] || fail "expected more than 100 letters, got $total"
rounds=""
for round in 1 2 3 4 5; do
    send_in_background "crash_$round.out"
    tenths=$((2 + RANDOM % 14)) # 0.2 to 1.5 s
    delay=$((tenths / 10)).$((tenths % 10))
    sleep "$delay"
    { kill -9 "$SEND_PID"; wait "$SEND_PID"; } 2>/dev/null
    rounds+=" killed after ${delay}s: $(message_count) stored;"
done
interrupted=$(sql "SELECT count(*) FROM letter WHERE state = 'sending'")
credenza -v send
expect_status 0
[ "$interrupted" = 0 ] || expect_out "interrupted by an earlier run retried with new secrets"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" "$total" "sent letters"
letters >all.tsv 2>problems || fail "check_letters: $(head -5 problems)"
last_letters >last.tsv
expect_equal "$(wc -l <last.tsv)" "$total" "accounts that received a letter"
# The database records the Message-ID and the address of the letter that counts: the last one.
cut -f4,3,7 last.tsv | awk -F'\t' '{print $2 " " $1 " " $3}' | LC_ALL=C sort >last_ids
sql "SELECT a.user_code || ' ' || l.recipient || ' ' || l.message_id FROM letter l
     JOIN account a ON a.id = l.account_id" | LC_ALL=C sort >recorded_ids
cmp -s last_ids recorded_ids || fail "recorded vs last delivered: $(diff recorded_ids last_ids | head -5)"
expect_logins last.tsv
[ "$CURRENT_FAILED" = 0 ] || echo "   $rounds $interrupted in sending before the last run"

TEST "a second send while one is running exits 75 with the lock message and sends nothing"
start_secure_smtp --delay 0.2
school_with_letters
smtp_config starttls smtp.connections=1
send_in_background first.out
wait_for_event accept
credenza send
expect_status 75
expect_err "another 'credenza send' is running"
wait "$SEND_PID"
first_status=$?
expect_equal "$first_status" 0 "exit status of the first send"
expect_equal "$(message_count)" 29 "messages stored"
expect_equal "$(letters | cut -f7 | sort | uniq -d | wc -l)" 0 "Message-IDs stored twice"
expect_equal "$(letters | cut -f4 | sort -u | wc -l)" 29 "distinct user codes delivered"

TEST "two sends started at once: one waits for nothing and exits 75, or both finish; no letter goes twice"
start_secure_smtp --delay 0.1
school_with_letters
smtp_config starttls smtp.connections=1
"$CREDENZA" send </dev/null >a.out 2>a.err &
pid_a=$!
"$CREDENZA" send </dev/null >b.out 2>b.err &
pid_b=$!
wait "$pid_a"
status_a=$?
wait "$pid_b"
status_b=$?
for run in a:$status_a b:$status_b; do
    name=${run%%:*}
    status=${run#*:}
    case $status in
    0) ;;
    75) grep -qF "another 'credenza send' is running" "$name.err" || fail "send $name exited 75: $(cat "$name.err")" ;;
    *) fail "send $name exited $status: $(cat "$name.err")" ;;
    esac
done
[ "$status_a" = 0 ] || [ "$status_b" = 0 ] || fail "neither send finished"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" 29 "sent letters"
expect_equal "$(message_count)" 29 "messages stored"
expect_equal "$(letters | cut -f7 | sort | uniq -d | wc -l)" 0 "Message-IDs stored twice"
expect_equal "$(letters | awk -F'\t' '{print $3 " " $7}' | sort | uniq -d | wc -l)" 0 \
    "a recipient that got one Message-ID twice"

TEST "send killed with -9 while a letter is in flight: the next send retries it at once with new secrets"
start_secure_smtp --delay 2
school_with_letters
smtp_config starttls smtp.connections=1
send_in_background crash.out
# Wait until a letter is claimed (its hash committed, state sending) and in the server's hands.
wait_for_event connect
tries=0
while [ "$(sql "SELECT count(*) FROM letter WHERE state = 'sending'" 2>/dev/null)" = 0 ] && [ $tries -lt 100 ]; do
    sleep 0.1
    tries=$((tries + 1))
done
sleep 0.5
{ kill -9 "$SEND_PID"; wait "$SEND_PID"; } 2>/dev/null
sql "SELECT a.user_code FROM letter l JOIN account a ON a.id = l.account_id WHERE l.state = 'sending'" >interrupted
[ -s interrupted ] || fail "no letter was left in sending"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" 0 "letters sent before the kill"
stop_smtp_servers
start_secure_smtp
sed -i "s|^url = .*|url = smtp://127.0.0.1:$SMTP_PORT|" credenza.conf
credenza -v send
expect_status 0
expect_out "interrupted by an earlier run retried with new secrets"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" 29 "sent letters"
while read -r code; do
    expect_equal "$(sql "SELECT state || ' ' || attempts FROM letter l JOIN account a ON a.id = l.account_id
                         WHERE a.user_code = '$code'")" "sent 2" "the interrupted letter of $code"
done <interrupted
letters | grep -F -f interrupted >retried.tsv
expect_equal "$(wc -l <retried.tsv)" "$(wc -l <interrupted)" "letters for the interrupted accounts"
expect_logins retried.tsv

TEST "while a send runs, the front end's recover and an admin's disable and import go through, and the send finishes"
start_secure_smtp --delay 0.15
school_with_letters
smtp_config starttls smtp.connections=1
send_in_background first.out
wait_for_event accept
family=$(sql "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id
               WHERE a.kind = 'family' AND p.email <> '' ORDER BY a.id LIMIT 1")
student=$(sql "SELECT a.user_code FROM account a JOIN pupil p ON p.person_id = a.person_id
               WHERE a.kind = 'student' AND p.institutional_email <> '' ORDER BY a.id DESC LIMIT 1")
credenza recover "$family"
expect_status 0
credenza account disable "$student" --reason "left mid-year"
expect_status 0
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
wait "$SEND_PID"
expect_equal "$?" 0 "exit status of the send"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state IN ('queued', 'sending', 'deferred')")" \
    "$(sql "SELECT count(*) FROM letter WHERE purpose = 'recovery' AND state = 'queued'")" \
    "letters left unsent besides the recovery queued during the run"
credenza send
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state IN ('queued', 'sending', 'deferred')")" 0 "letters left"

TEST "Ctrl-C stops a send cleanly: what was in flight is recorded, the rest stays queued, the next send finishes"
start_secure_smtp --delay 0.2
school_with_letters
smtp_config starttls smtp.connections=1
send_in_background first.out
wait_for_event accept
kill -INT "$SEND_PID"
wait "$SEND_PID"
expect_equal "$?" 75 "exit status of the interrupted send"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sending'")" 0 "letters left in 'sending'"
sent=$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")
[ "$sent" -ge 1 ] && [ "$sent" -lt 29 ] || fail "expected some but not all letters sent before the stop, got $sent"
expect_equal "$(message_count)" "$sent" "messages stored by the server"
credenza send
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" 29 "sent letters after the next send"
expect_equal "$(letters | cut -f4 | sort | uniq -d | wc -l)" 0 "accounts that got two letters"
