# The Debian package: `cpack -G DEB` in a build tree (scripts/package makes a release one).
# Only the runtime component goes in it: the command, its pages, completion, units and configuration.
set(CPACK_PACKAGE_NAME credenza)
set(CPACK_PACKAGE_VENDOR "the credenza developers")
set(CPACK_PACKAGE_CONTACT "credenza developers <credenza-devel@lists.credenza.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "credentials of an Italian school's electronic register")
# The long description (cpack puts the summary above it and indents every line).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "credenza issues and manages the login credentials of a school's electronic
register: a user code, a password and a PIN for every family, a user code
and a password for every student. It imports the enrolment export of the
secretariat, sends every family and student a letter with their credentials
by e-mail, and keeps every secret as an Argon2id hash keyed with a pepper that
never enters the database.

This package has the credenza command, its manual pages, bash completion,
systemd timers that send queued letters and back the database up, and the
credenza system user that owns /var/lib/credenza.")
set(CPACK_GENERATOR DEB)
set(CPACK_SET_DESTDIR ON)
# With DESTDIR, cpack installs under CPACK_INSTALL_PREFIX: /usr whatever the build tree's own prefix.
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL runtime)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_NAME credenza)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcurl4: loaded at run time (dlopen, lib/mail/curl_api.cpp), so dpkg-shlibdeps cannot see it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, debconf (>= 0.5) | debconf-2.0, libcurl4")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(credenza_conffiles ${PROJECT_BINARY_DIR}/dist/conffiles)
file(WRITE ${credenza_conffiles} "/etc/credenza/credenza.conf\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/dist/debian/postinst ${PROJECT_SOURCE_DIR}/dist/debian/prerm
  ${PROJECT_SOURCE_DIR}/dist/debian/postrm ${PROJECT_SOURCE_DIR}/dist/debian/config
  ${PROJECT_SOURCE_DIR}/dist/debian/templates ${credenza_conffiles})
include(CPack)
