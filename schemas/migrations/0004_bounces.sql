-- credenza schema, version 4: bounces read back over IMAP (issue 14).

-- A letter whose delivery report said it will never arrive (a 5.x.x status) is `bounced`. SQLite
-- cannot change a CHECK constraint: the table is rebuilt with the same columns and rows.
CREATE TABLE letter_v4 (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id),
    purpose         TEXT NOT NULL CHECK (purpose IN ('initial', 'reset', 'recovery', 'reminder')),
    new_pin         INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed', 'cancelled', 'bounced')),
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
INSERT INTO letter_v4 SELECT id, account_id, purpose, new_pin, state, recipient, attempts, next_attempt_at,
    last_code, last_reply, message_id, reason, operator, queued_at, sent_at, updated_at FROM letter;
DROP TABLE letter;
ALTER TABLE letter_v4 RENAME TO letter;
CREATE INDEX letter_state ON letter(state, next_attempt_at);
CREATE INDEX letter_account ON letter(account_id);
-- A report names its letter by the Message-ID (a random token) the letter went out with.
CREATE INDEX letter_message_id ON letter(message_id) WHERE message_id <> '';

-- What the reports said of a letter: the RFC 3463 status, the server's diagnostic and the address
-- that failed; never anything of the returned original. `report_key` (a hash of the report's own
-- Message-ID, or of what it said) records each report once, however often the mailbox is read.
CREATE TABLE bounce (
    id          INTEGER PRIMARY KEY,
    letter_id   INTEGER NOT NULL REFERENCES letter(id),
    report_key  TEXT NOT NULL UNIQUE,
    severity    TEXT NOT NULL CHECK (severity IN ('hard', 'soft', 'delayed')),
    status      TEXT NOT NULL DEFAULT '',
    diagnostic  TEXT NOT NULL DEFAULT '',
    recipient   TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL
);
CREATE INDEX bounce_letter ON bounce(letter_id);
