-- credenza schema, version 6: an index for the reports and the account listing (issue 17).

-- What each account's letters come to (the listing's credentials, the problems of an account's last
-- letter, the classes report's letter counts) reads only account_id, state and id. With the state in
-- the index, SQLite answers from the index alone and never reads a letter row (each holds its reply
-- and address). It starts with account_id, so it serves every search that letter_account served.
CREATE INDEX letter_account_state ON letter(account_id, state);
DROP INDEX letter_account;
