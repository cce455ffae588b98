# The hardening Debian builds its packages with (dpkg-buildflags, hardening=+all), for our targets:
# stack protector, fortified string functions, PIE, read-only relocations bound at start-up.
# Not in the sanitizer build, whose runtime does its own checking.
add_library(credenza_hardening INTERFACE)
if(NOT CREDENZA_SANITIZE)
  target_compile_options(credenza_hardening INTERFACE -fstack-protector-strong -fstack-clash-protection
    -Wformat -Werror=format-security -fcf-protection)
  # _FORTIFY_SOURCE needs the optimiser; a Debug build would only warn.
  target_compile_definitions(credenza_hardening INTERFACE $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
  target_link_options(credenza_hardening INTERFACE -Wl,-z,relro -Wl,-z,now)
endif()
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
include(CheckPIESupported)
check_pie_supported()
