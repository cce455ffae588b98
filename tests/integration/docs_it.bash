# The Italian manual pages (man/it/) and the secretariat's guide (docs/guida-segreteria.md) stay
# honest: every page renders cleanly, every option and exit status of an English page is in its
# Italian twin, and every command the guide cites exists with the options it names.
# Only files and --help are read: no database, no hash, a few seconds in all.

# --help is read in English ("Options:", "Subcommands:"), whatever the machine's locale.
export LC_ALL=C LANGUAGE=

MAN=$SOURCE_DIR/man
MAN_IT=$SOURCE_DIR/man/it
GUIDE=$SOURCE_DIR/docs/guida-segreteria.md

# The pages the secretariat uses; each must have an Italian twin.
IT_PAGES="credenza credenza-import credenza-issue credenza-send credenza-report credenza-account credenza-reset credenza-recover"

# render PAGE: the page as plain UTF-8 text (-k: preconv reads the page's coding line), rendered
# once per test and kept in $WORK.
render() {
    local kept="$WORK/render-${1//\//_}"
    [ -f "$kept" ] || groff -k -man -Tutf8 -P-cbou "$1" >"$kept" 2>/dev/null
    cat "$kept"
}

# options_of PAGE HEADING: the long options that head an entry of the page's section HEADING
# (OPTIONS, or OPZIONI in Italian), sorted; as tests/integration/docs.bash reads them.
options_of() {
    render "$1" |
        sed -n "/^$2\$/,/^[A-Z]/p" |
        grep -E '^ {3,7}-' |
        grep -oE -- '--[a-z0-9][a-z0-9-]*' |
        sort -u
}

# statuses_of PAGE HEADING: the exit statuses listed in the section HEADING, sorted.
statuses_of() {
    render "$1" |
        sed -n "/^$2\$/,/^[A-Z]/p" |
        sed -n 's/^       \([0-9]\{1,3\}\)\( .*\)\{0,1\}$/\1/p' |
        sort -un
}

# help_text ARGS...: what 'credenza ARGS --help' prints, run once per test and kept in $WORK.
help_text() {
    local kept="$WORK/help-$(printf '%s_' "$@")"
    [ -f "$kept" ] || "$CREDENZA" "$@" --help </dev/null >"$kept"
    cat "$kept"
}

# The options (long and short) and the subcommands of 'credenza ARGS --help'.
help_options() {
    help_text "$@" |
        sed -n '/^Options:/,/^$/p' |
        sed -n 's/^  \(-[^ ]*\).*/\1/p' |
        tr ',' '\n' |
        grep -oE -- '^--?[a-zA-Z0-9][a-z0-9-]*' |
        sort -u
}
# help_greedy ARGS...: the options of 'credenza ARGS --help' that take several values.
help_greedy() {
    help_text "$@" |
        sed -n '/^Options:/,/^$/p' |
        sed -n 's/^  \(--[a-z0-9-]*\)\( [^ ]*\)\{0,1\} \.\.\. .*/\1/p'
}
help_subcommands() {
    help_text "$@" |
        sed -n '/^Subcommands:/,/^$/p' |
        sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p'
}

# guide_commands: the command lines of the guide's code blocks that run credenza, one a line,
# without a leading '$ ' prompt, continuation lines joined, comments and redirections cut.
guide_commands() {
    awk '
        /^[[:space:]]*```/ { inside = !inside; next }
        !inside { next }
        {
            line = $0
            sub(/^[[:space:]]*\$[[:space:]]+/, "", line)
            if (pending != "") { line = pending " " line; pending = "" }
            if (line ~ /\\$/) { sub(/\\$/, "", line); pending = line; next }
            if (line ~ /^[[:space:]]*(sudo -u credenza )?credenza( |$)/) print line
        }
    ' "$GUIDE" | sed -e 's/[[:space:]]#.*$//' -e 's/[[:space:]]*[|<>].*$//' -e 's/^[[:space:]]*sudo -u credenza //'
}

TEST "the lists read from the pages are found (the checks below cannot pass on empty lists)"
expect_equal "$(options_of "$MAN_IT/credenza-reset.1" OPZIONI | tr '\n' ' ')" "--pin --reason " "options of it/credenza-reset.1"
expect_equal "$(statuses_of "$MAN_IT/credenza-reset.1" "STATO DI USCITA" | tr '\n' ' ')" "0 64 65 77 78 " "statuses of it/credenza-reset.1"
expect_equal "$(statuses_of "$MAN/credenza-reset.1" "EXIT STATUS" | tr '\n' ' ')" "0 64 65 77 78 " "statuses of credenza-reset.1"
expect_equal "$(help_greedy import | tr '\n' ' ')" "--classes --map " "options of import --help that take several values"
[ "$(guide_commands | wc -l)" -ge 20 ] || fail "fewer than 20 credenza commands found in the guide: $(guide_commands | wc -l)"

TEST "every page the secretariat uses has an Italian twin in man/it/, and nothing else is there"
for page in $IT_PAGES; do
    [ -f "$MAN_IT/$page.1" ] || fail "no Italian page man/it/$page.1"
done
for page in "$MAN_IT"/*; do
    name=$(basename "$page")
    [ -f "$MAN/$name" ] || fail "man/it/$name has no English page man/$name to follow"
done

TEST "every Italian page is UTF-8, says so to man, and renders without a warning"
for page in "$MAN_IT"/*.[1-8]; do
    name=$(basename "$page")
    iconv -f UTF-8 -t UTF-8 "$page" >/dev/null 2>&1 || fail "$name is not valid UTF-8"
    head -1 "$page" | grep -qF -- '-*- coding: UTF-8 -*-' || fail "$name: the first line is not the coding line '.\\\" -*- coding: UTF-8 -*-'"
    warnings=$(groff -k -man -Tutf8 -ww -z "$page" 2>&1)
    [ -z "$warnings" ] || fail "$name: $warnings"
    # Without the coding line groff would read the bytes as Latin-1: an accented letter must
    # come out as itself.
    render "$page" | grep -q 'è' || fail "$name: no 'è' in the rendered page (an encoding slip?)"
done

TEST "every Italian page has NOME, SINTASSI, DESCRIZIONE, OPZIONI, STATO DI USCITA, ESEMPI and VEDERE ANCHE, and the .TH of its English twin"
for page in "$MAN_IT"/*.1; do
    name=$(basename "$page")
    for section in NOME SINTASSI DESCRIZIONE OPZIONI "STATO DI USCITA" ESEMPI "VEDERE ANCHE"; do
        grep -qE "^\.SH \"?$section\"?\$" "$page" || fail "it/$name has no $section section"
    done
    expect_equal "$(sed -n 's/^\.TH \([^ ]*\) \([0-9]\) .*/\1 \2/p' "$page")" \
        "$(sed -n 's/^\.TH \([^ ]*\) \([0-9]\) .*/\1 \2/p' "$MAN/$name")" ".TH of it/$name"
    grep -qE '^\.TH .*"Comandi utente"$' "$page" || fail "it/$name: .TH does not name the Italian manual, \"Comandi utente\""
    name_line=$(sed -n '/^\.SH NOME/{n;p;q}' "$page" | sed 's/\\-/-/g')
    case $name_line in
        "${name%.1} - "?*) ;;
        *) fail "it/$name: the NOME line '$name_line' does not start with '${name%.1} - '" ;;
    esac
done

TEST "every option in an English page's OPTIONS is in its Italian twin's OPZIONI, and no other"
for page in "$MAN_IT"/*.1; do
    name=$(basename "$page")
    english=$(options_of "$MAN/$name" OPTIONS)
    italian=$(options_of "$page" OPZIONI)
    [ -n "$english" ] || fail "$name: no option found in the English OPTIONS"
    missing=$(comm -23 <(printf '%s\n' "$english") <(printf '%s\n' "$italian") | tr '\n' ' ')
    extra=$(comm -13 <(printf '%s\n' "$english") <(printf '%s\n' "$italian") | tr '\n' ' ')
    [ -z "$missing" ] || fail "it/$name lacks in OPZIONI what man/$name has in OPTIONS: $missing"
    [ -z "$extra" ] || fail "it/$name has in OPZIONI what man/$name does not have in OPTIONS: $extra"
done

TEST "every exit status of an English page is in its Italian twin's STATO DI USCITA"
for page in "$MAN_IT"/*.1; do
    name=$(basename "$page")
    expect_equal "$(statuses_of "$page" "STATO DI USCITA" | tr '\n' ' ')" \
        "$(statuses_of "$MAN/$name" "EXIT STATUS" | tr '\n' ' ')" "exit statuses of it/$name"
done

TEST "credenza.1 in Italian lists every subcommand and environment variable of the English one"
for command in $(help_subcommands); do
    render "$MAN_IT/credenza.1" | sed -n '/^COMANDI/,/^OPZIONI/p' | grep -qE "^       $command( |$)" ||
        fail "it/credenza.1 COMANDI lacks '$command'"
done
for variable in CREDENZA_DB CREDENZA_CONFIG CREDENZA_SMTP_PASSWORD; do
    render "$MAN_IT/credenza.1" | sed -n '/^AMBIENTE/,/^FILE/p' | grep -qE "^       $variable\$" ||
        fail "it/credenza.1 AMBIENTE lacks $variable"
done

# check_command WHERE LINE: fails unless LINE ('credenza ...') names a command of credenza --help,
# one of its subcommands when it has some, and only options that --help lists for them.
check_command() {
    local where=$1 line=$2 words_of_line command words subcommands allowed greedy after_greedy word option
    local -a argv
    # The words as the shell would split them (quotes honoured), without running anything.
    words_of_line=$(printf '%s\n' "$line" | xargs printf '%s\n' 2>/dev/null) ||
        { fail "$where: cannot split the line: $line"; return; }
    mapfile -t argv <<<"$words_of_line"
    set -- "${argv[@]}"
    shift # credenza
    # Global options first (those of credenza --help; --db, --config and --format take a value).
    while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do
        option=${1%%=*}
        help_options | grep -qx -- "$option" || fail "$where: '$line': $option is not a global option"
        case $1 in --db | --config | --format) shift ;; esac
        shift
    done
    [ $# -gt 0 ] || { fail "$where: '$line': no command"; return; }
    command=$1
    shift
    help_subcommands | grep -qx -- "$command" || { fail "$where: '$line': no command '$command' in credenza --help"; return; }
    words=$command
    subcommands=$(help_subcommands "$command")
    if [ -n "$subcommands" ]; then
        [ $# -gt 0 ] && printf '%s\n' "$subcommands" | grep -qx -- "$1" ||
            { fail "$where: '$line': '$command' needs one of: $(echo $subcommands)"; return; }
        words="$command $1"
        shift
    fi
    # shellcheck disable=SC2086
    allowed=$(help_options; help_options $words)
    # Options that take several values ("--map COLUMN=field ..." in --help) read every word
    # up to the next option: a FILE after one of them is taken as one more value.
    # shellcheck disable=SC2086
    greedy=$(help_greedy $words)
    after_greedy=0
    for word in "$@"; do
        case $word in
            -*)
                option=${word%%=*}
                printf '%s\n' "$allowed" | grep -qx -- "$option" ||
                    fail "$where: '$line': 'credenza $words --help' has no option $option"
                after_greedy=0
                if [ "$option" = "$word" ] && printf '%s\n' "$greedy" | grep -qx -- "$option"; then
                    after_greedy=1
                fi
                ;;
            *)
                [ "$after_greedy" != 2 ] ||
                    fail "$where: '$line': '$word' would be read as one more value of the option before it: put it before the options"
                [ "$after_greedy" = 0 ] || after_greedy=2
                ;;
        esac
    done
}

# man_example_commands PAGE: the 'credenza ...' lines of the page's EXAMPLES, unescaped, one a
# line, continuation lines joined, pipes and redirections cut.
man_example_commands() {
    sed -n '/^\.SH "\{0,1\}\(EXAMPLES\|ESEMPI\)/,/^\.SH/p' "$1" |
        sed -n '/^\.nf/,/^\.fi/p' |
        sed -e 's/\\-/-/g' -e 's/\\(aq/'"'"'/g' -e 's/\\(dq/"/g' -e 's/\\e$/\\/' -e 's/\\e/\\/g' |
        awk '
            { line = $0; sub(/^\$ /, "", line)
              if (pending != "") { line = pending " " line; pending = "" }
              if (line ~ /\\$/) { sub(/\\$/, "", line); pending = line; next }
              if (line ~ /^(sudo -u credenza )?credenza( |$)/) print line }
        ' |
        sed -e 's/^sudo -u credenza //' -e 's/[[:space:]]*[|<>].*$//'
}

TEST "every credenza command in the guide names an existing command, subcommand and options"
count=0
while IFS= read -r line; do
    count=$((count + 1))
    check_command guida-segreteria.md "$line"
done < <(guide_commands)
[ "$count" -gt 0 ] || fail "no command read from the guide"

TEST "every credenza command in the EXAMPLES of an Italian page names an existing command and options"
count=0
for page in "$MAN_IT"/*.1; do
    while IFS= read -r line; do
        count=$((count + 1))
        check_command "it/$(basename "$page")" "$line"
    done < <(man_example_commands "$page")
done
[ "$count" -ge 20 ] || fail "fewer than 20 example commands found in the Italian pages: $count"

TEST "the README points to the guide, near the top and in the documentation"
grep -qF '(docs/guida-segreteria.md)' "$SOURCE_DIR/README.md" || fail "README.md has no link to docs/guida-segreteria.md"
head -20 "$SOURCE_DIR/README.md" | grep -qi 'in italiano' || fail "README.md has no 'In italiano' pointer near the top"
