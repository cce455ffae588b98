# Letters as a family or a student reads them: the .eml files `send` writes to the outbox,
# decoded by Python's email package, checked sentence by sentence under every setting that
# changes their words; the outbox's file names and index; the HTML part in headless Chromium.

TEXT="$PYTHON $SOURCE_DIR/tests/tools/letter_text.py"
FAMILY_CF=DNGFNC76P05H501R # Francesco D'Angelo: guardian of Nicolò (1A), Giulia (2A), Tommaso (5A)
ADULT_CF=DNGTMS07E20H501A  # Tommaso D'Angelo, 5A, born 2007: adult
MINOR_CF=DNGNCL11C14H501W  # Nicolò D'Angelo, 1A, born 2011: minor
# Words that only "Lei" letters use, and words that only "tu" letters use.
FORMAL_WORDS='Lei|Sua|Suo|Sue|Suoi|può|possiede|chieda|scriva|prema|apra|comunichi|Custodisca|Conservi|contatti|rivolga|avvisi|dimentica'
INFORMAL_WORDS='tu|tuo|tua|tue|tuoi|ti|hai|puoi|sei|chiedilo|scrivi|premi|apri|Custodisci|contatta|rivolgiti|avvisa|dimentichi'

code_of() {
    sql "SELECT a.user_code FROM account a JOIN person p ON p.id = a.person_id
         WHERE p.tax_code = '$1' AND a.kind = '$2'"
}

# read_letter CODE KIND WHAT: the newest letter of KIND to CODE, found through the send indexes;
# its decoded text in $WORDS (white space runs as one space), its file in $FILE.
read_letter() {
    WHAT=$3
    FILE=$(cat outbox/index-*.tsv 2>/dev/null | awk -F'\t' -v c="$1" -v k="$2" '$2 == c && $3 == k { f = $1 } END { print f }')
    WORDS=""
    if [ -z "$FILE" ] || [ ! -f "outbox/$FILE" ]; then
        fail "$WHAT: no $2 letter to $1 in the outbox index"
        return
    fi
    WORDS=$($TEXT "outbox/$FILE") || fail "$WHAT: $FILE does not decode"
}
has() { grep -qF -- "$1" <<<"$WORDS" || fail "$WHAT lacks '$1'"; }
lacks() { ! grep -qF -- "$1" <<<"$WORDS" || fail "$WHAT has '$1'"; }
# in_tone formal|informal: the letter uses no word of the other register.
in_tone() {
    local other=$INFORMAL_WORDS
    [ "$1" = informal ] && other=$FORMAL_WORDS
    local found
    found=$(grep -owE -- "$other" <<<"$WORDS" | sort -u | tr '\n' ' ')
    [ -z "$found" ] || fail "$WHAT is not all '$1': it has $found"
}
# lost SELF_SERVICE: what the letter says about lost credentials.
lost() {
    lacks "se lo possiede"
    if [ "$1" = true ]; then
        has '"Password dimenticata?"'
        lacks "non ne è prevista"
    else
        has "su richiesta motivata presentata alla segreteria"
        lacks "Password dimenticata"
    fi
}

# school SELF_SERVICE TONE [LOGIN [LANGUAGE]]: a school in ./SELF_SERVICE-TONE-LOGIN with those settings and the
# letters of classes 1A and 5A sent; FAMILY, ADULT and MINOR hold the user codes.
school() {
    WORK=$BASE/$1-$2-${3:-password}-${4:-it}
    mkdir -p "$WORK" && cd "$WORK" || return
    init_school
    printf '[policy]\nself_service_recover = %s\nfamily_login = %s\n[mail]\nstudent_tone = %s\nlanguage = %s\n' \
        "$1" "${3:-password}" "$2" "${4:-it}" >>credenza.conf
    credenza import "$DATA/enrolment_2025.csv" --year 2025/2026
    expect_status 0
    credenza issue --class 1A --class 5A
    expect_status 0
    credenza send
    expect_status 0
    FAMILY=$(code_of $FAMILY_CF family)
    ADULT=$(code_of $ADULT_CF student)
    MINOR=$(code_of $MINOR_CF student)
}

TEST "every letter kind says what the settings say: lost credentials, the adult's PIN, which secrets changed, one register"
BASE=$WORK
for self_service in true false; do
    for tone in informal formal; do
        school $self_service $tone
        student_tone=$tone
        at="[$self_service/$tone]"

        read_letter "$FAMILY" family "$at family letter"
        lost $self_service
        in_tone formal
        has "Gentile Francesco D'Angelo,"
        has "- Nicolò D'Angelo (classe 1A) - Giulia D'Angelo (classe 2A) - Tommaso D'Angelo (classe 5A)"
        has "Il PIN è il numero personale"

        read_letter "$ADULT" student "$at adult student's letter"
        lost $self_service
        in_tone $student_tone
        has "maggiorenne"
        has "PIN personale"
        lacks "PIN: "
        if [ $self_service = true ]; then
            has '"Password dimenticata?"'
            [ $tone = formal ] && has "la lettera che riceverà conterrà anche il PIN" \
                               || has "la lettera che riceverai conterrà anche il PIN"
        else
            has "alla segreteria studenti, scrivendo dal"
        fi
        read_letter "$MINOR" student "$at minor student's letter"
        lost $self_service
        in_tone $student_tone
        lacks "PIN"
        lacks "maggiorenne"

        credenza reset "$FAMILY" --reason "password dimenticata, prot. 12" --yes
        expect_status 0
        credenza reset "$ADULT" --reason "password dimenticata, prot. 13" --yes
        expect_status 0
        credenza reset "$MINOR" --reason "password dimenticata, prot. 14" --yes
        expect_status 0
        credenza send
        expect_status 0
        read_letter "$FAMILY" reset "$at family reset letter (password only)"
        lost $self_service
        in_tone formal
        has "È cambiata la password: quella precedente non funziona più."
        has "Il PIN non è cambiato: continui a usare quello che già possiede."
        has "- Nicolò D'Angelo (classe 1A) - Giulia D'Angelo (classe 2A) - Tommaso D'Angelo (classe 5A)"
        has "Il PIN è strettamente personale"
        lacks "PIN: "
        read_letter "$ADULT" reset "$at adult student's reset letter"
        lost $self_service
        in_tone $student_tone
        has "È cambiata la password: quella precedente non funziona più."
        lacks "Il PIN non è cambiato"
        has "maggiorenne"
        read_letter "$MINOR" reset "$at minor student's reset letter"
        lost $self_service
        in_tone $student_tone
        has "È cambiata la password"
        lacks "PIN"

        credenza reset "$FAMILY" --reason "PIN bloccato, prot. 15" --pin --yes
        expect_status 0
        credenza send
        expect_status 0
        read_letter "$FAMILY" reset "$at family reset letter (password and PIN)"
        lost $self_service
        in_tone formal
        has "Sono cambiati sia la password sia il PIN: quelli precedenti non funzionano più."
        has "PIN: "
        lacks "Il PIN non è cambiato"

        if [ $self_service = true ]; then
            for code in "$FAMILY" "$ADULT" "$MINOR"; do
                credenza recover "$code"
                expect_status 0
            done
            credenza send
            expect_status 0
            read_letter "$FAMILY" recovery "$at family recovery letter"
            in_tone formal
            has "la Sua password e il Suo PIN attuali continuano a funzionare"
            read_letter "$ADULT" recovery "$at adult student's recovery letter"
            in_tone $student_tone
            has "PIN: "
            read_letter "$MINOR" recovery "$at minor student's recovery letter"
            in_tone $student_tone
            lacks "PIN"
        else
            credenza recover "$FAMILY"
            expect_status 77
        fi
    done
done

TEST "a family that logs in with SPID or CIE reads about its PIN only, in each purpose, as the settings say"
BASE=$WORK
for self_service in true false; do
    school $self_service informal spid_cie
    at="[$self_service/spid]"
    read_letter "$FAMILY" spid "$at first letter"
    lost $self_service
    in_tone formal
    has "Le comunica il codice utente e il PIN"
    has "- Nicolò D'Angelo (classe 1A) - Giulia D'Angelo (classe 2A) - Tommaso D'Angelo (classe 5A)"
    lacks "Password: "
    credenza reset "$FAMILY" --reason "PIN dimenticato, prot. 16" --pin --yes
    expect_status 0
    credenza send
    expect_status 0
    read_letter "$FAMILY" spid "$at reset letter"
    lost $self_service
    in_tone formal
    has "ha rigenerato il Suo PIN"
    lacks "Le comunica il codice utente"
    if [ $self_service = true ]; then
        credenza recover "$FAMILY"
        expect_status 0
        credenza send
        expect_status 0
        read_letter "$FAMILY" spid "$at recovery letter"
        in_tone formal
        has "Il PIN attuale continua a funzionare finché non usa quello nuovo"
        lacks "ha rigenerato"
    fi
done

TEST "the English letters follow the same settings: lost credentials, the adult's PIN, which secrets changed"
BASE=$WORK
for self_service in true false; do
    school $self_service informal password en
    at="[$self_service/en]"
    read_letter "$FAMILY" family "$at family letter"
    if [ $self_service = true ]; then
        has 'press "Forgot your password?"'
        lacks "justified request"
    else
        has "on a justified request to the student office"
        lacks "Forgot your password"
    fi
    has "- Nicolò D'Angelo (class 1A) - Giulia D'Angelo (class 2A) - Tommaso D'Angelo (class 5A)"
    read_letter "$ADULT" student "$at adult student's letter"
    has "As you are of age, you may have a PIN of your own"
    [ $self_service = true ] && has "the letter you receive will carry a PIN too" || has "ask the student office"
    credenza reset "$FAMILY" --reason "forgotten password, ref. 19" --yes
    expect_status 0
    credenza send
    expect_status 0
    read_letter "$FAMILY" reset "$at family reset letter"
    has "The password has changed: the previous one no longer works. Your PIN has not changed"
    has "- Nicolò D'Angelo (class 1A)"
    lacks "if you have one"
done

TEST "outbox files are named by class, surname and user code, and each send run writes an index of what it wrote"
BASE=$WORK
school true informal
letters=$(find outbox -name '*.eml' | wc -l)
expect_equal "$(sql "SELECT count(*) FROM letter WHERE state = 'sent'")" "$letters" "letters in the outbox"
indexes=$(ls outbox/index-*.tsv | wc -l)
expect_equal "$indexes" 1 "indexes after one send"
index=$(ls outbox/index-*.tsv)
expect_equal "$(head -1 "$index")" "$(printf 'file\tuser_code\tkind\tsurname\tclass\taddress')" "index header"
expect_equal "$(tail -n +2 "$index" | cut -f1 | sort)" "$(cd outbox && ls *.eml | sort)" "files listed in the index"
expect_equal "$(stat -c %a "$index")" 600 "index mode"
ls outbox | grep -v '^[A-Za-z0-9][A-Za-z0-9_.-]*$' && fail "an outbox name with other characters"
grep -q "^1A_DAngelo_${FAMILY}_[0-9]\{8\}T[0-9]\{6\}\.[0-9]\{6\}Z-[0-9a-f]*\.eml	$FAMILY	family	D'Angelo	1A	francesco.dangelo@example.it\$" "$index" \
    || fail "Francesco D'Angelo's row: $(grep "$FAMILY" "$index")"
grep -q "^5A_DAngelo_${ADULT}_.*	$ADULT	student	D'Angelo	5A	tommaso.dangelo@itisvallauri.edu.it\$" "$index" \
    || fail "Tommaso D'Angelo's row: $(grep "$ADULT" "$index")"
# No secret in any name nor in the index.
"$PYTHON" "$SOURCE_DIR/tests/tools/letters.py" outbox --secrets | sort -u >secrets
[ -s secrets ] || fail "no secrets read from the letters"
ls outbox | grep -F -f secrets && fail "a secret in a file name"
grep -F -f secrets "$index" && fail "a secret in the index"
# A second run: two letters to one account get two files, and the run an index of its own.
credenza reset "$FAMILY" --reason "password dimenticata, prot. 18" --yes
expect_status 0
credenza send
expect_status 0
expect_equal "$(ls outbox/index-*.tsv | wc -l)" 2 "indexes after two sends"
second=$(ls outbox/index-*.tsv | tail -1)
expect_equal "$(tail -n +2 "$second" | cut -f2,3)" "$(printf '%s\treset' "$FAMILY")" "the second run's index"
expect_equal "$(ls outbox/1A_DAngelo_"$FAMILY"_*.eml | wc -l)" 2 "letters to Francesco D'Angelo"
expect_equal "$(find outbox -name '*.eml' | wc -l)" $((letters + 1)) "letters in the outbox"

# render PAGE WIDTH DOM: the page in headless Chromium, WIDTH px wide, its DOM after the scripts ran.
render() {
    local profile
    profile=$(mktemp -d "$WORK/chromium.XXXXXX")
    timeout 300 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
        --user-data-dir="$profile" --window-size="$2,900" --dump-dom "file://$1" >"$3" 2>/dev/null
    rm -rf "$profile"
}

TEST "the HTML part of each letter kind fits 390 and 900 px in Chromium and its credentials read back exactly"
command -v chromium >/dev/null || fail "chromium is not installed (scripts/setup installs it)"
BASE=$WORK
school true informal
credenza reset "$FAMILY" --reason "password dimenticata, prot. 17" --pin --yes
expect_status 0
credenza recover "$ADULT"
expect_status 0
credenza send
expect_status 0
HTML="$PYTHON $SOURCE_DIR/tests/tools/html_letter.py"
files=""
for letter in "$FAMILY family" "$ADULT student" "$FAMILY reset" "$ADULT recovery"; do
    set -- $letter
    read_letter "$1" "$2" "the $2 letter"
    [ -n "$WORDS" ] || continue
    $HTML check "outbox/$FILE" 2>problems || fail "the $2 letter's HTML part: $(head -3 problems)"
    files="$files outbox/$FILE"
done
# One Chromium start: every letter twice, in frames 390 and 900 px wide.
$HTML probe letters.html $files || fail "no probe page"
render "$WORK/letters.html" 1000 letters.dom
$HTML read letters.dom $files >measured 2>problems || fail "rendered: $(head -5 problems)"
expect_equal "$(grep -c ' width=390 ' measured)" 4 "letters laid out 390 px wide"
