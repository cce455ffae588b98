-- credenza schema, version 5: the same constraints, cheaper to check (issue 17).

-- SQLite evaluates `x IN ('a', 'b', 'c')` with a constant list of more than two terms by building an
-- ephemeral B-tree of the list at every run of a statement: once per row when rows are inserted one at
-- a time, as an import inserts accounts (50,000 single-row account inserts: 0.49 s with the lists, 0.21 s
-- without). `x = 'a' OR x = 'b' OR x = 'c'` means the same (NULL included: a CHECK passes when it is
-- NULL) and costs a few comparisons. Lists of two terms are already evaluated that way and stay.
-- SQLite cannot change a CHECK constraint: each table is rebuilt with the same columns in the same
-- order, the same rows and the same indexes. lib/store/migrations.cpp runs every migration with
-- foreign keys off and runs PRAGMA foreign_key_check before it commits (SQLite's 12-step rebuild), so
-- that dropping a table that others reference deletes nothing.

CREATE TABLE account_v5 (
    id                      INTEGER PRIMARY KEY,
    person_id               INTEGER NOT NULL REFERENCES person(id),
    kind                    TEXT NOT NULL CHECK (kind IN ('family', 'student')),
    user_code               TEXT NOT NULL UNIQUE,
    status                  TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    disabled_by             TEXT NOT NULL DEFAULT ''
                            CHECK (disabled_by = '' OR disabled_by = 'import' OR disabled_by = 'admin'),
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
    pin_last_failure_at     TEXT,
    pending_password_hash   TEXT,
    pending_pin_hash        TEXT,
    pending_expires_at      TEXT,
    pending_password_failures INTEGER NOT NULL DEFAULT 0,
    pending_pin_failures    INTEGER NOT NULL DEFAULT 0,
    first_login_method      TEXT CHECK (first_login_method = 'password' OR first_login_method = 'spid'
                                        OR first_login_method = 'cie' OR first_login_method = 'eidas'),
    last_login_at           TEXT,
    last_login_method       TEXT CHECK (last_login_method = 'password' OR last_login_method = 'spid'
                                        OR last_login_method = 'cie' OR last_login_method = 'eidas'),
    UNIQUE (person_id, kind)
);
INSERT INTO account_v5 (id, person_id, kind, user_code, status, disabled_by, login_method, password_hash,
    password_set_at, must_change_password, pin_hash, pin_set_at, password_failures, password_last_failure_at,
    pin_failures, first_login_at, created_at, updated_at, pin_last_failure_at, pending_password_hash,
    pending_pin_hash, pending_expires_at, pending_password_failures, pending_pin_failures, first_login_method,
    last_login_at, last_login_method)
SELECT id, person_id, kind, user_code, status, disabled_by, login_method, password_hash,
    password_set_at, must_change_password, pin_hash, pin_set_at, password_failures, password_last_failure_at,
    pin_failures, first_login_at, created_at, updated_at, pin_last_failure_at, pending_password_hash,
    pending_pin_hash, pending_expires_at, pending_password_failures, pending_pin_failures, first_login_method,
    last_login_at, last_login_method FROM account;
DROP TABLE account;
ALTER TABLE account_v5 RENAME TO account;

CREATE TABLE letter_v5 (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id),
    purpose         TEXT NOT NULL CHECK (purpose = 'initial' OR purpose = 'reset' OR purpose = 'recovery'
                                         OR purpose = 'reminder'),
    new_pin         INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state = 'queued' OR state = 'sending' OR state = 'sent' OR state = 'deferred'
                           OR state = 'failed' OR state = 'cancelled' OR state = 'bounced'),
    recipient       TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_code       INTEGER,
    last_reply      TEXT NOT NULL DEFAULT '',
    message_id      TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    operator        TEXT NOT NULL DEFAULT '',
    queued_at       TEXT NOT NULL,
    sent_at         TEXT,
    updated_at      TEXT NOT NULL
);
INSERT INTO letter_v5 (id, account_id, purpose, new_pin, state, recipient, attempts, next_attempt_at, last_code,
    last_reply, message_id, reason, operator, queued_at, sent_at, updated_at)
SELECT id, account_id, purpose, new_pin, state, recipient, attempts, next_attempt_at, last_code,
    last_reply, message_id, reason, operator, queued_at, sent_at, updated_at FROM letter;
DROP TABLE letter;
ALTER TABLE letter_v5 RENAME TO letter;
CREATE INDEX letter_state ON letter(state, next_attempt_at);
CREATE INDEX letter_account ON letter(account_id);
CREATE INDEX letter_message_id ON letter(message_id) WHERE message_id <> '';

CREATE TABLE bounce_v5 (
    id          INTEGER PRIMARY KEY,
    letter_id   INTEGER NOT NULL REFERENCES letter(id),
    report_key  TEXT NOT NULL UNIQUE,
    severity    TEXT NOT NULL CHECK (severity = 'hard' OR severity = 'soft' OR severity = 'delayed'),
    status      TEXT NOT NULL DEFAULT '',
    diagnostic  TEXT NOT NULL DEFAULT '',
    recipient   TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL
);
INSERT INTO bounce_v5 (id, letter_id, report_key, severity, status, diagnostic, recipient, received_at)
SELECT id, letter_id, report_key, severity, status, diagnostic, recipient, received_at FROM bounce;
DROP TABLE bounce;
ALTER TABLE bounce_v5 RENAME TO bounce;
CREATE INDEX bounce_letter ON bounce(letter_id);
