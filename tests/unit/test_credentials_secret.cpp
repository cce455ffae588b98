#include <credenza/credentials/secret.hpp>

#include <doctest/doctest.h>

#include <string>
#include <utility>

using credenza::credentials::Secret;

TEST_CASE("secret: holds the string it was given and empties the caller's heap string")
{
    std::string value(40, 'k');
    Secret secret(std::move(value));
    CHECK(secret.view() == std::string(40, 'k'));
    CHECK(secret.size() == 40);
    CHECK_FALSE(secret.empty());
    CHECK(value.empty());
}

TEST_CASE("secret: a moved-from secret is empty")
{
    Secret first(std::string("s3cret-pin"));
    Secret second(std::move(first));
    CHECK(second.view() == "s3cret-pin");
    CHECK(first.empty());   // NOLINT(bugprone-use-after-move): the point of the test
    CHECK(first.view().empty());

    Secret third(std::string("older"));
    third = std::move(second);
    CHECK(third.view() == "s3cret-pin");
    CHECK(second.empty());  // NOLINT(bugprone-use-after-move)
}

TEST_CASE("secret: clear() empties it and it can be filled again")
{
    Secret secret(std::string("abcdef"));
    secret.clear();
    CHECK(secret.empty());
    CHECK(secret.size() == 0);
    secret.push_back('z');
    CHECK(secret.view() == "z");
}

TEST_CASE("secret: push_back keeps every character past the reserved 256")
{
    Secret secret;
    std::string expected;
    for (int i = 0; i < 1000; ++i) {
        const char c = static_cast<char>('a' + i % 26);
        secret.push_back(c);
        expected.push_back(c);
    }
    CHECK(secret.size() == 1000);
    CHECK(secret.view() == expected);
}
