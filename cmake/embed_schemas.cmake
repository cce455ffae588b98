# Turns every file of schemas/ that the library needs into a C++ source holding its text,
# so the binary carries its migrations, column spec, word lists and default templates.
function(credenza_embed_files output_cpp)
  set(inputs ${ARGN})
  add_custom_command(
    OUTPUT ${output_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output_cpp} -DROOT=${PROJECT_SOURCE_DIR}
            "-DINPUTS=${inputs}" -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${inputs} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding schemas and templates"
    VERBATIM)
endfunction()
