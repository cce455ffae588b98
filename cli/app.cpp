#include "cli/app.hpp"

#include <filesystem>
#include <memory>
#include <string_view>
#include <iostream>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/i18n.hpp>
#include <credenza/runtime_versions.hpp>
#include <credenza/version.hpp>

#include "cli/commands/registry.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/messages.hpp"
#include "lib/i18n/gettext.hpp"

namespace credenza::cli {

namespace {

void add_global_options(CLI::App& app, GlobalOptions& global)
{
    app.add_option("--db", global.db, _("the database file (else $CREDENZA_DB, the config's db, ./credenza.db)"))
        ->envname("CREDENZA_DB");
    app.add_option("--config", global.config,
                   _("the config file (else $CREDENZA_CONFIG, /etc/credenza/credenza.conf when present)"))
        ->envname("CREDENZA_CONFIG");
    app.add_option("--format", global.format, _("how rows are printed: table, csv, json or html"))
        ->check(CLI::IsMember({"table", "csv", "json", "html"}));
    app.add_flag("--excel", global.excel, _("CSV with ';' and a UTF-8 BOM, for an Italian Excel (--format csv is then implied)"));
    app.add_flag("-q,--quiet", global.quiet, _("print only errors"));
    app.add_flag("-v,--verbose", global.verbose, _("say more"));
    app.add_flag("-y,--yes", global.yes, _("answer yes to confirmations"));
}

// credenza --version: ours, and the libraries' this process runs with (for bug reports).
std::string version_text()
{
    const auto versions = runtime_versions();
    return fmt::format("credenza {}\nSQLite {}\nlibcurl {}\nlibsodium {}", CREDENZA_VERSION, versions.sqlite,
                       versions.curl, versions.sodium);
}

// The message catalogs beside the binary: in the build tree (build/locale, next to build/cli) or in
// an installed prefix (PREFIX/share/locale beside PREFIX/bin); else the folder compiled in.
void find_catalogs()
{
    std::error_code error;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
        return;
    }
    const auto bin_dir = exe.parent_path();
    for (const auto& dir : {bin_dir.parent_path() / "locale", bin_dir.parent_path() / "share" / "locale"}) {
        if (std::filesystem::exists(dir / "it" / "LC_MESSAGES" / "credenza.mo", error)) {
            i18n::set_catalog_dir(dir);
            return;
        }
    }
}

// CLI11's words in its --help, in the reader's language.
std::shared_ptr<CLI::Formatter> help_formatter()
{
    auto formatter = std::make_shared<CLI::Formatter>();
    formatter->label("Usage", _("Usage"));
    formatter->label("OPTIONS", _("OPTIONS"));
    formatter->label("SUBCOMMAND", _("SUBCOMMAND"));
    formatter->label("SUBCOMMANDS", _("SUBCOMMANDS"));
    formatter->label("Positionals", _("Positionals"));
    formatter->label("REQUIRED", _("REQUIRED"));
    formatter->label("Env", _("Env"));
    formatter->label("Needs", _("Needs"));
    formatter->label("Excludes", _("Excludes"));
    // TRANSLATORS: the kind of value an option takes, in --help ("--year TEXT").
    formatter->label("TEXT", _("TEXT"));
    // TRANSLATORS: the kind of value an option takes, in --help ("--limit INT").
    formatter->label("INT", _("INT"));
    formatter->label("UINT", _("UINT"));
    return formatter;
}

// A subcommand makes its --help before it takes the option defaults (the group's name): made again,
// it joins the other options under the translated "Options".
void translate_help_flags(CLI::App& app)
{
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        sub->set_help_flag("-h,--help", _("Print this help message and exit"));
        translate_help_flags(*sub);
    }
}

// A repeatable option takes one value each time it is given (`--map A=x --map B=y`, or a comma list
// where the option splits one): CLI11 would otherwise read the FILE after `--map 'A=x'` as another
// value of --map, and the command would find no FILE.
void one_value_per_option(CLI::App& app)
{
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        for (auto* option : sub->get_options()) {
            if (option->get_items_expected_max() > 1 && option->get_positional() == false) {
                option->allow_extra_args(false);
            }
        }
        one_value_per_option(*sub);
    }
}

// CLI11's "A subcommand is required", "--reason is required" in our words.
std::string required_message(const std::string& message)
{
    if (message == "a subcommand is required") {
        return _("a subcommand is required");
    }
    constexpr std::string_view suffix = " is required";
    if (message.size() > suffix.size() && message.ends_with(suffix) && message.find(' ') == message.size() - suffix.size()) {
        return i18n::format(_fmt("{} is required"), message.substr(0, message.size() - suffix.size()));
    }
    return message;
}

void print_error(std::ostream& err, const std::string& message, const std::vector<std::string>& details = {})
{
    for (const auto& line : details) {
        err << line << '\n';
    }
    err << i18n::format(_fmt("credenza: error: {}"), message) << '\n';
}

} // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err) noexcept
{
    // Nothing this tool writes (databases, keys, letters, backups) is for other users.
    ::umask(077);
    find_catalogs();
    i18n::use_environment();
    try {
        Context context(out, err);
        CLI::App app(_("credenza: credentials of the electronic register (user code, password, PIN)"), "credenza");
        app.formatter(help_formatter());
        app.option_defaults()->group(_("Options"));
        app.group(_("Subcommands"));
        app.set_help_flag("-h,--help", _("Print this help message and exit"));
        app.set_version_flag("--version", version_text, _("print the version of credenza and of the libraries it runs with"));
        app.require_subcommand(1);
        app.fallthrough();
        app.footer(_("Run 'credenza COMMAND --help' for a command's options, 'man credenza-COMMAND' for more."));
        add_global_options(app, context.global);
        for (const auto& spec : commands()) {
            spec.install(app, context, spec);
        }
        translate_help_flags(app);
        one_value_per_option(app);
        // The settings, read before any command prints: [ui] language and [school] timezone apply
        // to all it says (--help, printed while parsing, follows the environment).
        app.parse_complete_callback([&context] {
            try {
                static_cast<void>(context.settings());
            } catch (const Error&) {
                // Said by the command itself when it reads them (`check` reports it as a failed check).
            }
        });
        try {
            app.parse(argc, argv);
        } catch (const CLI::ExtrasError&) {
            // Never echo stray arguments: someone may have typed a password there.
            print_error(err, _("too many arguments (not repeated here; secrets are read from standard input, never "
                               "from the command line)"));
            err << _("Try 'credenza --help'.") << '\n';
            return k_exit_usage;
        } catch (const CLI::ParseError& e) {
            if (e.get_exit_code() == 0) {
                // --help and --version
                app.exit(e, out, err);
                return k_exit_ok;
            }
            // CLI11 writes "A subcommand is required"; our messages start in lower case.
            std::string message = e.what();
            if (!message.empty() && message[0] >= 'A' && message[0] <= 'Z' &&
                (message.size() < 2 || !(message[1] >= 'A' && message[1] <= 'Z'))) {
                message[0] = static_cast<char>(message[0] - 'A' + 'a');
            }
            // A value given to an option that takes none, or a value of the wrong form, may be a
            // secret typed in the wrong place (`verify --pin=123456`): such messages of CLI11 quote
            // it, so they are replaced by one that names only the options.
            if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr ||
                dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr ||
                dynamic_cast<const CLI::ValidationError*>(&e) != nullptr ||
                dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
                message = _("an option was given a value it does not take, or a value of the wrong form (the value "
                            "is not repeated here; secrets are read from standard input, never from the command line)");
            } else if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
                message = required_message(message);
            }
            print_error(err, message);
            err << _("Try 'credenza --help'.") << '\n';
            return k_exit_usage;
        }
        out.flush();
        return context.exit_code;
    } catch (const Error& e) {
        out.flush();
        print_error(err, error_message(e), e.details());
        return exit_code_for(e.code());
    } catch (const std::exception& e) {
        out.flush();
        print_error(err, i18n::format(_fmt("unexpected failure: {}"), e.what()));
        return k_exit_software;
    } catch (...) {
        print_error(err, _("unexpected failure"));
        return k_exit_software;
    }
}

} // namespace credenza::cli
