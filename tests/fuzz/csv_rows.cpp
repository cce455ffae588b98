// The enrolment CSV reader, and every field of every row through the validators an import uses.
#include "fuzz.hpp"

#include <credenza/enrolment/codice_fiscale.hpp>
#include <credenza/enrolment/csv_reader.hpp>
#include <credenza/enrolment/fields.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace credenza;
    const auto path = fuzz::input_file(fuzz::text(data, size), ".csv");
    try {
        enrolment::CsvReader reader(path);
        enrolment::CsvRecord record;
        while (reader.next(record)) {
            for (const auto& field : record.fields) {
                static_cast<void>(enrolment::codice_fiscale_problem(enrolment::normalise_codice_fiscale(field)));
                static_cast<void>(enrolment::email_problem(field));
                static_cast<void>(enrolment::class_problem(enrolment::normalise_class(field)));
                static_cast<void>(enrolment::name_problem(field));
                static_cast<void>(enrolment::parse_date(field));
            }
        }
    } catch (const Error&) {
        // a refusal with a message is the expected answer to a bad file
    }
    return 0;
}
