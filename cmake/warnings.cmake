# Our warning flags, linked by our own targets only (never by the dependencies).
add_library(credenza_warnings INTERFACE)
target_compile_options(credenza_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(CREDENZA_WERROR)
  target_compile_options(credenza_warnings INTERFACE -Werror)
endif()
