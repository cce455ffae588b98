# sanitize
# credenza passwd, pin, verify, reset and account disable|enable: an account's life after its
# first letter. Credentials come from the letters that 'send' writes to ./outbox.

LETTERS="$PYTHON $SOURCE_DIR/tests/tools/letters.py"

# school_with_letters ISSUE_ARGS...: a new school with enrolment_2025, letters issued and sent to ./outbox.
school_with_letters() {
    init_school
    send_letters "$@"
}

# send_letters ISSUE_ARGS...: in a school just made by init_school (and configured), the same.
send_letters() {
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

# letter FIELD USER_CODE: a field (password, pin, to, expires) of the newest letter for the account.
letter() {
    $LETTERS outbox --field "$1" "$2"
}

# verify_with SECRET ACCOUNT [--pin]
verify_with() {
    credenza_stdin "$1"$'\n' verify "${@:2}"
}

# change_with CURRENT NEW AGAIN passwd|pin ACCOUNT
change_with() {
    credenza_stdin "$1"$'\n'"$2"$'\n'"$3"$'\n' "${@:4}"
}

# Francesco D'Angelo: guardian of pupils in 1A, 2A and 5A.
FRANCESCO=DNGFNC76P05H501R
NEW_PASSWORD='quattro gatti sul tetto'

TEST "passwd with the letter's password and a good new one clears must-change; only the new one verifies"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter password "$code")
[ -n "$old" ] || fail "no password in the letter of $code"
expect_equal "$(sql "SELECT must_change_password FROM account WHERE user_code = '$code'")" 1 "must change before"
verify_with "$old" "$code"
expect_status 0
expect_out "must be changed"
change_with "$old" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$code"
expect_status 0
expect_equal "$(sql "SELECT must_change_password FROM account WHERE user_code = '$code'")" 0 "must change after"
verify_with "$old" "$code"
expect_status 1
verify_with "$NEW_PASSWORD" "$code"
expect_status 0
expect_no_out "must be changed"
expect_equal "$(sql "SELECT action FROM audit WHERE account = '$code' ORDER BY id DESC LIMIT 1")" "password changed" "audit"

TEST "passwd takes the user code in lower case, but not a codice fiscale (answered as an unknown code)"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
change_with "$(letter password "$code")" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$(tr 'A-Z' 'a-z' <<<$FRANCESCO)"
expect_status 1
change_with "$(letter password "$code")" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$(tr 'A-Z' 'a-z' <<<"$code")"
expect_status 0
verify_with "$NEW_PASSWORD" "$code"
expect_status 0

TEST "passwd with two different new passwords exits 65 and changes nothing"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter password "$code")
before=$(sql "SELECT password_hash || must_change_password FROM account WHERE user_code = '$code'")
change_with "$old" "$NEW_PASSWORD" "${NEW_PASSWORD}x" passwd "$code"
expect_status 65
expect_err "differ"
expect_equal "$(sql "SELECT password_hash || must_change_password FROM account WHERE user_code = '$code'")" "$before" "account"
verify_with "$old" "$code"
expect_status 0

TEST "passwd refuses each policy violation with exit 65 and the reason, and changes nothing"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter password "$code")
before=$(sql "SELECT password_hash FROM account WHERE user_code = '$code'")
# candidate|what the message must say
while IFS='|' read -r candidate reason; do
    change_with "$old" "$candidate" "$candidate" passwd "$code"
    expect_status 65
    expect_err "$reason"
    expect_no_err "$candidate"
done <<CASES
corto9|at least 15 characters
una bella casa|at least 15 characters
password123456789|common
Password12345678!|common
Telecommunications2024|dictionary word
francesco e basta|name
dangelo1976xx-yy|surname
xx${code}xxxxxx|user code
$(tr 'A-Z' 'a-z' <<<$FRANCESCO)|codice fiscale
CASES
expect_equal "$(sql "SELECT password_hash FROM account WHERE user_code = '$code'")" "$before" "hash after refusals"
verify_with "$old" "$code"
expect_status 0

TEST "passwd takes [policy] password_min_length from the configuration"
init_school
printf '[policy]\npassword_min_length = 16\n' >>credenza.conf
send_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter password "$code")
change_with "$old" "quindici lettere" "quindici lettere" passwd "$code" # 16 characters: accepted
expect_status 0
change_with "quindici lettere" "lettere quindici" "lettere quindici" passwd "$code"
expect_status 0
change_with "lettere quindici" "tre parole qua" "tre parole qua" passwd "$code" # 14: refused
expect_status 65
expect_err "at least 16 characters"

TEST "passwd needs no composition rules: a long lower-case passphrase is accepted"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
change_with "$(letter password "$code")" "la nebbia agli irti colli" "la nebbia agli irti colli" passwd "$code"
expect_status 0

TEST "passwd with a wrong current password exits 1 and changes nothing"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter password "$code")
before=$(sql "SELECT password_hash || must_change_password FROM account WHERE user_code = '$code'")
change_with "not-the-password" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$code"
expect_status 1
expect_equal "$(sql "SELECT password_hash || must_change_password FROM account WHERE user_code = '$code'")" "$before" "account"
verify_with "$NEW_PASSWORD" "$code"
expect_status 1

TEST "pin with the letter's PIN and a good new one: the old PIN stops working, the new one verifies"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter pin "$code")
[ -n "$old" ] || fail "no PIN in the letter of $code"
verify_with "$old" "$code" --pin
expect_status 0
change_with "$old" 480913 480913 pin "$code"
expect_status 0
verify_with "$old" "$code" --pin
expect_status 1
verify_with 480913 "$code" --pin
expect_status 0
expect_equal "$(sql "SELECT action FROM audit WHERE account = '$code' ORDER BY id DESC LIMIT 1")" "pin changed" "audit"

TEST "pin refuses a PIN of the wrong length, with letters, of one digit or a straight run (exit 65)"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter pin "$code")
for candidate in 48091 4809135 48a913 777777 123456 654321 890123; do
    change_with "$old" "$candidate" "$candidate" pin "$code"
    expect_status 65
    expect_no_err "$candidate"
done
verify_with "$old" "$code" --pin
expect_status 0

TEST "pin takes [credentials] pin_length from the configuration"
init_school
printf 'pin_length = 8\n' >>credenza.conf # appended to the [credentials] section of init_school
send_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter pin "$code")
expect_equal "${#old}" 8 "length of the letter's PIN"
change_with "$old" 480913 480913 pin "$code"
expect_status 65
expect_err "8 digits"
change_with "$old" 48091375 48091375 pin "$code"
expect_status 0

TEST "pin with mismatched repeats exits 65, with a wrong current PIN exits 1; neither changes it"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
old=$(letter pin "$code")
change_with "$old" 480913 480914 pin "$code"
expect_status 65
change_with 000001 480913 480913 pin "$code"
expect_status 1
verify_with "$old" "$code" --pin
expect_status 0
verify_with 480913 "$code" --pin
expect_status 1

TEST "an unchanged initial password expires after initial_password_days; the letter states the date"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
pw=$(letter password "$code")
expect_equal "$(letter expires "$code")" "$(date -u -d '+30 days' +%d/%m/%Y)" "expiry date in the letter"
sql "UPDATE account SET password_set_at = '2026-01-01T00:00:00Z' WHERE user_code = '$code'"
verify_with "$pw" "$code"
expect_status 77
expect_err "expired"
# A changed password never expires.
sql "UPDATE account SET password_set_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE user_code = '$code'"
change_with "$pw" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$code"
expect_status 0
sql "UPDATE account SET password_set_at = '2026-01-01T00:00:00Z' WHERE user_code = '$code'"
verify_with "$NEW_PASSWORD" "$code"
expect_status 0

TEST "an expired initial password can be changed only within [policy] expired_password_grace_days"
init_school
printf '[policy]\ninitial_password_days = 7\nexpired_password_grace_days = 3\n' >>credenza.conf
send_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
pw=$(letter password "$code")
# Expired 4 days ago: past the grace period, only new credentials help.
sql "UPDATE account SET password_set_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-11 days') WHERE user_code = '$code'"
change_with "$pw" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$code"
expect_status 77
expect_err "grace period is over"
expect_equal "$(sql "SELECT must_change_password FROM account WHERE user_code = '$code'")" 1 "must change"
# Expired 2 days ago: still within it.
sql "UPDATE account SET password_set_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-9 days') WHERE user_code = '$code'"
change_with "$pw" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$code"
expect_status 0
verify_with "$NEW_PASSWORD" "$code"
expect_status 0

TEST "initial_password_days from the configuration sets the expiry and the letter's date"
init_school
printf '[policy]\ninitial_password_days = 7\n' >>credenza.conf
send_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
expect_equal "$(letter expires "$code")" "$(date -u -d '+7 days' +%d/%m/%Y)" "expiry date in the letter"
sql "UPDATE account SET password_set_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 days') WHERE user_code = '$code'"
verify_with "$(letter password "$code")" "$code"
expect_status 77
expect_err "expired"

TEST "reset without --reason exits 64 and changes nothing"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
before=$(sql "SELECT password_hash FROM account WHERE user_code = '$code'")
audits=$(sql "SELECT count(*) FROM audit")
credenza reset "$code" --yes
expect_status 64
expect_err "--reason"
credenza reset "$code" --reason '   ' --yes
expect_status 64
expect_equal "$(sql "SELECT password_hash FROM account WHERE user_code = '$code'")" "$before" "hash"
expect_equal "$(sql "SELECT count(*) FROM audit")" "$audits" "audit rows"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE purpose = 'reset'")" 0 "reset letters"

TEST "reset on a non-terminal without --yes exits 64 and changes nothing"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
pw=$(letter password "$code")
credenza reset "$code" --reason "prot. 1234"
expect_status 64
expect_err "--yes"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE purpose = 'reset'")" 0 "reset letters"
verify_with "$pw" "$code"
expect_status 0

TEST "reset: the old password stops at once, the PIN stays; the reset letter's password works and must be changed"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
pw=$(letter password "$code")
pin=$(letter pin "$code")
change_with "$pw" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$code"
expect_status 0
credenza reset "$code" --reason "prot. 1234 del 12/10/2025" --yes
expect_status 0
verify_with "$NEW_PASSWORD" "$code"
expect_status 1
verify_with "$pin" "$code" --pin
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id WHERE a.user_code = '$code' AND l.purpose = 'reset' AND l.state = 'queued'")" 1 "queued reset letter"
credenza send
expect_status 0
expect_equal "$(letter subject "$code" | grep -c 'Nuove credenziali')" 1 "the newest letter is the reset letter"
expect_equal "$(letter pin "$code")" "" "PIN in a reset letter without --pin"
verify_with "$(letter password "$code")" "$code"
expect_status 0
expect_out "must be changed"
expect_equal "$(sql "SELECT must_change_password FROM account WHERE user_code = '$code'")" 1 "must change"
verify_with "$pin" "$code" --pin
expect_status 0

TEST "reset --pin: old password and PIN stop at once; the letter's new ones work"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
pw=$(letter password "$code")
pin=$(letter pin "$code")
credenza reset "$code" --reason "prot. 1235" --pin --yes
expect_status 0
verify_with "$pw" "$code"
expect_status 1
verify_with "$pin" "$code" --pin
expect_status 1
credenza send
expect_status 0
new_pin=$(letter pin "$code")
[ -n "$new_pin" ] && [ "$new_pin" != "$pin" ] || fail "reset letter PIN: '$new_pin'"
verify_with "$new_pin" "$code" --pin
expect_status 0
verify_with "$(letter password "$code")" "$code"
expect_status 0

TEST "reset audits the reason and the operator named by SUDO_USER"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
SUDO_USER=segreteria credenza reset "$code" --reason "richiesta scritta prot. 77" --yes
expect_status 0
expect_equal "$(sql "SELECT operator || '|' || account FROM audit WHERE action = 'reset'")" "segreteria|$code" "audit row"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'reset' AND detail LIKE '%richiesta scritta prot. 77%'")" 1 "reason"

TEST "reset lifts a PIN lock"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
pin=$(letter pin "$code")
for _ in $(seq 10); do verify_with 000001 "$code" --pin; done
verify_with "$pin" "$code" --pin
expect_status 77
credenza reset "$code" --reason "PIN bloccato, prot. 9" --yes
expect_status 0
verify_with "$pin" "$code" --pin
expect_status 0

TEST "reset of an unknown account exits 65 and queues nothing"
school_with_letters --class 5A --kind family
credenza reset FZZZZZZZZ --reason x --yes
expect_status 65
expect_equal "$(sql "SELECT count(*) FROM letter WHERE purpose = 'reset'")" 0 "reset letters"

TEST "a disabled account never verifies, even with the right password or PIN (77); enabled it does"
school_with_letters --class 5A --kind family
code=$(user_code $FRANCESCO family)
pw=$(letter password "$code")
pin=$(letter pin "$code")
credenza account disable "$code" --reason "decaduto"
expect_status 0
verify_with "$pw" "$code"
expect_status 77
expect_err "disabled"
verify_with "$pin" "$code" --pin
expect_status 77
change_with "$pw" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$code"
expect_status 77
credenza account enable "$code" --reason "reintegrato"
expect_status 0
verify_with "$pw" "$code"
expect_status 0
expect_equal "$(sql "SELECT group_concat(action, ',') FROM audit WHERE account = '$code' AND action IN ('disable', 'enable')")" "disable,enable" "audit"

TEST "a student's password works like a family's, and a minor student's letter has no PIN"
school_with_letters --class 2A --kind student
student=$(user_code FRRMTT10P27A662B student) # Matteo Ferrari, a minor until 2028
expect_equal "$(letter pin "$student")" "" "PIN of a minor student"
change_with "$(letter password "$student")" "$NEW_PASSWORD" "$NEW_PASSWORD" passwd "$student"
expect_status 0
verify_with "$NEW_PASSWORD" "$student"
expect_status 0

TEST "account list shows adult true only for the students who are 18 today"
school_with_letters --class 5A --kind student
credenza account list --kind student --format json
expect_status 0
# Who is 18 today, by SQLite's own date arithmetic (Gabriele Costa of 5A turns 18 on 2026-12-15).
adults=$(sql "SELECT p.surname || '/' || p.name FROM person p JOIN pupil u ON u.person_id = p.id
              WHERE u.birth_date <= date('now', 'localtime', '-18 years') ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')
case "$adults" in *"D'Angelo/Tommaso"*"Lombardi/Giorgia"*) ;; *) fail "the oracle lost the two adults: '$adults'" ;; esac
expect_equal "$("$PYTHON" -c 'import json, sys
print(" ".join(sorted(a["surname"] + "/" + a["name"] for a in json.load(open(sys.argv[1])) if a["adult"] is True)))' "$WORK/out")" \
    "$adults" "adult students"
