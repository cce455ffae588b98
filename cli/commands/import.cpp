// credenza import FILE: an enrolment export into the database, all or nothing; --undo brings
// back the state before the last import; --fields lists the fields and their headers.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/enrolment/fields.hpp>
#include <credenza/enrolment/import.hpp>
#include <credenza/enrolment/review.hpp>
#include <credenza/time.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/output/json.hpp"

namespace credenza::cli {

namespace {

struct ImportCommand
{
    std::string file;
    std::string guardians;
    std::string layout = "auto";
    std::string year;
    bool dry_run = false;
    bool accept_changes = false;
    bool clear_empty = false;
    bool fields = false;
    bool undo = false;
    std::vector<std::string> classes;
    std::vector<std::string> maps;
    std::string delimiter;
    std::string encoding = "auto";
};

enrolment::ImportOptions to_options(Context& context, const ImportCommand& command)
{
    enrolment::ImportOptions options;
    options.file = command.file;
    if (!command.guardians.empty()) {
        options.guardians_file = command.guardians;
    }
    options.layout = enrolment::parse_layout(command.layout).value_or(enrolment::Layout::automatic);
    options.school_year = command.year;
    options.dry_run = command.dry_run;
    options.accept_changes = command.accept_changes;
    options.clear_empty = command.clear_empty;
    options.confirm_mass_leave = context.global.yes;
    for (const auto& name : command.classes) {
        const auto normalised = enrolment::normalise_class(name);
        if (const auto reason = enrolment::class_problem(normalised); !reason.empty()) {
            throw Error(ErrorCode::usage, i18n::format(_fmt("invalid class '{}' in --classes: {}"), name, reason));
        }
        options.classes.insert(normalised);
    }
    for (const auto& map : command.maps) {
        const auto equals = map.rfind('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == map.size()) {
            throw Error(ErrorCode::usage, i18n::format(_fmt("invalid --map '{}': use --map 'COLUMN=field'"), map));
        }
        options.column_map[map.substr(0, equals)] = map.substr(equals + 1);
    }
    if (command.delimiter == "tab" || command.delimiter == "\\t") {
        options.csv.delimiter = '\t';
    } else if (command.delimiter.size() == 1) {
        options.csv.delimiter = command.delimiter[0];
    } else if (!command.delimiter.empty()) {
        throw Error(ErrorCode::usage,
                    i18n::format(_fmt("invalid --delimiter '{}': give one character"), command.delimiter));
    }
    options.csv.encoding = command.encoding == "utf-8"          ? enrolment::Encoding::utf8
                           : command.encoding == "windows-1252" ? enrolment::Encoding::windows1252
                                                                : enrolment::Encoding::automatic;
    // The review is printed by a dry run and in CSV and JSON only; otherwise it is not kept in memory.
    const auto format = context.output().format;
    options.keep_review = command.dry_run || format == Format::csv || format == Format::json;
    return options;
}

output::Json counts_json(const enrolment::Counts& counts)
{
    return {{"new", counts.added},
            {"changed", counts.changed},
            {"unchanged", counts.unchanged},
            {"left", counts.left},
            {"held", counts.held}};
}

output::Json table_json(const Table& table)
{
    auto rows = output::Json::array();
    for (const auto& row : table.rows()) {
        auto object = output::Json::object();
        for (std::size_t i = 0; i < table.columns().size(); ++i) {
            object[table.columns()[i].key] = row[i] ? to_text(*row[i]) : "";
        }
        rows.push_back(std::move(object));
    }
    return rows;
}

void print_json(Context& context, const enrolment::ImportReport& report)
{
    auto changes = output::Json::array();
    for (const auto& change : report.address_changes) {
        changes.push_back({{"user_code", change.user_code},
                           {"old_email", change.old_email},
                           {"new_email", change.new_email},
                           {"where", change.where},
                           {"applied", change.applied}});
    }
    output::Json summary = {{"file", report.file},
                            {"school_year", report.school_year},
                            {"layout", std::string(enrolment::layout_name(report.layout))},
                            {"dry_run", report.dry_run},
                            {"rows", report.rows},
                            {"pupils", counts_json(report.pupils)},
                            {"guardians", counts_json(report.guardians)},
                            {"accounts",
                             {{"created", report.accounts_created},
                              {"disabled", report.accounts_disabled},
                              {"enabled", report.accounts_enabled}}},
                            {"first_cycle_pupils", report.first_cycle_pupils},
                            {"first_cycle_accounts_disabled", report.first_cycle_disabled},
                            {"kept", report.kept},
                            {"cleared", report.cleared},
                            {"held", report.held},
                            {"other_classes", report.other_classes},
                            {"snapshot", report.snapshot},
                            {"warnings", report.warnings},
                            {"address_changes", std::move(changes)},
                            {"columns", table_json(enrolment::columns_table(report))},
                            {"review", table_json(enrolment::review_table(report))}};
    output::write_json(context.out, summary);
}

void print_columns(std::ostream& out, const enrolment::ImportReport& report)
{
    out << _("columns:") << '\n';
    for (const auto& column : report.columns) {
        const std::string where = report.guardians_file.empty() ? "" : column.file + ": ";
        out << fmt::format("  {}'{}' -> {}\n", where, column.header,
                           column.field.empty() ? std::string(_("(not read)")) : column.field);
    }
}

void print_text(Context& context, const enrolment::ImportReport& report)
{
    for (const auto& warning : report.warnings) {
        context.warn(warning);
    }
    if (!context.chatty()) {
        return;
    }
    auto& out = context.out;
    out << (report.dry_run ? _("dry run, nothing written: ") : "")
        << i18n::format(P_("{} ({} row, school year {})", "{} ({} rows, school year {})", report.rows), report.file,
                        report.rows, report.school_year)
        << '\n';
    out << i18n::format(report.layout_forced ? _fmt("layout: {} (as asked)") : _fmt("layout: {} (detected)"),
                        enrolment::layout_name(report.layout))
        << '\n';
    if (report.dry_run || context.global.verbose) {
        print_columns(out, report);
    }
    if (!report.classes.empty()) {
        out << i18n::format(_fmt("classes: {} only ({} pupils of other classes in the file not imported)"),
                            fmt::format("{}", fmt::join(report.classes, ", ")), report.other_classes)
            << '\n';
    }
    out << i18n::format(_fmt("pupils:    {} new, {} changed, {} unchanged, {} left"), report.pupils.added,
                        report.pupils.changed, report.pupils.unchanged, report.pupils.left)
        << (report.pupils.held > 0 ? i18n::format(_fmt(", {} held"), report.pupils.held) : "")
        << '\n';
    out << i18n::format(_fmt("guardians: {} new, {} changed, {} unchanged, {} with no pupil left"),
                        report.guardians.added, report.guardians.changed, report.guardians.unchanged,
                        report.guardians.left)
        << (report.guardians.held > 0 ? i18n::format(_fmt(", {} held"), report.guardians.held) : "")
        << '\n';
    out << i18n::format(_fmt("accounts:  {} created, {} disabled, {} enabled"), report.accounts_created,
                        report.accounts_disabled, report.accounts_enabled)
        << '\n';
    if (report.first_cycle_pupils > 0) {
        out << i18n::format(P_("first cycle: {} pupil with no student account (law 182/2025 art. 51: their "
                               "parents log in; [school] cycle)",
                               "first cycle: {} pupils with no student account (law 182/2025 art. 51: their "
                               "parents log in; [school] cycle)",
                               report.first_cycle_pupils),
                            report.first_cycle_pupils)
            << '\n';
        if (report.first_cycle_disabled > 0) {
            out << i18n::format(P_("first cycle: {} student account made earlier disabled",
                                   "first cycle: {} student accounts made earlier disabled",
                                   report.first_cycle_disabled),
                                report.first_cycle_disabled)
                << '\n';
        }
    }
    out << i18n::format(_fmt("recorded values kept where the file is empty: {}"), report.kept)
        << (report.cleared > 0 ? i18n::format(_fmt(", cleared (--clear-empty): {}"), report.cleared) : "") << '\n';
    if (!report.ignored_columns.empty()) {
        out << i18n::format(_fmt("columns not read: {}"), fmt::format("{}", fmt::join(report.ignored_columns, ", ")))
            << '\n';
    }
    bool held_back = false;
    bool cleared_held = false; // a held clearing: no letter could reach the holder, not "a new address"
    for (const auto& change : report.address_changes) {
        if (change.new_email.empty()) { // --clear-empty on an account that had a letter
            out << i18n::format(change.applied ? _fmt("address of {} at {}: '{}' cleared (applied)")
                                               : _fmt("address of {} at {}: '{}' cleared (NOT applied)"),
                                change.user_code, change.where, change.old_email)
                << '\n';
        } else {
            out << i18n::format(change.applied ? _fmt("address change of {} at {}: '{}' -> '{}' (applied)")
                                               : _fmt("address change of {} at {}: '{}' -> '{}' (NOT applied)"),
                                change.user_code, change.where, change.old_email, change.new_email)
                << '\n';
        }
        if (!change.applied) {
            (change.new_email.empty() ? cleared_held : held_back) = true;
        }
    }
    // The held changes and what to do about them together, before the review, the snapshot and the next step.
    if (held_back) {
        out << _("accounts above already have credentials and the next recovery letter would go to the new address:\n"
                 "check each change with the family, then re-run with --accept-changes to apply them")
            << '\n';
    }
    if (cleared_held) {
        out << _("accounts above already have credentials and without an address no recovery letter could reach them:\n"
                 "check each cleared address with the family, then re-run with --accept-changes to clear them")
            << '\n';
    }
    if (report.dry_run) {
        const auto table = enrolment::review_table(report);
        if (!table.empty()) {
            out << "\n";
            print_table(out, context.output(), table);
        }
    }
    if (!report.snapshot.empty()) {
        out << i18n::format(_fmt("snapshot of the database before this import: {} ('credenza import --undo' "
                                 "brings it back)"),
                            report.snapshot)
            << '\n';
    }
    if (report.accounts_created > 0 && !report.dry_run) {
        out << _("run 'credenza issue' to queue the credentials letters of the new accounts") << '\n';
    }
}

int run_fields(Context& context)
{
    Table table;
    table.add_column("field").add_column("meaning").add_column("headers", "recognised headers (and their variants)");
    for (const auto& field : enrolment::field_help()) {
        table.add_row({Value(field.name), Value(field.meaning), Value(field.headers)});
    }
    print_table(context.out, context.output(), table);
    return 0;
}

int run_undo(Context& context)
{
    const auto undo = context.session().undo_import(context.global.yes);
    if (!context.chatty()) {
        return 0;
    }
    auto& out = context.out;
    // What the secretary knows: the file imported and when (local time), not the snapshot's name.
    const std::string when =
        undo.imported_at.empty() ? std::string() : local_time(undo.imported_at, reader_style(i18n::language()));
    if (!undo.file.empty()) {
        out << i18n::format(_fmt("the database is back to its state before the import of '{}' on {}"), undo.file, when)
            << '\n';
    } else if (!when.empty()) {
        out << i18n::format(_fmt("the database is back to its state before the import on {}"), when) << '\n';
    } else {
        out << i18n::format(_fmt("the database is back to its state before the import of {}"),
                            undo.snapshot.filename().string())
            << '\n';
    }
    out << i18n::format(_fmt("the state before this undo is kept in {}"), undo.before_undo.string()) << '\n';
    if (!undo.letters_kept.empty()) {
        out << i18n::format(_fmt("accounts that got letters since the import keep the credentials they were sent: {}"),
                            fmt::format("{}", fmt::join(undo.letters_kept, ", ")))
            << '\n';
    }
    if (!undo.letters_lost.empty()) {
        out << i18n::format(_fmt("accounts made by the undone import whose mailed credentials no longer work: {}"),
                            fmt::format("{}", fmt::join(undo.letters_lost, ", ")))
            << '\n';
    }
    return 0;
}

int run_import(Context& context, const ImportCommand& command)
{
    if (command.fields) {
        return run_fields(context);
    }
    if (command.undo) {
        if (!command.file.empty()) {
            throw Error(ErrorCode::usage, _("import --undo takes no FILE: it undoes the last import"));
        }
        return run_undo(context);
    }
    if (command.file.empty()) {
        throw Error(ErrorCode::usage, _("import needs the enrolment FILE (or --undo, or --fields)"));
    }
    const auto options = to_options(context, command);
    const auto report = context.session().import_enrolment(std::move(options));
    const auto format = context.output().format;
    if (format == Format::json) {
        print_json(context, report);
    } else if (format == Format::csv) {
        for (const auto& warning : report.warnings) {
            context.warn(warning);
        }
        print_table(context.out, context.output(), enrolment::review_table(report));
    } else {
        print_text(context, report);
    }
    return 0;
}

} // namespace

void install_import(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<ImportCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_option("FILE", command->file, _("the enrolment export (CSV); with --guardians, the file of pupils"));
    sub->add_option("--guardians", command->guardians,
                    _("the file of guardians, joined to FILE by the pupil's codice fiscale (two-files layout)"));
    sub->add_option("--layout", command->layout, _("auto, pupil-rows, guardian-rows or two-files (default: detected)"))
        ->check(CLI::IsMember({"auto", "pupil-rows", "guardian-rows", "two-files"}));
    sub->add_option("--year", command->year, _("the school year of the file, e.g. 2025/2026 (default: the current one)"));
    sub->add_flag("--dry-run", command->dry_run, _("check and list who is new, changed, leaving; write nothing"));
    sub->add_flag("--accept-changes", command->accept_changes,
                  _("apply address changes of accounts that already had a letter or a password"));
    sub->add_flag("--clear-empty", command->clear_empty,
                  _("let an empty cell clear the recorded value (default: keep it)"));
    sub->add_option("--classes", command->classes, _("import only these classes, e.g. --classes 1A,1B"))
        ->delimiter(',')
        ->type_name("CLASS,...");
    sub->add_option("--map", command->maps,
                    _("read column COLUMN as field (or 'ignore'), e.g. --map 'Mail Padre=guardian1_email'"))
        ->type_name("COLUMN=field");
    sub->add_option("--delimiter", command->delimiter, _("the field delimiter (default: sniffed ',' or ';')"));
    sub->add_option("--encoding", command->encoding, _("auto, utf-8 or windows-1252 (default: auto)"))
        ->check(CLI::IsMember({"auto", "utf-8", "windows-1252"}));
    sub->add_flag("--fields", command->fields, _("list the fields and the headers recognised for each, then exit"));
    sub->add_flag("--undo", command->undo, _("bring back the state before the last import that changed something"));
    sub->callback([&context, command] { context.exit_code = run_import(context, *command); });
}

} // namespace credenza::cli
