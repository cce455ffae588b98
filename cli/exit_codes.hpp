#pragma once
// sysexits.h, the contract of DESIGN.md. Keep these stable: cron jobs and the
// register's front end branch on them. Which error gives which: cli/messages.cpp.

namespace credenza::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failed_check = 1; // a verification that failed
inline constexpr int k_exit_usage = 64;
inline constexpr int k_exit_data = 65;
inline constexpr int k_exit_no_input = 66;
inline constexpr int k_exit_unavailable = 69;
inline constexpr int k_exit_software = 70;
inline constexpr int k_exit_cannot_create = 73;
inline constexpr int k_exit_io = 74;
inline constexpr int k_exit_temporary = 75;
inline constexpr int k_exit_permission = 77;
inline constexpr int k_exit_config = 78;

} // namespace credenza::cli
