#include <credenza/enrolment/columns.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include <fmt/format.h>
#include "i18n/gettext.hpp"

namespace credenza::enrolment {

namespace {

struct Canonical
{
    std::string_view text;
    Field field;
    bool guardian;
    std::string_view meaning;
};

constexpr Canonical k_canonical[] = {
    {"student_tax_code", Field::student_tax_code, false, N_("the pupil's codice fiscale (required)")},
    {"student_surname", Field::student_surname, false, N_("the pupil's surname (required)")},
    {"student_name", Field::student_name, false, N_("the pupil's name (required)")},
    {"birth_date", Field::birth_date, false, N_("the pupil's birth date, DD/MM/YYYY or YYYY-MM-DD (required)")},
    {"class", Field::class_name, false, N_("the pupil's class, e.g. 1A (required)")},
    {"student_email", Field::student_email, false, N_("the pupil's institutional address")},
    {"tax_code", Field::guardian_tax_code, true, N_("the guardian's codice fiscale")},
    {"surname", Field::guardian_surname, true, N_("the guardian's surname")},
    {"name", Field::guardian_name, true, N_("the guardian's name")},
    {"email", Field::guardian_email, true, N_("the guardian's personal address")},
    {"role", Field::guardian_role, true, N_("Padre, Madre, Tutore...: read, not stored")},
};

// The headers recognised for each kind of field (after folding: lower case, no accents,
// words split at spaces, punctuation and camelCase, filler words dropped).
struct Phrase
{
    std::string_view words;
    Field pupil_field;    // with no guardian word in the header
    Field guardian_field; // with one
};

enum Base { tax_code, surname, name, birth_date, class_name, email, role };

struct BasePhrase
{
    std::string_view words;
    Base base;
};

constexpr BasePhrase k_phrases[] = {
    {"codice fiscale", tax_code}, {"cf", tax_code}, {"c f", tax_code}, {"cod fiscale", tax_code},
    {"cod fisc", tax_code}, {"codicefiscale", tax_code}, {"tax code", tax_code},
    {"cognome", surname}, {"surname", surname},
    {"nome", name}, {"name", name},
    {"data nascita", birth_date}, {"nascita", birth_date}, {"nato", birth_date}, {"nata", birth_date},
    {"nato nata", birth_date}, {"birth date", birth_date}, {"date birth", birth_date},
    {"classe", class_name}, {"class", class_name}, {"classe sezione", class_name},
    {"email", email}, {"mail", email}, {"posta elettronica", email}, {"indirizzo email", email},
    {"indirizzo mail", email}, {"indirizzo posta elettronica", email},
    {"ruolo", role}, {"role", role}, {"parentela", role}, {"grado parentela", role},
};

// Words that make a header look like a field, and the field they suggest.
constexpr BasePhrase k_hints[] = {
    {"email", email}, {"mail", email}, {"posta", email}, {"nascita", birth_date}, {"nato", birth_date},
    {"nata", birth_date}, {"classe", class_name}, {"codice", tax_code}, {"fiscale", tax_code},
    {"cf", tax_code}, {"cognome", surname}, {"nome", name},
};

// Birth places and other data we do not keep: they mention "nascita" but are not the birth date.
constexpr std::string_view k_not_ours[] = {"luogo", "comune", "provincia", "stato", "nazione", "citta", "paese",
                                           "cittadinanza", "sigla"};

constexpr std::string_view k_filler[] = {"di", "del", "della", "dello", "dell", "dei", "degli", "il", "lo", "la",
                                         "le", "l", "a", "e", "de", "d", "of", "the"};
constexpr std::string_view k_pupil_words[] = {"alunno", "alunna", "studente", "studentessa", "student", "pupil",
                                              "allievo", "allieva", "istituzionale"};
constexpr std::string_view k_guardian_words[] = {"genitore", "gen", "tutore", "tutrice", "guardian", "parent"};

constexpr Field k_required[] = {Field::student_tax_code, Field::student_surname, Field::student_name,
                                Field::birth_date, Field::class_name};

template <std::size_t N>
bool is_one_of(std::string_view word, const std::string_view (&words)[N])
{
    return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

// "à" and the other Latin-1 letters of Italian names, as their plain letter; other bytes
// above ASCII separate words.
char plain_letter(unsigned char second)
{
    static constexpr std::string_view k_letters = "aaaaaaaceeeeiiii?nooooo?ouuuuy??"; // 0x80..0x9F, 0xA0..0xBF
    if (second < 0x80 || second > 0xBF) {
        return ' ';
    }
    const char letter = k_letters[second & 0x1F];
    // 0x80..0x9F are the capitals: keep the case, so that "CÓGNOME" is not split as camelCase.
    return second < 0xA0 && letter >= 'a' && letter <= 'z' ? static_cast<char>(letter - 'a' + 'A') : letter;
}

// Lower-case words: accents dropped, split at anything not a letter or digit, at a change
// from a lower-case letter to a capital (genitore1Cognome) and between letters and digits.
std::vector<std::string> words_of(std::string_view header)
{
    std::string text;
    char previous = ' ';
    for (std::size_t i = 0; i < header.size(); ++i) {
        const auto byte = static_cast<unsigned char>(header[i]);
        char c = static_cast<char>(byte);
        if (byte == 0xC3 && i + 1 < header.size()) {
            c = plain_letter(static_cast<unsigned char>(header[++i]));
        } else if (byte >= 0x80) {
            c = ' ';
        }
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            c = ' ';
        }
        const bool digit = c >= '0' && c <= '9';
        const bool previous_digit = previous >= '0' && previous <= '9';
        const bool lower_to_upper = previous >= 'a' && previous <= 'z' && c >= 'A' && c <= 'Z';
        if (alnum && previous != ' ' && (lower_to_upper || digit != previous_digit)) {
            text += ' ';
        }
        text += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        previous = c;
    }
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find(' ', start), text.size());
        if (end > start) {
            words.push_back(text.substr(start, end - start));
        }
        start = end + 1;
    }
    // "e mail" is one word, not the filler "e" and "mail".
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        if (words[i] == "e" && words[i + 1] == "mail") {
            words[i] = "email";
            words.erase(words.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        }
    }
    return words;
}

std::string folded(std::string_view header)
{
    std::string text;
    for (const auto& word : words_of(header)) {
        text += text.empty() ? "" : " ";
        text += word;
    }
    return text;
}

struct Parsed
{
    bool pupil_word = false;
    bool guardian_word = false;
    std::optional<int> number;      // a guardian number that was written
    std::string number_text;
    int implied_number = 0;         // Padre 1, Madre 2
    std::string phrase;             // the remaining words
    std::vector<std::string> rest;
};

Parsed parse_words(std::string_view header)
{
    Parsed parsed;
    for (const auto& word : words_of(header)) {
        if (is_one_of(word, k_filler)) {
            continue;
        }
        if (is_one_of(word, k_pupil_words)) {
            parsed.pupil_word = true;
        } else if (is_one_of(word, k_guardian_words)) {
            parsed.guardian_word = true;
        } else if (word == "padre" || word == "madre") {
            parsed.guardian_word = true;
            parsed.implied_number = word == "padre" ? 1 : 2;
        } else if (word.front() >= '0' && word.front() <= '9') {
            // No std::stoi: "Email Genitore 99999999999999999999" is a header to refuse, not a crash.
            parsed.number_text = word;
            int value = 0;
            const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
            parsed.number = error == std::errc{} && end == word.data() + word.size() ? value : -1;
        } else {
            parsed.rest.push_back(word);
            parsed.phrase += parsed.phrase.empty() ? "" : " ";
            parsed.phrase += word;
        }
    }
    return parsed;
}

std::optional<FieldRef> resolve(Base base, const Parsed& parsed, int guardian)
{
    if (parsed.guardian_word) {
        switch (base) {
        case tax_code: return FieldRef{Field::guardian_tax_code, guardian};
        case surname: return FieldRef{Field::guardian_surname, guardian};
        case name: return FieldRef{Field::guardian_name, guardian};
        case email: return FieldRef{Field::guardian_email, guardian};
        case role: return FieldRef{Field::guardian_role, guardian};
        default: return std::nullopt;
        }
    }
    switch (base) {
    case tax_code: return FieldRef{Field::student_tax_code, 0};
    case surname: return FieldRef{Field::student_surname, 0};
    case name: return FieldRef{Field::student_name, 0};
    case birth_date: return FieldRef{Field::birth_date, 0};
    case class_name: return FieldRef{Field::class_name, 0};
    case email: return FieldRef{Field::student_email, 0};
    default: return std::nullopt;
    }
}

std::string map_suggestion(std::string_view header, const FieldRef& ref)
{
    return credenza::i18n::format(_fmt("looks like {} but is not a header credenza knows: map it with --map '{}={}' "
                       "(or --map '{}=ignore' to leave it out)"),
                       field_name(ref), header, field_name(ref), header);
}

} // namespace

bool is_guardian_field(Field field)
{
    return field >= Field::guardian_tax_code;
}

std::optional<FieldRef> parse_field_name(std::string_view canonical)
{
    for (const auto& name : k_canonical) {
        if (!name.guardian && canonical == name.text) {
            return FieldRef{name.field, 0};
        }
    }
    constexpr std::string_view prefix = "guardian";
    if (!canonical.starts_with(prefix) || canonical.size() < prefix.size() + 2) {
        return std::nullopt;
    }
    auto rest = canonical.substr(prefix.size());
    int number = 0;
    if (rest.front() >= '1' && rest.front() <= '0' + k_max_guardians) {
        number = rest.front() - '0';
        rest.remove_prefix(1);
    }
    if (rest.empty() || rest.front() != '_') {
        return std::nullopt;
    }
    rest.remove_prefix(1);
    for (const auto& name : k_canonical) {
        if (name.guardian && rest == name.text) {
            return FieldRef{name.field, number};
        }
    }
    return std::nullopt;
}

std::string field_name(const FieldRef& ref)
{
    for (const auto& name : k_canonical) {
        if (name.field == ref.field) {
            if (!name.guardian) {
                return std::string(name.text);
            }
            return ref.guardian == 0 ? fmt::format("guardian_{}", name.text)
                                     : fmt::format("guardian{}_{}", ref.guardian, name.text);
        }
    }
    return "?";
}

std::string field_names_list()
{
    std::string list;
    for (const auto& name : k_canonical) {
        list += list.empty() ? "" : ", ";
        list += name.guardian ? fmt::format("guardianN_{}", name.text) : std::string(name.text);
    }
    return list + credenza::i18n::format(_fmt(" (N from 1 to {}; guardian_FIELD without N in a row per guardian), or {}"),
                              k_max_guardians, k_ignore_field);
}

std::vector<FieldHelp> field_help()
{
    static constexpr std::array<std::string_view, 11> k_headers = {
        "Codice Fiscale, CF, Codice fiscale alunno, CODICE FISCALE STUDENTE",
        "Cognome, Cognome alunno, COGNOME STUDENTE",
        "Nome, Nome alunno",
        "Data di nascita, Data Nascita, Nato il, Nato/a il",
        "Classe, Classe alunno",
        "Email istituzionale, E-mail alunno, Mail studente, Posta elettronica alunno",
        "Codice fiscale genitore 1, CF Padre, genitore1CodiceFiscale, CODICE FISCALE TUTORE",
        "Cognome genitore 1, Cognome Gen. 1, Cognome Madre, genitore2Cognome, COGNOME TUTORE",
        "Nome genitore 1, Nome Padre, genitore1Nome, NOME TUTORE",
        "Email genitore 1, E-mail Genitore1, Mail Madre, genitore2Email, EMAIL TUTORE",
        "Ruolo del tutore, Parentela genitore 1",
    };
    std::vector<FieldHelp> help;
    for (std::size_t i = 0; i < std::size(k_canonical); ++i) {
        const auto& name = k_canonical[i];
        help.push_back({name.guardian ? fmt::format("guardianN_{}", name.text) : std::string(name.text),
                        std::string(credenza::i18n::translate(std::string(name.meaning).c_str())), std::string(k_headers[i])});
    }
    return help;
}

HeaderMeaning read_header(std::string_view header)
{
    HeaderMeaning meaning;
    const Parsed parsed = parse_words(header);
    int guardian = parsed.implied_number;
    if (parsed.number) {
        if (*parsed.number < 1 || *parsed.number > k_max_guardians) {
            meaning.problem = credenza::i18n::format(_fmt("guardian number '{}' is out of range: guardians are numbered 1 to {}"),
                                          parsed.number_text, k_max_guardians);
            return meaning;
        }
        if (!parsed.guardian_word) {
            // "guardian1_email" folds to guardian 1 email: "guardian" is a guardian word, so this is
            // a number with no guardian, such as "Email 2".
            return meaning;
        }
        guardian = *parsed.number;
    }
    for (const auto& phrase : k_phrases) {
        if (parsed.phrase == phrase.words) {
            // A bare e-mail column belongs to nobody in particular: the pupil only when the header says so.
            if (phrase.base == email && !parsed.guardian_word && !parsed.pupil_word) {
                meaning.probable = FieldRef{Field::student_email, 0};
                return meaning;
            }
            meaning.field = resolve(phrase.base, parsed, guardian);
            return meaning;
        }
    }
    if (std::any_of(parsed.rest.begin(), parsed.rest.end(),
                    [](const std::string& word) { return is_one_of(word, k_not_ours); })) {
        return meaning;
    }
    for (const auto& hint : k_hints) {
        if (std::find(parsed.rest.begin(), parsed.rest.end(), hint.words) != parsed.rest.end()) {
            meaning.probable = resolve(hint.base, parsed, guardian == 0 && parsed.guardian_word ? 1 : guardian);
            return meaning;
        }
    }
    if (parsed.rest.empty() && parsed.guardian_word) {
        // "Genitore 1", "Tutore": a guardian's whole name in one column.
        meaning.probable = FieldRef{Field::guardian_surname, guardian == 0 ? 1 : guardian};
    } else if (parsed.rest.empty() && parsed.pupil_word) {
        meaning.probable = FieldRef{Field::student_surname, 0};
    }
    return meaning;
}

std::optional<FieldRef> recognise_header(std::string_view header)
{
    return read_header(header).field;
}

std::string_view layout_name(Layout layout)
{
    switch (layout) {
    case Layout::automatic: return "auto";
    case Layout::pupil_rows: return "pupil-rows";
    case Layout::guardian_rows: return "guardian-rows";
    case Layout::two_files: return "two-files";
    }
    return "?";
}

std::optional<Layout> parse_layout(std::string_view name)
{
    for (const auto layout : {Layout::automatic, Layout::pupil_rows, Layout::guardian_rows, Layout::two_files}) {
        if (layout_name(layout) == name) {
            return layout;
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> ColumnMap::column_of(const FieldRef& ref) const
{
    for (std::size_t i = 0; i < by_column.size(); ++i) {
        if (by_column[i] == ref) {
            return i;
        }
    }
    return std::nullopt;
}

bool ColumnMap::has_unnumbered_guardian() const
{
    return std::find(guardians.begin(), guardians.end(), 0) != guardians.end();
}

namespace {

struct Override
{
    std::optional<FieldRef> field; // nullopt: ignore
    bool used = false;
    std::string column;
};

std::map<std::string, Override> read_overrides(const std::map<std::string, std::string>& overrides,
                                               std::vector<std::string>* problems)
{
    std::map<std::string, Override> result;
    for (const auto& [column, field] : overrides) {
        if (field == k_ignore_field) {
            result[folded(column)] = {std::nullopt, false, column};
            continue;
        }
        const auto ref = parse_field_name(field);
        if (!ref) {
            if (problems) {
                problems->push_back(credenza::i18n::format(_fmt("{}: unknown field in --map '{}={}': the fields are {}"), field, column,
                                                field, field_names_list()));
            }
            continue;
        }
        result[folded(column)] = {ref, false, column};
    }
    return result;
}

// Moves guardian fields from number `from` to `to`.
void renumber(ColumnMap& map, int from, int to)
{
    for (auto& ref : map.by_column) {
        if (ref && is_guardian_field(ref->field) && ref->guardian == from) {
            ref->guardian = to;
        }
    }
    std::replace(map.guardians.begin(), map.guardians.end(), from, to);
}

} // namespace

Layout detect_layout(const std::vector<std::string>& headers, const std::map<std::string, std::string>& overrides)
{
    const auto folded_overrides = read_overrides(overrides, nullptr);
    for (const auto& header : headers) {
        std::optional<FieldRef> ref;
        if (const auto found = folded_overrides.find(folded(header)); found != folded_overrides.end()) {
            ref = found->second.field;
        } else {
            ref = recognise_header(header);
        }
        if (ref && is_guardian_field(ref->field) && ref->guardian == 0) {
            return Layout::guardian_rows;
        }
    }
    return Layout::pupil_rows;
}

ColumnMap map_columns(const std::vector<std::string>& headers, const std::map<std::string, std::string>& overrides,
                      std::vector<std::string>& problems, Layout layout, FileRole role)
{
    auto folded_overrides = read_overrides(overrides, &problems);

    ColumnMap map;
    map.headers = headers;
    for (const auto& header : headers) {
        std::optional<FieldRef> ref;
        if (auto found = folded_overrides.find(folded(header)); found != folded_overrides.end()) {
            ref = found->second.field;
            found->second.used = true;
        } else {
            const auto meaning = read_header(header);
            if (!meaning.problem.empty()) {
                problems.push_back(fmt::format("{}: {}", header, meaning.problem));
            } else if (meaning.probable) {
                problems.push_back(fmt::format("{}: {}", header, map_suggestion(header, *meaning.probable)));
            }
            ref = meaning.field;
        }
        if (ref && map.column_of(*ref)) {
            problems.push_back(credenza::i18n::format(_fmt("{}: column given twice ('{}')"), field_name(*ref), header));
            ref.reset();
        }
        if (!ref) {
            map.ignored.push_back(header);
        } else if (is_guardian_field(ref->field) &&
                   std::find(map.guardians.begin(), map.guardians.end(), ref->guardian) == map.guardians.end()) {
            map.guardians.push_back(ref->guardian);
        }
        map.by_column.push_back(ref);
    }
    std::sort(map.guardians.begin(), map.guardians.end());
    for (const auto& [key, entry] : folded_overrides) {
        if (!entry.used) {
            problems.push_back(credenza::i18n::format(_fmt("{}: --map names a column that is not in the file"), entry.column));
        }
    }

    const bool one_guardian_per_row = layout == Layout::guardian_rows || role == FileRole::guardians;
    const bool numbered = std::any_of(map.guardians.begin(), map.guardians.end(), [](int n) { return n > 0; });
    if (one_guardian_per_row && numbered) {
        if (map.guardians == std::vector<int>{1}) {
            renumber(map, 1, 0); // forced: "Genitore 1" columns are the row's guardian
        } else {
            problems.push_back(_("guardians: a row per guardian holds one guardian, but the header numbers several "
                               "(use --layout pupil-rows, or --map)"));
        }
    } else if (!one_guardian_per_row && map.has_unnumbered_guardian()) {
        if (!numbered) {
            renumber(map, 0, 1); // forced: "COGNOME TUTORE" is guardian 1 of a row per pupil
        } else {
            problems.push_back(_("guardians: the header has both numbered guardian columns and a guardian with no "
                               "number (use --map to number it)"));
        }
    }

    if (role == FileRole::guardians) {
        if (!map.column_of({Field::student_tax_code, 0})) {
            problems.push_back(_("student_tax_code: missing column (the pupil's codice fiscale joins a guardian to "
                               "the pupil: rename it or use --map 'COLUMN=student_tax_code')"));
        }
    } else {
        for (const Field field : k_required) {
            if (!map.column_of({field, 0})) {
                problems.push_back(credenza::i18n::format(_fmt("{}: missing column (rename it or use --map 'COLUMN={}')"),
                                               field_name({field, 0}), field_name({field, 0})));
            }
        }
    }
    std::vector<int> required_guardians = map.guardians;
    if (one_guardian_per_row && required_guardians.empty()) {
        required_guardians.push_back(0);
    }
    for (const int guardian : required_guardians) {
        for (const Field field : {Field::guardian_tax_code, Field::guardian_surname, Field::guardian_name}) {
            if (!map.column_of({field, guardian})) {
                problems.push_back(credenza::i18n::format(_fmt("{}: missing column"), field_name({field, guardian})));
            }
        }
    }
    return map;
}

} // namespace credenza::enrolment
