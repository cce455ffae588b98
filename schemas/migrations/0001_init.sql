-- credenza schema, version 1. Applied by lib/store/migrations.cpp inside one transaction;
-- PRAGMA user_version records the last migration applied. Never edit a released migration:
-- add the next numbered file instead.

-- The school this database serves (one row), as given to `credenza init`.
CREATE TABLE school (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    code        TEXT NOT NULL,                 -- codice fiscale of the school: the portal's Customer_ID
    name        TEXT NOT NULL,
    portal_url  TEXT NOT NULL,
    mail_from   TEXT NOT NULL,
    domain      TEXT NOT NULL DEFAULT '',      -- institutional domain of the students' addresses
    key_id      TEXT NOT NULL DEFAULT '',      -- id of the pepper key made with it (never the key)
    created_at  TEXT NOT NULL
);

-- Every person, keyed by codice fiscale (the fiscalNumber a SPID/CIE login carries).
CREATE TABLE person (
    id          INTEGER PRIMARY KEY,
    tax_code    TEXT NOT NULL UNIQUE,
    surname     TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',      -- personal address recorded at enrolment (guardians)
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- A person enrolled as a pupil.
CREATE TABLE pupil (
    person_id           INTEGER PRIMARY KEY REFERENCES person(id),
    birth_date          TEXT NOT NULL,                      -- YYYY-MM-DD; adulthood is computed from it
    class               TEXT NOT NULL,
    school_year         TEXT NOT NULL,                      -- 2025/2026
    institutional_email TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    updated_at          TEXT NOT NULL
);
CREATE INDEX pupil_class ON pupil(class);

-- Who exercises parental responsibility for whom (many-to-many).
CREATE TABLE guardianship (
    guardian_id INTEGER NOT NULL REFERENCES person(id),
    pupil_id    INTEGER NOT NULL REFERENCES pupil(person_id),
    position    INTEGER NOT NULL,                           -- 1 for "Genitore 1", 2 for "Genitore 2"
    PRIMARY KEY (guardian_id, pupil_id)
);
CREATE INDEX guardianship_pupil ON guardianship(pupil_id);

-- A login to the register. Secrets are stored only as "<key id>$<Argon2id string>".
CREATE TABLE account (
    id                      INTEGER PRIMARY KEY,
    person_id               INTEGER NOT NULL REFERENCES person(id),
    kind                    TEXT NOT NULL CHECK (kind IN ('family', 'student')),
    user_code               TEXT NOT NULL UNIQUE,
    status                  TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    disabled_by             TEXT NOT NULL DEFAULT '' CHECK (disabled_by IN ('', 'import', 'admin')),
    login_method            TEXT NOT NULL DEFAULT 'password' CHECK (login_method IN ('password', 'spid_cie')),
    password_hash           TEXT,
    password_set_at         TEXT,
    must_change_password    INTEGER NOT NULL DEFAULT 1,
    pin_hash                TEXT,
    pin_set_at              TEXT,
    password_failures       INTEGER NOT NULL DEFAULT 0,
    password_last_failure_at TEXT,
    pin_failures            INTEGER NOT NULL DEFAULT 0,
    first_login_at          TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    UNIQUE (person_id, kind)
);

-- A credentials letter: queued without secrets; `send` generates them when it claims the letter.
CREATE TABLE letter (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('initial', 'reset', 'recovery')),
    new_pin         INTEGER NOT NULL DEFAULT 0,             -- the letter carries a new PIN
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'cancelled')),
    recipient       TEXT NOT NULL DEFAULT '',               -- the recorded address it went to
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_code       INTEGER,
    last_reply      TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',               -- why a reset was made
    operator        TEXT NOT NULL DEFAULT '',
    queued_at       TEXT NOT NULL,
    sent_at         TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX letter_state ON letter(state, next_attempt_at);
CREATE INDEX letter_account ON letter(account_id);

-- The append-only, hash-chained audit log. Accounts are named by user code only.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    operator    TEXT NOT NULL,
    action      TEXT NOT NULL,
    account     TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
