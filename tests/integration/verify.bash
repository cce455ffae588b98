# sanitize
# credenza verify ACCOUNT [--pin]: the secret on standard input; exit 0 valid, 1 invalid, 77 locked
# or disabled. The credentials come from the letters `send` wrote to the outbox directory.

# A school whose letters are in ./outbox; FAMILY_* are Francesco D'Angelo's (a guardian of three
# pupils), STUDENT_* Nicolò D'Angelo's.
school_with_credentials() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    credenza issue
    credenza send
    expect_status 0
    "$PYTHON" "$SOURCE_DIR/tests/tools/check_letters.py" outbox >letters.tsv || fail "the letters do not check out"
    IFS=$'\t' read -r _ _ _ FAMILY_CODE FAMILY_PASSWORD FAMILY_PIN _ \
        < <(grep -P '\tfrancesco.dangelo@example.it\t' letters.tsv)
    IFS=$'\t' read -r _ _ _ STUDENT_CODE STUDENT_PASSWORD _ _ \
        < <(grep -P '\tnicolo.dangelo@itisvallauri.edu.it\t' letters.tsv)
    [ -n "${FAMILY_PIN:-}" ] && [ -n "${STUDENT_PASSWORD:-}" ] || fail "no credentials found in the outbox"
}

# The text a secret must never show up in: the command's outputs.
expect_no_secret() {
    local secret
    for secret in "$@"; do
        ! grep -qF -- "$secret" out err || fail "a secret appears in the output"
    done
}

TEST "verify accepts the mailed password with exit 0 and says the password must be changed"
school_with_credentials
credenza_stdin "$FAMILY_PASSWORD" verify "$FAMILY_CODE"
expect_status 0
expect_out "valid"
expect_out "must be changed"
expect_no_secret "$FAMILY_PASSWORD"

TEST "verify --pin accepts the mailed PIN with exit 0"
school_with_credentials
credenza_stdin "$FAMILY_PIN" verify "$FAMILY_CODE" --pin
expect_status 0
expect_out "valid"
expect_no_secret "$FAMILY_PIN"

TEST "verify accepts a student's password"
school_with_credentials
credenza_stdin "$STUDENT_PASSWORD" verify "$STUDENT_CODE"
expect_status 0

TEST "verify rejects a wrong password with exit 1 and counts the failure"
school_with_credentials
credenza_stdin "${FAMILY_PASSWORD}x" verify "$FAMILY_CODE"
expect_status 1
expect_out "invalid"
expect_equal "$(sql "SELECT password_failures FROM account WHERE user_code = '$FAMILY_CODE'")" 1 "failures"
credenza_stdin "$FAMILY_PASSWORD" verify "$FAMILY_CODE"
expect_status 0
expect_equal "$(sql "SELECT password_failures FROM account WHERE user_code = '$FAMILY_CODE'")" 0 \
    "failures after a success"

TEST "verify does not accept the PIN as the password, nor the password as the PIN"
school_with_credentials
credenza_stdin "$FAMILY_PIN" verify "$FAMILY_CODE"
expect_status 1
credenza_stdin "$FAMILY_PASSWORD" verify "$FAMILY_CODE" --pin
expect_status 1

TEST "verify of one account's password against another account fails"
school_with_credentials
credenza_stdin "$STUDENT_PASSWORD" verify "$FAMILY_CODE"
expect_status 1

TEST "verify --pin of a student account, which has no PIN, fails with exit 1"
school_with_credentials
credenza_stdin "$STUDENT_PASSWORD" verify "$STUDENT_CODE" --pin
expect_status 1

TEST "verify of an unknown account fails with exit 1 and the same output as a wrong password"
school_with_credentials
credenza_stdin "wrong-password" verify "$FAMILY_CODE"
expect_status 1
cp out wrong.out
cp err wrong.err
credenza_stdin "wrong-password" verify FZZZZZZZZ
expect_status 1
cmp -s out wrong.out && cmp -s err wrong.err || fail "an unknown account answers differently: $(cat out err)"
credenza_stdin "123456" verify FZZZZZZZZ --pin
expect_status 1

TEST "verify does not take a codice fiscale as a login name: it answers as for an unknown user code"
school_with_credentials
credenza_stdin "wrong-password" verify FZZZZZZZZ
cp out unknown.out
cp err unknown.err
credenza_stdin "$FAMILY_PASSWORD" verify DNGFNC76P05H501R
expect_status 1
cmp -s out unknown.out && cmp -s err unknown.err || fail "a codice fiscale answers differently: $(cat out err)"
credenza_stdin "$FAMILY_PIN" verify dngfnc76p05h501r --pin
expect_status 1
expect_equal "$(sql "SELECT password_failures || '|' || pin_failures FROM account WHERE user_code = '$FAMILY_CODE'")" "0|0" \
    "failures counted against the account of the codice fiscale"

TEST "verify takes the user code in lower case"
school_with_credentials
credenza_stdin "$FAMILY_PASSWORD" verify "${FAMILY_CODE,,}"
expect_status 0

TEST "verify accepts the secret followed by a newline, as a front end writes it"
school_with_credentials
credenza_stdin "$FAMILY_PASSWORD"$'\n' verify "$FAMILY_CODE"
expect_status 0
credenza_stdin "$FAMILY_PIN"$'\r\n' verify "$FAMILY_CODE" --pin
expect_status 0

TEST "a disabled account answers a wrong secret as an unknown one does; only the right secret says disabled"
school_with_credentials
credenza_stdin "wrong-password" verify FZZZZZZZZ
cp out unknown.out
cp err unknown.err
credenza account disable "$FAMILY_CODE" --reason "test: left the school" --yes
expect_status 0
credenza_stdin "wrong-password" verify "$FAMILY_CODE"
expect_status 1
cmp -s out unknown.out && cmp -s err unknown.err || fail "a disabled account answers differently: $(cat out err)"
credenza_stdin "$FAMILY_PASSWORD" verify "$FAMILY_CODE"
expect_status 77
expect_err "disabled"
expect_no_secret "$FAMILY_PASSWORD"
credenza_stdin "$FAMILY_PIN" verify "$FAMILY_CODE" --pin
expect_status 77

TEST "verify --pin locks the PIN after 10 wrong ones: the right PIN then exits 77"
school_with_credentials
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    sql "UPDATE account SET pin_last_failure_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 hours')"
    credenza_stdin "000000" verify "$FAMILY_CODE" --pin
    [ "$FAMILY_PIN" = 000000 ] || expect_status 1
done
credenza_stdin "$FAMILY_PIN" verify "$FAMILY_CODE" --pin
expect_status 77
expect_err "locked"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'pin locked' AND account = '$FAMILY_CODE'")" 1 \
    "audit rows for the lock"
# The password is a separate counter.
credenza_stdin "$FAMILY_PASSWORD" verify "$FAMILY_CODE"
expect_status 0

TEST "verify slows a password down after 5 wrong ones: the next try at once exits 77"
school_with_credentials
for attempt in 1 2 3 4 5; do
    credenza_stdin "wrong-password" verify "$FAMILY_CODE"
    expect_status 1
done
credenza_stdin "$FAMILY_PASSWORD" verify "$FAMILY_CODE"
expect_status 77
expect_err "try again after"
expect_no_secret "$FAMILY_PASSWORD"

TEST "verify reads the secret from standard input only: with none it fails and accepts nothing"
school_with_credentials
credenza verify "$FAMILY_CODE"
[ "$STATUS" != 0 ] || fail "verify without a secret exited 0"
expect_err "standard input"

TEST "verify refuses a secret given as an argument, and does not repeat it"
school_with_credentials
credenza verify "$FAMILY_CODE" "$FAMILY_PASSWORD"
expect_status 64
expect_no_secret "$FAMILY_PASSWORD"

TEST "verify never writes a secret to the database or the audit log"
school_with_credentials
credenza_stdin "$FAMILY_PASSWORD" verify "$FAMILY_CODE"
credenza_stdin "$FAMILY_PIN" verify "$FAMILY_CODE" --pin
credenza_stdin "wrong-$FAMILY_PASSWORD" verify "$FAMILY_CODE"
for file in credenza.db credenza.db-wal; do
    [ -e "$file" ] || continue
    ! grep -qaF -- "$FAMILY_PASSWORD" "$file" || fail "the password is in $file"
done
expect_equal "$(sql "SELECT count(*) FROM audit WHERE detail LIKE '%$FAMILY_PASSWORD%'
                     OR detail LIKE '%$FAMILY_PIN%'")" 0 "audit rows with a secret"

TEST "verify --pin=VALUE is refused without repeating the value"
school_with_credentials
credenza verify "$FAMILY_CODE" --pin=739154
expect_status 64
expect_no_out 739154
expect_no_err 739154
credenza verify "$FAMILY_CODE" --pin 739154
expect_status 64
expect_no_err 739154

TEST "unknown, disabled and wrong take as long: medians of interleaved runs within a factor of 1.6"
school_with_credentials
printf '[policy]\npassword_slowdown_after = 100\n' >>credenza.conf
credenza account disable "$STUDENT_CODE" --reason "timing test" --yes
# One run of each in turn, so that a busy machine slows them alike; the median drops outliers.
for round in 1 2 3 4 5 6 7; do
    for who in "$FAMILY_CODE" "$STUDENT_CODE" FZZZZZZZZ; do
        start=$(date +%s%N)
        printf 'wrong-password\n' | "$CREDENZA" verify "$who" >/dev/null 2>&1
        echo $(( ($(date +%s%N) - start) / 1000 )) >>"times.$who"
    done
done
median() { sort -n "$1" | sed -n 4p; }
wrong=$(median "times.$FAMILY_CODE")
for who in "$STUDENT_CODE" FZZZZZZZZ; do
    other=$(median "times.$who")
    # Without the Argon2id run a refusal takes a few milliseconds against tens: a factor of 3 or more.
    [ $(( other * 16 )) -ge $(( wrong * 10 )) ] && [ $(( other * 10 )) -le $(( wrong * 16 )) ] ||
        fail "median µs: wrong password $wrong, $who $other"
done
