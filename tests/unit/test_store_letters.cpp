#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <credenza/store/letters.hpp>
#include <credenza/time.hpp>

#include "support.hpp"

using namespace credenza;
using namespace std::chrono_literals;
using credenza::testing::School;

namespace {

struct Outbox
{
    School school;
    store::Database& db = *school.db;
    FixedClock clock{*parse_iso_time("2026-11-23T09:00:00Z")};

    std::int64_t account(const std::string& kind)
    {
        return db.connection().get<std::int64_t>("SELECT min(id) FROM account WHERE kind = ?", kind);
    }

    std::int64_t queue(std::int64_t account_id, LetterPurpose purpose = LetterPurpose::initial, bool new_pin = false)
    {
        return store::insert_letter(db, {account_id, purpose, new_pin, "", "test"}, clock.now());
    }

    store::Letter letter(std::int64_t id)
    {
        auto found = store::find_letter(db, id);
        REQUIRE(found.has_value());
        return *found;
    }

    // What `send` does when it takes a letter: due, then claimed.
    void claim(std::int64_t id)
    {
        REQUIRE(store::mark_letter_sending(db, id, "someone@example.it", "<id@example.it>", clock.now(),
                                           letter(id).attempts));
    }

    bool due(std::int64_t id, bool ignore_backoff = false)
    {
        const auto ids = store::due_letter_ids(db, clock.now(), ignore_backoff, false);
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    }
};

} // namespace

TEST_CASE("store letters: a queued letter reads back with its purpose, state and times")
{
    Outbox outbox;
    const auto account = outbox.account("family");
    const auto id = outbox.queue(account, LetterPurpose::reset, true);
    const auto letter = outbox.letter(id);
    CHECK(letter.id == id);
    CHECK(letter.account_id == account);
    CHECK(letter.purpose == LetterPurpose::reset);
    CHECK(letter.state == LetterState::queued);
    CHECK(letter.new_pin);
    CHECK(letter.attempts == 0);
    CHECK(letter.operator_name == "test");
    CHECK(letter.queued_at == "2026-11-23T09:00:00Z");
    CHECK_FALSE(letter.next_attempt_at.has_value());
    CHECK_FALSE(letter.sent_at.has_value());
    CHECK(outbox.db.connection().get<std::string>("SELECT purpose FROM letter WHERE id = ?", id) == "reset");
}

TEST_CASE("store letters: an unknown letter is not found")
{
    Outbox outbox;
    CHECK_FALSE(store::find_letter(outbox.db, 999).has_value());
    CHECK_FALSE(store::find_outgoing_letter(outbox.db, 999).has_value());
}

TEST_CASE("store letters: only a queued or deferred letter of the same purpose is waiting")
{
    Outbox outbox;
    const auto account = outbox.account("student");
    const auto id = outbox.queue(account, LetterPurpose::recovery);
    CHECK(store::find_waiting_letter(outbox.db, account, LetterPurpose::recovery) == id);
    CHECK_FALSE(store::find_waiting_letter(outbox.db, account, LetterPurpose::reset).has_value());
    outbox.claim(id);
    CHECK_FALSE(store::find_waiting_letter(outbox.db, account, LetterPurpose::recovery).has_value());
}

TEST_CASE("store letters: renewing a waiting letter keeps a PIN once asked for and makes it due now")
{
    Outbox outbox;
    const auto id = outbox.queue(outbox.account("family"), LetterPurpose::reset, true);
    store::settle_letter(outbox.db, id, {LetterState::deferred, 451, "451 later", outbox.clock.now() + 1h, ""},
                         outbox.clock.now());
    CHECK_FALSE(outbox.due(id));
    store::renew_waiting_letter(outbox.db, id, false, "asked again", "other", outbox.clock.now());
    const auto letter = outbox.letter(id);
    CHECK(letter.new_pin);
    CHECK(letter.reason == "asked again");
    CHECK(letter.operator_name == "other");
    CHECK(outbox.due(id));
}

TEST_CASE("store letters: a claimed letter is not claimed twice")
{
    Outbox outbox;
    const auto id = outbox.queue(outbox.account("family"));
    REQUIRE(outbox.due(id));
    outbox.claim(id);
    const auto letter = outbox.letter(id);
    CHECK(letter.state == LetterState::sending);
    CHECK(letter.attempts == 1);
    CHECK(letter.recipient == "someone@example.it");
    CHECK(letter.message_id == "<id@example.it>");
    CHECK_FALSE(outbox.due(id));
    CHECK_FALSE(outbox.due(id, true)); // not even when retrying now
}

TEST_CASE("store letters: a letter left 'sending' is due again at once")
{
    Outbox outbox;
    const auto id = outbox.queue(outbox.account("student"));
    outbox.claim(id);
    CHECK(store::recover_interrupted_letters(outbox.db, "interrupted", outbox.clock.now()) == 1);
    const auto letter = outbox.letter(id);
    CHECK(letter.state == LetterState::deferred);
    CHECK(letter.last_reply == "interrupted");
    CHECK_FALSE(letter.next_attempt_at.has_value());
    CHECK(outbox.due(id));
    CHECK(store::recover_interrupted_letters(outbox.db, "interrupted", outbox.clock.now()) == 0);
}

TEST_CASE("store letters: a dry run counts the letters left 'sending' as due")
{
    Outbox outbox;
    const auto id = outbox.queue(outbox.account("student"));
    outbox.claim(id);
    const auto ids = store::due_letter_ids(outbox.db, outbox.clock.now(), false, true);
    CHECK(std::find(ids.begin(), ids.end(), id) != ids.end());
}

TEST_CASE("store letters: a deferred letter is due when the clock reaches its next attempt")
{
    Outbox outbox;
    const auto id = outbox.queue(outbox.account("family"));
    outbox.claim(id);
    store::settle_letter(outbox.db, id,
                         {LetterState::deferred, 451, "451 try later", outbox.clock.now() + 5min, "a@example.it"},
                         outbox.clock.now());
    const auto letter = outbox.letter(id);
    CHECK(letter.state == LetterState::deferred);
    CHECK(letter.last_code == 451);
    CHECK(letter.next_attempt_at == "2026-11-23T09:05:00Z");
    CHECK_FALSE(letter.sent_at.has_value());
    CHECK_FALSE(outbox.due(id));
    CHECK(outbox.due(id, true)); // --retry-now
    outbox.clock.advance(4min + 59s);
    CHECK_FALSE(outbox.due(id));
    outbox.clock.advance(1s);
    CHECK(outbox.due(id));
}

TEST_CASE("store letters: a requeued letter waits until the given time and its attempt is not counted")
{
    Outbox outbox;
    const auto id = outbox.queue(outbox.account("family"));
    outbox.claim(id);
    store::requeue_letter(outbox.db, id, "paused", outbox.clock.now() + 1h, outbox.clock.now());
    const auto letter = outbox.letter(id);
    CHECK(letter.state == LetterState::queued);
    CHECK(letter.attempts == 0);
    CHECK(letter.last_reply == "paused");
    CHECK_FALSE(outbox.due(id));
    outbox.clock.advance(1h);
    CHECK(outbox.due(id));
}

TEST_CASE("store letters: the letters sent in the last 24 hours are counted by the clock")
{
    Outbox outbox;
    const auto id = outbox.queue(outbox.account("family"));
    outbox.claim(id);
    store::settle_letter(outbox.db, id, {LetterState::sent, 250, "250 ok", std::nullopt, "a@example.it"},
                         outbox.clock.now());
    const auto letter = outbox.letter(id);
    CHECK(letter.state == LetterState::sent);
    CHECK(letter.sent_at == "2026-11-23T09:00:00Z");
    CHECK(letter.recipient == "a@example.it");
    CHECK(store::letters_sent_since(outbox.db, outbox.clock.now() - 24h) == 1);
    outbox.clock.advance(24h);
    CHECK(store::letters_sent_since(outbox.db, outbox.clock.now() - 24h) == 0);
}

TEST_CASE("store letters: a cancelled letter is neither due nor waiting")
{
    Outbox outbox;
    const auto account = outbox.account("family");
    const auto id = outbox.queue(account);
    store::cancel_letter(outbox.db, id, "account disabled", outbox.clock.now());
    CHECK(outbox.letter(id).state == LetterState::cancelled);
    CHECK(outbox.letter(id).last_reply == "account disabled");
    CHECK_FALSE(outbox.due(id));
    CHECK_FALSE(store::find_waiting_letter(outbox.db, account, LetterPurpose::initial).has_value());
}

TEST_CASE("store letters: an outgoing letter carries its account's kind, status and address")
{
    Outbox outbox;
    const auto family = outbox.account("family");
    const auto id = outbox.queue(family, LetterPurpose::initial, true);
    const auto letter = store::find_outgoing_letter(outbox.db, id);
    REQUIRE(letter.has_value());
    CHECK(letter->letter_id == id);
    CHECK(letter->account_id == family);
    CHECK(letter->purpose == LetterPurpose::initial);
    CHECK(letter->new_pin);
    CHECK(letter->kind == AccountKind::family);
    CHECK(letter->status == AccountStatus::active);
    CHECK(letter->user_code == store::letter_account_user_code(outbox.db, family));
    CHECK(letter->recipient == outbox.db.connection().get<std::string>(
                                   "SELECT p.email FROM account a JOIN person p ON p.id = a.person_id WHERE a.id = ?",
                                   family));

    outbox.db.connection().execute("UPDATE account SET status = 'disabled' WHERE id = ?", family);
    CHECK(store::find_outgoing_letter(outbox.db, id)->status == AccountStatus::disabled);
}

TEST_CASE("store letters: a family letter names the active pupils, a student letter the student")
{
    Outbox outbox;
    // Francesco D'Angelo is the guardian of three pupils.
    const auto family = outbox.db.connection().get<std::int64_t>(
        "SELECT a.id FROM account a JOIN person p ON p.id = a.person_id WHERE p.tax_code = 'DNGFNC76P05H501R'");
    const auto pupils = store::letter_pupils(outbox.db, family, AccountKind::family);
    REQUIRE(pupils.size() == 3);
    CHECK(pupils.front().class_name == "1A");
    CHECK(pupils.front().surname == "D'Angelo");
    CHECK(pupils.back().class_name == "5A");

    const auto student = outbox.db.connection().get<std::int64_t>("SELECT a.id FROM account a JOIN person p ON p.id = a.person_id "
                                                     "WHERE p.tax_code = 'DNGTMS07E20H501A' AND a.kind = 'student'");
    const auto self = store::letter_pupils(outbox.db, student, AccountKind::student);
    REQUIRE(self.size() == 1);
    CHECK(self.front().name == "Tommaso");
    CHECK(self.front().class_name == "5A");
}

TEST_CASE("store letters: the claimed step stores the hashes it is given")
{
    Outbox outbox;
    const auto account = outbox.account("family");
    store::record_mailed_password(outbox.db, account, "k1$hash", outbox.clock.now());
    store::record_mailed_pin(outbox.db, account, "k1$pin", outbox.clock.now());
    CHECK(outbox.db.connection().get<std::string>("SELECT password_hash FROM account WHERE id = ?", account) == "k1$hash");
    CHECK(outbox.db.connection().get<std::string>("SELECT password_set_at FROM account WHERE id = ?", account) ==
          "2026-11-23T09:00:00Z");
    CHECK(outbox.db.connection().get<std::string>("SELECT pin_hash FROM account WHERE id = ?", account) == "k1$pin");
    CHECK(outbox.db.connection().get<std::string>("SELECT login_method FROM account WHERE id = ?", account) == "password");

    store::record_spid_login(outbox.db, account, outbox.clock.now());
    const auto password_hash =
        outbox.db.connection().maybe_get<std::string>("SELECT password_hash FROM account WHERE id = ?", account);
    CHECK_FALSE(password_hash.has_value());
    CHECK(outbox.db.connection().get<std::string>("SELECT login_method FROM account WHERE id = ?", account) == "spid_cie");
}

TEST_CASE("store letters: issue candidates are the active accounts of the kind asked for")
{
    Outbox outbox;
    const auto all = store::issue_candidates(outbox.db, std::nullopt);
    CHECK(all.size() == 32); // 20 families and 12 students
    const auto students = store::issue_candidates(outbox.db, AccountKind::student);
    REQUIRE(students.size() == 12);
    for (const auto& candidate : students) {
        CHECK(candidate.kind == AccountKind::student);
        CHECK_FALSE(candidate.has_letter);
        CHECK(candidate.classes.front() == ' ');
        CHECK(candidate.classes.back() == ' ');
    }
    const auto family = outbox.account("family");
    outbox.queue(family);
    const auto families = store::issue_candidates(outbox.db, AccountKind::family);
    CHECK(families.size() == 20);
    CHECK(std::count_if(families.begin(), families.end(), [](const auto& c) { return c.has_letter; }) == 1);
}

TEST_CASE("store letters: a letter is claimed only from the state it was read in")
{
    Outbox fixture;
    const auto id = fixture.queue(fixture.account("family"));
    const int read = fixture.letter(id).attempts;
    CHECK(store::mark_letter_sending(fixture.db, id, "a@example.it", "<1@example.it>", fixture.clock.now(), read));
    // A second claim from the same reading (another send through another path) finds it taken.
    CHECK_FALSE(store::mark_letter_sending(fixture.db, id, "a@example.it", "<2@example.it>", fixture.clock.now(), read));
    CHECK(fixture.letter(id).attempts == read + 1);
}
