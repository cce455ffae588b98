// Reading the bounce mailbox against a fake mailbox (the real one is Dovecot, tests/integration/bounces.bash).
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include <credenza/bounces/read.hpp>
#include <credenza/embedded.hpp>
#include <credenza/store/bounces.hpp>

#include "support.hpp"

namespace credenza::bounces {

namespace {

class FakeMailbox final : public Mailbox
{
public:
    std::map<std::uint32_t, std::string> inbox;
    std::map<std::string, std::vector<std::uint32_t>> folders;
    int created = 0;

    std::vector<std::uint32_t> message_uids() override
    {
        std::vector<std::uint32_t> uids;
        for (const auto& [uid, message] : inbox) {
            uids.push_back(uid);
        }
        return uids;
    }
    std::string fetch(std::uint32_t uid) override { return inbox.at(uid); }
    void ensure_folder(std::string_view folder) override
    {
        if (folders.emplace(std::string(folder), std::vector<std::uint32_t>{}).second) {
            ++created;
        }
    }
    void move(std::uint32_t uid, std::string_view folder) override
    {
        folders.at(std::string(folder)).push_back(uid);
        inbox.erase(uid);
    }
    int purge(std::string_view, TimePoint) override { return 0; }
};

std::string sample(const std::string& name, const std::string& id, const std::string& to)
{
    std::ifstream in(testing::test_data("bounces/" + name), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    std::string text = content.str();
    for (const auto& [from, value] : {std::pair<std::string, std::string>{"@ID@", id}, {"@TO@", to}}) {
        for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += value.size()) {
            text.replace(at, from.size(), value);
        }
    }
    return text;
}

struct SentLetter
{
    std::int64_t account_id;
    std::int64_t letter_id;
    std::string user_code;
    std::string message_id;
};

// A family letter sent with this token, its account holding (fake) hashes of what it carried.
SentLetter sent_letter(testing::School& school, int nth, const std::string& token)
{
    auto& connection = school.db->connection();
    const auto account_id = connection.get<std::int64_t>(
        "SELECT id FROM account WHERE kind = 'family' ORDER BY id LIMIT 1 OFFSET ?", nth);
    const std::string message_id = "<" + token + "@itisvallauri.edu.it>";
    connection.execute("UPDATE account SET password_hash = 'hash', pin_hash = 'pin', must_change_password = 1 "
                       "WHERE id = ?",
                       account_id);
    connection.execute("INSERT INTO letter (account_id, purpose, new_pin, state, recipient, attempts, message_id, "
                       "queued_at, sent_at, updated_at) VALUES (?, 'initial', 1, 'sent', 'x@example.it', 1, ?, "
                       "'2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z')",
                       account_id, message_id);
    return {account_id, connection.last_insert_id(),
            connection.get<std::string>("SELECT user_code FROM account WHERE id = ?", account_id), message_id};
}

} // namespace

TEST_CASE("bounces read: a hard bounce voids the letter's secrets, a soft one is counted, the rest stays")
{
    testing::School school;
    const auto hard = sent_letter(school, 0, "0123456789abcdef0123456789abcdef");
    const auto soft = sent_letter(school, 1, "fedcba9876543210fedcba9876543210");
    FakeMailbox mailbox;
    mailbox.inbox[1] = sample("standard.eml", hard.message_id, "x@example.it");
    std::string soft_report = sample("standard.eml", soft.message_id, "y@example.it");
    soft_report.replace(soft_report.find("<dsn-standard-1@"), 16, "<dsn-standard-2@");
    for (std::size_t at = 0; (at = soft_report.find("5.1.1", at)) != std::string::npos;) {
        soft_report.replace(at, 5, "4.2.2");
    }
    mailbox.inbox[2] = soft_report;
    mailbox.inbox[3] = sample("other_system.eml", "", "x@example.it");
    mailbox.inbox[4] = sample("autoreply.eml", hard.message_id, "x@example.it");

    ReadOptions options;
    options.operator_name = "test";
    const auto run = read_bounces(*school.db, system_clock(), mailbox, options);
    CHECK(run.messages == 4);
    CHECK(run.bounced == 1);
    CHECK(run.soft == 1);
    CHECK(run.unmatched == 1);
    CHECK(run.auto_replies == 1);
    CHECK(run.moved == 2);
    REQUIRE(run.letters.size() == 2);
    CHECK(run.letters.front().user_code == hard.user_code);
    CHECK(run.letters.front().voided == "password pin");
    CHECK(mailbox.inbox.size() == 2);
    CHECK(mailbox.folders.at("credenza-processed").size() == 2);

    auto& connection = school.db->connection();
    CHECK(connection.get<std::string>("SELECT state FROM letter WHERE id = ?", hard.letter_id) == "bounced");
    CHECK(connection.get<std::string>("SELECT state FROM letter WHERE id = ?", soft.letter_id) == "sent");
    CHECK(connection.get<int>("SELECT password_hash IS NULL AND pin_hash IS NULL FROM account WHERE id = ?",
                              hard.account_id) == 1);
    CHECK(connection.get<int>("SELECT password_hash IS NOT NULL FROM account WHERE id = ?", soft.account_id) == 1);
    CHECK(connection.get<int>("SELECT count(*) FROM audit WHERE action = 'bounce hard'") == 1);

    // Read again, with the same reports still there (as after a crash before the move): nothing twice.
    mailbox.inbox[1] = sample("standard.eml", hard.message_id, "x@example.it");
    const auto again = read_bounces(*school.db, system_clock(), mailbox, options);
    CHECK(again.bounced == 0);
    CHECK(again.repeated == 1);
    CHECK(connection.get<int>("SELECT count(*) FROM bounce") == 2);

    // The address corrected: one new letter of the same purpose, once.
    const auto person = connection.get<std::int64_t>("SELECT person_id FROM account WHERE id = ?", hard.account_id);
    const auto queued = store::requeue_bounced_letters(*school.db, person, system_clock().now());
    REQUIRE(queued.size() == 1);
    CHECK(queued.front().user_code == hard.user_code);
    CHECK(queued.front().purpose == LetterPurpose::initial);
    CHECK(store::requeue_bounced_letters(*school.db, person, system_clock().now()).empty());
}

TEST_CASE("bounces read: a password the holder changed since the letter is not voided, and a dry run writes nothing")
{
    testing::School school;
    const auto letter = sent_letter(school, 0, "00112233445566778899aabbccddeeff");
    auto& connection = school.db->connection();
    FakeMailbox mailbox;
    mailbox.inbox[7] = sample("exim.eml", letter.message_id, "x@example.it");
    ReadOptions options;
    options.dry_run = true;
    auto run = read_bounces(*school.db, system_clock(), mailbox, options);
    CHECK(run.bounced == 1);
    CHECK(run.moved == 0);
    CHECK(mailbox.created == 0);
    CHECK(connection.get<std::string>("SELECT state FROM letter WHERE id = ?", letter.letter_id) == "sent");

    connection.execute("UPDATE account SET must_change_password = 0 WHERE id = ?", letter.account_id);
    options.dry_run = false;
    run = read_bounces(*school.db, system_clock(), mailbox, options);
    CHECK(run.bounced == 1);
    CHECK(run.letters.front().voided.empty());
    CHECK(connection.get<int>("SELECT password_hash IS NOT NULL AND pin_hash IS NOT NULL FROM account WHERE id = ?",
                              letter.account_id) == 1);
}

TEST_CASE("store bounces: a version 3 database migrates with its letters, which may then bounce")
{
    testing::TempDir dir;
    {
        SQLite::Database raw((dir / "old.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        for (const auto& file : embedded_files()) {
            if (file.name.starts_with("migrations/000") && file.name < "migrations/0004") {
                raw.exec(std::string(file.text));
            }
        }
        raw.exec("PRAGMA user_version = 3");
        raw.exec("INSERT INTO person (id, tax_code, surname, name, created_at, updated_at) VALUES (1, 'X', 'a', 'b', '', '')");
        raw.exec("INSERT INTO account (id, person_id, kind, user_code, created_at, updated_at) "
                 "VALUES (1, 1, 'family', 'F1', '', '')");
        raw.exec("INSERT INTO letter (account_id, purpose, state, message_id, queued_at, updated_at) "
                 "VALUES (1, 'initial', 'sent', '<aa@b.it>', '', '')");
    }
    std::filesystem::permissions(dir / "old.db", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto db = store::Database::open(dir / "old.db");
    CHECK(db.connection().schema_version() == store::latest_schema_version());
    const auto letter = store::letter_by_message_id(db, "<aa@b.it>");
    REQUIRE(letter.has_value());
    CHECK(letter->user_code == "F1");
    CHECK(store::mark_letter_bounced(db, letter->letter_id, "bounced 5.1.1", system_clock().now()));
    CHECK(db.connection().get<std::string>("SELECT state FROM letter") == "bounced");
    CHECK(store::letter_by_token(db, "aa").has_value() == false); // too short to be credenza's
}

} // namespace credenza::bounces
