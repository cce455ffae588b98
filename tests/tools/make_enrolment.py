#!/usr/bin/python3
"""Enrolment CSV files with valid codici fiscali, for credenza's tests and demo.

  make_enrolment.py --pupils N --seed S --year 2024/2025 --out FILE [--format canonical|registro]
      N pupils, deterministic for a seed: ~1.6 guardians per pupil, ~10% siblings sharing
      their guardians, a few guardians without e-mail. For load tests.
  make_enrolment.py --fixtures DIR
      writes the fixed sample files of tests/data (committed; never regenerated at test time).
  make_enrolment.py --stats FILE [--previous FILE] [--today 2026-11-23]
      the counts tests/data/README.md states, computed from a file (and its previous year).

Standard library only.
"""

import argparse
import collections
import csv
import datetime
import io
import os
import random
import sys
import unicodedata

CANONICAL_HEADER = [
    "student_tax_code", "student_surname", "student_name", "birth_date", "class", "student_email",
    "guardian1_tax_code", "guardian1_surname", "guardian1_name", "guardian1_email",
    "guardian2_tax_code", "guardian2_surname", "guardian2_name", "guardian2_email",
]
REGISTRO_HEADER = [
    "Codice Fiscale", "Cognome", "Nome", "Data di nascita", "Classe", "Email istituzionale",
    "Codice Fiscale Genitore 1", "Cognome Genitore 1", "Nome Genitore 1", "Email Genitore 1",
    "Codice Fiscale Genitore 2", "Cognome Genitore 2", "Nome Genitore 2", "Email Genitore 2",
]
SCHOOL_DOMAIN = "itisvallauri.edu.it"

# ---------------------------------------------------------------- codice fiscale

VOWELS = "AEIOU"
MONTH_LETTERS = "ABCDEHLMPRST"
OMOCODIA_LETTERS = "LMNPQRSTUV"
DIGIT_POSITIONS_RIGHT_TO_LEFT = [14, 13, 12, 10, 9, 7, 6]
ODD_VALUES = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                      [1, 0, 5, 7, 9, 13, 15, 17, 19, 21] +
                      [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10,
                       22, 25, 24, 23]))
EVEN_VALUES = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", list(range(10)) + list(range(26))))


def plain_letters(text):
    """A-Z only: accents dropped, apostrophes and spaces gone (as the Agenzia does)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed.upper() if "A" <= c <= "Z")


def surname_code(surname):
    letters = plain_letters(surname)
    consonants = [c for c in letters if c not in VOWELS]
    vowels = [c for c in letters if c in VOWELS]
    return "".join((consonants + vowels + ["X"] * 3)[:3])


def name_code(name):
    letters = plain_letters(name)
    consonants = [c for c in letters if c not in VOWELS]
    vowels = [c for c in letters if c in VOWELS]
    if len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    return "".join((consonants + vowels + ["X"] * 3)[:3])


def check_character(first15):
    total = 0
    for i, c in enumerate(first15):
        total += ODD_VALUES[c] if i % 2 == 0 else EVEN_VALUES[c]
    return chr(ord("A") + total % 26)


def codice_fiscale(surname, name, birth, female, place, omocodia=0):
    day = birth.day + (40 if female else 0)
    body = list(surname_code(surname) + name_code(name) + "%02d" % (birth.year % 100) +
                MONTH_LETTERS[birth.month - 1] + "%02d" % day + place)
    for position in DIGIT_POSITIONS_RIGHT_TO_LEFT[:omocodia]:
        body[position] = OMOCODIA_LETTERS[int(body[position])]
    body = "".join(body)
    return body + check_character(body)


def with_wrong_check(code):
    right = code[15]
    return code[:15] + ("A" if right != "A" else "B")

# ---------------------------------------------------------------- people


class Person:
    def __init__(self, surname, name, birth, female, place, email="", omocodia=0):
        self.surname = surname
        self.name = name
        self.birth = birth if isinstance(birth, datetime.date) else datetime.date.fromisoformat(birth)
        self.female = female
        self.place = place
        self.email = email
        self.code = codice_fiscale(surname, name, self.birth, female, place, omocodia)


class Pupil(Person):
    def __init__(self, surname, name, birth, female, place, school_class, email, guardians):
        super().__init__(surname, name, birth, female, place, email)
        self.school_class = school_class
        self.guardians = guardians


def email_part(text):
    return plain_letters(text).lower()


def institutional_email(name, surname):
    return "%s.%s@%s" % (email_part(name), email_part(surname), SCHOOL_DOMAIN)


def pupil_fields(pupil, date_format="iso"):
    date = pupil.birth.isoformat() if date_format == "iso" else pupil.birth.strftime("%d/%m/%Y")
    fields = [pupil.code, pupil.surname, pupil.name, date, pupil.school_class, pupil.email]
    for index in range(2):
        if index < len(pupil.guardians):
            g = pupil.guardians[index]
            fields += [g.code, g.surname, g.name, g.email]
        else:
            fields += ["", "", "", ""]
    return fields


def write_canonical(path, rows, header=CANONICAL_HEADER):
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def registro_line(fields, quoted_columns):
    out = []
    for index, field in enumerate(fields):
        if index in quoted_columns or ";" in field or '"' in field:
            field = '"' + field.replace('"', '""') + '"'
        out.append(field)
    return ";".join(out) + "\r\n"


def write_registro(path, pupils, notes=None, quoted_columns=(4, 5)):
    header = REGISTRO_HEADER + (["Note"] if notes is not None else [])
    text = registro_line(header, ())
    for index, pupil in enumerate(pupils):
        fields = pupil_fields(pupil, "dmy") + ([notes[index]] if notes is not None else [])
        text += registro_line(fields, set(quoted_columns))
    with open(path, "wb") as out:
        out.write(text.encode("cp1252"))

# ---------------------------------------------------------------- generated load files


MALE_NAMES = ["Nicolò", "Niccolò", "Mattia", "Lorenzo", "Leonardo", "Francesco", "Alessandro", "Tommaso",
              "Gabriele", "Riccardo", "Andrea", "Edoardo", "Matteo", "Giuseppe", "Antonio", "Federico",
              "Diego", "Samuele", "Pietro", "Giovanni", "Filippo", "Davide", "Cristian", "Elia", "Luca"]
FEMALE_NAMES = ["Zoë", "Sofia", "Giulia", "Aurora", "Alice", "Ginevra", "Emma", "Giorgia", "Beatrice",
                "Anna", "Vittoria", "Noemi", "Chiara", "Martina", "Ludovica", "Greta", "Camilla", "Sara",
                "Bianca", "Nicole", "Rebecca", "Arianna", "Matilde", "Gaia", "Elisa"]
ADULT_MALE_NAMES = ["Marco", "Paolo", "Stefano", "Roberto", "Massimo", "Fabrizio", "Salvatore",
                    "Vincenzo", "Claudio", "Maurizio", "Luigi", "Gianluca", "Daniele", "Simone"]
ADULT_FEMALE_NAMES = ["Francesca", "Laura", "Elena", "Valentina", "Silvia", "Paola", "Roberta",
                      "Federica", "Stefania", "Cinzia", "Monica", "Barbara", "Ilaria", "Manuela"]
SURNAMES = ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
            "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
            "Lombardi", "Moretti", "D'Angelo", "Dell'Orto", "Pietà", "Cantù", "Lucà", "Mazzà", "Ferrè",
            "D'Amico", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara",
            "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra"]
PLACES = ["H501", "F205", "L219", "F839", "A944", "D612", "D969", "G273", "L736", "A662", "D205",
          "C351", "L424", "D742", "Z129", "Z100"]
MAIL_DOMAINS = ["example.it", "gmail.com", "libero.it", "alice.it", "outlook.it", "tiscali.it",
                "virgilio.it", "yahoo.it", "fastwebnet.it"]


class Generator:
    def __init__(self, seed, start_year):
        self.random = random.Random(seed)
        self.start_year = start_year
        self.codes = set()
        self.emails = collections.Counter()

    def birth_in(self, year):
        first = datetime.date(year, 1, 1)
        return first + datetime.timedelta(days=self.random.randrange(365))

    def unique_code(self, person_args):
        for omocodia in range(8):
            code = codice_fiscale(*person_args, omocodia=omocodia)
            if code not in self.codes:
                self.codes.add(code)
                return omocodia
        raise RuntimeError("too many codici fiscali alike")

    def person(self, cls, surname, name, birth, female, place, *extra):
        omocodia = self.unique_code((surname, name, birth, female, place))
        p = cls(surname, name, birth, female, place, *extra)
        if omocodia:
            p.code = codice_fiscale(surname, name, birth, female, place, omocodia)
        return p

    def unique_email(self, local, domain):
        self.emails[(local, domain)] += 1
        count = self.emails[(local, domain)]
        return "%s%s@%s" % (local, "" if count == 1 else count, domain)

    def guardian(self, surname, female, child_year):
        name = self.random.choice(ADULT_FEMALE_NAMES if female else ADULT_MALE_NAMES)
        birth = self.birth_in(child_year - self.random.randint(25, 45))
        email = ""
        if self.random.random() >= 0.03:
            email = self.unique_email("%s.%s" % (email_part(name), email_part(surname)),
                                      self.random.choice(MAIL_DOMAINS))
        g = self.person(Person, surname, name, birth, female, self.random.choice(PLACES))
        g.email = email
        return g

    def pupils(self, count):
        out = []
        while len(out) < count:
            surname = self.random.choice(SURNAMES)
            roll = self.random.random()
            children = 3 if roll < 0.005 else 2 if roll < 0.055 else 1
            first_year = self.random.randint(1, 5)
            child_year = self.start_year - 14 - (first_year - 1)
            guardians = [self.guardian(self.random.choice(SURNAMES), True, child_year)]
            if self.random.random() < 0.6:
                guardians.insert(0, self.guardian(surname, False, child_year))
            for child in range(min(children, count - len(out))):
                year = max(1, min(5, first_year - child * self.random.randint(1, 2)))
                born = self.start_year - 14 - (year - 1) - (1 if self.random.random() < 0.1 else 0)
                female = self.random.random() < 0.5
                name = self.random.choice(FEMALE_NAMES if female else MALE_NAMES)
                school_class = "%d%s" % (year, self.random.choice("ABCDEF"))
                email = ""
                if self.random.random() >= 0.02:
                    email = self.unique_email("%s.%s" % (email_part(name), email_part(surname)), SCHOOL_DOMAIN)
                out.append(self.person(Pupil, surname, name, self.birth_in(born), female,
                                       self.random.choice(PLACES), school_class, email, guardians))
        return out

# ---------------------------------------------------------------- the fixed sample files


def guardians_2025():
    P = Person
    return {
        "francesco": P("D'Angelo", "Francesco", "1976-09-05", False, "H501", "francesco.dangelo@example.it"),
        "elena": P("Pietà", "Elena", "1979-02-27", True, "F839", "elena.pieta@libero.it"),
        "chiara": P("Colombo", "Chiara", "1981-11-03", True, "F205", "chiara.colombo@gmail.com"),
        "luca": P("Rinaldi", "Luca", "1979-04-16", False, "L219", "luca.rinaldi@outlook.it"),
        "laura": P("Bianchi", "Laura", "1983-08-19", True, "L219", "laura.bianchi@example.it"),
        "roberto": P("Greco", "Roberto", "1975-12-12", False, "G273", ""),
        "silvia": P("Conti", "Silvia", "1978-03-08", True, "D205", "silvia.conti@alice.it"),
        "paolo": P("Fontana", "Paolo", "1977-07-07", False, "A944", "famiglia.fontana@gmail.com"),
        "giovanna": P("Russo", "Giovanna", "1980-01-25", True, "F839", "famiglia.fontana@gmail.com"),
        "giuseppe": P("Pietà", "Giuseppe", "1974-10-30", False, "F839", "giuseppe.pieta@example.it"),
        "anna": P("De Luca", "Anna", "1977-05-14", True, "F839", "anna.deluca@tiscali.it"),
        "roberta": P("Esposito", "Roberta", "1980-06-21", True, "A662", "roberta.esposito@example.it"),
        "marco": P("Ferrari", "Marco", "1978-11-02", False, "A662", "marco.ferrari@virgilio.it"),
        "alessandra": P("Mancini", "Alessandra", "1982-04-09", True, "L424", "alessandra.mancini@example.it"),
        "giorgio": P("Bruno", "Giorgio", "1979-09-17", False, "L424", "giorgio.bruno@fastwebnet.it"),
        "valentina": P("Moretti", "Valentina", "1975-01-31", True, "H501", "valentina.moretti@example.it"),
        "stefania": P("Barbieri", "Stefania", "1972-08-08", True, "D969", "stefania.barbieri@libero.it"),
        "massimo": P("Lombardi", "Massimo", "1970-03-22", False, "D969", "massimo.lombardi@example.it"),
        "federica": P("Gallo", "Federica", "1976-12-05", True, "D742", "federica.gallo@gmail.com"),
        "antonio": P("Costa", "Antonio", "1973-07-19", False, "D742", "antonio.costa@example.it"),
    }


def pupils_2025(g):
    def pupil(surname, name, birth, female, place, school_class, guardians, email=True):
        address = institutional_email(name, surname) if email else ""
        return Pupil(surname, name, birth, female, place, school_class, address, guardians)

    return [
        pupil("D'Angelo", "Nicolò", "2011-03-14", False, "H501", "1A", [g["francesco"], g["elena"]]),
        pupil("Rinaldi", "Zoë", "2011-06-22", True, "D742", "1A", [g["chiara"], g["luca"]]),
        pupil("Bianchi", "Alessandro", "2011-01-09", False, "L219", "1A", [g["laura"]]),
        pupil("Greco", "Martina", "2011-05-30", True, "D205", "1B", [g["roberto"], g["silvia"]], email=False),
        pupil("Fontana", "Niccolò", "2011-10-02", False, "A944", "1B", [g["paolo"], g["giovanna"]], email=False),
        pupil("Pietà", "Emma", "2011-12-01", True, "F839", "1B", [g["giuseppe"], g["anna"]]),
        pupil("D'Angelo", "Giulia", "2010-04-18", True, "H501", "2A", [g["francesco"], g["elena"]]),
        pupil("Ferrari", "Matteo", "2010-09-27", False, "A662", "2A", [g["roberta"], g["marco"]]),
        pupil("Bruno", "Sofia", "2010-02-11", True, "L424", "2A", [g["alessandra"], g["giorgio"]]),
        pupil("D'Angelo", "Tommaso", "2007-05-20", False, "H501", "5A", [g["valentina"], g["francesco"]]),
        pupil("Lombardi", "Giorgia", "2008-03-04", True, "D969", "5A", [g["stefania"], g["massimo"]]),
        pupil("Costa", "Gabriele", "2008-12-15", False, "D742", "5A", [g["federica"], g["antonio"]]),
    ]


def advance(school_class):
    return str(int(school_class[0]) + 1) + school_class[1:]


def pupils_2026(g, pupils):
    continuing = [p for p in pupils if p.school_class != "5A" and p.name != "Niccolò"]
    for p in continuing:
        p.school_class = advance(p.school_class)
    g["luca"].email = "luca.rinaldi79@gmail.com"
    ilaria = Person("Marino", "Ilaria", "1985-10-12", True, "D742", "ilaria.marino@example.it")
    new = [
        Pupil("Marino", "Beatrice", "2012-02-09", True, "D742", "1A",
              institutional_email("Beatrice", "Marino"), [ilaria]),
        Pupil("Pietà", "Davide", "2012-09-03", False, "F839", "1A",
              institutional_email("Davide", "Pietà"), [g["giuseppe"], g["anna"]]),
    ]
    return sorted(continuing + new, key=lambda p: (p.school_class, p.surname, p.name))


def registro_pupils():
    P = Person

    def pupil(surname, name, birth, female, place, school_class, guardians):
        return Pupil(surname, name, birth, female, place, school_class,
                     institutional_email(name, surname), guardians)

    return [
        pupil("Lucà", "Mattia", "2009-02-14", False, "C351", "3B",
              [P("Lucà", "Salvatore", "1972-05-03", False, "C351", "salvatore.luca@example.it"),
               P("D\u2019Amico", "Carmela", "1975-09-21", True, "C351", "carmela.damico@libero.it")]),
        pupil("Cantù", "Noemi", "2009-07-01", True, "F205", "3B",
              [P("Cantù", "Gianluca", "1974-02-17", False, "F205", "gianluca.cantu@gmail.com"),
               P("Sala", "Francesca", "1977-11-08", True, "F205", "francesca.sala@example.it")]),
        pupil("Dell'Orto", "Nicolò", "2009-11-30", False, "F205", "3B",
              [P("Dell'Orto", "Stefano", "1971-06-29", False, "F205", "stefano.dellorto@outlook.it")]),
        pupil("Ferrè", "Aurora", "2008-04-05", True, "L219", "4A",
              [P("Ferrè", "Simone", "1973-01-12", False, "L219", "simone.ferre@example.it"),
               P("Giordano", "Paola", "1976-03-30", True, "L219", "paola.giordano@alice.it")]),
        pupil("Popescu", "Andrei", "2008-01-20", False, "Z129", "4A",
              [P("Popescu", "Ion", "1970-08-14", False, "Z129", "ion.popescu@yahoo.it"),
               P("Popescu", "Maria", "1972-12-02", True, "Z129", "maria.popescu@yahoo.it")]),
        pupil("Mazzà", "Beatrice", "2008-09-12", True, "A662", "4A",
              [P("Mazzà", "Vincenzo", "1969-10-10", False, "A662", "vincenzo.mazza@tiscali.it"),
               P("Caputo", "Rosa", "1971-04-04", True, "A662", "rosa.caputo@libero.it")]),
    ]


def defect_base():
    """Eight valid pupils of 2025/2026 that the defect files start from."""
    return Generator(seed=2025, start_year=2025).pupils(8)


def write_defect_files(directory):
    def rows(count):
        return [pupil_fields(p) for p in defect_base()[:count]]

    path = lambda name: os.path.join(directory, name)

    r = rows(4)
    r[1][0] = with_wrong_check(r[1][0])              # line 3
    r[2][0] = r[2][0][:15]                           # line 4
    write_canonical(path("bad_codice_fiscale.csv"), r)

    r = rows(4)
    rossi = Person("Rossi", "Mario", "1978-04-12", False, "H501")
    r[0][6:10] = [rossi.code, rossi.surname, rossi.name, "mario.rossi@@example.it"]  # line 2
    r[2][5] = "a b@x.it"                             # line 4
    write_canonical(path("bad_email.csv"), r)

    base = defect_base()[:4]
    april = Pupil("Serra", "Ginevra", "2010-04-30", True, "D742", "2A",
                  institutional_email("Ginevra", "Serra"), base[1].guardians)
    pupils = [base[0], april, base[2], base[3]]
    r = [pupil_fields(p, "dmy") for p in pupils]
    r[1][3] = "31/04/2010"                           # line 3; the code says 30 April
    write_canonical(path("bad_date.csv"), r)

    r = rows(3)
    r[0][4] = "A1"                                   # line 2
    write_canonical(path("bad_class.csv"), r)

    r = rows(4)
    r[2] = list(r[0])                                # line 4 repeats line 2's pupil...
    r[2][4] = "1B" if r[0][4] != "1B" else "1C"      # ...in another class
    write_canonical(path("duplicate_pupil.csv"), r)

    r = rows(4)
    r[1][2] = "Anna\tMaria"                          # line 3
    r[2][1] = r[2][1] + "\n" + "Bianchi"             # record starting on line 4, spans 4-5
    write_canonical(path("control_characters.csv"), r)

    r = rows(3)
    header = [c for c in CANONICAL_HEADER if c != "class"]
    write_canonical(path("missing_column.csv"), [row[:4] + row[5:] for row in r], header)

    r = rows(4)
    r[1] = r[1][:12]                                 # line 3: 12 fields, not 14
    write_canonical(path("ragged_row.csv"), r)

    base = defect_base()
    february = Pupil(base[4].surname, base[4].name, "2011-02-28", base[4].female, base[4].place,
                     base[4].school_class, base[4].email, base[4].guardians)
    base[4] = february
    r = [pupil_fields(p) for p in base]
    r[1][0] = with_wrong_check(r[1][0])              # line 3
    r[3][9] = r[3][9].rsplit(".", 1)[0] if r[3][9] else "nobody@example"  # line 5: no top-level domain
    r[4][3] = "2011-02-29"                           # line 6; the code says 28 February
    r[5][4] = "9Z"                                   # line 7
    r[7][1] = ""                                     # line 9
    write_canonical(path("many_errors.csv"), r)


def write_fixtures(directory):
    os.makedirs(directory, exist_ok=True)
    g = guardians_2025()
    pupils = pupils_2025(g)
    write_canonical(os.path.join(directory, "enrolment_2025.csv"), [pupil_fields(p) for p in pupils])
    write_canonical(os.path.join(directory, "enrolment_2026.csv"),
                    [pupil_fields(p) for p in pupils_2026(g, pupils)])
    notes = ["", "Trasferita da altro istituto", "", "", "Richiesta colloquio; contattare la madre", ""]
    write_registro(os.path.join(directory, "registro_export.csv"), registro_pupils(), notes)
    write_defect_files(directory)

# ---------------------------------------------------------------- statistics for the README


def read_rows(path):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header, body = rows[0], [r for r in rows[1:] if r]
    if header[:14] == REGISTRO_HEADER:
        header = CANONICAL_HEADER + header[14:]
    return [dict(zip(header, r)) for r in body]


def parse_any_date(text):
    if "/" in text:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    return datetime.date.fromisoformat(text)


def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def guardians_of(rows):
    out = {}
    for r in rows:
        for n in ("1", "2"):
            code = r["guardian%s_tax_code" % n]
            if code:
                entry = out.setdefault(code, {"name": "%s %s" % (r["guardian%s_name" % n], r["guardian%s_surname" % n]),
                                              "email": r["guardian%s_email" % n], "pupils": []})
                entry["pupils"].append(r["student_tax_code"])
    return out


def describe(rows, today):
    guardians = guardians_of(rows)
    by_email = collections.defaultdict(list)
    for code, g in guardians.items():
        if g["email"]:
            by_email[g["email"]].append(g["name"])
    per_class = collections.Counter(r["class"] for r in rows)
    adults = [r for r in rows if age_on(parse_any_date(r["birth_date"]), today) >= 18]
    name = lambda r: "%s %s (%s)" % (r["student_name"], r["student_surname"], r["class"])
    lines = [
        "pupils: %d" % len(rows),
        "distinct guardians: %d" % len(guardians),
        "family accounts: %d" % len(guardians),
        "student accounts: %d" % len(rows),
        "pupils per class: " + ", ".join("%s %d" % kv for kv in sorted(per_class.items())),
        "students without e-mail: %d %s" % (sum(1 for r in rows if not r["student_email"]),
                                           [name(r) for r in rows if not r["student_email"]]),
        "pupils with one guardian only: %s" % [name(r) for r in rows if not r["guardian2_tax_code"]],
        "guardians without e-mail: %d %s" % (sum(1 for g in guardians.values() if not g["email"]),
                                            [g["name"] for g in guardians.values() if not g["email"]]),
        "shared e-mail pairs: %d %s" % (sum(1 for v in by_email.values() if len(v) > 1),
                                       {k: v for k, v in by_email.items() if len(v) > 1}),
        "guardians of more than one pupil: %s" % {g["name"]: len(g["pupils"]) for g in guardians.values()
                                                   if len(g["pupils"]) > 1},
        "adults on %s: %d %s" % (today, len(adults), [name(r) + " " + r["birth_date"] for r in adults]),
    ]
    return lines


def compare(previous, current):
    before = {r["student_tax_code"]: r for r in previous}
    after = {r["student_tax_code"]: r for r in current}
    g_before, g_after = guardians_of(previous), guardians_of(current)
    name = lambda r: "%s %s" % (r["student_name"], r["student_surname"])
    return [
        "pupils who left: %s" % [name(before[c]) + " (" + before[c]["class"] + ")" for c in before if c not in after],
        "new pupils: %s" % [name(after[c]) + " (" + after[c]["class"] + ")" for c in after if c not in before],
        "continuing pupils: %d, class changes: %s" % (
            sum(1 for c in after if c in before),
            ["%s %s->%s" % (name(after[c]), before[c]["class"], after[c]["class"]) for c in after if c in before
             and before[c]["class"] != after[c]["class"]]),
        "guardians who become inactive: %s" % [g_before[c]["name"] for c in g_before if c not in g_after],
        "new guardians: %s" % [g_after[c]["name"] for c in g_after if c not in g_before],
        "guardian e-mail changes: %s" % ["%s: %s -> %s" % (g_after[c]["name"], g_before[c]["email"], g_after[c]["email"])
                                         for c in g_after if c in g_before and g_before[c]["email"] != g_after[c]["email"]],
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", default="2025/2026", help="school year, e.g. 2024/2025")
    parser.add_argument("--out")
    parser.add_argument("--format", choices=["canonical", "registro"], default="canonical")
    parser.add_argument("--fixtures", metavar="DIR")
    parser.add_argument("--stats", metavar="FILE")
    parser.add_argument("--previous", metavar="FILE")
    parser.add_argument("--today", default="2026-11-23")
    args = parser.parse_args()

    if args.fixtures:
        write_fixtures(args.fixtures)
    elif args.stats:
        rows = read_rows(args.stats)
        lines = describe(rows, datetime.date.fromisoformat(args.today))
        if args.previous:
            lines += compare(read_rows(args.previous), rows)
        print("\n".join(lines))
    elif args.pupils is not None and args.out:
        start_year = int(args.year.split("/")[0])
        pupils = Generator(args.seed, start_year).pupils(args.pupils)
        if args.format == "registro":
            write_registro(args.out, pupils)
        else:
            write_canonical(args.out, [pupil_fields(p) for p in pupils])
    else:
        parser.error("give --pupils N --out FILE, --fixtures DIR or --stats FILE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
