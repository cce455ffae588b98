#include "cli/exit_codes.hpp"

namespace credenza::cli {

int exit_code_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::usage:
        return k_exit_usage;
    case ErrorCode::bad_input:
    case ErrorCode::not_found:
    case ErrorCode::smtp_permanent:
        return k_exit_data;
    case ErrorCode::no_input:
        return k_exit_no_input;
    case ErrorCode::smtp_unavailable:
        return k_exit_unavailable;
    case ErrorCode::cannot_create:
        return k_exit_cannot_create;
    case ErrorCode::io:
        return k_exit_io;
    case ErrorCode::temporary:
    case ErrorCode::smtp_temporary:
        return k_exit_temporary;
    case ErrorCode::locked:
    case ErrorCode::permission:
        return k_exit_permission;
    case ErrorCode::config:
        return k_exit_config;
    case ErrorCode::internal:
        return k_exit_software;
    }
    return k_exit_software;
}

} // namespace credenza::cli
