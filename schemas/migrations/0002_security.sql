-- credenza schema, version 2: the security review (issue 16).

-- PINs are throttled before they lock, like passwords: the time of the last wrong PIN.
ALTER TABLE account ADD COLUMN pin_last_failure_at TEXT;

-- A recovery never stops working credentials by itself: its new secrets wait here, beside the
-- old ones, until the holder uses one (then it replaces the old) or pending_expires_at passes.
-- Guesses at a pending secret are counted apart, so that a locked old secret cannot block them.
ALTER TABLE account ADD COLUMN pending_password_hash TEXT;
ALTER TABLE account ADD COLUMN pending_pin_hash TEXT;
ALTER TABLE account ADD COLUMN pending_expires_at TEXT;
ALTER TABLE account ADD COLUMN pending_password_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN pending_pin_failures INTEGER NOT NULL DEFAULT 0;

-- Failures at a login name that is no account, counted as an account's would be, so that
-- locking and throttling do not tell which names exist. `tag` is a keyed hash of the name.
CREATE TABLE login_guess (
    tag             TEXT NOT NULL,
    secret          TEXT NOT NULL CHECK (secret IN ('password', 'pin')),
    failures        INTEGER NOT NULL DEFAULT 0,
    last_failure_at TEXT NOT NULL,
    PRIMARY KEY (tag, secret)
);

-- Recovery requests per requester (a keyed hash of what the front end gives, e.g. the client
-- address), for the per-requester rate limit; rows older than a day are dropped.
CREATE TABLE recover_request (
    requester TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX recover_request_requester ON recover_request(requester, at);
