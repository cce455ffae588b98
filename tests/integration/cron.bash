# scripts/cron.example run as cron runs it: no terminal (setsid, stdin from /dev/null), cron's
# PATH=/usr/bin:/bin and a minimal environment (env -i), the built binary in place of `credenza`.
# Quiet when all is well; exactly one line when a person must act.
source "$SOURCE_DIR/tests/integration/smtp.bash"

# cron_lines: the commands of the example (the sixth field onwards, after the user), with `credenza`
# the built binary, the backup folder under $WORK, and cron's "\%" turned into "%".
cron_lines() {
    grep -vE '^[[:space:]]*(#|$)' "$SOURCE_DIR/scripts/cron.example" |
        awk '{ $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, ""); print }' |
        sed -e "s|^/usr/bin/credenza |$CREDENZA |" -e "s|/var/backups/credenza/|$WORK/backups/|g" -e 's|\\%|%|g'
}

# run_as_cron LINE: runs it as cron does, in the user's (empty) home folder with cron's environment;
# the config file stands for /etc/credenza/credenza.conf. Output in out/err, status in STATUS.
run_as_cron() {
    mkdir -p "$WORK/home"
    (cd "$WORK/home" &&
        env -i HOME="$WORK/home" LOGNAME=credenza SHELL=/bin/sh PATH=/usr/bin:/bin \
            CREDENZA_CONFIG="$WORK/credenza.conf" setsid /bin/sh -c "$1" </dev/null >"$WORK/out" 2>"$WORK/err")
    STATUS=$?
}

# A school whose /etc/credenza/credenza.conf is ./credenza.conf, naming its database absolutely.
cron_school() {
    start_secure_smtp || return 1
    school_with_letters --kind student
    smtp_config starttls
    printf 'db = %s\n' "$WORK/credenza.db" | cat - credenza.conf >credenza.conf.new && mv credenza.conf.new credenza.conf
    mkdir -p backups
    unset CREDENZA_CONFIG
}

TEST "the cron example's lines print nothing and exit 0 when all is well"
cron_school
expect_equal "$(cron_lines | wc -l)" 3 "lines in the cron example"
while IFS= read -r line; do
    run_as_cron "$line"
    expect_status 0
    expect_equal "$(cat "$WORK/out" "$WORK/err")" "" "output of '$line'"
done < <(cron_lines)
[ ! -e home/credenza.db ] || fail "a database was created in the home folder"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state <> 'sent'")" 0 "letters not sent"
expect_equal "$(find backups -name 'credenza-*.db' | wc -l)" 1 "nightly backups"

TEST "the cron example's send prints exactly one line on stderr when the SMTP password is refused"
cron_school
send_line=$(cron_lines | grep ' send')
run_as_cron "CREDENZA_SMTP_PASSWORD=wrong-password $send_line"
expect_status 78
expect_equal "$(wc -l <"$WORK/err")" 1 "lines on stderr"
expect_equal "$(wc -c <"$WORK/out")" 0 "bytes on stdout"
expect_err "[smtp] user"
expect_no_err "wrong-password"
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'queued' AND attempts = 0")" 10 "letters untouched"
