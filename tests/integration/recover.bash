# sanitize
# credenza recover: "Password dimenticata?". The same answer whatever was typed; letters only to
# the recorded address; rate-limited; off when the school says so.

LETTERS="$PYTHON $SOURCE_DIR/tests/tools/letters.py"

# school_with_letters ISSUE_ARGS...: enrolment_2025, letters issued and sent to ./outbox.
school_with_letters() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
    credenza issue "$@"
    expect_status 0
    credenza send
    expect_status 0
}

# user_code TAX_CODE KIND
user_code() {
    sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = '$1' AND a.kind = '$2'"
}

# recovery_letters [USER_CODE]: how many recovery letters exist (for one account).
recovery_letters() {
    sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id WHERE l.purpose = 'recovery' AND ('${1:-}' = '' OR a.user_code = '${1:-}')"
}

letter() {
    $LETTERS outbox --field "$1" "$2"
}

verify_with() {
    credenza_stdin "$1"$'\n' verify "${@:2}"
}

FRANCESCO=DNGFNC76P05H501R # francesco.dangelo@example.it
PAOLO=FNTPLA77L07A944I     # famiglia.fontana@gmail.com, shared with Giovanna Russo
GIOVANNA=RSSGNN80A65F839I
TOMMASO=DNGTMS07E20H501A   # adult student, 5A
MATTEO=FRRMTT10P27A662B    # student of 2A, a minor until 2028
ROBERTO=GRCRRT75T12G273S   # guardian without an address

TEST "recover answers the same, with status 0, for a known code, a known address in any case and unknown ones"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
credenza recover "$code"
expect_status 0
[ -s "$WORK/out" ] || fail "recover printed nothing"
reference=$(cat "$WORK/out" "$WORK/err")
for typed in FRANCESCO.DAngelo@Example.IT FZZZZZZZZ nessuno@example.it "$(tr 'A-Z' 'a-z' <<<"$code")" 'not even an address'; do
    credenza recover "$typed"
    expect_status 0
    expect_equal "$(cat "$WORK/out" "$WORK/err")" "$reference" "answer for '$typed'"
done

TEST "recover by user code queues one recovery letter, sent to the recorded address"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
credenza recover "$code"
expect_equal "$(recovery_letters "$code")" 1 "recovery letters"
expect_equal "$(recovery_letters)" 1 "recovery letters in all"
credenza send
expect_status 0
expect_equal "$(letter subject "$code" | grep -c 'Password dimenticata')" 1 "the newest letter is a recovery letter"
expect_equal "$(letter to "$code")" "francesco.dangelo@example.it" "To of the recovery letter"

TEST "recover by address in another case sends to the address as recorded"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
credenza recover '  Francesco.DAngelo@EXAMPLE.it'
credenza recover 'Francesco.DAngelo@EXAMPLE.it'
expect_equal "$(recovery_letters "$code")" 1 "recovery letters"
credenza send
expect_status 0
expect_equal "$(letter to "$code")" "francesco.dangelo@example.it" "To of the recovery letter"

TEST "recover with an address that is not the recorded one queues nothing"
school_with_letters --class 5A --kind family
letters=$(sql "SELECT count(*) FROM letter")
for typed in francesco.dangelo@example.com dangelo@example.it francesco.dangelo@example.it.evil.com '%@example.it' '' ; do
    credenza recover "$typed"
done
expect_equal "$(sql "SELECT count(*) FROM letter")" "$letters" "letters"

TEST "a recovery never stops working credentials: the old ones work beside the new until a new one is used"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter password "$code")
old_pin=$(letter pin "$code")
credenza recover "$code"
credenza send
expect_status 0
new=$(letter password "$code")
new_pin=$(letter pin "$code")
[ "$new" != "$old" ] || fail "the recovery letter repeats the old password"
[ -n "$new_pin" ] && [ "$new_pin" != "$old_pin" ] || fail "recovery letter PIN '$new_pin'"
# Whoever asked cannot lock the holder out: the old password and PIN still work after the send.
verify_with "$old" "$code"
expect_status 0
verify_with "$old_pin" "$code" --pin
expect_status 0
# The holder uses the new password: it replaces the old one, which stops at once.
verify_with "$new" "$code"
expect_status 0
expect_out "must be changed"
verify_with "$old" "$code"
expect_status 1
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'recovery used' AND account = '$code'")" 1 "audit rows"
# The PIN's own replaces the old PIN at its first use.
verify_with "$old_pin" "$code" --pin
expect_status 0
verify_with "$new_pin" "$code" --pin
expect_status 0
verify_with "$old_pin" "$code" --pin
expect_status 1

TEST "a recovery letter's secrets lapse unused after [policy] recovery_hours; the letter says so and that ignoring it changes nothing"
init_school
printf '[policy]\nrecovery_hours = 2\n' >>credenza.conf
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue --class 5A --kind family
credenza send
code=$(user_code $FRANCESCO family)
old=$(letter password "$code")
credenza recover "$code"
credenza send
expect_status 0
new=$(letter password "$code")
expires=$(sql "SELECT pending_expires_at FROM account WHERE user_code = '$code'")
sent=$(sql "SELECT sent_at FROM letter WHERE purpose = 'recovery'")
# The clock starts when the letter is written; it is marked sent a moment later, once delivered,
# so a second boundary may fall between the two.
wait_seconds=$(( $(date -d "$expires" +%s) - $(date -d "$sent" +%s) ))
[ "$wait_seconds" -le 7200 ] && [ "$wait_seconds" -ge 7170 ] ||
    fail "the new secrets wait $wait_seconds seconds after the letter was sent, not the 2 hours of recovery_hours"
letter text "$code" >letter.txt
grep -q "può ignorare questa lettera: non cambia" letter.txt || fail "the letter does not say that ignoring it changes nothing"
grep -q "continuano a funzionare" letter.txt || fail "the letter does not say the current credentials keep working"
grep -qF "$(date -d "$expires" '+%d/%m/%Y alle %H:%M')" letter.txt || fail "the letter lacks the time the new secrets lapse"
sql "UPDATE account SET pending_expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 seconds') WHERE user_code = '$code'"
verify_with "$new" "$code"
expect_status 1
verify_with "$old" "$code"
expect_status 0

TEST "a recovery letter lifts a PIN lock without an administrator; the old PIN stays locked until then"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
sql "UPDATE account SET pin_failures = 10 WHERE user_code = '$code'"
verify_with "$(letter pin "$code")" "$code" --pin
expect_status 77
credenza recover "$code"
credenza send
expect_status 0
verify_with 000000 "$code" --pin
expect_status 1
verify_with "$(letter pin "$code")" "$code" --pin
expect_status 0
expect_equal "$(sql "SELECT pin_failures || '|' || pending_pin_failures FROM account WHERE user_code = '$code'")" "0|0" \
    "failure counts after the new PIN was used"

TEST "recover --requester limits one requester to [policy] recover_requester_per_hour requests, whatever they name"
init_school
printf '[policy]\nrecover_requester_per_hour = 2\n' >>credenza.conf
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue --class 1B --kind family
credenza send
credenza recover --requester 203.0.113.7 nessuno@example.it
expect_status 0
reference=$(cat "$WORK/out" "$WORK/err")
credenza recover --requester 203.0.113.7 "$(user_code $PAOLO family)"
credenza recover --requester 203.0.113.7 "$(user_code $GIOVANNA family)"
expect_status 0
expect_equal "$(cat "$WORK/out" "$WORK/err")" "$reference" "answer over the limit"
expect_equal "$(recovery_letters)" 1 "recovery letters after three requests of one requester"
credenza recover --requester 198.51.100.1 "$(user_code $GIOVANNA family)"
expect_equal "$(recovery_letters)" 2 "recovery letters after another requester's request"
expect_equal "$(sql "SELECT count(*) FROM recover_request WHERE requester LIKE '%203.0.113%'")" 0 "requesters kept in clear"

TEST "two guardians sharing one address both get a recovery letter there, each with its own credentials"
school_with_letters --class 1B --kind family
paolo=$(user_code $PAOLO family)
giovanna=$(user_code $GIOVANNA family)
credenza recover famiglia.fontana@gmail.com
expect_equal "$(recovery_letters "$paolo")|$(recovery_letters "$giovanna")" "1|1" "recovery letters of Paolo|Giovanna"
credenza send
expect_status 0
for code in "$paolo" "$giovanna"; do
    expect_equal "$(letter to "$code")" famiglia.fontana@gmail.com "To for $code"
    expect_equal "$(letter subject "$code" | grep -c 'Password dimenticata')" 1 "recovery letter of $code"
    verify_with "$(letter password "$code")" "$code"
    expect_status 0
done

TEST "an adult student's recovery letter has a PIN line that works; a minor student's has none"
school_with_letters --class 5A --class 2A --kind student
tommaso=$(user_code $TOMMASO student)
gabriele=$(user_code $MATTEO student)
expect_equal "$(letter pin "$tommaso")" "" "PIN in the adult's first letter"
credenza recover tommaso.dangelo@itisvallauri.edu.it
credenza recover "$gabriele"
credenza send
expect_status 0
pin=$(letter pin "$tommaso")
[ -n "$pin" ] || fail "no PIN in the adult student's recovery letter"
verify_with "$pin" "$tommaso" --pin
expect_status 0
expect_equal "$(letter subject "$gabriele" | grep -c 'Password dimenticata')" 1 "recovery letter of the minor"
expect_equal "$(letter pin "$gabriele")" "" "PIN in the minor's recovery letter"
expect_equal "$(sql "SELECT pin_hash IS NULL FROM account WHERE user_code = '$gabriele'")" 1 "minor's PIN hash"

TEST "a second request right away queues nothing, before and after the first letter is sent"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
credenza recover "$code"
credenza recover "$code"
credenza recover francesco.dangelo@example.it
expect_equal "$(recovery_letters "$code")" 1 "recovery letters before send"
credenza send
expect_status 0
credenza recover "$code"
expect_status 0
expect_equal "$(recovery_letters "$code")" 1 "recovery letters after send"

TEST "after recover_interval_minutes a new request queues a new letter"
init_school
printf '[policy]\nrecover_interval_minutes = 5\n' >>credenza.conf
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue --class 5A --kind family
credenza send
code=$(user_code $FRANCESCO family)
credenza recover "$code"
credenza send
expect_status 0
sql "UPDATE letter SET queued_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-4 minutes') WHERE purpose = 'recovery'"
credenza recover "$code"
expect_equal "$(recovery_letters "$code")" 1 "recovery letters within 5 minutes"
sql "UPDATE letter SET queued_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-6 minutes') WHERE purpose = 'recovery'"
credenza recover "$code"
expect_status 0
expect_equal "$(recovery_letters "$code")" 2 "recovery letters after 5 minutes"

TEST "self_service_recover = false: exit 77 for known and unknown alike, nothing queued"
init_school
printf '[policy]\nself_service_recover = false\n' >>credenza.conf
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
code=$(user_code $FRANCESCO family)
for typed in "$code" francesco.dangelo@example.it FZZZZZZZZ; do
    credenza recover "$typed"
    expect_status 77
    expect_err "turned off"
done
expect_equal "$(recovery_letters)" 0 "recovery letters"

TEST "a disabled account gets no recovery letter, and the answer is the same"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
credenza recover FZZZZZZZZ
reference=$(cat "$WORK/out" "$WORK/err")
credenza account disable "$code" --reason "decaduto"
credenza recover "$code"
expect_status 0
expect_equal "$(cat "$WORK/out" "$WORK/err")" "$reference" "answer"
credenza recover francesco.dangelo@example.it
expect_equal "$(recovery_letters)" 0 "recovery letters"

TEST "an account without a recorded address gets no recovery letter, so send has nothing to fail"
school_with_letters --class 1B --kind family
roberto=$(user_code $ROBERTO family)
credenza recover "$roberto"
expect_status 0
expect_equal "$(recovery_letters "$roberto")" 0 "recovery letters for an account without address"
credenza send
expect_status 0

TEST "the audit log records a request without what was typed"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
credenza recover Francesco.DAngelo@Example.it
credenza recover sconosciuto@example.it
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'recover requested'")" 2 "audit rows of requests"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE lower(detail || account || operator) LIKE '%example.it%' OR detail LIKE '%sconosciuto%'")" 0 "rows naming what was typed"
