// credenza send: deliver queued letters; secrets are made here, at send time.

#include <atomic>
#include <csignal>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <credenza/dispatch/send.hpp>

#include "cli/commands/registry.hpp"
#include "lib/i18n/gettext.hpp"
#include "cli/context.hpp"
#include "cli/terminal.hpp"
#include "cli/output/json.hpp"
#include "cli/exit_codes.hpp"
#include "cli/messages.hpp"

namespace credenza::cli {

namespace {

std::atomic<bool> g_stop_requested = false;

extern "C" void request_stop(int)
{
    g_stop_requested = true;
    // A second Ctrl-C ends the process at once; nothing is lost either way.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

struct SendCommand
{
    int limit = 0;
    std::string rate;
    int jobs = 0;
    bool dry_run = false;
    bool retry_now = false;
};

int parse_rate(const std::string& text)
{
    std::string number = text;
    if (const auto slash = text.find('/'); slash != std::string::npos) {
        const std::string unit = text.substr(slash + 1);
        if (unit != "min" && unit != "m") {
            throw Error(ErrorCode::usage, i18n::format(_fmt("invalid --rate '{}': use N/min, e.g. 30/min"), text));
        }
        number = text.substr(0, slash);
    }
    try {
        std::size_t used = 0;
        const int rate = std::stoi(number, &used);
        if (used != number.size() || rate < 1 || rate > 100000) {
            throw std::invalid_argument("range");
        }
        return rate;
    } catch (const std::exception&) {
        throw Error(ErrorCode::usage,
                    i18n::format(_fmt("invalid --rate '{}': use N/min with N from 1 to 100000"), text));
    }
}

void print_summary(Context& context, const dispatch::SendReport& report, bool dry_run)
{
    if (context.output().format == Format::json) {
        auto failures = output::Json::array();
        for (const auto& failure : report.failures) {
            failures.push_back({{"user_code", failure.user_code},
                                {"recipient", failure.recipient},
                                {"code", failure.code},
                                {"reply", failure.reply}});
        }
        output::Json summary = {{"dry_run", dry_run},
                                {"due", report.due},
                                {"sent", report.sent},
                                {"deferred", report.deferred},
                                {"failed", report.failed},
                                {"cancelled", report.cancelled},
                                {"left_for_tomorrow", report.left_for_tomorrow},
                                {"not_started", report.not_started},
                                {"recovered", report.recovered},
                                {"paused", report.paused},
                                {"failures", std::move(failures)}};
        output::write_json(context.out, summary);
        return;
    }
    // Under -q (cron) the one line a person must act on, and nothing when all is well.
    if (const auto alert = send_alert(report); !alert.empty()) {
        context.err << i18n::format(_fmt("credenza: error: {}"), alert) << '\n';
    }
    const bool problems = report.deferred > 0 || report.failed > 0 || report.paused || report.left_for_tomorrow > 0;
    // Quiet on success under cron; a terminal (or -v) always gets the summary.
    if (context.global.quiet || (!::isatty(STDOUT_FILENO) && !problems && context.global.verbose == 0)) {
        return;
    }
    if (dry_run) {
        context.out << i18n::format(P_("dry run: {} letter due now, {} over the daily cap",
                                       "dry run: {} letters due now, {} over the daily cap", report.due),
                                    report.due, report.left_for_tomorrow)
                    << '\n';
        return;
    }
    if (report.recovered > 0) {
        context.out << i18n::format(P_("{} letter was interrupted by an earlier run retried with new secrets",
                                       "{} letters were interrupted by an earlier run retried with new secrets",
                                       report.recovered),
                                    report.recovered)
                    << '\n';
    }
    context.out << i18n::format(_fmt("sent {}, deferred {}, failed {}, cancelled {}, left for tomorrow {}"),
                                report.sent, report.deferred, report.failed, report.cancelled,
                                report.left_for_tomorrow)
                << (report.not_started > 0 ? i18n::format(_fmt(", not started {}"), report.not_started) : "") << '\n';
    for (const auto& failure : report.failures) {
        context.out << i18n::format(_fmt("failed: {} <{}>: {}"), failure.user_code, failure.recipient, failure.reply)
                    << '\n';
    }
    if (!report.misconfigured.empty()) {
        context.out << _("nothing more was sent; the letters spent no attempt and go out with the first 'credenza "
                         "send' after the fix")
                    << '\n';
    } else if (report.unavailable) {
        context.out << _("nothing more was sent; the letters wait for the next run") << '\n';
    } else if (report.paused) {
        context.out << i18n::format(_fmt("the mail provider asked to stop for now ({}): the rest waits for a later run"),
                                    report.pause_reply)
                    << '\n';
    }
    if (report.deferred > 0) {
        context.out << _("deferred letters are retried by the next 'credenza send' (after a backoff; --retry-now "
                         "to retry at once)")
                    << '\n';
    }
}

int run_send(Context& context, const SendCommand& command)
{
    const auto& settings = context.settings();
    SendRequest request;
    request.limit = command.limit;
    if (!command.rate.empty()) {
        request.rate_per_minute = parse_rate(command.rate);
    }
    request.jobs = command.jobs;
    request.dry_run = command.dry_run;
    request.retry_now = command.retry_now;
    request.stop = &g_stop_requested;

    if (settings.mail.transport != "smtp" && !settings.smtp.url.empty()) {
        context.warn(_("[smtp] url is set but [mail] transport is not 'smtp': letters go to the outbox directory"));
    }
    const bool bar = ::isatty(STDERR_FILENO) && context.chatty() && !command.dry_run;
    if (bar) {
        request.progress = [&context](const dispatch::Progress& p) {
            constexpr int width = 30;
            const int filled = p.total > 0 ? width * p.done / p.total : width;
            write_control(context.err, "\r"); // redraws the line: the program's own control character
            context.err << fmt::format("[{:<{}}] {}/{}  ", std::string(filled, '#'), width, p.done, p.total)
                        << i18n::format(_fmt("sent {}  deferred {}  failed {}"), p.sent, p.deferred, p.failed)
                        << std::flush;
        };
    }
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    const auto outcome = context.session().send(request);
    const auto& report = outcome.report;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (bar && report.due > 0) {
        context.err << '\n';
    }
    if (outcome.to_directory && report.sent > 0) {
        context.warn(i18n::format(_fmt("the letters in '{}' hold passwords and PINs in clear text: deliver them and "
                                       "delete them (set [mail] transport = smtp to send by e-mail)"),
                                  outcome.outbox.string()));
    }
    print_summary(context, report, command.dry_run);
    if (!report.misconfigured.empty()) {
        return k_exit_config;
    }
    if (report.unavailable) {
        return k_exit_unavailable;
    }
    if (report.deferred > 0 || report.paused || report.left_for_tomorrow > 0 || report.overdue > 0 ||
        (report.not_started > 0 && g_stop_requested)) {
        return k_exit_temporary;
    }
    return report.failed > 0 ? k_exit_data : k_exit_ok;
}

} // namespace

void install_send(CLI::App& app, Context& context, const CommandSpec& spec)
{
    auto command = std::make_shared<SendCommand>();
    auto* sub = app.add_subcommand(spec.name, _(spec.summary));
    sub->add_option("--limit", command->limit, _("send at most N letters in this run"))->check(CLI::PositiveNumber);
    sub->add_option("--rate", command->rate, _("at most N letters a minute, e.g. 30/min (default: [mail] rate_per_minute)"))
        ->type_name("N/min");
    sub->add_option("--jobs", command->jobs, _("threads hashing secrets (default: one per core)"))
        ->check(CLI::Range(1, 64));
    sub->add_flag("--dry-run", command->dry_run, _("count the letters due, send nothing"));
    sub->add_flag("--retry-now", command->retry_now, _("retry deferred letters now, without waiting for their backoff"));
    sub->callback([&context, command] { context.exit_code = run_send(context, *command); });
}

} // namespace credenza::cli
