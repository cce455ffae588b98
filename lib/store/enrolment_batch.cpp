// store::ImportBatch: the rows of an import inserted many a statement (see enrolment.hpp).
#include <credenza/store/enrolment.hpp>
#include "connection.hpp"

#include <array>
#include <sqlite3.h>
#include <string>

namespace credenza::store {

namespace {

// Statements of 2^k rows, k up to this: a run of n rows is written by at most one statement of
// each size (binary decomposition), so that only a few statements are prepared per table.
constexpr std::size_t k_max_shift = 8;
static_assert((std::size_t{1} << k_max_shift) == ImportBatch::k_batch_rows);

// Its texts are in the batch's buffer (Rows::text), each ended by a NUL byte, one after the other
// from `at`.
struct PersonRow
{
    std::int64_t id;
    std::uint32_t at;
    std::array<std::uint32_t, 4> sizes; // codice fiscale, surname, name, e-mail
};

struct LinkRow
{
    std::int64_t guardian_id;
    std::int64_t pupil_id;
    std::int64_t position;
};

struct AccountRow
{
    std::int64_t person_id;
    AccountKind kind;
    std::string user_code;
};

// "INSERT INTO <head> VALUES (<row>), (<row>), ...<tail>" with `rows` rows, built once per size.
class MultiInsert
{
public:
    MultiInsert(std::string head, std::string row, std::string tail)
        : m_head(std::move(head)), m_row(std::move(row)), m_tail(std::move(tail)),
          m_what("INSERT OR FAIL INTO " + m_head + " VALUES " + m_row + ", ..." + m_tail)
    {
    }
    // The statement as an error names it (not its thousands of parameters).
    const std::string& what() const { return m_what; }
    // The statement of 2^shift rows, prepared on first use and kept (the connection's cache looks a
    // statement up by its text: several KiB here), reset.
    SQLite::Statement& statement(Connection& connection, std::size_t shift)
    {
        auto*& query = m_statements[shift];
        if (query == nullptr) {
            query = &connection.statement(sql(shift));
        } else {
            query->reset();
        }
        return *query;
    }
    const std::string& sql(std::size_t shift)
    {
        auto& text = m_sql[shift];
        if (text.empty()) {
            // OR FAIL, not the default ABORT: a statement that may abort half-way keeps a statement
            // journal (a copy of every page it changes that existed before it), and the import's
            // transaction is rolled back whole on any failure anyway. The person table has no foreign
            // key, so its inserts then keep no journal at all (20,000 pupils: -146M instructions);
            // the others still do, for their immediate foreign keys.
            text = "INSERT OR FAIL INTO " + m_head + " VALUES ";
            for (std::size_t i = 0; i < (std::size_t{1} << shift); ++i) {
                text += i == 0 ? m_row : "," + m_row;
            }
            text += m_tail;
        }
        return text;
    }

private:
    std::string m_head;
    std::string m_row;
    std::string m_tail;
    std::string m_what;
    std::array<std::string, k_max_shift + 1> m_sql;
    std::array<SQLite::Statement*, k_max_shift + 1> m_statements{};
};

// Binds without a copy: every value lives in the batch until the statement has run.
void bind_value(SQLite::Statement& query, int& index, const std::string& value)
{
    query.bindNoCopy(index++, value);
}
// A text of the batch's buffer, ended there by a NUL byte.
void bind_value(SQLite::Statement& query, int& index, const char* value)
{
    query.bindNoCopy(index++, value);
}
void bind_value(SQLite::Statement& query, int& index, std::int64_t value)
{
    query.bind(index++, value);
}

// Writes `rows` by runs of 2^k rows (largest first); `bind_row` binds one row from an index;
// `written` gets (first row, rows in the run, rows changed) after each statement.
// `time`: bound once a statement as ?1, which the rows name (nullptr: the rows have no time).
template <typename Row, typename BindRow, typename Written>
void write_runs(Connection& connection, MultiInsert& insert, const std::vector<Row>& rows, const std::string* time,
                BindRow&& bind_row, Written&& written)
{
    std::size_t first = 0;
    for (std::size_t shift = k_max_shift + 1; shift-- > 0;) {
        const std::size_t run = std::size_t{1} << shift;
        while (rows.size() - first >= run) {
            const int changed = connection.guard(insert.what(), [&] {
                auto& query = insert.statement(connection, shift); // every parameter is bound below
                int index = 1;
                if (time != nullptr) { // ?1, named by every row
                    bind_value(query, index, *time);
                }
                for (std::size_t i = first; i < first + run; ++i) {
                    bind_row(query, index, rows[i]);
                }
                return query.exec();
            });
            written(first, run, changed);
            first += run;
        }
    }
}

template <typename Fn>
struct RowBinder
{
    Fn fn;
    void operator()(SQLite::Statement& query, int& index, const auto& row) const { fn(query, index, row); }
};
template <typename Fn>
RowBinder(Fn) -> RowBinder<Fn>;

} // namespace

struct ImportBatch::Rows
{
    TimePoint now;
    std::string time;
    std::string active{to_string(PupilStatus::active)};
    std::string left{to_string(PupilStatus::left)};
    std::string family{to_string(AccountKind::family)};
    std::string student{to_string(AccountKind::student)};
    std::vector<PersonRow> persons;
    std::string text; // the persons' texts, kept until they are written
    std::vector<Pupil> pupils;
    std::vector<LinkRow> links;
    std::vector<AccountRow> accounts;
    // The time comes first as ?1 in every row: bound once a statement, not twice a row (a bound text
    // costs SQLite a lock and a copy of its description; 220,000 of them for 20,000 pupils). A "?"
    // after it takes the next number.
    MultiInsert person_insert{"person (created_at, updated_at, id, tax_code, surname, name, email)",
                              "(?1,?1,?,?,?,?,?)", ""};
    MultiInsert pupil_insert{"pupil (updated_at, person_id, birth_date, class, school_year, institutional_email, "
                             "status)",
                             "(?1,?,?,?,?,?,?)", ""};
    MultiInsert link_insert{"guardianship (guardian_id, pupil_id, position)", "(?,?,?)", ""};
    MultiInsert account_insert{"account (created_at, updated_at, person_id, kind, user_code)", "(?1,?1,?,?,?)",
                               " ON CONFLICT (user_code) DO NOTHING"};

    const std::string& status_word(PupilStatus status) const { return status == PupilStatus::active ? active : left; }
    const std::string& kind_word(AccountKind kind) const { return kind == AccountKind::family ? family : student; }
};

ImportBatch::ImportBatch(Database& db, TimePoint now, std::function<std::string(AccountKind)> draw_user_code)
    : m_db(db), m_draw_user_code(std::move(draw_user_code)), m_rows(std::make_unique<Rows>())
{
    m_rows->now = now;
    m_rows->time = iso_time(now);
    m_rows->persons.reserve(k_batch_rows);
    // A statement of many rows that may fail half-way (a constraint) keeps the pages it changes in a
    // statement journal, a file in /var/tmp once over 64 KiB: 174,000 writes for 20,000 pupils, more
    // system time than the inserts saved. In memory while the batch lives (at most the pages of one
    // statement, then freed). SQLite changes it only outside a transaction: the import makes its
    // batch before it begins.
    auto& connection = db.connection();
    if (sqlite3_get_autocommit(connection.raw().getHandle()) != 0) {
        connection.guard("PRAGMA temp_store", [&] {
            m_temp_store_before = connection.raw().execAndGet("PRAGMA temp_store").getInt();
            connection.raw().exec("PRAGMA temp_store = MEMORY");
        });
    }
    connection.set_before_statement([this] { flush(); });
}

ImportBatch::~ImportBatch()
{
    auto& connection = m_db.connection();
    connection.set_before_statement({});
    if (m_temp_store_before >= 0 && sqlite3_get_autocommit(connection.raw().getHandle()) != 0) {
        try {
            connection.raw().exec("PRAGMA temp_store = " + std::to_string(m_temp_store_before));
        } catch (const SQLite::Exception&) {
            // The next connection starts with the default again; nothing else depends on it.
        }
    }
}

std::int64_t ImportBatch::add_person(std::string_view tax_code, std::string_view surname, std::string_view name,
                                     std::string_view email)
{
    if (m_next_person_id == 0) { // read at the first person, inside the import's write transaction
        m_next_person_id = m_db.connection().get<std::int64_t>("SELECT coalesce(max(id), 0) FROM person") + 1;
    }
    const std::int64_t id = m_next_person_id++;
    auto& rows = *m_rows;
    rows.persons.push_back({id,
                            static_cast<std::uint32_t>(rows.text.size()),
                            {static_cast<std::uint32_t>(tax_code.size()), static_cast<std::uint32_t>(surname.size()),
                             static_cast<std::uint32_t>(name.size()), static_cast<std::uint32_t>(email.size())}});
    for (const std::string_view text : {tax_code, surname, name, email}) {
        rows.text.append(text).push_back('\0');
    }
    flush_if_full();
    return id;
}

void ImportBatch::add_pupil(Pupil pupil)
{
    m_rows->pupils.push_back(std::move(pupil));
    flush_if_full();
}

void ImportBatch::add_guardians(std::int64_t pupil_id, const std::vector<Guardianship>& guardians)
{
    for (const auto& guardian : guardians) {
        m_rows->links.push_back({guardian.guardian_id, pupil_id, guardian.position});
    }
    flush_if_full();
}

void ImportBatch::add_account(std::int64_t person_id, AccountKind kind, std::string user_code)
{
    m_rows->accounts.push_back({person_id, kind, std::move(user_code)});
    flush_if_full();
}

void ImportBatch::flush_if_full()
{
    const auto& rows = *m_rows;
    if (rows.persons.size() >= k_batch_rows || rows.pupils.size() >= k_batch_rows ||
        rows.links.size() >= k_batch_rows || rows.accounts.size() >= k_batch_rows) {
        flush();
    }
}

void ImportBatch::flush()
{
    auto& rows = *m_rows;
    if (m_flushing || (rows.persons.empty() && rows.pupils.empty() && rows.links.empty() && rows.accounts.empty())) {
        return;
    }
    m_flushing = true;
    struct Done
    {
        bool& flag;
        ~Done() { flag = false; }
    } done{m_flushing};
    auto& connection = m_db.connection();
    const auto nothing = [](std::size_t, std::size_t, int) {};
    // Parents first, for the foreign keys: persons, then pupils, then links and accounts.
    write_runs(connection, rows.person_insert, rows.persons, &rows.time,
               RowBinder{[&](SQLite::Statement& query, int& index, const PersonRow& row) {
                   bind_value(query, index, row.id);
                   std::size_t at = row.at;
                   for (const std::uint32_t size : row.sizes) { // no more texts are added while they are written
                       bind_value(query, index, rows.text.data() + at);
                       at += size + 1;
                   }
               }},
               nothing);
    rows.persons.clear();
    rows.text.clear();
    write_runs(connection, rows.pupil_insert, rows.pupils, &rows.time,
               RowBinder{[&](SQLite::Statement& query, int& index, const Pupil& row) {
                   bind_value(query, index, row.person_id);
                   bind_value(query, index, row.birth_date);
                   bind_value(query, index, row.class_name);
                   bind_value(query, index, row.school_year);
                   bind_value(query, index, row.institutional_email);
                   bind_value(query, index, rows.status_word(row.status));
               }},
               nothing);
    rows.pupils.clear();
    write_runs(connection, rows.link_insert, rows.links, nullptr,
               RowBinder{[&](SQLite::Statement& query, int& index, const LinkRow& row) {
                   bind_value(query, index, row.guardian_id);
                   bind_value(query, index, row.pupil_id);
                   bind_value(query, index, row.position);
               }},
               nothing);
    rows.links.clear();
    // A user code already given (40 random bits or more: rare) leaves its row out (ON CONFLICT DO
    // NOTHING): such a run is looked at row by row, and a row left out gets another code.
    std::vector<AccountRow> taken;
    write_runs(connection, rows.account_insert, rows.accounts, &rows.time,
               RowBinder{[&](SQLite::Statement& query, int& index, const AccountRow& row) {
                   bind_value(query, index, row.person_id);
                   bind_value(query, index, rows.kind_word(row.kind));
                   bind_value(query, index, row.user_code);
               }},
               [&](std::size_t first, std::size_t run, int changed) {
                   if (static_cast<std::size_t>(changed) == run) {
                       return;
                   }
                   for (std::size_t i = first; i < first + run; ++i) {
                       const auto& row = rows.accounts[i];
                       if (!connection.maybe_get<std::int64_t>(
                               "SELECT id FROM account WHERE person_id = ? AND kind = ? AND user_code = ?",
                               row.person_id, rows.kind_word(row.kind), row.user_code)) {
                           taken.push_back(row);
                       }
                   }
               });
    rows.accounts.clear();
    for (auto& row : taken) {
        do {
            row.user_code = m_draw_user_code(row.kind);
        } while (!create_enrolled_account(m_db, row.person_id, row.kind, row.user_code, rows.now));
    }
}

} // namespace credenza::store
