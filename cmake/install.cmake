# What `cmake --install` (and so the .deb) puts on a system besides the library (lib/CMakeLists.txt):
# the binary, the man pages, the bash completion, the configuration, the systemd units, the cron
# example and the documentation. Component "runtime" is the credenza package; "development" the library.

set(CREDENZA_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
    "where the systemd units are installed: relative to the prefix, or absolute")

install(TARGETS credenza RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

# Man pages, compressed as Debian ships them: man/NAME.N, and man/LANG/NAME.N for translations.
file(GLOB credenza_man_pages CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/man/*.[1-8] ${PROJECT_SOURCE_DIR}/man/*/*.[1-8])
set(credenza_man_outputs)
foreach(page IN LISTS credenza_man_pages)
  file(RELATIVE_PATH relative ${PROJECT_SOURCE_DIR}/man ${page})
  get_filename_component(language ${relative} DIRECTORY)
  get_filename_component(name ${page} NAME)
  string(REGEX REPLACE "^.*\\.([1-8])$" "\\1" section ${name})
  set(subdir man${section})
  if(language)
    set(subdir ${language}/man${section})
  endif()
  set(output ${PROJECT_BINARY_DIR}/man/${subdir}/${name}.gz)
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man/${subdir}
    COMMAND sh -c "gzip -9nc \"$1\" > \"$2\"" gzip ${page} ${output}
    DEPENDS ${page} VERBATIM)
  list(APPEND credenza_man_outputs ${output})
  install(FILES ${output} DESTINATION ${CMAKE_INSTALL_MANDIR}/${subdir} COMPONENT runtime)
endforeach()
add_custom_target(credenza_man ALL DEPENDS ${credenza_man_outputs})

install(FILES ${PROJECT_SOURCE_DIR}/dist/bash-completion/credenza
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT runtime)

file(GLOB credenza_units ${PROJECT_SOURCE_DIR}/dist/systemd/*.service ${PROJECT_SOURCE_DIR}/dist/systemd/*.timer)
install(FILES ${credenza_units} DESTINATION ${CREDENZA_SYSTEMD_UNIT_DIR} COMPONENT runtime)

# The installed configuration is the documented example with the paths of a system install switched
# on: the database and the outbox in /var/lib/credenza, which the package creates for the credenza user.
file(READ ${PROJECT_SOURCE_DIR}/schemas/credenza.conf.example credenza_conf)
foreach(setting "db = /var/lib/credenza/credenza.db" "outbox = /var/lib/credenza/outbox")
  string(REGEX REPLACE "^([a-z_]+) = .*$" "\\1" key "${setting}")
  string(REGEX MATCH "\n#${key} = [^\n]*" example_line "${credenza_conf}")
  if(NOT example_line)
    message(FATAL_ERROR "schemas/credenza.conf.example has no '#${key} = ' line to switch on for the installed configuration")
  endif()
  string(REPLACE "${example_line}" "\n${setting}" credenza_conf "${credenza_conf}")
endforeach()
file(WRITE ${PROJECT_BINARY_DIR}/dist/credenza.conf "${credenza_conf}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/schemas/credenza.conf.example)
# /etc for a /usr install (as GNUInstallDirs says), PREFIX/etc anywhere else: decided when installing,
# so one build tree serves both `cmake --install --prefix DIR` and the package.
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(credenza_etc /etc/credenza)
  else()
    set(credenza_etc \"\${CMAKE_INSTALL_PREFIX}/etc/credenza\")
  endif()
  file(INSTALL DESTINATION \"\${credenza_etc}\" TYPE FILE FILES \"${PROJECT_BINARY_DIR}/dist/credenza.conf\")
" COMPONENT runtime)

# Documentation: the README, the examples, and the package's copyright and changelog.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/scripts/cron.example
  ${PROJECT_SOURCE_DIR}/schemas/credenza.conf.example ${PROJECT_SOURCE_DIR}/schemas/enrolment_columns.md
  ${PROJECT_SOURCE_DIR}/dist/debian/copyright ${PROJECT_SOURCE_DIR}/docs/guida-segreteria.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
set(credenza_changelog ${PROJECT_BINARY_DIR}/dist/changelog.gz)
add_custom_command(OUTPUT ${credenza_changelog}
  COMMAND sh -c "gzip -9nc \"$1\" > \"$2\"" gzip ${PROJECT_SOURCE_DIR}/dist/debian/changelog ${credenza_changelog}
  DEPENDS ${PROJECT_SOURCE_DIR}/dist/debian/changelog VERBATIM)
add_custom_target(credenza_changelog ALL DEPENDS ${credenza_changelog})
install(FILES ${credenza_changelog} DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
