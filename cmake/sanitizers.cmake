# ASan + UBSan for our targets when CREDENZA_SANITIZE is on.
add_library(credenza_sanitizers INTERFACE)
if(CREDENZA_SANITIZE)
  target_compile_options(credenza_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(credenza_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
