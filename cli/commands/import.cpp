// credenza import FILE: an enrolment export into the database, all or nothing.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/enrolment/import.hpp>

#include "cli/commands/registry.hpp"
#include "cli/context.hpp"
#include "cli/output/json.hpp"

namespace credenza::cli {

namespace {

struct ImportCommand
{
    std::string file;
    std::string year;
    bool dry_run = false;
    bool accept_changes = false;
    std::vector<std::string> maps;
    std::string delimiter;
    std::string encoding = "auto";
};

enrolment::ImportOptions to_options(Context& context, const ImportCommand& command)
{
    enrolment::ImportOptions options;
    options.file = command.file;
    options.school_year = command.year;
    options.dry_run = command.dry_run;
    options.accept_changes = command.accept_changes;
    options.confirm_mass_leave = context.global.yes;
    for (const auto& map : command.maps) {
        const auto equals = map.rfind('=');
        if (equals == std::string::npos || equals == 0 || equals + 1 == map.size()) {
            throw Error(ErrorCode::usage, fmt::format("invalid --map '{}': use --map 'COLUMN=field'", map));
        }
        options.column_map[map.substr(0, equals)] = map.substr(equals + 1);
    }
    if (command.delimiter == "tab" || command.delimiter == "\\t") {
        options.csv.delimiter = '\t';
    } else if (command.delimiter.size() == 1) {
        options.csv.delimiter = command.delimiter[0];
    } else if (!command.delimiter.empty()) {
        throw Error(ErrorCode::usage, fmt::format("invalid --delimiter '{}': give one character", command.delimiter));
    }
    options.csv.encoding = command.encoding == "utf-8"          ? enrolment::Encoding::utf8
                           : command.encoding == "windows-1252" ? enrolment::Encoding::windows1252
                                                                : enrolment::Encoding::automatic;
    return options;
}

output::Json counts_json(const enrolment::Counts& counts)
{
    return {{"new", counts.added}, {"changed", counts.changed}, {"unchanged", counts.unchanged}, {"left", counts.left}};
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
                            {"dry_run", report.dry_run},
                            {"rows", report.rows},
                            {"pupils", counts_json(report.pupils)},
                            {"guardians", counts_json(report.guardians)},
                            {"accounts",
                             {{"created", report.accounts_created},
                              {"disabled", report.accounts_disabled},
                              {"enabled", report.accounts_enabled}}},
                            {"warnings", report.warnings},
                            {"address_changes", std::move(changes)}};
    output::write_json(context.out, summary);
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
    out << fmt::format("{}{} ({} rows, school year {})\n", report.dry_run ? "dry run, nothing written: " : "",
                       report.file, report.rows, report.school_year);
    out << fmt::format("pupils:    {} new, {} changed, {} unchanged, {} left\n", report.pupils.added,
                       report.pupils.changed, report.pupils.unchanged, report.pupils.left);
    out << fmt::format("guardians: {} new, {} changed, {} unchanged, {} with no pupil left\n", report.guardians.added,
                       report.guardians.changed, report.guardians.unchanged, report.guardians.left);
    out << fmt::format("accounts:  {} created, {} disabled, {} enabled\n", report.accounts_created,
                       report.accounts_disabled, report.accounts_enabled);
    if (!report.ignored_columns.empty()) {
        out << fmt::format("ignored columns: {}\n", fmt::join(report.ignored_columns, ", "));
    }
    bool held_back = false;
    for (const auto& change : report.address_changes) {
        out << fmt::format("address change of {} at {}: '{}' -> '{}' ({})\n", change.user_code, change.where,
                           change.old_email, change.new_email, change.applied ? "applied" : "NOT applied");
        held_back = held_back || !change.applied;
    }
    if (report.accounts_created > 0 && !report.dry_run) {
        out << "run 'credenza issue' to queue the credentials letters of the new accounts\n";
    }
    if (held_back) {
        out << "accounts above already have credentials and the next recovery letter would go to the new address:\n"
               "check each change with the family, then re-run with --accept-changes to apply them\n";
    }
}

int run_import(Context& context, const ImportCommand& command)
{
    const auto options = to_options(context, command);
    const auto report = context.session().import_enrolment(std::move(options));
    if (context.output().format == Format::json) {
        print_json(context, report);
    } else {
        print_text(context, report);
    }
    return 0;
}

} // namespace

void install_import(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<ImportCommand>();
    auto* sub = app.add_subcommand(spec.name, spec.summary);
    sub->add_option("FILE", command->file, "the enrolment export (CSV)")->required();
    sub->add_option("--year", command->year, "the school year of the file, e.g. 2025/2026 (default: the current one)");
    sub->add_flag("--dry-run", command->dry_run, "check and count, write nothing");
    sub->add_flag("--accept-changes", command->accept_changes,
                  "apply address changes of accounts that already have credentials");
    sub->add_option("--map", command->maps, "read column COLUMN as field, e.g. --map 'Mail Padre=guardian1_email'")
        ->type_name("COLUMN=field");
    sub->add_option("--delimiter", command->delimiter, "the field delimiter (default: sniffed ',' or ';')");
    sub->add_option("--encoding", command->encoding, "auto, utf-8 or windows-1252 (default: auto)")
        ->check(CLI::IsMember({"auto", "utf-8", "windows-1252"}));
    sub->callback([&context, command] { context.exit_code = run_import(context, *command); });
}

} // namespace credenza::cli
