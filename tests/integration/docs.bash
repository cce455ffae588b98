# sanitize
# --help and the man pages in man/ agree, as git's t0450 keeps its docs honest.
# --help itself is documented once, in credenza(1); the check leaves it out of the command pages.

MAN=$SOURCE_DIR/man

# help_options ARGS...: the long options that 'credenza ARGS --help' prints, one per line, sorted.
help_options() {
    "$CREDENZA" "$@" --help </dev/null |
        sed -n '/^Options:/,/^$/p' |
        sed -n 's/^  \(-[^ ]*\).*/\1/p' |
        grep -oE -- '--[a-z0-9][a-z0-9-]*' |
        sort -u
}

# render PAGE: the page as plain text.
render() {
    groff -man -Tascii -P-cbou "$1" 2>/dev/null
}

# man_options PAGE: the long options that head an entry of the page's OPTIONS section, sorted.
man_options() {
    render "$1" |
        sed -n '/^OPTIONS/,/^[A-Z]/p' |
        grep -E '^ {3,7}-' |
        grep -oE -- '--[a-z0-9][a-z0-9-]*' |
        sort -u
}

# The subcommands that 'credenza ARGS --help' lists.
help_subcommands() {
    "$CREDENZA" "$@" --help </dev/null |
        sed -n '/^Subcommands:/,/^$/p' |
        sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p'
}

# compare_options WHAT HELP_LIST MAN_LIST: fails for an option in one list and not in the other.
compare_options() {
    local what=$1 help=$2 man=$3
    # A command with no options of its own has an empty list on both sides; the first test
    # below proves the lists are read at all.
    [ -n "$help" ] || [ -z "$man" ] || fail "$what: no option found in --help"
    local missing extra
    missing=$(comm -23 <(printf '%s\n' "$help") <(printf '%s\n' "$man") | tr '\n' ' ')
    extra=$(comm -13 <(printf '%s\n' "$help") <(printf '%s\n' "$man") | tr '\n' ' ')
    [ -z "$missing" ] || fail "$what: in --help but not in the man page's OPTIONS: $missing"
    [ -z "$extra" ] || fail "$what: in the man page's OPTIONS but not in --help: $extra"
}

TEST "the option lists themselves are found (the checks below cannot pass on empty lists)"
expect_equal "$(help_options import | tr '\n' ' ')" "--accept-changes --classes --clear-empty --delimiter --dry-run --encoding --fields --guardians --help --layout --map --undo --year " "options of import --help"
expect_equal "$(man_options "$MAN/credenza-init.1" | tr '\n' ' ')" "--domain --mail-from --portal-url --school-code --school-name " "options of credenza-init.1"

TEST "every subcommand listed by credenza --help has a man page"
commands=$(help_subcommands)
[ -n "$commands" ] || fail "no subcommand found in credenza --help"
for command in $commands; do
    [ -f "$MAN/credenza-$command.1" ] || fail "no man page man/credenza-$command.1 for '$command'"
done

TEST "credenza.1 lists every subcommand with a pointer to its page"
for command in $(help_subcommands); do
    render "$MAN/credenza.1" | sed -n '/^COMMANDS/,/^OPTIONS/p' | grep -qE "^       $command( |$)" ||
        fail "credenza.1 COMMANDS lacks '$command'"
    grep -qF ".BR credenza\\-$command (1)" "$MAN/credenza.1" || fail "credenza.1 has no reference to credenza-$command(1)"
done

TEST "the global options of credenza --help and of credenza.1 are the same"
compare_options "credenza" "$(help_options)" "$(man_options "$MAN/credenza.1")"

TEST "the options of each command's --help and of its man page are the same"
for page in "$MAN"/credenza-*.1; do
    command=$(basename "$page" .1)
    command=${command#credenza-}
    subcommands=$(help_subcommands "$command")
    if [ -z "$subcommands" ]; then
        help=$(help_options "$command" | grep -vx -- '--help')
    else
        # A command with subcommands (account): their options together.
        help=$(for sub in $subcommands; do help_options "$command" "$sub"; done | grep -vx -- '--help' | sort -u)
    fi
    compare_options "credenza $command" "$help" "$(man_options "$page")"
done

TEST "each option of account's subcommands is in credenza-account.1"
for sub in $(help_subcommands account); do
    for option in $(help_options account "$sub" | grep -vx -- '--help'); do
        man_options "$MAN/credenza-account.1" | grep -qx -- "$option" ||
            fail "credenza account $sub: $option is not in credenza-account.1"
    done
done

TEST "a command's man page NAME line carries the summary that credenza --help prints"
for page in "$MAN"/credenza-*.1; do
    command=$(basename "$page" .1)
    command=${command#credenza-}
    summary=$("$CREDENZA" --help | sed -n "s/^  $command  *\(.*\)/\1/p")
    [ -n "$summary" ] || continue # a page for a command this build does not have: the test above reports it
    name_line=$(sed -n '/^\.SH NAME/{n;p;q}' "$page" | sed 's/\\-/-/g')
    expect_equal "$name_line" "credenza-$command - $summary" "NAME of credenza-$command.1"
done

TEST "every man page has NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, EXAMPLES and SEE ALSO"
for page in "$MAN"/credenza*.1; do
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        grep -qE "^\.SH \"?$section\"?\$" "$page" || fail "$(basename "$page") has no $section section"
    done
done

TEST "every man page's .TH names the page itself, in section 1"
for page in "$MAN"/credenza*.1; do
    name=$(basename "$page" .1)
    th=$(sed -n 's/^\.TH \([^ ]*\) \([0-9]\) .*/\1 \2/p' "$page" | sed 's/\\-/-/g')
    expect_equal "$th" "$(tr 'a-z' 'A-Z' <<<"$name") 1" ".TH of $(basename "$page")"
done

TEST "every man page renders without a warning"
if command -v groff >/dev/null; then
    for page in "$MAN"/*.[1-8]; do
        warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
        [ -z "$warnings" ] || fail "$(basename "$page"): $warnings"
    done
else
    echo "    (groff is not installed: only the .TH lines were checked)"
fi

TEST "credenza.1 documents every exit status that the tool uses"
for status in 0 1 64 65 66 69 70 73 74 75 77 78; do
    render "$MAN/credenza.1" | sed -n '/^EXIT STATUS/,/^SECURITY/p' | grep -qE "^       $status +[a-z]" ||
        fail "credenza.1 EXIT STATUS lacks $status"
done

TEST "credenza.1 documents the environment variables and files the tool reads"
for variable in CREDENZA_DB CREDENZA_CONFIG CREDENZA_SMTP_PASSWORD; do
    render "$MAN/credenza.1" | sed -n '/^ENVIRONMENT/,/^FILES/p' | grep -qE "^       $variable\$" ||
        fail "credenza.1 ENVIRONMENT lacks $variable"
done
for file in ./credenza.db /etc/credenza/credenza.conf; do
    render "$MAN/credenza.1" | sed -n '/^FILES/,/^EXIT STATUS/p' | grep -qF -- "$file" || fail "credenza.1 FILES lacks $file"
done

TEST "every canonical column of the import is in credenza-import.1 and in schemas/enrolment_columns.md"
# The canonical names, from the header of the sample files (guardian 1 standing for N).
for column in $(head -1 "$DATA/enrolment_2025.csv" | tr ',' '\n' | grep -v '^guardian2_'); do
    pattern=${column/guardian1_/guardianN_}
    render "$MAN/credenza-import.1" | grep -qE -- "$pattern" || fail "credenza-import.1 lacks the column $column"
    grep -qE -- "${column/guardian1_/guardianN_}" "$SOURCE_DIR/schemas/enrolment_columns.md" ||
        fail "schemas/enrolment_columns.md lacks the column $column"
done

TEST "credenza --version prints its version and those of the SQLite, libcurl and libsodium it runs with"
credenza --version
expect_status 0
version=$(sed -n 's/^project(credenza VERSION \([0-9.]*\).*/\1/p' "$SOURCE_DIR/CMakeLists.txt")
expect_equal "$(sed -n 1p "$WORK/out")" "credenza $version" "first line"
expect_equal "$(sed -n 2p "$WORK/out")" "SQLite $(sqlite3 --version | cut -d' ' -f1)" "SQLite line"
expect_equal "$(sed -n 3p "$WORK/out" | cut -d' ' -f1-2)" "libcurl $(curl-config --version | cut -d' ' -f2)" "libcurl line"
expect_equal "$(sed -n 4p "$WORK/out")" "libsodium $(pkg-config --modversion libsodium)" "libsodium line"
