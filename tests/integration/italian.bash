# The secretariat's year under an Italian locale: every line a person reads is Italian, with the
# school's local time; JSON and plain CSV keep their English keys. The list of English words that
# must not appear is tests/tools/english_markers.txt. Also: [ui] language = it under LANG=C (cron),
# LANG=C still English, [school] timezone (winter and summer time, a bad name refused).

MARKERS=$SOURCE_DIR/tests/tools/english_markers.txt

italian() {
    unset LC_ALL LANGUAGE LC_MESSAGES
    export LANG=it_IT.UTF-8
}

english() {
    unset LANGUAGE LC_MESSAGES LANG
    export LC_ALL=C
}

# expect_italian [FILE...]: no line of $WORK/out and $WORK/err (or of FILEs) holds an English marker.
# Option names, quoted text and config keys are the same in every language and are not looked at.
expect_italian() {
    local files=("$@")
    [ ${#files[@]} -gt 0 ] || files=("$WORK/out" "$WORK/err")
    local found
    found=$(cat "${files[@]}" |
        sed -e "s/--[A-Za-z0-9-]*//g" -e "s/'[^']*'//g" -e 's/"[^"]*"//g' -e 's/\[[a-z]*\] [a-z_]*//g' -e 's/<[^>]*>//g' |
        grep -F -f <(grep -v '^#' "$MARKERS" | grep -v '^$') | head -5)
    [ -z "$found" ] || fail "English in an Italian run: $found"
}

italian_school() {
    italian
    init_school
    expect_italian
}

TEST "Italian: init, import, issue, send, reports, account show and a reset answered 's' speak Italian"
italian_school
expect_out "creato il database"
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
expect_out "alunni:"
expect_out "genitori/tutori:"
expect_out "anno scolastico 2025/2026"
expect_italian
credenza issue
expect_status 0
expect_out "lettere accodate"
expect_italian
credenza -v send
expect_status 0
expect_out "inviate "
expect_italian
ls outbox/*.eml >/dev/null 2>&1 || fail "no letter in the outbox"
credenza report summary
expect_status 0
expect_out "alunni attivi:"
expect_out "lettere inviate:"
expect_no_out "letters_sent"
expect_italian
credenza report problems
expect_status 0
expect_out "PROBLEMA"
expect_italian
credenza report summary --format html
expect_status 0
expect_out '<html lang="it">'
expect_out "Credenziali: riepilogo"
expect_out "account famiglia senza indirizzo"
expect_italian
credenza report classes --format csv --excel
expect_status 0
expect_out "classe;alunni;utenze famiglie"
credenza report classes --format csv
expect_out "class,pupils,family_accounts"
credenza report summary --format json
expect_out '"letters_sent"'
code=$(sql "SELECT user_code FROM account WHERE kind = 'family' ORDER BY id LIMIT 1")
credenza account show "$code"
expect_status 0
expect_out "codice utente:"
expect_out "tipo:"
expect_out "famiglia"
expect_italian
# The reset asks on a terminal; the secretary answers 's'.
printf 's\n' >answer
script -qec "LANG=it_IT.UTF-8 CREDENZA_CONFIG=$CREDENZA_CONFIG '$CREDENZA' reset $code --reason 'smarrimento delle credenziali'" "$WORK/typescript" <answer >/dev/null 2>&1
grep -qF "[s/N]" "$WORK/typescript" || fail "the question does not offer [s/N]: $(tail -3 "$WORK/typescript")"
grep -qF "reimpostato $code" "$WORK/typescript" || fail "the reset answered 's' did not happen: $(tail -3 "$WORK/typescript")"
expect_italian "$WORK/typescript"
expect_equal "$(sql "SELECT count(*) FROM audit WHERE action = 'reset'")" "1" "reset audited"
# The audit log's details are stored as written (the hash chain seals them): only its frame is checked.
credenza report audit
expect_status 0
expect_out "OPERATORE"
expect_out "reset"

TEST "Italian: an import with errors says FILE:LINE: column: reason in Italian, with the file's own column name"
italian_school
printf '%s\n' \
    'Codice Fiscale;Cognome;Nome;Data di nascita;Classe;Email istituzionale;Codice Fiscale Genitore 1;Cognome Genitore 1;Nome Genitore 1;Email Genitore 1' \
    "DNGNCL11C14H501W;D'Angelo;Nicolò;14/03/2011;1A;nicolo.dangelo@itisvallauri.edu.it;DNGFNC76P05H501R;D'Angelo;Francesco;francesco.dangelo@" \
    >iscrizioni.csv
credenza import iscrizioni.csv --year 2025/2026
expect_status 65
expect_err "iscrizioni.csv:2: Email Genitore 1:"
expect_err "credenza: errore:"
expect_italian
expect_equal "$(sql "SELECT count(*) FROM pupil")" "0" "nothing written"

TEST "Italian: --help of the main commands is Italian, CLI11's own words too"
italian
for command in "" import issue send report reset account; do
    # shellcheck disable=SC2086
    credenza $command --help
    expect_status 0
    expect_out "Uso:"
    expect_out "Opzioni:"
    expect_italian
done
credenza
expect_status 64
expect_err "credenza: errore: serve un comando"
expect_italian

TEST "Italian: [ui] language = it speaks Italian under LANG=C (cron), and LANG=C alone stays English"
english
init_school
printf '[ui]\nlanguage = it\n' >>credenza.conf
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026 --dry-run
expect_status 0
expect_out "prova, nulla è stato scritto"
expect_italian
sed -i '/^\[ui\]/,$d' credenza.conf
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026 --dry-run
expect_status 0
expect_out "dry run, nothing written"
credenza reset NOBODY
expect_status 64
expect_err "credenza: error:"

TEST "Italian: [school] timezone shows a winter and a summer time in local time, JSON with the offset"
italian_school
printf '[school]\ntimezone = Europe/Rome\n' >>credenza.conf
credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
expect_status 0
code=$(sql "SELECT user_code FROM account WHERE kind = 'family' ORDER BY id LIMIT 1")
sql "UPDATE account SET password_hash = 'x', password_set_at = '2026-01-15T19:07:10Z', must_change_password = 1 WHERE user_code = '$code'"
credenza account show "$code"
expect_out "15/01/2026 20:07"
expect_italian
credenza account show "$code" --format json
expect_out '"password_set_at": "2026-01-15T20:07:10+01:00"'
sql "UPDATE account SET password_set_at = '2026-07-15T19:07:10Z' WHERE user_code = '$code'"
credenza account show "$code"
expect_out "15/07/2026 21:07"
credenza account show "$code" --format json
expect_out '"password_set_at": "2026-07-15T21:07:10+02:00"'
english
credenza account show "$code"
expect_out "2026-07-15 21:07"

TEST "Italian: a [school] timezone that is no zone is a config error naming the file and line"
italian_school
printf '[school]\ntimezone = Europe/Roma\n' >>credenza.conf
credenza report summary
expect_status 78
expect_err "credenza.conf:"
expect_err "Europe/Roma"
