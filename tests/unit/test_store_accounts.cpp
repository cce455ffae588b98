#include <doctest/doctest.h>

#include "lib/store/connection.hpp"

#include <algorithm>

#include <credenza/store/accounts.hpp>

#include "support.hpp"

using namespace credenza;
using credenza::testing::School;
using namespace std::chrono_literals;

namespace {

const TimePoint k_morning = *parse_iso_time("2026-09-15T08:00:00Z");

// Francesco D'Angelo, guardian of Nicolò (1A), Giulia (2A) and Tommaso (5A).
constexpr const char* k_guardian = "DNGFNC76P05H501R";
// Tommaso D'Angelo (5A), born 2007.
constexpr const char* k_adult_pupil = "DNGTMS07E20H501A";

store::AccountRow only_row(School& school, const std::string& tax_code)
{
    const auto rows = store::find_account_rows(*school.db, "", tax_code);
    REQUIRE(rows.size() == 1);
    return rows.front();
}

std::string column(School& school, const std::string& name, std::int64_t account_id)
{
    return school.db->connection().get<std::string>("SELECT coalesce(" + name + ", '') FROM account WHERE id = ?", account_id);
}

} // namespace

TEST_CASE("store accounts: an account read back keeps its kind, status, disabled_by and login method")
{
    School school;
    const auto family = only_row(school, k_guardian);
    CHECK(family.kind == AccountKind::family);
    CHECK(family.status == AccountStatus::active);
    CHECK(family.disabled_by == DisabledBy::none);
    CHECK(family.login_method == LoginMethod::password);
    store::set_account_status(*school.db, family.id, AccountStatus::disabled, DisabledBy::admin, k_morning);
    school.db->connection().execute("UPDATE account SET login_method = 'spid_cie' WHERE id = ?", family.id);
    const auto changed = only_row(school, k_guardian);
    CHECK(changed.status == AccountStatus::disabled);
    CHECK(changed.disabled_by == DisabledBy::admin);
    CHECK(changed.login_method == LoginMethod::spid_cie);
    CHECK(column(school, "status", family.id) == "disabled");
    CHECK(column(school, "disabled_by", family.id) == "admin");
    CHECK(column(school, "updated_at", family.id) == "2026-09-15T08:00:00Z");
    store::set_account_status(*school.db, family.id, AccountStatus::active, DisabledBy::none, k_morning);
    CHECK(column(school, "disabled_by", family.id) == "");
}

TEST_CASE("store accounts: a student's row carries the pupil's address, birth date and class")
{
    School school;
    const auto student = only_row(school, k_adult_pupil);
    CHECK(student.kind == AccountKind::student);
    CHECK(student.email == "tommaso.dangelo@itisvallauri.edu.it");
    CHECK(student.birth_date == "2007-05-20");
    CHECK(student.class_name == "5A");
    CHECK(student.surname == "D'Angelo");
    CHECK(student.name == "Tommaso");
    const auto family = only_row(school, k_guardian);
    CHECK(family.email == "francesco.dangelo@example.it");
    CHECK(family.class_name.empty());
}

TEST_CASE("store accounts: a user code and a codice fiscale find the same account")
{
    School school;
    const auto by_tax_code = only_row(school, k_guardian);
    const auto by_code = store::find_account_rows(*school.db, by_tax_code.user_code, "");
    REQUIRE(by_code.size() == 1);
    CHECK(by_code.front().id == by_tax_code.id);
    CHECK(store::find_account_rows(*school.db, "NOSUCHCODE", "NOSUCHTAXCODE").empty());
}

TEST_CASE("store accounts: listing filters by kind and status")
{
    School school;
    const auto all = store::list_account_rows(*school.db, std::nullopt, std::nullopt);
    const auto students = store::list_account_rows(*school.db, AccountKind::student, std::nullopt);
    const auto families = store::list_account_rows(*school.db, AccountKind::family, std::nullopt);
    CHECK(students.size() == 12);
    CHECK(all.size() == students.size() + families.size());
    CHECK(std::all_of(students.begin(), students.end(),
                      [](const auto& row) { return row.kind == AccountKind::student; }));
    CHECK(all.front().kind == AccountKind::family); // kinds in their stored order
    CHECK(store::list_account_rows(*school.db, std::nullopt, AccountStatus::disabled).empty());
    store::set_account_status(*school.db, students.front().id, AccountStatus::disabled, DisabledBy::admin, k_morning);
    const auto disabled = store::list_account_rows(*school.db, AccountKind::student, AccountStatus::disabled);
    REQUIRE(disabled.size() == 1);
    CHECK(disabled.front().id == students.front().id);
}

TEST_CASE("store accounts: the credentials column follows the account's letters")
{
    School school;
    const auto family = only_row(school, k_guardian);
    CHECK(family.credentials == "none");
    const auto add_letter = [&](const std::string& state) {
        school.db->connection().execute("INSERT INTO letter (account_id, purpose, state, queued_at, updated_at) "
                           "VALUES (?, 'initial', ?, '2026-09-15T08:00:00Z', '2026-09-15T08:00:00Z')",
                           family.id, state);
    };
    add_letter("failed");
    CHECK(only_row(school, k_guardian).credentials == "failed");
    add_letter("deferred");
    CHECK(only_row(school, k_guardian).credentials == "pending");
    add_letter("sent");
    CHECK(only_row(school, k_guardian).credentials == "sent");
}

TEST_CASE("store accounts: the credentials are bounced while the last letter not cancelled bounced")
{
    School school;
    const auto family = only_row(school, k_guardian);
    const auto add_letter = [&](const std::string& state) {
        school.db->connection().execute("INSERT INTO letter (account_id, purpose, state, queued_at, updated_at) "
                                        "VALUES (?, 'initial', ?, '2026-09-15T08:00:00Z', '2026-09-15T08:00:00Z')",
                                        family.id, state);
    };
    add_letter("sent");
    add_letter("bounced");
    CHECK(only_row(school, k_guardian).credentials == "bounced");
    add_letter("cancelled");
    CHECK(only_row(school, k_guardian).credentials == "bounced");
    add_letter("queued");
    CHECK(only_row(school, k_guardian).credentials == "sent");
    // The same word in a listing of every account.
    const auto rows = store::list_account_rows(*school.db, AccountKind::family, std::nullopt);
    const auto listed = std::find_if(rows.begin(), rows.end(), [&](const store::AccountRow& row) { return row.id == family.id; });
    REQUIRE(listed != rows.end());
    CHECK(listed->credentials == "sent");
}

TEST_CASE("store accounts: the pupils of every guardian and the guardians of every pupil, at once, are those asked one by one")
{
    School school;
    // A pupil who left drops out of its guardians' pupils, not of its guardians.
    school.db->connection().execute("UPDATE pupil SET status = 'left' WHERE person_id = (SELECT id FROM person WHERE tax_code = ?)",
                                    "DNGNCL11C14H501W");
    const auto pupils = store::active_pupils_of_guardians(*school.db);
    const auto guardians = store::guardian_accounts_of_pupils(*school.db);
    const auto text = [](const auto& list) {
        std::string all;
        for (const auto& item : list) {
            all += item.tax_code + " " + item.surname + " " + item.name + ";";
        }
        return all;
    };
    int families = 0;
    int students = 0;
    for (const auto& row : store::list_account_rows(*school.db, std::nullopt, std::nullopt)) {
        INFO("account " << row.user_code);
        if (row.kind == AccountKind::family) {
            const auto one = store::active_pupils_of_guardian(*school.db, row.person_id);
            const auto found = pupils.find(row.person_id);
            CHECK(text(one) == (found == pupils.end() ? std::string() : text(found->second)));
            if (found != pupils.end()) {
                for (std::size_t i = 0; i < one.size(); ++i) {
                    CHECK(found->second[i].class_name == one[i].class_name);
                }
            }
            families += one.empty() ? 0 : 1;
        } else {
            const auto one = store::guardian_accounts_of_pupil(*school.db, row.person_id);
            const auto found = guardians.find(row.person_id);
            REQUIRE(found != guardians.end());
            CHECK(text(one) == text(found->second));
            for (std::size_t i = 0; i < one.size(); ++i) {
                CHECK(found->second[i].user_code == one[i].user_code);
                CHECK(found->second[i].active == one[i].active);
            }
            ++students;
        }
    }
    CHECK(families > 1);
    CHECK(students > 1);
    const auto guardian = only_row(school, k_guardian);
    REQUIRE(pupils.contains(guardian.person_id));
    CHECK(pupils.at(guardian.person_id).size() == 2);
}

TEST_CASE("store accounts: a word the program does not know is an internal error, not a default")
{
    School school;
    const auto family = only_row(school, k_guardian);
    school.db->connection().raw().exec("PRAGMA ignore_check_constraints = ON");
    school.db->connection().execute("UPDATE account SET login_method = 'ldap' WHERE id = ?", family.id);
    try {
        store::find_account_rows(*school.db, "", k_guardian);
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::internal);
        CHECK(std::string(e.what()).find("'ldap'") != std::string::npos);
    }
}

TEST_CASE("store accounts: the pupils in a guardian's care are the active ones, by class")
{
    School school;
    const auto family = only_row(school, k_guardian);
    auto pupils = store::active_pupils_of_guardian(*school.db, family.person_id);
    REQUIRE(pupils.size() == 3);
    CHECK(pupils[0].tax_code == "DNGNCL11C14H501W");
    CHECK(pupils[0].class_name == "1A");
    CHECK(pupils[1].class_name == "2A");
    CHECK(pupils[2].class_name == "5A");
    school.db->connection().execute("UPDATE pupil SET status = 'left' WHERE person_id = (SELECT id FROM person WHERE tax_code = ?)",
                       "DNGNCL11C14H501W");
    pupils = store::active_pupils_of_guardian(*school.db, family.person_id);
    REQUIRE(pupils.size() == 2);
    CHECK(pupils[0].class_name == "2A");
}

TEST_CASE("store accounts: failures of the password and of the PIN are counted apart")
{
    School school;
    const auto family = only_row(school, k_guardian);
    auto& db = *school.db;
    for (int attempt = 1; attempt <= 3; ++attempt) {
        CHECK(store::count_secret_attempt(db, family.id, store::Secret::pin, k_morning) == attempt);
    }
    CHECK(store::count_secret_attempt(db, family.id, store::Secret::password, k_morning - 1h) == 1);
    CHECK(store::count_secret_attempt(db, family.id, store::Secret::password, k_morning) == 2);
    const auto pin = store::find_secret_row(db, family.user_code, store::Secret::pin);
    const auto password = store::find_secret_row(db, family.user_code, store::Secret::password);
    REQUIRE(pin.has_value());
    REQUIRE(password.has_value());
    CHECK(pin->failures == 3);
    CHECK(pin->last_failure_at == "2026-09-15T08:00:00Z"); // a PIN's failures are timed too: they slow it down
    CHECK(password->failures == 2);
    CHECK(password->last_failure_at == "2026-09-15T08:00:00Z");
    CHECK(password->kind == AccountKind::family);
    CHECK(password->status == AccountStatus::active);
    // Only a user code names an account here, never a codice fiscale.
    CHECK_FALSE(store::find_secret_row(db, k_guardian, store::Secret::password).has_value());

    store::record_secret_success(db, family.id, store::Secret::password, k_morning + 1h);
    store::record_secret_success(db, family.id, store::Secret::password, k_morning + 2h);
    const auto after = store::find_secret_row(db, family.user_code, store::Secret::password).value();
    CHECK(after.failures == 0);
    CHECK(after.last_failure_at.empty());
    CHECK(column(school, "first_login_at", family.id) == "2026-09-15T09:00:00Z"); // the first one stays
    CHECK(store::find_secret_row(db, family.user_code, store::Secret::pin).value().failures == 3);
}

TEST_CASE("store accounts: an attempt given back leaves the count and the password's last failure as they were")
{
    School school;
    const auto family = only_row(school, k_guardian);
    auto& db = *school.db;
    store::count_secret_attempt(db, family.id, store::Secret::password, k_morning);
    store::count_secret_attempt(db, family.id, store::Secret::password, k_morning + 1h);
    store::give_back_secret_attempt(db, family.id, store::Secret::password, "2026-09-15T08:00:00Z");
    const auto password = store::find_secret_row(db, family.user_code, store::Secret::password).value();
    CHECK(password.failures == 1);
    CHECK(password.last_failure_at == "2026-09-15T08:00:00Z");

    store::give_back_secret_attempt(db, family.id, store::Secret::pin, "");
    CHECK(store::find_secret_row(db, family.user_code, store::Secret::pin).value().failures == 0);
}

TEST_CASE("store accounts: a chosen secret is stored for its kind, a reset revokes the PIN only when asked")
{
    School school;
    const auto family = only_row(school, k_guardian);
    auto& db = *school.db;
    store::replace_secret_hash(db, family.id, store::Secret::password, "k0$mailed-password");
    store::replace_secret_hash(db, family.id, store::Secret::pin, "k0$mailed-pin");
    CHECK(store::store_chosen_secret(db, family.id, store::Secret::password, "k0$mailed-password", "k1$password-hash",
                                     k_morning));
    CHECK(store::store_chosen_secret(db, family.id, store::Secret::pin, "k0$mailed-pin", "k1$pin-hash", k_morning));
    auto password = store::find_secret_row(db, family.user_code, store::Secret::password).value();
    CHECK(password.hash == "k1$password-hash");
    CHECK_FALSE(password.must_change_password);
    CHECK(password.password_set_at == "2026-09-15T08:00:00Z");
    CHECK(store::find_secret_row(db, family.user_code, store::Secret::pin).value().hash == "k1$pin-hash");

    store::replace_secret_hash(db, family.id, store::Secret::pin, "k2$pin-hash");
    CHECK(store::find_secret_row(db, family.user_code, store::Secret::pin).value().hash == "k2$pin-hash");

    store::revoke_secrets(db, family.id, false, k_morning + 1h);
    password = store::find_secret_row(db, family.user_code, store::Secret::password).value();
    CHECK(password.hash.empty());
    CHECK(password.must_change_password);
    CHECK(store::find_secret_row(db, family.user_code, store::Secret::pin).value().hash == "k2$pin-hash");
    store::revoke_secrets(db, family.id, true, k_morning + 1h);
    CHECK(store::find_secret_row(db, family.user_code, store::Secret::pin).value().hash.empty());
}

TEST_CASE("store accounts: a chosen secret is stored only over the one verified, never over a reset")
{
    School school;
    const auto family = only_row(school, k_guardian);
    auto& db = *school.db;
    store::replace_secret_hash(db, family.id, store::Secret::password, "k0$mailed");
    store::revoke_secrets(db, family.id, true, k_morning); // a reset lands between the check and the store
    CHECK_FALSE(store::store_chosen_secret(db, family.id, store::Secret::password, "k0$mailed", "k1$chosen", k_morning));
    CHECK(store::find_secret_row(db, family.user_code, store::Secret::password)->hash.empty());
}

TEST_CASE("store accounts: a recovery's secrets wait beside the old ones until one is used")
{
    School school;
    const auto family = only_row(school, k_guardian);
    auto& db = *school.db;
    store::replace_secret_hash(db, family.id, store::Secret::password, "k0$old-password");
    store::replace_secret_hash(db, family.id, store::Secret::pin, "k0$old-pin");
    store::record_pending_secrets(db, family.id, "k0$new-password", "k0$new-pin", k_morning + 24h);
    auto password = store::find_secret_row(db, family.user_code, store::Secret::password).value();
    CHECK(password.hash == "k0$old-password");
    CHECK(password.pending_hash == "k0$new-password");
    CHECK(password.pending_expires_at == "2026-09-16T08:00:00Z");
    CHECK(store::count_pending_attempt(db, family.id, store::Secret::password) == 1);

    store::promote_pending_secret(db, family.id, store::Secret::password, k_morning + 1h);
    password = store::find_secret_row(db, family.user_code, store::Secret::password).value();
    CHECK(password.hash == "k0$new-password");
    CHECK(password.pending_hash.empty());
    CHECK(password.pending_failures == 0);
    CHECK(password.must_change_password);
    const auto pin = store::find_secret_row(db, family.user_code, store::Secret::pin).value();
    CHECK(pin.hash == "k0$old-pin"); // the PIN's own waits for its own first use
    CHECK(pin.pending_hash == "k0$new-pin");
    CHECK(pin.pending_expires_at == "2026-09-16T08:00:00Z");
}

TEST_CASE("store accounts: guesses at a name that is no account are counted and timed like an account's")
{
    School school;
    auto& db = *school.db;
    CHECK(store::name_guesses(db, "tag-1", store::Secret::pin).failures == 0);
    CHECK(store::count_name_attempt(db, "tag-1", store::Secret::pin, k_morning) == 1);
    CHECK(store::count_name_attempt(db, "tag-1", store::Secret::pin, k_morning + 1h) == 2);
    CHECK(store::count_name_attempt(db, "tag-1", store::Secret::password, k_morning) == 1);
    const auto guesses = store::name_guesses(db, "tag-1", store::Secret::pin);
    CHECK(guesses.failures == 2);
    CHECK(guesses.last_failure_at == "2026-09-15T09:00:00Z");
}

TEST_CASE("store accounts: recovery requests are counted per requester within the window")
{
    School school;
    auto& db = *school.db;
    CHECK(store::count_recover_request(db, "r1", k_morning - 1h, k_morning) == 0);
    CHECK(store::count_recover_request(db, "r1", k_morning - 1h, k_morning + 1min) == 1);
    CHECK(store::count_recover_request(db, "r2", k_morning - 1h, k_morning + 1min) == 0);
    CHECK(store::count_recover_request(db, "r1", k_morning + 2h - 1h, k_morning + 2h) == 0);
}

TEST_CASE("store accounts: recovery candidates are the active accounts with an address, marked when recently served")
{
    School school;
    const auto family = only_row(school, k_guardian);
    auto& db = *school.db;
    auto candidates = store::find_recovery_candidates(db, "", "francesco.dangelo@example.it", k_morning);
    REQUIRE(candidates.size() == 1);
    CHECK(candidates.front().account_id == family.id);
    CHECK(candidates.front().kind == AccountKind::family);
    CHECK_FALSE(candidates.front().recovery_since);

    db.connection().execute("INSERT INTO letter (account_id, purpose, queued_at, updated_at) "
               "VALUES (?, 'recovery', '2026-09-15T08:00:00Z', '2026-09-15T08:00:00Z')",
               family.id);
    CHECK(store::find_recovery_candidates(db, family.user_code, "", k_morning - 1s).front().recovery_since);
    CHECK_FALSE(store::find_recovery_candidates(db, family.user_code, "", k_morning).front().recovery_since);

    const auto adult = only_row(school, k_adult_pupil);
    candidates = store::find_recovery_candidates(db, adult.user_code, "", k_morning);
    REQUIRE(candidates.size() == 1);
    CHECK(candidates.front().birth_date == "2007-05-20");

    // Greco Roberto has no address on record: nothing to send to.
    const auto no_address = only_row(school, "GRCRRT75T12G273S");
    CHECK(store::find_recovery_candidates(db, no_address.user_code, "", k_morning).empty());
    store::set_account_status(db, family.id, AccountStatus::disabled, DisabledBy::admin, k_morning);
    CHECK(store::find_recovery_candidates(db, family.user_code, "", k_morning).empty());
}
