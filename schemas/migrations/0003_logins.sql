-- credenza schema, version 3: logins with SPID, CIE, eIDAS or a password, and reminders (issue 15).

-- How and when each account's holder first and last logged in. The front end reports a SPID, CIE or
-- eIDAS login (`credenza identity --record-login`); a right password at `verify` is a password login.
-- first_login_at (version 1) keeps the time of the first login of any method.
ALTER TABLE account ADD COLUMN first_login_method TEXT
    CHECK (first_login_method IN ('password', 'spid', 'cie', 'eidas'));
ALTER TABLE account ADD COLUMN last_login_at TEXT;
ALTER TABLE account ADD COLUMN last_login_method TEXT
    CHECK (last_login_method IN ('password', 'spid', 'cie', 'eidas'));

-- A reminder letter ("how to log in", no secret) joins the purposes of a letter. SQLite cannot
-- change a CHECK constraint: the table is rebuilt with the same columns and rows.
CREATE TABLE letter_v3 (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('initial', 'reset', 'recovery', 'reminder')),
    new_pin         INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'cancelled')),
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
INSERT INTO letter_v3 SELECT id, account_id, purpose, new_pin, state, recipient, attempts, next_attempt_at,
    last_code, last_reply, message_id, reason, operator, queued_at, sent_at, updated_at FROM letter;
DROP TABLE letter;
ALTER TABLE letter_v3 RENAME TO letter;
CREATE INDEX letter_state ON letter(state, next_attempt_at);
CREATE INDEX letter_account ON letter(account_id);
