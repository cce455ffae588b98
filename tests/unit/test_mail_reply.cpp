#include <credenza/mail/transport.hpp>

#include <doctest/doctest.h>

using namespace credenza::mail;

TEST_CASE("reply: 2xx is sent")
{
    CHECK(classify(250, "250 2.0.0 Ok: queued as 4Xyz") == Outcome::sent);
    CHECK(classify(251, "251 2.1.5 User not local; will forward") == Outcome::sent);
}

TEST_CASE("reply: other 4xx replies defer the letter")
{
    CHECK(classify(451, "451 4.3.0 Temporary failure, try again later") == Outcome::deferred);
    CHECK(classify(450, "450 4.2.0 Mailbox unavailable") == Outcome::deferred);
    CHECK(classify(452, "452 4.2.2 Mailbox full") == Outcome::deferred);
}

TEST_CASE("reply: other 5xx replies fail the letter")
{
    CHECK(classify(550, "550 5.1.1 <x@example.it>: Recipient address rejected: User unknown") == Outcome::failed);
    CHECK(classify(554, "554 5.7.1 Message rejected") == Outcome::failed);
    CHECK(classify(552, "552 5.3.4 Message too big") == Outcome::failed);
}

TEST_CASE("reply: provider limits pause the whole batch")
{
    CHECK(classify(421, "421 4.7.0 Try again later, closing connection") == Outcome::paused);
    CHECK(classify(450, "450 4.2.1 The user you are trying to contact is receiving mail too quickly")
          == Outcome::paused);
    CHECK(classify(550, "550 5.4.5 Daily user sending quota exceeded") == Outcome::paused);
    CHECK(classify(452, "452 4.5.3 Your message has too many recipients") == Outcome::paused);
    // The enhanced code may come without the basic code in front, or with a continuation dash.
    CHECK(classify(550, "5.4.5 Daily user sending quota exceeded") == Outcome::paused);
    CHECK(classify(550, "550-5.4.5 Daily user sending quota exceeded") == Outcome::paused);
}

TEST_CASE("reply: no reply at all (a connection error) defers the letter")
{
    CHECK(classify(0, "Failed to connect to 127.0.0.1 port 1: Connection refused") == Outcome::deferred);
}
