// What the register's web front end does with libcredenza: open a session, check a password
// typed at the login page, and answer "Password dimenticata?".
//
//   frontend verify ACCOUNT      the password on standard input; exit 0 valid, 1 not
//   frontend recover CODE_OR_EMAIL
//
// The database and the configuration come as for the CLI: $CREDENZA_DB, $CREDENZA_CONFIG.

#include <iostream>
#include <string>

#include <credenza/credentials/secret.hpp>
#include <credenza/session.hpp>
#include <credenza/version.hpp>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: frontend verify ACCOUNT | frontend recover CODE_OR_EMAIL\n";
        return 64;
    }
    const std::string action = argv[1];
    try {
        credenza::SessionOptions options;
        options.settings = credenza::config::load_settings();
        options.operator_name = "web"; // a front end names itself; the visitor is not an operator
        auto session = credenza::Session::open(std::move(options));

        if (action == "verify") {
            std::string line;
            std::getline(std::cin, line);
            const credenza::credentials::Secret password(std::move(line)); // wiped when it goes
            const auto result = session.verify(argv[2], credenza::credentials::Purpose::password, password.view());
            const bool valid = result.status == credenza::accounts::VerifyStatus::valid;
            std::cout << (valid ? "welcome" : "wrong user code or password") << " (libcredenza "
                      << credenza::k_version << ")\n";
            return valid ? 0 : 1;
        }
        if (action == "recover") {
            session.recover(argv[2]);
            std::cout << "if this is a recorded user code or address, new credentials are on their way to it\n";
            return 0;
        }
        std::cerr << "unknown action '" << action << "'\n";
        return 64;
    } catch (const credenza::Error& error) {
        std::cerr << "frontend: " << error.what() << '\n';
        return 70;
    }
}
