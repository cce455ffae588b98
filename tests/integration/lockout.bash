# credenza verify: PIN lockout, password slow-down and lockout, and what lifts them.
# Not in the ASan+UBSan run: its parallel bursts of Argon2id took 228 s there (the counting they
# test is SQL, which the sanitizers do not see); the unit tests of accounts/verify run there.
# Time passes by moving password_last_failure_at back with sql.

LETTERS="$PYTHON $SOURCE_DIR/tests/tools/letters.py"

# school_with_letters [POLICY_LINES]: enrolment_2025, the family letters of class 5A sent to ./outbox;
# POLICY_LINES go to the configuration's [policy] section first.
school_with_letters() {
    init_school
    [ -z "${1:-}" ] || printf '[policy]\n%s\n' "$1" >>credenza.conf
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
    credenza issue --class 5A --kind family
    expect_status 0
    credenza send
    expect_status 0
    CODE=$(sql "SELECT user_code FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'DNGFNC76P05H501R' AND a.kind = 'family'")
    PASSWORD=$($LETTERS outbox --field password "$CODE")
    PIN=$($LETTERS outbox --field pin "$CODE")
    [ -n "$PASSWORD" ] && [ -n "$PIN" ] || fail "no credentials in the letter of '$CODE'"
}

# verify_with SECRET [--pin]: verifies the secret for $CODE.
verify_with() {
    credenza_stdin "$1"$'\n' verify "$CODE" "${@:2}"
}

# wrong_pins N: N wrong PINs, each after any wait has passed; each must be refused with 1.
wrong_pins() {
    for _ in $(seq "$1"); do
        sql "UPDATE account SET pin_last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7200 seconds') WHERE user_code = '$CODE'"
        verify_with 000001 --pin
        expect_status 1
    done
}

# seconds_ago N: sets the last password failure N seconds in the past.
seconds_ago() {
    sql "UPDATE account SET password_last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-$1 seconds') WHERE user_code = '$CODE'"
}

# wrong_passwords N: N wrong passwords, each after any wait has passed; each must be refused with 1.
wrong_passwords() {
    for _ in $(seq "$1"); do
        seconds_ago 7200
        verify_with 'not the password'
        expect_status 1
    done
}

# parallel_attempts N SECRET [--pin]: N verifications of SECRET for $CODE at once; their exit
# statuses, sorted and counted, in $WORK/statuses.
parallel_attempts() {
    local count=$1 secret=$2
    shift 2
    for i in $(seq "$count"); do
        (printf '%s\n' "$secret" | "$CREDENZA" verify "$CODE" "$@" >/dev/null 2>&1; echo $? >"$WORK/status.$i") &
    done
    wait
    cat "$WORK"/status.* | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ' >"$WORK/statuses"
    rm -f "$WORK"/status.*
}

failures() {
    sql "SELECT password_failures || '|' || pin_failures FROM account WHERE user_code = '$CODE'"
}

TEST "after 10 consecutive wrong PINs the PIN is locked: 77 even for the right PIN"
school_with_letters
wrong_pins 10
verify_with "$PIN" --pin
expect_status 77
expect_err "locked"
verify_with 000001 --pin
expect_status 77
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'pin locked' AND account = '$CODE'")" 1 "audit row"

TEST "30 wrong PINs at once cannot skip the lock: each counts, the PIN locks, the right PIN then gets 77"
school_with_letters "pin_slowdown_after = 100"
parallel_attempts 30 000001 --pin
grep -q "^1x" "$WORK/statuses" || fail "no attempt answered 1: $(cat "$WORK/statuses")"
expect_equal "$(sql "SELECT pin_failures FROM account WHERE user_code = '$CODE'")" 10 "PIN failures counted"
verify_with "$PIN" --pin
expect_status 77
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'pin locked' AND account = '$CODE'")" 1 "one audit row"

TEST "30 wrong passwords at once cannot skip the lock either"
school_with_letters $'password_max_failures = 12\npassword_slowdown_after = 100'
parallel_attempts 30 'not the password'
expect_equal "$(sql "SELECT password_failures FROM account WHERE user_code = '$CODE'")" 12 "password failures counted"
verify_with "$PASSWORD"
expect_status 77
expect_err "locked"

TEST "a locked PIN stays locked: no amount of waiting lifts it"
school_with_letters
wrong_pins 10
sql "UPDATE account SET updated_at = '2020-01-01T00:00:00Z', password_last_failure_at = NULL, pin_last_failure_at = '2020-01-01T00:00:00Z' WHERE user_code = '$CODE'"
verify_with "$PIN" --pin
expect_status 77

TEST "a locked PIN does not lock the password"
school_with_letters
wrong_pins 10
verify_with "$PASSWORD"
expect_status 0

TEST "ten quick wrong PINs, as an anonymous visitor sends them, do not lock the PIN: after 3 each must wait"
school_with_letters
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    verify_with 000001 --pin
    if [ "$attempt" -le 3 ]; then expect_status 1; else expect_status 77; fi
done
expect_err "too many wrong PINs for '$CODE': try again after"
expect_equal "$(sql "SELECT pin_failures FROM account WHERE user_code = '$CODE'")" 3 "PIN failures counted"
verify_with "$PIN" --pin
expect_status 77
sql "UPDATE account SET pin_last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-31 seconds') WHERE user_code = '$CODE'"
verify_with "$PIN" --pin
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'pin locked'")" 0 "locks"

TEST "nine wrong PINs then the right one: valid, and the count starts again"
school_with_letters
wrong_pins 9
sql "UPDATE account SET pin_last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7200 seconds') WHERE user_code = '$CODE'"
verify_with "$PIN" --pin
expect_status 0
expect_equal "$(failures)" "0|0" "failure counters"
wrong_pins 9
sql "UPDATE account SET pin_last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7200 seconds') WHERE user_code = '$CODE'"
verify_with "$PIN" --pin
expect_status 0

TEST "[policy] pin_max_failures sets the PIN lock"
school_with_letters "pin_max_failures = 3"
wrong_pins 3
verify_with "$PIN" --pin
expect_status 77

TEST "an admin reset lifts a PIN lock, and reset --pin sends a PIN that works"
school_with_letters
wrong_pins 10
credenza reset "$CODE" --reason "PIN bloccato, prot. 5" --pin --yes
expect_status 0
verify_with "$PIN" --pin
expect_status 1
credenza send
expect_status 0
verify_with "$($LETTERS outbox --field pin "$CODE")" --pin
expect_status 0

TEST "five wrong passwords answer 1; the next attempt within 30 s is refused with 77 even when right"
school_with_letters
for _ in 1 2 3 4 5; do
    verify_with 'not the password'
    expect_status 1
done
verify_with "$PASSWORD"
expect_status 77
expect_err "try again after"
verify_with 'not the password'
expect_status 77
expect_equal "$(failures)" "5|0" "refused attempts are not counted"

TEST "the wait after five failures is 30 s: after it the right password is valid and resets the count"
school_with_letters
wrong_passwords 5
seconds_ago 20
verify_with "$PASSWORD"
expect_status 77
seconds_ago 31
verify_with "$PASSWORD"
expect_status 0
expect_equal "$(failures)" "0|0" "failure counters"
verify_with 'not the password'
expect_status 1

TEST "the wait doubles with each further failure: 60 s after the sixth, 120 s after the seventh"
school_with_letters
wrong_passwords 6
seconds_ago 45
verify_with "$PASSWORD"
expect_status 77
seconds_ago 61
wrong_passwords 1 # the seventh
seconds_ago 100
verify_with "$PASSWORD"
expect_status 77
seconds_ago 121
verify_with "$PASSWORD"
expect_status 0

TEST "the wait stops doubling at one hour"
school_with_letters
wrong_passwords 30
seconds_ago 3500
verify_with "$PASSWORD"
expect_status 77
seconds_ago 3601
verify_with "$PASSWORD"
expect_status 0

TEST "the refusal names when to try again: the last failure plus the wait"
school_with_letters
wrong_passwords 5
sql "UPDATE account SET password_last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-10 seconds') WHERE user_code = '$CODE'"
last=$(sql "SELECT password_last_failure_at FROM account WHERE user_code = '$CODE'")
verify_with "$PASSWORD"
expect_status 77
# In the school's zone (the suites run in UTC), to the second.
expect_err "try again after $(date -u -d "$last + 30 seconds" '+%Y-%m-%d %H:%M:%S')"

TEST "a success resets the counter: four failures, a success, four failures are never slowed down"
school_with_letters
for _ in 1 2 3 4; do verify_with 'not the password'; expect_status 1; done
verify_with "$PASSWORD"
expect_status 0
for _ in 1 2 3 4; do verify_with 'not the password'; expect_status 1; done
verify_with "$PASSWORD"
expect_status 0

TEST "the password locks at [policy] password_max_failures: 77 whatever the wait, until a reset"
school_with_letters "password_max_failures = 12"
wrong_passwords 12
seconds_ago 86400
verify_with "$PASSWORD"
expect_status 77
expect_err "locked"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'password locked' AND account = '$CODE'")" 1 "audit row"
verify_with "$PIN" --pin
expect_status 0
credenza reset "$CODE" --reason "password bloccata, prot. 6" --yes
expect_status 0
expect_equal "$(failures)" "0|0" "failure counters after the reset"
credenza send
expect_status 0
verify_with "$($LETTERS outbox --field password "$CODE")"
expect_status 0

TEST "the password does not lock before password_max_failures"
school_with_letters "password_max_failures = 12"
wrong_passwords 11
seconds_ago 7200
verify_with "$PASSWORD"
expect_status 0

TEST "passwd is slowed down and locked like verify"
school_with_letters "password_max_failures = 12"
for _ in 1 2 3 4 5; do verify_with 'not the password'; done
credenza_stdin "$PASSWORD"$'\n''quattro gatti sul tetto'$'\n''quattro gatti sul tetto'$'\n' passwd "$CODE"
expect_status 77
wrong_passwords 7
seconds_ago 86400
credenza_stdin "$PASSWORD"$'\n''quattro gatti sul tetto'$'\n''quattro gatti sul tetto'$'\n' passwd "$CODE"
expect_status 77
expect_equal "$(sql "SELECT must_change_password FROM account WHERE user_code = '$CODE'")" 1 "must change"

TEST "an unknown user code is throttled and locked exactly as an account is: the answers do not tell them apart"
school_with_letters "pin_max_failures = 3"
for name in "$CODE" FZZZZZZZZ; do
    for attempt in 1 2 3 4; do
        sql "UPDATE account SET pin_last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7200 seconds');
             UPDATE login_guess SET last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7200 seconds')"
        credenza_stdin $'123987\n' verify "$name" --pin
        sed "s/$name/NAME/g" out err >"answer.$name.$attempt"
        echo "$STATUS" >>"answer.$name.$attempt"
    done
done
for attempt in 1 2 3 4; do
    cmp -s "answer.$CODE.$attempt" "answer.FZZZZZZZZ.$attempt" ||
        fail "attempt $attempt: an account answers '$(cat "answer.$CODE.$attempt")', an unknown code '$(cat "answer.FZZZZZZZZ.$attempt")'"
done
grep -q "locked" "answer.FZZZZZZZZ.4" || fail "the unknown code did not lock like an account: $(cat answer.FZZZZZZZZ.4)"
expect_equal "$(sql "SELECT count(*) FROM login_guess WHERE tag LIKE '%FZZZ%'")" 0 "names kept in clear"

TEST "account show says when the PIN or the password is locked, and a reset clears it"
school_with_letters "pin_max_failures = 3
password_max_failures = 12"
show_field() {
    credenza account show "$CODE" --format json
    "$PYTHON" -c 'import json,sys; print(str(json.load(open(sys.argv[1]))[sys.argv[2]]).lower())' "$WORK/out" "$1"
}
expect_equal "$(show_field pin_locked)" false "pin_locked before"
expect_equal "$(show_field pin_failures)" 0 "pin_failures before"
wrong_pins 2
expect_equal "$(show_field pin_failures)" 2 "pin_failures after 2 wrong PINs (slowed down, not locked)"
expect_equal "$(show_field pin_locked)" false "pin_locked after 2 wrong PINs"
wrong_pins 1
expect_equal "$(show_field pin_locked)" true "pin_locked after 3 wrong PINs"
expect_equal "$(show_field password_locked)" false "password_locked"
sql "UPDATE account SET password_failures = 12 WHERE user_code = '$CODE'"
expect_equal "$(show_field password_locked)" true "password_locked at the maximum"
credenza --yes reset "$CODE" --reason "locked out, asked in person"
expect_status 0
expect_equal "$(show_field pin_locked)" false "pin_locked after the reset"
expect_equal "$(show_field pin_failures)" 0 "pin_failures after the reset"
expect_equal "$(show_field password_locked)" false "password_locked after the reset"
