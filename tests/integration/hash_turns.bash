# [credentials] parallel_hashes: verify, passwd and pin compute at most that many Argon2id hashes at
# once on one database, across processes; the others wait their turn up to hash_wait_seconds
# (then exit 75). Hashes are counted from outside: an Argon2id run holds kdf_memlimit_mib (64 MiB
# here) and a process waiting its turn a few MiB, so tests/tools/count_hashing.py counts the
# processes whose resident memory is above 40 MiB, every millisecond.
# Not in the ASan+UBSan run: it is about memory, which the sanitizers' own allocator changes.

COUNT_HASHING="$PYTHON $SOURCE_DIR/tests/tools/count_hashing.py --threshold-kib 40960"

# hashing_config FILE PARALLEL WAIT OPSLIMIT [MEMLIMIT_MIB]: a configuration (64 MiB per hash unless said).
hashing_config() {
    cat >"$1" <<CONF
[credentials]
kdf_memlimit_mib = ${5:-64}
kdf_opslimit = $4
parallel_hashes = $2
hash_wait_seconds = $3
CONF
}

# verifications N FIRST: N verifications at once of unknown user codes (each a hash, each its own
# name so that none is throttled); their process ids in PIDS.
verifications() {
    PIDS=()
    for i in $(seq "$2" $(($2 + $1 - 1))); do
        printf 'not-the-password\n' | "$CREDENZA" verify "FZZZZ$(printf '%04d' "$i")" >/dev/null 2>"$WORK/err.$i" &
        PIDS+=($!)
    done
}

# statuses: waits for PIDS; their exit statuses, sorted and counted, in STATUSES.
statuses() {
    local pid
    : >"$WORK/statuses"
    for pid in "${PIDS[@]}"; do
        wait "$pid"
        echo $? >>"$WORK/statuses"
    done
    STATUSES=$(sort -n "$WORK/statuses" | uniq -c | awk '{printf "%s:%s ", $2, $1}')
}

# Numbered files in the folder of turns: turns still there.
turns_left() {
    find credenza.db.hashing -type f -name '[0-9]*' | wc -l
}

TEST "twenty verifications at once never hash more than parallel_hashes at a time, and all get their answer"
init_school
hashing_config credenza.conf 2 120 3
verifications 20 1
read -r most busy samples < <($COUNT_HASHING "${PIDS[@]}")
statuses
expect_equal "$STATUSES" "1:20 " "exit statuses"
[ "$busy" -gt 0 ] || fail "no hash was seen in $samples samples: the count is broken"
[ "$most" -le 2 ] || fail "$most hashes ran at once with parallel_hashes = 2"
[ "$most" -eq 2 ] || fail "never 2 hashes at once, on $(nproc) cores: the turns serialise more than asked"
expect_equal "$(turns_left)" 0 "turns left behind"
# The same count sees more than two when more are allowed: it is the turns that bound it.
hashing_config credenza.conf 8 120 3
verifications 8 21
read -r most busy samples < <($COUNT_HASHING "${PIDS[@]}")
statuses
expect_equal "$STATUSES" "1:8 " "exit statuses with parallel_hashes = 8"
[ "$most" -gt 2 ] || fail "only $most hashes at once with parallel_hashes = 8: the count cannot tell"

TEST "verify, passwd and pin wait for a turn up to hash_wait_seconds, then exit 75 having counted nothing"
init_school
# The slow one must outlast three waits of a second each even on an idle, fast machine: 512 MiB and
# 60 passes (about 25 s here when idle; it is stopped as soon as the others have given up).
hashing_config slow.conf 1 1 60 512
hashing_config credenza.conf 1 1 2
printf 'not-the-password\n' | CREDENZA_CONFIG=$WORK/slow.conf "$CREDENZA" verify FZZZZ0001 >/dev/null 2>&1 &
slow=$!
read -r most _ _ < <($COUNT_HASHING --until-first "$slow")
expect_equal "$most" 1 "the slow verification hashing"
credenza_stdin 'not-the-password' verify FZZZZ0002
expect_status 75
expect_err "no hashing turn on"
expect_err "parallel_hashes"
credenza_stdin $'old-password\nNew-password-2026\nNew-password-2026' passwd FZZZZ0002
expect_status 75
credenza_stdin $'000000\n123987\n123987' pin FZZZZ0002
expect_status 75
kill -0 "$slow" 2>/dev/null || fail "the slow verification ended before the others gave up: the test proves nothing"
expect_equal "$(sql "SELECT count(*) FROM login_guess")" 1 "guesses counted (the slow one only)"
# The message gives the line as the waiter found it: one that gave up ahead of it meanwhile still
# counts, so that whoever tunes parallel_hashes sees the load that made it wait.
hashing_config short.conf 1 1 2
printf 'not-the-password\n' | CREDENZA_CONFIG=$WORK/short.conf "$CREDENZA" verify FZZZZ0003 >/dev/null 2>&1 &
short=$!
for _ in $(seq 200); do [ "$(turns_left)" -ge 2 ] && break; sleep 0.05; done
expect_equal "$(turns_left)" 2 "turns taken (the slow one's and the short wait's)"
hashing_config credenza.conf 1 3 2
credenza_stdin 'not-the-password' verify FZZZZ0004
expect_status 75
expect_err "within 3 s: 2 ahead in the line when it asked, at most 1 hashing at once"
wait "$short"
expect_equal "$?" 75 "exit status of the verification that gave up first"
kill "$slow"
wait "$slow" 2>/dev/null

TEST "a verification killed while hashing leaves no turn held: the next one gets its turn at once"
init_school
hashing_config slow.conf 1 1 60
hashing_config credenza.conf 1 1 2
printf 'not-the-password\n' | CREDENZA_CONFIG=$WORK/slow.conf "$CREDENZA" verify FZZZZ0001 >/dev/null 2>&1 &
slow=$!
read -r most _ _ < <($COUNT_HASHING --until-first "$slow")
expect_equal "$most" 1 "the slow verification hashing"
kill -KILL "$slow"
wait "$slow" 2>/dev/null
expect_equal "$(turns_left)" 1 "the killed verification's turn file"
credenza_stdin 'not-the-password' verify FZZZZ0002
expect_status 1
expect_equal "$(turns_left)" 0 "turns left behind"
