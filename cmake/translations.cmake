# The message catalogs: po/LANG.po for each language in po/LINGUAS, compiled with msgfmt into
# locale/LANG/LC_MESSAGES/credenza.mo in the build tree (where the built binary looks first) and
# installed under the locale folder. scripts/update-po refreshes po/ from the sources.
find_program(MSGFMT_EXECUTABLE msgfmt REQUIRED)

file(STRINGS ${PROJECT_SOURCE_DIR}/po/LINGUAS credenza_languages REGEX "^[a-z]")
set(credenza_catalogs)
foreach(language IN LISTS credenza_languages)
  set(po ${PROJECT_SOURCE_DIR}/po/${language}.po)
  set(mo ${PROJECT_BINARY_DIR}/locale/${language}/LC_MESSAGES/credenza.mo)
  add_custom_command(OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/locale/${language}/LC_MESSAGES
    COMMAND ${MSGFMT_EXECUTABLE} --check -o ${mo} ${po}
    DEPENDS ${po} VERBATIM)
  list(APPEND credenza_catalogs ${mo})
  install(FILES ${mo} DESTINATION ${CMAKE_INSTALL_LOCALEDIR}/${language}/LC_MESSAGES COMPONENT runtime)
endforeach()
add_custom_target(credenza_catalogs ALL DEPENDS ${credenza_catalogs})
