# credenza send when the SMTP server misbehaves: deferrals, refusals, dropped connections,
# timeouts, quotas, the daily cap, the rate limit and a server without TLS. The 2025 sample
# gives 29 letters; the addresses used below are in tests/data/enrolment_2025.csv.
source "$SOURCE_DIR/tests/integration/smtp.bash"

# school_on_faulty_smtp [server args...] [-- smtp_config settings...]
school_on_faulty_smtp() {
    local server=() settings=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        server+=("$1")
        shift
    done
    [ $# -gt 0 ] && shift
    settings=("$@")
    start_secure_smtp "${server[@]}" || return 1
    school_with_letters
    smtp_config starttls "${settings[@]}"
}

state_count() {
    sql "SELECT count(*) FROM letter WHERE state = '$1'"
}

# messages_to ADDRESS: how many messages the server stored for ADDRESS.
messages_to() {
    letters 2>/dev/null | awk -F'\t' -v to="$1" '$3 == to' | wc -l
}

TEST "a 4xx reply defers the letter and send exits 75; send --retry-now then delivers it and exits 0"
school_on_faulty_smtp --defer-once '*@libero.it' --defer-once chiara.colombo@gmail.com
credenza send
expect_status 75
expect_out "deferred 3"
expect_out "--retry-now"
expect_equal "$(state_count deferred)" 3 "deferred letters"
expect_equal "$(state_count sent)" 26 "sent letters"
expect_equal "$(sql "SELECT group_concat(recipient, ' ') FROM (SELECT recipient FROM letter
                     WHERE state = 'deferred' ORDER BY recipient)")" \
    "chiara.colombo@gmail.com elena.pieta@libero.it stefania.barbieri@libero.it" "deferred recipients"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'deferred' AND last_code = 451")" 3 \
    "deferred letters with the server's code"
expect_equal "$(message_count)" 26 "messages stored"
# Deferred letters wait for their backoff: a plain send does not touch them.
credenza send
expect_status 0
expect_equal "$(state_count deferred)" 3 "deferred letters after a send inside the backoff"
credenza send --retry-now
expect_status 0
expect_equal "$(state_count sent)" 29 "sent letters after --retry-now"
expect_equal "$(message_count)" 29 "messages stored"
# The first attempt's secrets never reached anyone; the second letter's do log in.
expect_equal "$(messages_to elena.pieta@libero.it)" 1 "letters to elena.pieta@libero.it"
letters | grep -E $'\t(elena.pieta@libero.it|stefania.barbieri@libero.it|chiara.colombo@gmail.com)\t' >retried.tsv
expect_equal "$(wc -l <retried.tsv)" 3 "retried letters stored"
expect_logins retried.tsv
expect_equal "$(sql "SELECT min(attempts) FROM letter WHERE recipient LIKE '%@libero.it'")" 2 "attempts"

TEST "a 5xx reply fails the letter for good: send reports the 550 and the address and exits 65"
school_on_faulty_smtp --reject luca.rinaldi@outlook.it
credenza send
expect_status 65
expect_out "failed 1"
expect_out "<luca.rinaldi@outlook.it>"
expect_out "550"
code=$(sql "SELECT a.user_code FROM letter l JOIN account a ON a.id = l.account_id
            WHERE l.recipient = 'luca.rinaldi@outlook.it'")
expect_out "failed: $code"
expect_equal "$(state_count failed)" 1 "failed letters"
expect_equal "$(state_count sent)" 28 "sent letters"
expect_equal "$(sql "SELECT last_code FROM letter WHERE state = 'failed'")" 550 "code recorded"
credenza --format json report summary
"$PYTHON" -c '
import json, sys
summary = json.load(open(sys.argv[1]))
assert summary["letters_failed"] == 1 and summary["letters_sent"] == 28, summary
' out || fail "unexpected summary: $(cat out)"
# A failed letter is not retried, not even with --retry-now.
credenza send --retry-now
expect_status 0
expect_equal "$(state_count failed)" 1 "failed letters after a retry"
expect_equal "$(count_events reject)" 1 "refusals the server logged"

TEST "send --format json lists the failure with its code and recipient"
school_on_faulty_smtp --reject luca.rinaldi@outlook.it
credenza --format json send
expect_status 65
"$PYTHON" -c '
import json, sys
summary = json.load(open(sys.argv[1]))
assert summary["failed"] == 1 and summary["sent"] == 28, summary
[failure] = summary["failures"]
assert failure["recipient"] == "luca.rinaldi@outlook.it" and failure["code"] == 550, failure
' out || fail "unexpected summary: $(cat out)"

TEST "both refused and deferred letters: send exits 75, as the deferred ones need a later run"
school_on_faulty_smtp --reject luca.rinaldi@outlook.it --defer-once chiara.colombo@gmail.com
credenza send
expect_status 75
expect_equal "$(state_count failed)" 1 "failed letters"
expect_equal "$(state_count deferred)" 1 "deferred letters"

TEST "a connection dropped during DATA defers that letter; a retry delivers it with new secrets"
school_on_faulty_smtp --drop-after 5 -- smtp.connections=1
credenza send
expect_status 75
expect_equal "$(count_events drop)" 1 "drops"
expect_equal "$(state_count deferred)" 1 "deferred letters"
expect_equal "$(state_count sent)" 28 "sent letters"
expect_equal "$(message_count)" 28 "messages stored"
credenza send --retry-now
expect_status 0
expect_equal "$(state_count sent)" 29 "sent letters after the retry"
letters >letters.tsv
expect_equal "$(cut -f4 letters.tsv | sort -u | wc -l)" 29 "distinct user codes delivered"
expect_logins letters.tsv

TEST "a server slower than [smtp] timeout_seconds defers the letters"
school_on_faulty_smtp --delay 4 -- smtp.timeout_seconds=1 smtp.connections=2
start=$(date +%s)
credenza send --limit 2
expect_status 75
expect_equal "$(state_count deferred)" 2 "deferred letters"
expect_equal "$(state_count sent)" 0 "sent letters"
[ $(($(date +%s) - start)) -lt 30 ] || fail "send waited far longer than the timeout"

TEST "a daily quota reply (550 5.4.5) pauses the batch: exit 75, the rest stays queued"
school_on_faulty_smtp --limit-after 4 -- smtp.connections=1
credenza send
expect_status 75
expect_out "asked to stop"
expect_equal "$(state_count sent)" 4 "sent letters"
expect_equal "$(message_count)" 4 "messages stored"
expect_equal "$(state_count queued)" 25 "letters still queued"
expect_equal "$(state_count failed)" 0 "failed letters"
expect_equal "$(count_events limit)" 1 "letters refused for the quota"

TEST "[mail] daily_cap smaller than the batch: only that many go out, the rest is left for tomorrow"
school_on_faulty_smtp -- mail.daily_cap=5
credenza send
expect_status 75
expect_out "left for tomorrow 24"
expect_equal "$(state_count sent)" 5 "sent letters"
expect_equal "$(message_count)" 5 "messages stored"
expect_equal "$(state_count queued)" 24 "queued letters"
credenza send
expect_status 75
expect_equal "$(message_count)" 5 "messages stored after a second run the same day"

TEST "send --rate 120/min spaces the letters: 4 letters take at least 1.5 seconds"
school_on_faulty_smtp
start=$(date +%s.%N)
credenza send --limit 4 --rate 120/min
expect_status 0
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
expect_equal "$(message_count)" 4 "messages stored"
[ "$(echo "$elapsed >= 1.4" | bc)" = 1 ] || fail "4 letters at 120/min took only ${elapsed}s"
[ "$(echo "$elapsed < 60" | bc)" = 1 ] || fail "4 letters at 120/min took ${elapsed}s"

TEST "[mail] rate_per_minute spaces the letters like --rate"
school_on_faulty_smtp -- mail.rate_per_minute=120
start=$(date +%s.%N)
credenza send --limit 4
expect_status 0
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
[ "$(echo "$elapsed >= 1.4" | bc)" = 1 ] || fail "4 letters at 120/min took only ${elapsed}s"

TEST "send --rate rejects a malformed rate as a usage error"
school_on_faulty_smtp
credenza send --rate 10/hour
expect_status 64
expect_err "--rate"
expect_equal "$(message_count)" 0 "messages stored"

# expect_untouched: no letter sent, failed, deferred or charged an attempt; all 29 due at once.
expect_untouched() {
    expect_equal "$(count_events accept)" 0 "messages accepted"
    expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'queued' AND attempts = 0
                         AND (next_attempt_at IS NULL OR next_attempt_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")" \
        29 "letters queued, due now, with no attempt spent"
}

TEST "starttls required but the server offers none: nothing is sent in clear, send exits 78 naming [smtp] tls"
make_cert
start_smtp --tls none --auth "$SMTP_USER:$SMTP_PASSWORD_FILE"
school_with_letters
smtp_config starttls
credenza send
expect_status 78
expect_err "[smtp] tls"
expect_equal "$(message_count)" 0 "messages the server stored"
expect_untouched

TEST "a self-signed certificate is refused with exit 78 naming [smtp] ca_file; with ca_file the next send sends at once"
school_on_faulty_smtp
sed -i '/^ca_file/d' credenza.conf
credenza -q send
expect_status 78
expect_equal "$(wc -l <err)" 1 "lines on stderr under -q"
expect_err "[smtp] ca_file"
expect_untouched
# The fix: the CA of the server's certificate. No --retry-now, no backoff to wait for.
sed -i "s|^\[smtp\]$|[smtp]\nca_file = $CERT_FILE|" credenza.conf
credenza -q send
expect_status 0
expect_equal "$(cat out err)" "" "output of a successful quiet send"
expect_equal "$(state_count sent)" 29 "sent letters"

TEST "a wrong SMTP password (535) is a configuration error: exit 78, no attempt spent; the fixed password sends at once"
school_on_faulty_smtp
CREDENZA_SMTP_PASSWORD=not-the-password credenza send
expect_status 78
expect_err "535"
expect_err "[smtp] user"
expect_no_out "not-the-password"
expect_no_err "not-the-password"
expect_equal "$(message_count)" 0 "messages stored"
expect_untouched
credenza send
expect_status 0
expect_equal "$(state_count sent)" 29 "sent letters after the fix"

TEST "a server offering no AUTH mechanism we can use is a configuration error naming [smtp] user"
school_on_faulty_smtp --no-auth-mechanisms
credenza send
expect_status 78
expect_err "[smtp] user"
expect_untouched

TEST "a sender the server refuses (553 at MAIL FROM) is a configuration error naming [mail] from"
school_on_faulty_smtp --reject-sender 'segreteria@*'
credenza send
expect_status 78
expect_err "[mail] from"
expect_err "553"
expect_untouched

TEST "an SMTP host name that does not resolve is a configuration error naming [smtp] url"
school_on_faulty_smtp
sed -i "s|^url = .*|url = smtp://no-such-host.invalid:$SMTP_PORT|" credenza.conf
credenza send
expect_status 78
expect_err "[smtp] url"
expect_untouched

TEST "a server that accepts the connection and never answers is bounded by [smtp] timeout_seconds: letters deferred"
make_cert
school_with_letters
silent_port_file=$WORK/silent.port
"$PYTHON" -c '
import socket, sys, time
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(16)
open(sys.argv[1], "w").write(str(server.getsockname()[1]))
held = []
while True:
    connection, _ = server.accept()
    held.append(connection)  # accepted, never answered
' "$silent_port_file" &
silent_pid=$!
SMTP_PIDS+=("$silent_pid")
for _ in $(seq 50); do [ -s "$silent_port_file" ] && break; sleep 0.1; done
SMTP_PORT=$(cat "$silent_port_file")
smtp_config starttls smtp.timeout_seconds=1 smtp.connections=1
start=$(date +%s)
credenza send --limit 2
end=$(date +%s)
expect_status 75
[ $((end - start)) -le 10 ] || fail "send took $((end - start)) seconds against a silent server"
expect_equal "$(state_count deferred)" 2 "deferred letters"
expect_equal "$(state_count failed)" 0 "failed letters"

TEST "no server listening: nothing is sent, no letter fails or uses an attempt, send exits 69"
school_on_faulty_smtp
stop_smtp_servers
credenza send
expect_status 69
expect_err "cannot be reached"
expect_equal "$(state_count sent)" 0 "sent letters"
expect_equal "$(state_count failed)" 0 "failed letters"
expect_equal "$(state_count deferred)" 0 "deferred letters"
expect_equal "$(sql 'SELECT max(attempts) FROM letter')" 0 "attempts used"

TEST "report deliveries and report problems show a waiting letter's last reply and when its next attempt is due"
school_on_faulty_smtp --defer-once chiara.colombo@gmail.com
credenza send
expect_status 75
credenza --format csv report deliveries
expect_status 0
row=$(grep 'chiara.colombo@gmail.com' out)
case $row in *"451 4.3.0"*) ;; *) fail "deliveries lacks the last reply: $row" ;; esac
next=$(sql "SELECT next_attempt_at FROM letter WHERE recipient = 'chiara.colombo@gmail.com'")
[ -n "$next" ] || fail "no next attempt recorded"
case $row in *"$next"*) ;; *) fail "deliveries lacks the next attempt '$next': $row" ;; esac
credenza report deliveries
expect_out "NEXT_ATTEMPT"
# A person reads it in the school's zone (the suites run in UTC), to the minute.
expect_out "$(date -u -d "$next" '+%Y-%m-%d %H:%M')"
credenza --format csv report problems
expect_status 0
row=$(grep '^waiting' out)
case $row in *chiara.colombo@gmail.com*"451 4.3.0"*"next attempt not before $next"*) ;;
    *) fail "problems lacks the waiting letter with its reply and next attempt: $row" ;; esac

TEST "-q prints exactly one line for letters refused for good, and nothing for a run where all went well"
school_on_faulty_smtp --reject luca.rinaldi@outlook.it
credenza -q send
expect_status 65
expect_equal "$(wc -l <err)" 1 "lines on stderr"
expect_equal "$(wc -c <out)" 0 "bytes on stdout"
expect_err "1 letter refused for good: see 'credenza report problems'"
credenza -q send
expect_status 0
expect_equal "$(cat out err)" "" "output of the next quiet send"

TEST "-q prints one line when a letter has waited longer than [mail] alert_after_hours"
school_on_faulty_smtp --defer-once chiara.colombo@gmail.com -- mail.alert_after_hours=1
credenza -q send
expect_status 75
expect_equal "$(cat err)" "" "stderr of a fresh deferral"
sql "UPDATE letter SET queued_at = '2020-01-01T00:00:00Z' WHERE recipient = 'chiara.colombo@gmail.com'"
credenza -q send
expect_status 75
expect_equal "$(wc -l <err)" 1 "lines on stderr"
expect_err "1 letter still waiting after [mail] alert_after_hours"
