# sanitize
# What a person at a terminal sees: no echo of secrets, a progress bar, a summary.
# tmux gives the commands a real terminal; script(1) a pseudo-terminal for output checks.

tmux_socket() { echo "$WORK/tmux.sock"; }
tmux_run() { tmux -S "$(tmux_socket)" "$@"; }
stop_tmux() { tmux -S "$(tmux_socket)" kill-server 2>/dev/null || true; }

# wait_for_screen TEXT: until the pane shows TEXT (at most ~10 s).
wait_for_screen() {
    for _ in $(seq 100); do
        tmux_run capture-pane -p | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    fail "the terminal never showed '$1': $(tmux_run capture-pane -p)"
    return 1
}

school_with_letters_in_outbox() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    credenza issue
    credenza send
    expect_status 0
    LETTER=$(grep -l '^PIN: ' outbox/*.eml | head -1)
    CODE=$(sed -n 's/^Codice utente: \(.*\)\r$/\1/p' "$LETTER")
    PASSWORD=$(sed -n 's/^Password: \(.*\)\r$/\1/p' "$LETTER")
}

TEST "verify on a terminal asks for the password and does not echo it"
school_with_letters_in_outbox
tmux_run new-session -d -x 120 -y 20 "CREDENZA_CONFIG=$CREDENZA_CONFIG '$CREDENZA' verify $CODE; echo exit=\$?; sleep 30"
wait_for_screen "Password:"
tmux_run send-keys "$PASSWORD" Enter
wait_for_screen "exit="
screen=$(tmux_run capture-pane -p)
stop_tmux
grep -qF "exit=0" <<<"$screen" || fail "verify did not succeed: $screen"
grep -qF -- "$PASSWORD" <<<"$screen" && fail "the password was echoed on the terminal"
true

TEST "passwd on a terminal takes the old and the new password twice, echoing none of them"
school_with_letters_in_outbox
new="Sole e mare a Velletri 77"
tmux_run new-session -d -x 120 -y 20 "CREDENZA_CONFIG=$CREDENZA_CONFIG '$CREDENZA' passwd $CODE; echo exit=\$?; sleep 30"
wait_for_screen "Current password:"
tmux_run send-keys "$PASSWORD" Enter
wait_for_screen "New password:"
tmux_run send-keys "$new" Enter
wait_for_screen "New password again:"
tmux_run send-keys "$new" Enter
wait_for_screen "exit="
screen=$(tmux_run capture-pane -p)
stop_tmux
grep -qF "exit=0" <<<"$screen" || fail "passwd did not succeed: $screen"
grep -qF -- "$PASSWORD" <<<"$screen" && fail "the old password was echoed"
grep -qF -- "$new" <<<"$screen" && fail "the new password was echoed"
credenza_stdin "$new" verify "$CODE"
expect_status 0

TEST "send on a terminal draws a progress bar and ends with a summary"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue
script -qec "CREDENZA_CONFIG=$CREDENZA_CONFIG '$CREDENZA' send" "$WORK/typescript" >/dev/null </dev/null
expect_equal "$?" 0 "send exit status"
grep -qF "[##############################] 29/29" "$WORK/typescript" || fail "no full progress bar: $(tr '\r' '\n' <"$WORK/typescript" | tail -3)"
grep -qF "sent 29, deferred 0, failed 0" "$WORK/typescript" || fail "no summary on the terminal"

TEST "send under cron (no terminal) says nothing when all went well"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza issue
credenza send
expect_status 0
expect_equal "$(cat "$WORK/out")" "" "stdout"
expect_no_err "[#"
expect_err "hold passwords and PINs in clear text"

TEST "-q silences even the outbox warning; errors still show"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
credenza -q issue
credenza -q send
expect_status 0
expect_equal "$(cat "$WORK/out" "$WORK/err")" "" "output with -q"
credenza -q account show NOSUCHCODE
expect_status 65
expect_err "no account 'NOSUCHCODE'"

TEST "tables fit the terminal's width"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
script -qec "stty cols 80; CREDENZA_CONFIG=$CREDENZA_CONFIG '$CREDENZA' account list" "$WORK/typescript" >/dev/null </dev/null
# Columns are code points here (accented names, the ellipsis of a cut cell).
longest=$("$PYTHON" -c 'import sys; print(max(len(l.rstrip("\r\n")) for l in open(sys.argv[1], encoding="utf-8") if not l.startswith("Script ")))' "$WORK/typescript")
[ "$longest" -le 80 ] || fail "a line of $longest columns on an 80-column terminal"
grep -qF "…" "$WORK/typescript" || fail "no cell was shortened, so the test proves nothing"
credenza account list
longest=$("$PYTHON" -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$WORK/out")
[ "$longest" -gt 80 ] || fail "off a terminal, the table should not be cut ($longest columns)"

TEST "escape sequences in a CSV's column names reach the terminal only as visible text"
init_school
{
    printf '%s,\033]0;pwned\007\033[2J\n' "$(head -1 "$DATA/enrolment_2025.csv")"
    tail -n +2 "$DATA/enrolment_2025.csv" | sed 's/$/,x/'
} >evil.csv
script -qec "CREDENZA_CONFIG=$CREDENZA_CONFIG '$CREDENZA' import evil.csv --year 2025/2026 --dry-run" "$WORK/typescript" >/dev/null </dev/null
grep -qF 'x1b]0;pwned\x07\x1b[2J' "$WORK/typescript" || fail "the column name is not shown escaped: $(cat -v "$WORK/typescript" | tail -5)"
! grep -q $'\033' "$WORK/typescript" || fail "an escape character reached the terminal: $(cat -v "$WORK/typescript" | grep -F '^[' | head -3)"
# Off a terminal (a file, a pipe) the bytes are left alone: the sanitiser is for people.
credenza import evil.csv --year 2025/2026 --dry-run
grep -q $'\033]0;pwned' "$WORK/out" "$WORK/err" || fail "the value was altered off a terminal"

TEST "an error message naming a value from outside goes through the same sanitiser"
init_school
# script(1) runs the command with $SHELL, which may be dash: the value goes through a file, not $'…'.
printf 'NO\033[2JSUCH\302\233CODE' >"$WORK/evil-code"
script -qec "CREDENZA_CONFIG=$CREDENZA_CONFIG '$CREDENZA' account show \"\$(cat '$WORK/evil-code')\"" "$WORK/typescript" >/dev/null </dev/null
grep -qF 'NO\x1b[2JSUCH\u009bCODE' "$WORK/typescript" || fail "the value is not escaped: $(cat -v "$WORK/typescript")"
! grep -q $'\033\|\302\233' "$WORK/typescript" || fail "a control character reached the terminal: $(cat -v "$WORK/typescript")"
