# credenza's bash completion (dist/bash-completion/credenza), sourced into a clean bash as
# bash-completion loads it, and asked for completions as a person pressing TAB would.

# complete_line LINE: the completions bash would offer at the end of LINE, one a line, in $WORK/out.
# "credenza" on the line is the binary under test (through PATH, as a person types it).
complete_line() {
    mkdir -p "$WORK/bin"
    ln -sf "$CREDENZA" "$WORK/bin/credenza"
    PATH="$WORK/bin:$PATH" LINE=$1 bash --norc --noprofile -c '
        source /usr/share/bash-completion/bash_completion
        source "$SOURCE_DIR/dist/bash-completion/credenza"
        COMP_LINE=$LINE
        COMP_POINT=${#LINE}
        read -ra COMP_WORDS <<<"$LINE"
        [[ $LINE == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _credenza credenza "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"
    ' >"$WORK/out" 2>"$WORK/err"
    STATUS=$?
}

# expect_completions WORD...: each WORD is offered.
expect_completions() {
    local word
    for word in "$@"; do
        grep -qxF -- "$word" "$WORK/out" || fail "'$word' is not offered; offered: $(tr '\n' ' ' <"$WORK/out")"
    done
}

TEST "every subcommand of credenza --help is offered after 'credenza '"
complete_line "credenza "
expect_status 0
"$CREDENZA" --help >"$WORK/help"
commands=$(sed -n '/^Subcommands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' "$WORK/help")
[ -n "$commands" ] || fail "no subcommand found in credenza --help"
expect_completions $commands
expect_equal "$(wc -l <"$WORK/out")" "$(echo "$commands" | wc -l)" "number of completions"

TEST "a prefix completes to its one subcommand, and the subcommands of report follow"
complete_line "credenza rep"
expect_equal "$(cat "$WORK/out")" report "completion of 'rep'"
complete_line "credenza report "
expect_completions summary classes deliveries problems audit
complete_line "credenza account s"
expect_completions show
expect_no_out list

TEST "options are offered for the command being typed, with the global ones before it"
complete_line "credenza send --"
expect_completions --limit --rate --jobs --retry-now --dry-run --help
expect_no_out --school-code
complete_line "credenza --"
expect_completions --db --config --format --quiet --version

TEST "option values: --format offers the formats and --kind the kinds"
complete_line "credenza --format "
expect_completions table csv json html
complete_line "credenza issue --kind "
expect_completions family student all
complete_line "credenza issue --kind s"
expect_equal "$(cat "$WORK/out")" student "completion of '--kind s'"

TEST "--class offers the classes of the school's database, also one named with --db"
init_school
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
classes=$(DB=credenza.db sql "SELECT DISTINCT class FROM pupil WHERE status = 'active' ORDER BY 1")
[ -n "$classes" ] || fail "the sample has no classes"
complete_line "credenza issue --class "
expect_completions $classes
mkdir elsewhere
mv credenza.db credenza.db.key elsewhere/
complete_line "credenza --db elsewhere/credenza.db issue --class "
expect_completions $classes

TEST "file arguments complete to files"
touch iscritti-2026.csv iscritti-2025.csv
complete_line "credenza import iscritti-2026"
expect_equal "$(cat "$WORK/out")" iscritti-2026.csv "completion of a file name"
