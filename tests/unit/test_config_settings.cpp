#include <credenza/config/settings.hpp>
#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include "temp_dir.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using credenza::Error;
using credenza::ErrorCode;
using credenza::config::load_settings;
using credenza::config::LoadOptions;
using credenza::config::Settings;

namespace {

// A temporary directory per test, removed at the end.
using credenza::testing::TempDir;

// A fake environment: the tests never read or change the real one.
struct FakeEnvironment
{
    std::map<std::string, std::string> variables;

    LoadOptions options(std::optional<fs::path> config_file = std::nullopt) const
    {
        LoadOptions result;
        result.config_file = std::move(config_file);
        result.getenv = [this](const char* name) -> const char* {
            const auto found = variables.find(name);
            return found == variables.end() ? nullptr : found->second.c_str();
        };
        result.environment_names = [this] {
            std::vector<std::string> names;
            for (const auto& [name, value] : variables) {
                names.push_back(name);
            }
            return names;
        };
        result.default_config = "/nonexistent/credenza-test/credenza.conf";
        return result;
    }
};

std::string load_error(const LoadOptions& options)
{
    try {
        load_settings(options);
    } catch (const Error& error) {
        CHECK(error.code() == ErrorCode::config);
        return error.what();
    }
    FAIL("load_settings did not throw");
    return {};
}

std::string read_text(const fs::path& path)
{
    std::ifstream in(path);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST_CASE("config settings: with no file and no environment every setting has its built-in default")
{
    const FakeEnvironment environment;
    const auto settings = load_settings(environment.options());
    CHECK_FALSE(settings.config_file.has_value());
    CHECK(settings.db.empty());
    CHECK(settings.school.code.empty());
    CHECK(settings.mail.transport == "dir");
    CHECK(settings.mail.outbox == "outbox");
    CHECK(settings.mail.language == "it");
    CHECK(settings.mail.daily_cap == 2000);
    CHECK(settings.smtp.tls == "starttls");
    CHECK(settings.smtp.verify_peer);
    CHECK(settings.smtp.connections == 4);
    CHECK(settings.credentials.user_code_format == "{kind}XXXXXXXX");
    CHECK(settings.policy.pin_max_failures == 10);
    CHECK(settings.policy.self_service_recover);
    CHECK(settings.policy.family_login == "password");
}

TEST_CASE("config settings: values in the file replace the defaults, in every section")
{
    const TempDir dir;
    const auto file = dir.write("credenza.conf", "# a comment\n"
                                                 "db = /var/lib/credenza/school.db\n"
                                                 "\n"
                                                 "[school]\n"
                                                 "code = 87004020589\n"
                                                 "name = \"Liceo Galileo Galilei\"\n"
                                                 "[mail]\n"
                                                 "transport = smtp   # with a trailing comment\n"
                                                 "language = en\n"
                                                 "daily_cap = 1500\n"
                                                 "[smtp]\r\n"
                                                 "url = smtps://smtp.example.org:465\r\n"
                                                 "verify_peer = no\r\n"
                                                 "connections = 16\r\n"
                                                 "[credentials]\n"
                                                 "pin_length = 8\n"
                                                 "[policy]\n"
                                                 "self_service_recover = off\n"
                                                 "family_login = spid_cie\n"
                                                 "pin_max_failures = 3\n");
    const FakeEnvironment environment;
    const auto settings = load_settings(environment.options(file));
    CHECK(settings.config_file == file);
    CHECK(settings.db == "/var/lib/credenza/school.db");
    CHECK(settings.school.code == "87004020589");
    CHECK(settings.school.name == "Liceo Galileo Galilei");
    CHECK(settings.mail.transport == "smtp");
    CHECK(settings.mail.language == "en");
    CHECK(settings.mail.daily_cap == 1500);
    CHECK(settings.smtp.url == "smtps://smtp.example.org:465");
    CHECK_FALSE(settings.smtp.verify_peer);
    CHECK(settings.smtp.connections == 16);
    CHECK(settings.credentials.pin_length == 8);
    CHECK_FALSE(settings.policy.self_service_recover);
    CHECK(settings.policy.family_login == "spid_cie");
    CHECK(settings.policy.pin_max_failures == 3);
    CHECK(settings.mail.outbox == "outbox"); // untouched keys keep their defaults
}

TEST_CASE("config settings: a file starting with a UTF-8 byte order mark is read")
{
    const TempDir dir;
    const auto file = dir.write("credenza.conf", "\xEF\xBB\xBF" "db = school.db\n");
    const FakeEnvironment environment;
    CHECK(load_settings(environment.options(file)).db == "school.db");
}

TEST_CASE("config settings: every boolean spelling is understood")
{
    const std::map<std::string, bool> spellings = {{"true", true}, {"yes", true},   {"on", true},  {"1", true},
                                                   {"false", false}, {"no", false}, {"off", false}, {"0", false},
                                                   {"Yes", true}};
    for (const auto& [text, expected] : spellings) {
        FakeEnvironment environment;
        environment.variables["CREDENZA_SMTP_VERIFY_PEER"] = text;
        CAPTURE(text);
        CHECK(load_settings(environment.options()).smtp.verify_peer == expected);
    }
}

TEST_CASE("config settings: the environment overrides the file")
{
    const TempDir dir;
    const auto file = dir.write("credenza.conf", "db = from-file.db\n[smtp]\nurl = smtp://file:587\nconnections = 2\n");
    FakeEnvironment environment;
    environment.variables = {{"CREDENZA_DB", "from-env.db"},
                             {"CREDENZA_SMTP_CONNECTIONS", "8"},
                             {"CREDENZA_MAIL_TRANSPORT", "smtp"},
                             {"CREDENZA_POLICY_PIN_MAX_FAILURES", "5"},
                             {"CREDENZA_POLICY_SELF_SERVICE_RECOVER", "false"}};
    const auto settings = load_settings(environment.options(file));
    CHECK(settings.db == "from-env.db");
    CHECK(settings.smtp.connections == 8);
    CHECK(settings.smtp.url == "smtp://file:587");
    CHECK(settings.mail.transport == "smtp");
    CHECK(settings.policy.pin_max_failures == 5);
    CHECK_FALSE(settings.policy.self_service_recover);
}

TEST_CASE("config settings: db is a top-level key, not a key of a section")
{
    const TempDir dir;
    const FakeEnvironment environment;
    const auto top = dir.write("top.conf", "db = top.db\n[mail]\nlanguage = en\n");
    CHECK(load_settings(environment.options(top)).db == "top.db");

    const auto inside = dir.write("inside.conf", "[mail]\ndb = inside.db\n");
    CHECK(load_error(environment.options(inside)) == inside.string() + ":2: unknown key 'mail.db': did you mean 'db'?");
}

TEST_CASE("config settings: an unknown key is reported with its file and line")
{
    const TempDir dir;
    const auto file = dir.write("credenza.conf", "# settings\n[mail]\nlanguage = it\n\n[smtp]\nurl = smtp://a:587\nhost = a\n");
    const FakeEnvironment environment;
    CHECK(load_error(environment.options(file)) == file.string() + ":7: unknown key 'smtp.host'");
}

TEST_CASE("config settings: an smtp password in the file is refused without echoing it")
{
    const TempDir dir;
    const auto file = dir.write("credenza.conf", "[smtp]\npassword = hunter2-secret\n");
    const FakeEnvironment environment;
    const auto message = load_error(environment.options(file));
    CHECK(message.starts_with(file.string() + ":2: unknown key 'smtp.password': "));
    CHECK(message.find("password_file") != std::string::npos);
    CHECK(message.find("hunter2") == std::string::npos);
}

TEST_CASE("config settings: a line that is neither a section nor a key is reported without echoing it")
{
    const TempDir dir;
    const auto file = dir.write("credenza.conf", "[smtp]\nurl = smtp://a:587\nsecret-looking-line\n");
    const FakeEnvironment environment;
    const auto message = load_error(environment.options(file));
    CHECK(message == file.string() + ":3: expected '[section]' or 'key = value'");
}

TEST_CASE("config settings: a key set twice names both lines")
{
    const TempDir dir;
    const auto file = dir.write("credenza.conf", "[mail]\nlanguage = it\nfrom = a@b.it\nlanguage = en\n");
    const FakeEnvironment environment;
    CHECK(load_error(environment.options(file)) ==
          file.string() + ":4: 'mail.language' is set twice (first on line 2)");
}

TEST_CASE("config settings: a number that is not a number is named with its line and key")
{
    const TempDir dir;
    const auto file = dir.write("credenza.conf", "[policy]\ninitial_password_days = 30\npin_max_failures = ten\n");
    const FakeEnvironment environment;
    CHECK(load_error(environment.options(file)) ==
          file.string() + ":3: bad value for 'policy.pin_max_failures': 'ten' is not a number");
}

TEST_CASE("config settings: a value outside the allowed choices lists them")
{
    const TempDir dir;
    const FakeEnvironment environment;
    const auto transport = dir.write("transport.conf", "[school]\ncode = X\n[mail]\ntransport = imap\n");
    CHECK(load_error(environment.options(transport)) ==
          transport.string() + ":4: 'mail.transport' must be 'dir' or 'smtp' (found 'imap')");

    const auto tls = dir.write("tls.conf", "[smtp]\ntls = ssl\n");
    CHECK(load_error(environment.options(tls)) ==
          tls.string() + ":2: 'smtp.tls' must be 'starttls', 'implicit' or 'none' (found 'ssl')");

    const auto language = dir.write("language.conf", "[mail]\nlanguage = fr\n");
    CHECK(load_error(environment.options(language)) ==
          language.string() + ":2: 'mail.language' must be 'it' or 'en' (found 'fr')");
}

TEST_CASE("config settings: a number out of its range is named with the range")
{
    const TempDir dir;
    const FakeEnvironment environment;
    const auto low = dir.write("low.conf", "[policy]\npassword_min_length = 7\n");
    CHECK(load_error(environment.options(low)) ==
          low.string() + ":2: bad value for 'policy.password_min_length': '7' is out of range 8..64");

    const auto huge = dir.write("huge.conf", "[mail]\ndaily_cap = 99999999999\n");
    CHECK(load_error(environment.options(huge)) ==
          huge.string() + ":2: bad value for 'mail.daily_cap': '99999999999' is out of range 1..1000000");

    const auto negative = dir.write("negative.conf", "[mail]\nrate_per_minute = -1\n");
    CHECK(load_error(environment.options(negative)) ==
          negative.string() + ":2: bad value for 'mail.rate_per_minute': '-1' is out of range 0..1000000");
}

TEST_CASE("config settings: the bounds of a range are themselves allowed")
{
    FakeEnvironment environment;
    environment.variables = {{"CREDENZA_SMTP_TIMEOUT_SECONDS", "600"}, {"CREDENZA_POLICY_RECOVER_INTERVAL_MINUTES", "1"}};
    const auto settings = load_settings(environment.options());
    CHECK(settings.smtp.timeout_seconds == 600);
    CHECK(settings.policy.recover_interval_minutes == 1);
}

TEST_CASE("config settings: a bad boolean, including an empty one, is refused")
{
    const TempDir dir;
    const FakeEnvironment environment;
    const auto maybe = dir.write("maybe.conf", "[smtp]\nverify_peer = maybe\n");
    CHECK(load_error(environment.options(maybe)) ==
          maybe.string() + ":2: bad value for 'smtp.verify_peer': 'maybe' is not a boolean "
                           "(true/false, yes/no, on/off, 1/0)");
    const auto empty = dir.write("empty.conf", "[smtp]\nverify_peer =\n");
    CHECK(load_error(environment.options(empty)).starts_with(empty.string() + ":2: bad value for 'smtp.verify_peer': ''"));
}

TEST_CASE("config settings: a bad value in the environment names the variable")
{
    FakeEnvironment environment;
    environment.variables["CREDENZA_SMTP_CONNECTIONS"] = "0";
    CHECK(load_error(environment.options()) ==
          "environment: bad value for CREDENZA_SMTP_CONNECTIONS: '0' is out of range 1..16");

    environment.variables = {{"CREDENZA_MAIL_DAILY_CAP", "lots"}};
    CHECK(load_error(environment.options()) == "environment: bad value for CREDENZA_MAIL_DAILY_CAP: 'lots' is not a number");

    environment.variables = {{"CREDENZA_MAIL_TRANSPORT", "imap"}};
    CHECK(load_error(environment.options()) ==
          "environment: CREDENZA_MAIL_TRANSPORT must be 'dir' or 'smtp' (found 'imap')");
}

TEST_CASE("config settings: an smtp url must be smtp:// or smtps:// and carry no credentials")
{
    FakeEnvironment environment;
    environment.variables["CREDENZA_SMTP_URL"] = "http://mail.example.org";
    // Never echoed: a password typed in the wrong place would end up in cron's mail.
    CHECK(load_error(environment.options()) ==
          "environment: CREDENZA_SMTP_URL must start with 'smtp://' or 'smtps://'");

    environment.variables["CREDENZA_SMTP_URL"] = "smtp://user:hunter2@mail.example.org:587";
    const auto message = load_error(environment.options());
    CHECK(message.starts_with("environment: CREDENZA_SMTP_URL must not carry a user or password"));
    CHECK(message.find("hunter2") == std::string::npos);
}

TEST_CASE("config settings: an imap url must be imap:// or imaps:// and carry no credentials")
{
    FakeEnvironment environment;
    environment.variables["CREDENZA_IMAP_URL"] = "imaps://segreteria:hunter2@imap.example.org/INBOX";
    const auto message = load_error(environment.options());
    CHECK(message.starts_with("environment: CREDENZA_IMAP_URL must not carry a user or password"));
    CHECK(message.find("hunter2") == std::string::npos);
    environment.variables["CREDENZA_IMAP_URL"] = "https://imap.example.org/INBOX";
    CHECK(load_error(environment.options()).starts_with("environment: CREDENZA_IMAP_URL must start with 'imap://'"));
}

TEST_CASE("config settings: CREDENZA_SMTP_PASSWORD is neither rejected nor stored")
{
    const std::string secret = "s3cret-smtp-password";
    FakeEnvironment environment;
    environment.variables = {{"CREDENZA_SMTP_PASSWORD", secret}, {"CREDENZA_SMTP_USER", "segreteria"}};
    const auto settings = load_settings(environment.options());
    CHECK(settings.smtp.user == "segreteria");
    CHECK(settings.smtp.password_file.empty());
    // No string field of any section holds the secret.
    for (const auto* field : {&settings.db, &settings.smtp.url, &settings.smtp.user, &settings.smtp.password_file,
                              &settings.smtp.ca_file, &settings.mail.from, &settings.credentials.key_file}) {
        CHECK(field->find(secret) == std::string::npos);
    }
}

TEST_CASE("config settings: an unknown CREDENZA_ variable is rejected, other variables are not")
{
    FakeEnvironment environment;
    environment.variables = {{"HOME", "/root"}, {"CREDENZA_FOO", "1"}};
    CHECK(load_error(environment.options()) == "unknown environment variable 'CREDENZA_FOO'");

    environment.variables = {{"HOME", "/root"}, {"CREDENZA_DB", "x.db"}};
    CHECK(load_settings(environment.options()).db == "x.db");
}

TEST_CASE("config settings: a missing --config file is an error")
{
    const TempDir dir;
    const FakeEnvironment environment;
    const auto missing = dir.path() / "missing.conf";
    CHECK(load_error(environment.options(missing)) ==
          "cannot read config file '" + missing.string() + "': No such file or directory");
}

TEST_CASE("config settings: CREDENZA_CONFIG names the file, and --config wins over it")
{
    const TempDir dir;
    const auto from_env = dir.write("env.conf", "db = env.db\n");
    const auto from_flag = dir.write("flag.conf", "db = flag.db\n");
    FakeEnvironment environment;
    environment.variables["CREDENZA_CONFIG"] = from_env.string();
    CHECK(load_settings(environment.options()).db == "env.db");
    CHECK(load_settings(environment.options()).config_file == from_env);
    CHECK(load_settings(environment.options(from_flag)).db == "flag.db");

    environment.variables["CREDENZA_CONFIG"] = (dir.path() / "missing.conf").string();
    CHECK(load_error(environment.options()).starts_with("cannot read config file '"));
}

TEST_CASE("config settings: the default config file is read only when it exists")
{
    const TempDir dir;
    const FakeEnvironment environment;
    auto options = environment.options();
    options.default_config = dir.path() / "credenza.conf";
    auto settings = load_settings(options);
    CHECK_FALSE(settings.config_file.has_value());
    CHECK(settings.db.empty());

    dir.write("credenza.conf", "db = default.db\n");
    settings = load_settings(options);
    CHECK(settings.config_file == options.default_config);
    CHECK(settings.db == "default.db");
}

TEST_CASE("config settings: every key has its environment variable")
{
    using credenza::config::environment_name;
    CHECK(environment_name("db") == "CREDENZA_DB");
    CHECK(environment_name("policy.pin_max_failures") == "CREDENZA_POLICY_PIN_MAX_FAILURES");
    const auto keys = credenza::config::setting_keys();
    CHECK(keys.size() == 63); // 45 + mail.student_tone + credentials.parallel_hashes, hash_wait_seconds + school.cycle, first_cycle_classes + policy.reminder_interval_days + school.timezone, ui.language + mail.verp + 9 imap.*
    for (const auto& key : keys) {
        FakeEnvironment environment;
        // Numbers, booleans and choices reject this value naming the variable; free text takes it,
        // so the settings must then differ from the defaults.
        environment.variables[environment_name(key)] = "smtp://not-a-number";
        CAPTURE(key);
        Settings settings;
        std::string message;
        try {
            settings = load_settings(environment.options());
        } catch (const Error& error) {
            message = error.what();
        }
        if (message.empty()) {
            CHECK_FALSE(settings == Settings{});
        } else {
            CHECK(message.find(environment_name(key)) != std::string::npos);
        }
    }
}

TEST_CASE("config settings: the man page and the example file document every key")
{
    const fs::path root = fs::path(CREDENZA_TEST_DATA).parent_path().parent_path();
    const auto man_page = read_text(root / "man" / "credenza.conf.5");
    const auto example = read_text(root / "schemas" / "credenza.conf.example");
    for (const auto& key : credenza::config::setting_keys()) {
        CAPTURE(key);
        const auto dot = key.find('.');
        const auto name = dot == std::string::npos ? key : key.substr(dot + 1);
        CHECK(man_page.find(".B " + name + "\n") != std::string::npos);
        CHECK(man_page.find(credenza::config::environment_name(key)) != std::string::npos);
        CHECK(example.find(name + " =") != std::string::npos);
    }
}

TEST_CASE("config settings: the example file is valid with every commented key set")
{
    const fs::path root = fs::path(CREDENZA_TEST_DATA).parent_path().parent_path();
    const auto example = read_text(root / "schemas" / "credenza.conf.example");
    // "#key = value" shows a setting; "# text" is prose.
    const std::regex commented_key("^#([a-z_]+ =)", std::regex::multiline);
    const TempDir dir;
    const auto file = dir.write("credenza.conf", std::regex_replace(example, commented_key, "$1"));
    const FakeEnvironment environment;
    const auto settings = load_settings(environment.options(file));
    CHECK(settings.db == "/var/lib/credenza/credenza.db");
    CHECK(settings.smtp.url == "smtp://smtp.gmail.com:587");
    CHECK(settings.mail.from == "Segreteria Liceo Galilei <segreteria@galilei.edu.it>");
    CHECK(settings.policy.password_min_length == 15);
}

namespace {

// The error of loading a config file holding `text`, its path written "FILE".
std::string file_error(const std::string& text)
{
    const TempDir dir;
    const FakeEnvironment environment;
    const auto file = dir.write("credenza.conf", text);
    auto message = load_error(environment.options(file));
    if (message.starts_with(file.string())) {
        message.replace(0, file.string().size(), "FILE");
    }
    return message;
}

} // namespace

TEST_CASE("config settings: an unknown key suggests the closest known key, also from another section")
{
    CHECK(file_error("[smtp]\ntimeout_second = 5\n") ==
          "FILE:2: unknown key 'smtp.timeout_second': did you mean 'smtp.timeout_seconds'?");
    CHECK(file_error("[smtp]\ntimeout = 5\n") ==
          "FILE:2: unknown key 'smtp.timeout': did you mean 'smtp.timeout_seconds'?");
    CHECK(file_error("[mail]\nca_file = x.pem\n") == "FILE:2: unknown key 'mail.ca_file': did you mean 'smtp.ca_file'?");
    CHECK(file_error("[policy]\nzzzzzzzzzzzz = 1\n") == "FILE:2: unknown key 'policy.zzzzzzzzzzzz'");
}

TEST_CASE("config settings: an unknown section is named, with the closest known section")
{
    CHECK(file_error("[mail]\nlanguage = it\n[stmp]\nurl = smtp://a:587\n") ==
          "FILE:4: unknown section '[stmp]': did you mean '[smtp]'?");
}

TEST_CASE("config settings: keys of every section are range-checked at load, credentials included")
{
    CHECK(file_error("[credentials]\npin_length = 4\n") ==
          "FILE:2: bad value for 'credentials.pin_length': '4' is out of range 6..10");
}

TEST_CASE("config settings: [mail] from takes a display name, a malformed one names file, line and key")
{
    const TempDir dir;
    const FakeEnvironment environment;
    const auto file =
        dir.write("a.conf", "[mail]\nfrom = \"Segreteria ITIS Vallauri <segreteria@itisvallauri.edu.it>\"\n");
    CHECK(load_settings(environment.options(file)).mail.from ==
          "Segreteria ITIS Vallauri <segreteria@itisvallauri.edu.it>");
    CHECK(file_error("[mail]\nfrom = Segreteria <segreteria@>\n").starts_with("FILE:2: bad value for 'mail.from': "));
}

TEST_CASE("config settings: tls = none only for a server on this machine and without a password")
{
    const TempDir dir;
    FakeEnvironment environment;
    const auto file = dir.write("a.conf", "[smtp]\nurl = smtp://127.0.0.1:2525\ntls = none\n");
    CHECK(load_settings(environment.options(file)).smtp.tls == "none");
    CHECK(file_error("[smtp]\nurl = smtp://mail.example.it:25\ntls = none\n").starts_with("FILE:3: 'smtp.tls' = none"));
    CHECK(file_error("[smtp]\nurl = smtp://localhost:25\ntls = none\nuser = a@example.it\n").find("password in clear") !=
          std::string::npos);
    const auto ipv6 = dir.write("b.conf", "[smtp]\nurl = smtp://[::1]:25\ntls = none\n");
    environment.variables["CREDENZA_SMTP_PASSWORD"] = "hunter2";
    const auto message = load_error(environment.options(ipv6));
    CHECK(message.find("password in clear") != std::string::npos);
    CHECK(message.find("hunter2") == std::string::npos);
}
