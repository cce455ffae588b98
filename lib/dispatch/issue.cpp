#include <credenza/dispatch/issue.hpp>

#include <algorithm>

#include <fmt/format.h>

#include <credenza/audit/log.hpp>
#include <credenza/enrolment/fields.hpp>
#include <credenza/time.hpp>

namespace credenza::dispatch {

namespace {

struct Candidate
{
    std::int64_t id;
    std::string user_code;
    std::string kind;
    std::string surname;
    std::string name;
    std::string email;
    std::string classes; // space-separated classes of the pupils it covers
    bool has_letter;
};

// Active accounts of the selected kind, with their recorded address and classes.
std::vector<Candidate> candidates(store::Database& db, const std::string& kind)
{
    std::vector<Candidate> list;
    db.guard("select accounts to issue", [&] {
        SQLite::Statement query(db.raw(), R"sql(
SELECT a.id, a.user_code, a.kind, p.surname, p.name,
       CASE a.kind WHEN 'student' THEN coalesce(pu.institutional_email, '') ELSE p.email END,
       CASE a.kind WHEN 'student' THEN ' ' || coalesce(pu.class, '') || ' '
            ELSE ' ' || coalesce((SELECT group_concat(cp.class, ' ') FROM guardianship g
                                  JOIN pupil cp ON cp.person_id = g.pupil_id
                                  WHERE g.guardian_id = a.person_id AND cp.status = 'active'), '') || ' ' END,
       EXISTS (SELECT 1 FROM letter l WHERE l.account_id = a.id AND l.state <> 'cancelled')
       OR a.password_hash IS NOT NULL
FROM account a JOIN person p ON p.id = a.person_id
LEFT JOIN pupil pu ON pu.person_id = a.person_id AND a.kind = 'student'
WHERE a.status = 'active' AND (?1 = 'all' OR a.kind = ?1)
ORDER BY a.kind, p.surname, p.name, a.id)sql");
        query.bind(1, kind);
        while (query.executeStep()) {
            list.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                            query.getColumn(2).getString(), query.getColumn(3).getString(),
                            query.getColumn(4).getString(), query.getColumn(5).getString(),
                            query.getColumn(6).getString(), query.getColumn(7).getInt() != 0});
        }
    });
    return list;
}

bool in_classes(const Candidate& candidate, const std::vector<std::string>& classes)
{
    return classes.empty() || std::any_of(classes.begin(), classes.end(), [&](const std::string& c) {
               return candidate.classes.find(" " + enrolment::normalise_class(c) + " ") != std::string::npos;
           });
}

} // namespace

IssueReport issue_letters(store::Database& db, const IssueOptions& options)
{
    if (options.kind != "all" && options.kind != "family" && options.kind != "student") {
        throw Error(ErrorCode::usage, fmt::format("unknown kind '{}': use family, student or all", options.kind));
    }
    IssueReport report;
    report.dry_run = options.dry_run;
    store::Transaction transaction(db);
    for (const auto& candidate : candidates(db, options.kind)) {
        if (!in_classes(candidate, options.classes)) {
            continue;
        }
        if (candidate.has_letter) {
            ++report.already;
            continue;
        }
        if (candidate.email.empty()) {
            report.skipped.push_back({candidate.user_code, candidate.kind, candidate.surname, candidate.name,
                                      "no e-mail address recorded"});
            continue;
        }
        queue_letter(db, candidate.id, "initial", candidate.kind == "family", "", options.operator_name);
        ++report.queued;
    }
    if (!options.dry_run) {
        transaction.commit();
    }
    return report;
}

std::int64_t queue_letter(store::Database& db, std::int64_t account_id, const std::string& purpose, bool new_pin,
                          const std::string& reason, const std::string& operator_name)
{
    const std::string now = iso_now();
    const auto user_code = db.get<std::string>("SELECT user_code FROM account WHERE id = ?", account_id);
    std::int64_t letter_id = 0;
    if (const auto pending = db.maybe_get<std::int64_t>(
            "SELECT id FROM letter WHERE account_id = ? AND purpose = ? AND state IN ('queued', 'deferred')", account_id,
            purpose)) {
        // One pending letter per purpose: a second request widens it (a PIN asked for) and sends it now.
        letter_id = *pending;
        db.execute("UPDATE letter SET new_pin = max(new_pin, ?), next_attempt_at = NULL, reason = ?, operator = ?, "
                   "updated_at = ? WHERE id = ?",
                   new_pin, reason, operator_name, now, letter_id);
    } else {
        db.execute("INSERT INTO letter (account_id, purpose, new_pin, reason, operator, queued_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
                   account_id, purpose, new_pin, reason, operator_name, now, now);
        letter_id = db.last_insert_id();
    }
    audit::append(db, operator_name, "queue " + purpose, user_code,
                  fmt::format("letter={}{}", letter_id, new_pin ? " pin=new" : ""));
    return letter_id;
}

} // namespace credenza::dispatch
