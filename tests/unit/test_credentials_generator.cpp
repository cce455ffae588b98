#include <credenza/credentials/generator.hpp>

#include <credenza/error.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

using namespace credenza::credentials;

namespace {

// Returns the given values in turn, checking each against the bound asked for.
class SequenceRandom final : public RandomSource
{
public:
    explicit SequenceRandom(std::vector<std::uint32_t> values) : m_values(std::move(values)) {}
    std::uint32_t uniform(std::uint32_t upper_bound) override
    {
        REQUIRE(m_next < m_values.size());
        const auto value = m_values[m_next++];
        REQUIRE(value < upper_bound);
        return value;
    }
    std::size_t calls() const { return m_next; }

private:
    std::vector<std::uint32_t> m_values;
    std::size_t m_next = 0;
};

std::vector<std::uint32_t> digits_of(const std::string& text)
{
    std::vector<std::uint32_t> values;
    for (const char c : text) {
        values.push_back(static_cast<std::uint32_t>(c - '0'));
    }
    return values;
}

std::string config_error_of(const GeneratorSettings& settings)
{
    try {
        Generator generator(settings);
    } catch (const credenza::Error& error) {
        CHECK(error.code() == credenza::ErrorCode::config);
        return error.what();
    }
    FAIL("the settings were accepted");
    return {};
}

// Chi-square statistic of symbol counts against a uniform distribution over `alphabet`.
double chi_square(const std::map<char, long>& counts, std::string_view alphabet, long total)
{
    const double expected = static_cast<double>(total) / static_cast<double>(alphabet.size());
    double statistic = 0;
    for (const char c : alphabet) {
        const auto found = counts.find(c);
        const double observed = found == counts.end() ? 0.0 : static_cast<double>(found->second);
        statistic += (observed - expected) * (observed - expected) / expected;
    }
    return statistic;
}

// The chi-square value exceeded with probability about 1e-6 (Wilson-Hilferty,
// z = 4.75): loose enough never to flake, tight enough to catch a biased or missing symbol.
double chi_square_limit(std::size_t symbols)
{
    const double df = static_cast<double>(symbols - 1);
    const double a = 2.0 / (9.0 * df);
    return df * std::pow(1.0 - a + 4.75 * std::sqrt(a), 3.0);
}

} // namespace

TEST_CASE("generator: passwords have the configured length and only alphabet characters")
{
    for (const std::size_t length : {std::size_t{10}, std::size_t{12}, std::size_t{64}}) {
        Generator generator(GeneratorSettings{length, 6, "{kind}XXXXXXXX"});
        for (int i = 0; i < 50; ++i) {
            const Secret password = generator.password();
            REQUIRE(password.size() == length);
            for (const char c : password.view()) {
                REQUIRE(k_password_alphabet.find(c) != std::string_view::npos);
            }
        }
    }
}

TEST_CASE("generator: the password alphabet has no look-alike characters")
{
    for (const char c : std::string_view("0Oo1lI")) {
        CHECK(k_password_alphabet.find(c) == std::string_view::npos);
        CHECK(k_user_code_alphabet.find(c) == std::string_view::npos);
    }
    CHECK(k_user_code_alphabet.size() == 32);
}

TEST_CASE("generator: a password is the alphabet symbols the random source picks")
{
    SequenceRandom random({0, 1, 2, 3, 55, 54, 8, 30, 47, 48, 0, 0});
    Generator generator({}, random);
    CHECK(generator.password().view() == "ABCD98Jgz2AA");
    CHECK(random.calls() == 12);
}

TEST_CASE("generator: a PIN is 6 digits by default and as long as configured")
{
    Generator generator;
    for (int i = 0; i < 100; ++i) {
        const Secret pin = generator.pin();
        REQUIRE(pin.size() == 6);
        REQUIRE(pin.view().find_first_not_of("0123456789") == std::string_view::npos);
    }
    CHECK(Generator(GeneratorSettings{12, 10, "{kind}XXXXXXXX"}).pin().size() == 10);
}

TEST_CASE("generator: a PIN of one repeated digit or a straight run is drawn again")
{
    SequenceRandom random(digits_of("111111" "123456" "987654" "890123" "210987" "402719"));
    Generator generator({}, random);
    CHECK(generator.pin().view() == "402719");
    CHECK(random.calls() == 36);
}

TEST_CASE("generator: a PIN that only starts like a run is kept")
{
    SequenceRandom random(digits_of("123457"));
    Generator generator({}, random);
    CHECK(generator.pin().view() == "123457");
}

TEST_CASE("generator: a user code follows its format")
{
    SUBCASE("the default format: kind letter and 8 symbols")
    {
        SequenceRandom random({0, 1, 2, 3, 4, 5, 6, 31, 31, 30, 29, 28, 27, 26, 25, 0});
        Generator generator({}, random);
        CHECK(generator.user_code(AccountKind::family) == "F2345678Z");
        CHECK(generator.user_code(AccountKind::student) == "SZYXWVUT2");
    }
    SUBCASE("literals, '-' and '9' digits 2..9")
    {
        SequenceRandom random({0, 7, 1, 2, 3, 4, 5, 6, 7, 8});
        Generator generator(GeneratorSettings{12, 6, "RE-{kind}99-XXXXXXXX"}, random);
        CHECK(generator.user_code(AccountKind::student) == "RE-S29-3456789A");
    }
    SUBCASE("with the system random source")
    {
        Generator generator;
        for (int i = 0; i < 100; ++i) {
            const std::string code = generator.user_code(AccountKind::family);
            REQUIRE(code.size() == 9);
            REQUIRE(code[0] == 'F');
            REQUIRE(code.find_first_not_of(k_user_code_alphabet, 1) == std::string::npos);
        }
    }
}

TEST_CASE("generator: every password symbol is equally frequent over 200k draws")
{
    Generator generator(GeneratorSettings{50, 6, "{kind}XXXXXXXX"});
    std::map<char, long> counts;
    long total = 0;
    for (int i = 0; i < 4000; ++i) {
        // Kept in a variable: a Secret is wiped as soon as it is destroyed.
        const Secret password = generator.password();
        for (const char c : password.view()) {
            ++counts[c];
            ++total;
        }
    }
    CHECK(counts.size() == k_password_alphabet.size());
    CHECK(chi_square(counts, k_password_alphabet, total) < chi_square_limit(k_password_alphabet.size()));
}

TEST_CASE("generator: every user code symbol and PIN digit is equally frequent")
{
    Generator generator(GeneratorSettings{12, 10, "{kind}XXXXXXXXXXXXXXXXXXXX"});
    std::map<char, long> symbols;
    std::map<char, long> digits;
    long symbol_total = 0;
    long digit_total = 0;
    for (int i = 0; i < 10000; ++i) {
        const std::string code = generator.user_code(AccountKind::student);
        for (const char c : std::string_view(code).substr(1)) {
            ++symbols[c];
            ++symbol_total;
        }
        const Secret pin = generator.pin();
        for (const char c : pin.view()) {
            ++digits[c];
            ++digit_total;
        }
    }
    CHECK(symbols.size() == k_user_code_alphabet.size());
    CHECK(chi_square(symbols, k_user_code_alphabet, symbol_total)
          < chi_square_limit(k_user_code_alphabet.size()));
    CHECK(digits.size() == 10);
    CHECK(chi_square(digits, "0123456789", digit_total) < chi_square_limit(10));
}

TEST_CASE("generator: the chi-square check rejects a skewed distribution")
{
    // Guards the frequency tests themselves: one symbol twice as likely must fail them.
    std::map<char, long> counts;
    long total = 0;
    for (const char c : k_user_code_alphabet) {
        counts[c] = 6000;
        total += 6000;
    }
    counts['2'] += 6000;
    total += 6000;
    CHECK(chi_square(counts, k_user_code_alphabet, total) > chi_square_limit(k_user_code_alphabet.size()));
}

TEST_CASE("generator: out-of-range lengths are rejected naming the setting")
{
    CHECK(config_error_of(GeneratorSettings{12, 4, "{kind}XXXXXXXX"})
          == "[credentials] pin_length must be between 6 and 10 (found 4)");
    CHECK(config_error_of(GeneratorSettings{12, 11, "{kind}XXXXXXXX"})
          == "[credentials] pin_length must be between 6 and 10 (found 11)");
    CHECK(config_error_of(GeneratorSettings{9, 6, "{kind}XXXXXXXX"})
          == "[credentials] password_length must be between 10 and 64 (found 9)");
    CHECK(config_error_of(GeneratorSettings{65, 6, "{kind}XXXXXXXX"})
          == "[credentials] password_length must be between 10 and 64 (found 65)");
}

TEST_CASE("generator: a user code format with too little randomness or bad characters is rejected")
{
    const auto rejects = [](const std::string& format, const std::string& expected_part) {
        const std::string message = config_error_of(GeneratorSettings{12, 6, format});
        CHECK(message.find("[credentials] user_code_format") == 0);
        CHECK_MESSAGE(message.find(expected_part) != std::string::npos, message);
    };
    rejects("{kind}XXXXXXX", "at least 40 random bits");        // 35 bits
    rejects("{kind}99999999", "at least 40 random bits");       // 24 bits
    rejects("", "at least 40 random bits");
    rejects("{kind}xxxxxxxx", "has 'x' at position 7");
    rejects("{kind}XXXX XXXX", "has ' ' at position 11");
    rejects("{kid}XXXXXXXX", "unknown field");
    rejects("{kind}XXXXXXXX{", "unknown field");
    rejects("{kind}" + std::string(32, 'X'), "at most 32 characters (found 33)");
}

TEST_CASE("generator: accepted user code formats")
{
    CHECK_NOTHROW(Generator(GeneratorSettings{12, 6, "XXXXXXXX"}));
    CHECK_NOTHROW(Generator(GeneratorSettings{12, 6, "{kind}XXXXXX9999"})); // 30 + 12 bits
    CHECK_NOTHROW(Generator(GeneratorSettings{12, 6, std::string(32, 'X')}));
}
