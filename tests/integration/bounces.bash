# credenza bounces: delivery reports read back over IMAP from a real Dovecot on loopback (TLS required,
# a throwaway configuration, one user, a maildir in the test's folder), filled with the samples of
# tests/data/bounces (written for the tests after RFC 3464 and the published provider shapes).

source "$SOURCE_DIR/tests/integration/smtp.bash"

IMAP_USER=segreteria@itisvallauri.edu.it
# Never a real secret; the test greps for it in every output.
IMAP_PASSWORD='Imap-Pa55word-never-leaks'
IMAP_PIDS=()
IMAP_DIRS=()
SAMPLES=$DATA/bounces

stop_imap_servers() {
    local pid dir
    for pid in "${IMAP_PIDS[@]}"; do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    IMAP_PIDS=()
    for dir in "${IMAP_DIRS[@]}"; do
        rm -rf "$dir"
    done
    IMAP_DIRS=()
}
stop_all_servers() {
    stop_smtp_servers
    stop_imap_servers
}
CLEANUP_HOOK=stop_all_servers

eval "$(declare -f TEST | sed '1s/^TEST/smtp_test/')"
TEST() {
    stop_imap_servers
    smtp_test "$@"
}

# start_imap: Dovecot with imaps on a free loopback port; sets IMAP_PORT, IMAP_DIR, INBOX_DIR and
# IMAP_PASSWORD_FILE. Dovecot's login processes never run as root: as root the mail belongs to the
# package's dovecot user and the folder lies outside the suite's private one.
start_imap() {
    make_cert || return 1
    IMAP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/credenza-imap.XXXXXX")
    IMAP_DIRS+=("$IMAP_DIR")
    chmod 755 "$IMAP_DIR"
    cp "$CERT_FILE" "$KEY_FILE" "$IMAP_DIR/"
    IMAP_PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local login_user internal_user internal_group mail_uid mail_gid
    if [ "$(id -u)" = 0 ]; then
        login_user=dovenull internal_user=dovecot internal_group=dovecot
        mail_uid=$(id -u dovecot) mail_gid=$(id -g dovecot)
    else
        login_user=$(id -un) internal_user=$(id -un) internal_group=$(id -gn)
        mail_uid=$(id -u) mail_gid=$(id -g)
    fi
    printf '%s:{PLAIN}%s\n' "$IMAP_USER" "$IMAP_PASSWORD" >"$IMAP_DIR/users"
    INBOX_DIR=$IMAP_DIR/mail/$IMAP_USER
    mkdir -p "$IMAP_DIR/run" "$IMAP_DIR/state" "$INBOX_DIR/new" "$INBOX_DIR/cur" "$INBOX_DIR/tmp"
    cat >"$IMAP_DIR/dovecot.conf" <<CONF
base_dir = $IMAP_DIR/run
state_dir = $IMAP_DIR/state
log_path = $IMAP_DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <$IMAP_DIR/cert.pem
ssl_key = <$IMAP_DIR/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $IMAP_DIR/users
}
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$IMAP_DIR/home/%u
}
mail_location = maildir:$IMAP_DIR/mail/%u
namespace inbox {
  inbox = yes
  separator = /
}
default_login_user = $login_user
default_internal_user = $internal_user
default_internal_group = $internal_group
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = $IMAP_PORT
    ssl = yes
  }
}
CONF
    chown -R "$mail_uid:$mail_gid" "$IMAP_DIR/mail"
    /usr/sbin/dovecot -F -c "$IMAP_DIR/dovecot.conf" >"$IMAP_DIR/server.out" 2>&1 &
    IMAP_PIDS+=("$!")
    local tries=0
    until curl -s --cacert "$CERT_FILE" -u "$IMAP_USER:$IMAP_PASSWORD" "imaps://127.0.0.1:$IMAP_PORT/" \
        -X CAPABILITY >/dev/null 2>&1; do
        if [ $tries -ge 100 ]; then
            fail "Dovecot did not start: $(cat "$IMAP_DIR/server.out" "$IMAP_DIR/dovecot.log" 2>/dev/null)"
            return 1
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    IMAP_PASSWORD_FILE=$ROOT/cert/imap_password
    (umask 077 && printf '%s\n' "$IMAP_PASSWORD" >"$IMAP_PASSWORD_FILE")
    MAIL_OWNER=$mail_uid:$mail_gid
}

# imap_config [password file]: [imap] pointing at the server of start_imap.
imap_config() {
    cat >>credenza.conf <<CONF

[imap]
url = imaps://127.0.0.1:$IMAP_PORT/INBOX
user = $IMAP_USER
password_file = ${1:-$IMAP_PASSWORD_FILE}
ca_file = $CERT_FILE
CONF
}

# deliver_sample NAME MESSAGE_ID RECIPIENT [FOLDER] [AGE]: a sample, its placeholders filled, as a
# message in the maildir (FOLDER "" = INBOX), arrived AGE ago (a `touch -d` date; default now).
SAMPLE_COUNT=0
deliver_sample() {
    local name=$1 id=$2 to=$3 folder=${4:-} when=${5:-now}
    local token=${id#<}
    token=${token%%@*}
    local dir=$INBOX_DIR
    [ -n "$folder" ] && dir=$INBOX_DIR/.$folder
    mkdir -p "$dir/new" "$dir/cur" "$dir/tmp"
    SAMPLE_COUNT=$((SAMPLE_COUNT + 1))
    local file=$dir/new/$(date +%s).M${SAMPLE_COUNT}P$$.credenza-test
    sed -e "s|@ID@|$id|g" -e "s|@TO@|$to|g" -e "s|@VERP@|segreteria+L$token@itisvallauri.edu.it|g" \
        "$SAMPLES/$name" >"$file"
    touch -d "$when" "$file"
    chown -R "$MAIL_OWNER" "$INBOX_DIR"
}

# mailbox_count [FOLDER]: the messages in INBOX (or FOLDER).
mailbox_count() {
    local dir=$INBOX_DIR
    [ -n "${1:-}" ] && dir=$INBOX_DIR/.$1
    find "$dir/new" "$dir/cur" -type f 2>/dev/null | wc -l
}

json_field() {
    "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/out" "$1"
}

TEST "Reports of every shape mark their letters bounced, void the credentials and reach report problems; the rest stay"
start_secure_smtp
school_with_letters --kind family
smtp_config starttls mail.verp=true
credenza send
expect_status 0
letters >sent.tsv || fail "cannot read the letters the server received"
grep -q '"from": "segreteria+L[0-9a-f]\{32\}@itisvallauri.edu.it"' "$SMTP_DIR/log.jsonl" \
    || fail "the envelope sender is not the VERP address: $(head -c 300 "$SMTP_DIR/log.jsonl")"
# Six families: five letters come back (one shape each), the sixth gets a delay, an auto-reply and a broken report.
mapfile -t rows < <(head -6 sent.tsv)
[ "${#rows[@]}" = 6 ] || fail "expected six letters, got ${#rows[@]}"
declare -a code to id
for i in 0 1 2 3 4 5; do
    IFS=$'\t' read -r _ _ to[i] code[i] _ _ id[i] <<<"${rows[i]}"
done
start_imap
imap_config
deliver_sample standard.eml "${id[0]}" "${to[0]}"
deliver_sample postfix.eml "${id[1]}" "${to[1]}"
deliver_sample exim.eml "${id[2]}" "${to[2]}"
deliver_sample exchange.eml "${id[3]}" "${to[3]}"
deliver_sample gmail.eml "${id[4]}" "${to[4]}"
deliver_sample delayed.eml "${id[5]}" "${to[5]}"
deliver_sample autoreply.eml "${id[5]}" "${to[5]}"
deliver_sample malformed.eml "${id[5]}" "${to[5]}"
deliver_sample other_system.eml "<circolare-42@elsewhere.example>" "${to[5]}"

credenza bounces --dry-run --format json
expect_status 0
expect_equal "$(json_field bounced)" 5 "bounced in the dry run"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'bounced'")" 0 "letters bounced by a dry run"
expect_equal "$(mailbox_count)" 9 "messages in INBOX after a dry run"

credenza bounces
expect_status 0
expect_out "messages read: 9; bounced: 5, soft failures: 0, delayed: 1, seen before: 0"
expect_out "left in the mailbox: 3 (reports of no letter of ours: 1, automatic replies: 1, other messages: 0, unreadable reports: 1)"
expect_out "mailbox full"
expect_no_out "SAMPLE-NOT-A-SECRET"
expect_no_out "$IMAP_PASSWORD"
expect_equal "$(mailbox_count)" 3 "messages left in INBOX"
expect_equal "$(mailbox_count credenza-processed)" 6 "messages in the processed folder"
for i in 0 1 2 3 4; do
    expect_equal "$(sql "SELECT l.state FROM letter l JOIN account a ON a.id = l.account_id
                         WHERE a.user_code = '${code[i]}' ORDER BY l.id DESC LIMIT 1")" bounced "letter of ${code[i]}"
done
expect_equal "$(sql "SELECT l.state FROM letter l JOIN account a ON a.id = l.account_id
                     WHERE a.user_code = '${code[5]}'")" sent "the delayed letter"
expect_equal "$(sql "SELECT severity || ' ' || status FROM bounce ORDER BY id" | sort | tr '\n' ',')" \
    "delayed 4.4.7,hard 5.1.1,hard 5.1.1,hard 5.1.1,hard 5.1.10,hard 5.2.2," "recorded reports"
! grep -rqa "SAMPLE-NOT-A" credenza.db* || fail "the database holds text of a returned letter"
# The credentials that never arrived no longer work; those that did, still do.
IFS=$'\t' read -r _ _ _ _ password0 _ _ <<<"${rows[0]}"
IFS=$'\t' read -r _ _ _ _ password5 _ _ <<<"${rows[5]}"
verify_secret "${code[0]}" "$password0"
expect_equal "$STATUS" 1 "the bounced letter's password"
verify_secret "${code[5]}" "$password5"
expect_equal "$STATUS" 0 "the delivered letter's password"

credenza report problems --format json
expect_status 0
"$PYTHON" - "$WORK/out" "${code[@]}" <<'PY' || fail "report problems: $(head -c 600 "$WORK/out")"
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["problem"] == "bounced"]
codes = sorted(r["user_code"] for r in rows)
assert codes == sorted(sys.argv[2:7]), codes
assert sys.argv[7] not in codes
reasons = " ".join(r["reason"] for r in rows)
assert "mailbox does not exist" in reasons and "mailbox full" in reasons, reasons
assert "--accept-changes" in reasons and "pupils:" in reasons, reasons
PY
credenza report summary --format json
expect_equal "$(json_field problems_bounced)" 5 "problems_bounced"
credenza account show "${code[1]}" --format json
expect_equal "$(json_field credentials)" bounced "account show credentials"
credenza report deliveries --format csv
expect_out "bounced"

credenza bounces --format json
expect_status 0
expect_equal "$(json_field messages)" 3 "messages on the second run"
expect_equal "$(json_field moved)" 0 "moved on the second run"
expect_equal "$(json_field bounced)" 0 "bounced on the second run"

# The address corrected in the register: the import queues a new letter for it.
sed "s/${to[1]}/corrected.${to[1]}/" "$DATA/enrolment_2025.csv" >corrected.csv
credenza import corrected.csv --year 2025/2026 --accept-changes
expect_status 0
expect_equal "$(sql "SELECT count(*) FROM letter l JOIN account a ON a.id = l.account_id
                     WHERE a.user_code = '${code[1]}' AND l.state = 'queued'")" 1 "letters queued after the correction"
credenza report problems --format json
"$PYTHON" -c 'import json, sys; rows = json.load(open(sys.argv[1]))
assert not [r for r in rows if r["problem"] == "bounced" and r["user_code"] == sys.argv[2]], rows' "$WORK/out" "${code[1]}" \
    || fail "the corrected account is still listed as bounced"

TEST "A refused IMAP login exits 78, a server that is down 75, and nothing is read"
init_school
start_imap
printf 'wrong-password\n' >wrong
chmod 600 wrong
imap_config "$WORK/wrong"
deliver_sample standard.eml "<x@y.example>" "a@b.example"
credenza bounces
expect_status 78
expect_err "refused the login"
expect_no_err "wrong-password"
expect_equal "$(mailbox_count)" 1 "messages in INBOX"
stop_imap_servers
credenza bounces
expect_status 75
expect_err "cannot reach the imap server"

TEST "An unencrypted IMAP connection to another machine is refused as a configuration error"
init_school
cat >>credenza.conf <<'CONF'

[imap]
url = imap://imap.example.org/INBOX
tls = none
CONF
credenza bounces
expect_status 78
expect_err "tls 'none' is allowed only"

TEST "--purge-after deletes only processed reports older than the days given"
init_school
start_imap
imap_config
deliver_sample standard.eml "<x@y.example>" "a@b.example" credenza-processed "40 days ago"
deliver_sample postfix.eml "<x@y.example>" "a@b.example" credenza-processed "2 days ago"
credenza bounces --purge-after 30
expect_status 0
expect_out "processed reports deleted: 1"
expect_equal "$(mailbox_count credenza-processed)" 1 "processed reports left"

TEST "check logs in to the bounce mailbox and examines its folder read-only; a wrong password, folder, certificate or server fails it"
init_school
start_imap
imap_config
deliver_sample standard.eml "<x@y.example>" "a@b.example"
before=$(cd "$INBOX_DIR" && find new cur -type f | sort)
credenza check
expect_status 0
grep -qE "^ok +bounces +the imap server '127.0.0.1' accepts the login of '$IMAP_USER' and opens the folder 'INBOX' read-only: 1 message waits$" out \
    || fail "no passed bounces line: $(cat out)"
expect_no_out "$IMAP_PASSWORD"
# EXAMINE, not SELECT: the report is neither moved nor marked seen (its file keeps its name and folder).
expect_equal "$(cd "$INBOX_DIR" && find new cur -type f | sort)" "$before" "the mailbox after check"
credenza --format json check
expect_status 0
"$PYTHON" -c '
import json, sys
report = json.load(open(sys.argv[1]))
names = [c["check"] for c in report["checks"]]
assert names == ["configuration", "database", "key_file", "templates", "mail", "bounces", "daily_cap"], names
assert report["passed"] is True, report
' out || fail "unexpected JSON: $(cat out)"

# A wrong password: refused login, exit 78, the fix names the setting; neither password is shown.
printf 'wrong-imap-password\n' >wrong
chmod 600 wrong
cp credenza.conf good.conf
sed -i "s|^password_file = .*|password_file = $WORK/wrong|" credenza.conf
credenza check
expect_status 78
grep -qE "^FAIL +bounces +the imap server refused the login: fix \[imap\] user and the IMAP password \(\[imap\] password_file\)" out \
    || fail "no failed bounces line for the login: $(cat out)"
for secret in wrong-imap-password "$IMAP_PASSWORD"; do
    expect_no_out "$secret"
    expect_no_err "$secret"
done
# --no-connect does not log in: the same settings pass.
credenza check --no-connect
expect_status 0
expect_out "imap settings are consistent (not connected)"

# A folder that does not exist: exit 78, the fix names [imap] url.
sed "s|^url = imaps://127.0.0.1:$IMAP_PORT/INBOX|url = imaps://127.0.0.1:$IMAP_PORT/Rimbalzi|" good.conf >credenza.conf
credenza check
expect_status 78
grep -qE "^FAIL +bounces +the bounce folder cannot be opened: fix the folder at the end of \[imap\] url" out \
    || fail "no failed bounces line for the folder: $(cat out)"
expect_out "the folder 'Rimbalzi' on the imap server '127.0.0.1' cannot be opened: NO Mailbox doesn't exist: Rimbalzi"
[ ! -e "$INBOX_DIR/.Rimbalzi" ] || fail "check created the folder"

# A certificate that does not verify (self-signed, no [imap] ca_file): exit 78 naming [imap] ca_file.
sed '/^ca_file = /d' good.conf >credenza.conf
credenza check
expect_status 78
grep -qE "^FAIL +bounces +the imap server's certificate does not verify: give its CA in \[imap\] ca_file" out \
    || fail "no failed bounces line for the certificate: $(cat out)"

# Settings alone, without a server: a user without a password fails --no-connect; a server that is
# down fails check with 75 and passes --no-connect (which never connects).
stop_imap_servers
sed '/^password_file = /d' good.conf >credenza.conf
credenza check --no-connect
expect_status 78
expect_out "[imap] password_file"
cp good.conf credenza.conf
credenza check --no-connect
expect_status 0
expect_out "imap settings are consistent (not connected)"
credenza check
expect_status 75
grep -qE "^FAIL +bounces +the imap server '127.0.0.1' cannot be reached: " out || fail "no unreachable line: $(cat out)"
