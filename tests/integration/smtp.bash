# Shell helpers for the suites that talk to a real SMTP server (scripts/smtp_test_server.py).
# A suite sources this file after the harness (run_suite.bash) has defined TEST, ROOT and PYTHON:
#   source "$SOURCE_DIR/tests/integration/smtp.bash"
#
#   start_smtp [server args...]   a server on a free port; sets SMTP_PORT, SMTP_DIR, SMTP_PID
#   make_cert                     a throwaway self-signed certificate; sets CERT_FILE, KEY_FILE
#   smtp_auth_server_args         the --tls/--cert/--key/--auth arguments matching smtp_config starttls
#   smtp_config [tls] [section.key=value]...   appends [mail] and [smtp] to ./credenza.conf
#   school_with_letters [issue args...]   init_school, import the 2025 sample, issue
#   letters [check_letters.py args...]    the delivered messages as TSV (see tests/tools/check_letters.py)
#
# Servers are stopped when the next TEST starts and when the suite ends, so a failed test
# never leaves one running.

SMTP_USER=segreteria@itisvallauri.edu.it
# Never a real secret; tests grep for it in every output, log and database file.
SMTP_PASSWORD='Smtp-Pa55word-never-leaks'
SMTP_PIDS=()
CHECK_LETTERS=$SOURCE_DIR/tests/tools/check_letters.py

stop_smtp_servers() {
    local pid
    for pid in "${SMTP_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    SMTP_PIDS=()
}
CLEANUP_HOOK=stop_smtp_servers

# Wrap the harness's TEST so every test starts with no server from the one before.
eval "$(declare -f TEST | sed '1s/^TEST/harness_test/')"
TEST() {
    stop_smtp_servers
    harness_test "$@"
}

make_cert() {
    CERT_FILE=$ROOT/cert/cert.pem
    KEY_FILE=$ROOT/cert/key.pem
    if [ ! -s "$CERT_FILE" ]; then
        mkdir -p "$ROOT/cert"
        openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost \
            -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -days 1 \
            -keyout "$KEY_FILE" -out "$CERT_FILE" 2>"$ROOT/cert/openssl.err" \
            || { fail "openssl could not make a certificate: $(cat "$ROOT/cert/openssl.err")"; return 1; }
    fi
    SMTP_PASSWORD_FILE=$ROOT/cert/smtp_password
    if [ ! -s "$SMTP_PASSWORD_FILE" ]; then
        (umask 077 && printf '%s\n' "$SMTP_PASSWORD" >"$SMTP_PASSWORD_FILE")
    fi
}

# The server side of smtp_config starttls: STARTTLS required, then AUTH as SMTP_USER.
smtp_auth_server_args() {
    make_cert || return 1
    SMTP_SERVER_ARGS=(--tls starttls --cert "$CERT_FILE" --key "$KEY_FILE" --auth "$SMTP_USER:$SMTP_PASSWORD_FILE")
}

start_smtp() {
    SMTP_DIR=$(mktemp -d "$ROOT/smtp.XXXXXX")
    "$PYTHON" "$SOURCE_DIR/scripts/smtp_test_server.py" --dir "$SMTP_DIR" "$@" \
        >"$SMTP_DIR/server.out" 2>&1 &
    SMTP_PID=$!
    SMTP_PIDS+=("$SMTP_PID")
    local tries=0
    while [ ! -s "$SMTP_DIR/port" ]; do
        if ! kill -0 "$SMTP_PID" 2>/dev/null || [ $tries -ge 100 ]; then
            fail "the SMTP test server did not start: $(cat "$SMTP_DIR/server.out")"
            return 1
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    SMTP_PORT=$(cat "$SMTP_DIR/port")
    export SMTP_PORT SMTP_DIR
}

# The STARTTLS + AUTH server that smtp_config starttls expects, plus any fault arguments.
start_secure_smtp() {
    smtp_auth_server_args || return 1
    start_smtp "${SMTP_SERVER_ARGS[@]}" "$@"
}

# smtp_config [tls] [section.key=value]...: mail goes to the server of start_smtp. The
# [credentials] lines of init_school stay; each extra setting lands in its own section.
smtp_config() {
    local tls=${1:-starttls}
    shift
    make_cert || return 1
    local -A sections=([mail]="" [smtp]="")
    sections[mail]+="transport = smtp"$'\n'
    sections[smtp]+="url = smtp://127.0.0.1:$SMTP_PORT"$'\n'"tls = $tls"$'\n'
    if [ "$tls" != none ]; then
        sections[smtp]+="ca_file = $CERT_FILE"$'\n'
    fi
    sections[smtp]+="user = $SMTP_USER"$'\n'"password_file = $SMTP_PASSWORD_FILE"$'\n'
    local setting section
    for setting in "$@"; do
        section=${setting%%.*}
        sections[$section]+="${setting#*.}"$'\n'
    done
    {
        for section in "${!sections[@]}"; do
            printf '\n[%s]\n%s' "$section" "${sections[$section]}"
        done
    } >>credenza.conf
}

# A school with the 2025 sample imported and letters queued (issue args pass through).
school_with_letters() {
    init_school
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
    credenza issue "$@"
    expect_status 0
}

# letters [check_letters.py options...]: check_letters.py over the server's stored messages;
# one TSV line per message: file, kind, recipient, user code, password, PIN (- for none), Message-ID.
letters() {
    "$PYTHON" "$CHECK_LETTERS" "$@" "$SMTP_DIR/messages"
}

# letter_body TO: the decoded text of the last message the server stored for address TO.
letter_body() {
    local file
    file=$(letters 2>/dev/null | awk -F'\t' -v to="$1" '$3 == to {file = $1} END {print file}')
    [ -n "$file" ] || { fail "no message for '$1'"; return 1; }
    "$PYTHON" "$CHECK_LETTERS" --body "$SMTP_DIR/messages/$file"
}

# count_events NAME: how many events of that kind the server logged.
count_events() {
    if [ -e "$SMTP_DIR/events.jsonl" ]; then
        grep -c "\"event\": \"$1\"" "$SMTP_DIR/events.jsonl"
    else
        echo 0
    fi
}

# message_count: how many messages the server accepted.
message_count() {
    find "$SMTP_DIR/messages" -name '*.eml' | wc -l
}

# verify_secret CODE SECRET [--pin]: the status of credenza verify (also left in STATUS).
verify_secret() {
    local code=$1 secret=$2
    shift 2
    credenza_stdin "$secret" verify "$code" "$@"
    return "$STATUS"
}

# expect_logins TSV [N]: every letter in TSV (as printed by `letters`), or its first N family and
# first N student letters, logs in: its password, and its PIN when it has one, pass `credenza verify`.
expect_logins() {
    local file kind to code password pin message_id checked=0
    local -A seen=()
    while IFS=$'\t' read -r file kind to code password pin message_id; do
        seen[$kind]=$((${seen[$kind]:-0} + 1))
        if [ -n "${2:-}" ] && [ "${seen[$kind]}" -gt "$2" ]; then
            continue
        fi
        credenza_stdin "$password" verify "$code"
        [ "$STATUS" = 0 ] || fail "the password mailed to $to ($file) does not log in: exit $STATUS"
        if [ "$pin" != - ]; then
            credenza_stdin "$pin" verify "$code" --pin
            [ "$STATUS" = 0 ] || fail "the PIN mailed to $to ($file) does not log in: exit $STATUS"
        fi
        checked=$((checked + 1))
    done <"$1"
    [ "$checked" -gt 0 ] || fail "no letters to log in with"
}

# recorded_addresses: "USER_CODE ADDRESS" for every account with a letter, sorted.
recorded_addresses() {
    sql "SELECT DISTINCT a.user_code || ' ' || CASE a.kind WHEN 'student' THEN pu.institutional_email
                ELSE p.email END
         FROM letter l JOIN account a ON a.id = l.account_id JOIN person p ON p.id = a.person_id
         LEFT JOIN pupil pu ON pu.person_id = a.person_id ORDER BY 1"
}
