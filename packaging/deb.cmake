# The Debian package, built by CPack's DEB generator from this build tree:
#   cpack -G DEB            (in the build directory; or: scripts/setup.sh package)
# Paths follow Debian 12: units in /lib/systemd/system, sysusers.d and tmpfiles.d in /usr/lib.
# Relative destinations land under CMAKE_INSTALL_PREFIX (/usr in the package); the absolute
# ones are the fixed places systemd and dpkg look in, whatever the prefix.

install(TARGETS patchpartyd RUNTIME DESTINATION sbin)
install(TARGETS patchparty RUNTIME DESTINATION bin)
# The OpenSSL stand-ins civetweb's TLS loads (CMakeLists.txt), private to the package.
install(TARGETS pp_openssl3_ssl pp_openssl3_crypto LIBRARY DESTINATION lib/patchparty)
set_target_properties(patchpartyd patchparty PROPERTIES INSTALL_RPATH "/usr/lib/patchparty")

# The example's values are the built-in defaults, with every optional section off: valid for
# check-config, loopback only, feeds chosen from the inventory. dpkg keeps an edited copy.
install(FILES config/patchparty.example.yml DESTINATION /etc/patchparty RENAME patchparty.yml)
install(FILES config/patchparty.example.yml config/suppressions.example.yml
        DESTINATION share/doc/patchparty/examples)

install(FILES systemd/patchpartyd.service systemd/patchparty-rollback@.service
        DESTINATION /lib/systemd/system)
install(FILES systemd/sysusers.d/patchparty.conf DESTINATION lib/sysusers.d)
install(FILES systemd/tmpfiles.d/patchparty.conf DESTINATION lib/tmpfiles.d)
install(FILES systemd/polkit/50-patchparty-rollback.rules DESTINATION share/polkit-1/rules.d)

install(FILES exporters/grafana/patchparty.json exporters/grafana/patchparty-fleet.json
              exporters/prometheus/alerts.yml
        DESTINATION share/patchparty)
set(PP_PACKAGE_MAINTAINER
    "patchparty maintainers <maintainers@users.noreply.r-seed-3958ffd2.example>"
    CACHE STRING "Maintainer field of the Debian package")

# Debian policy wants a changelog in every package (changelog.gz for a native one). Its date
# honours SOURCE_DATE_EPOCH, so a reproducible build gives the same file.
string(TIMESTAMP pp_changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${CMAKE_CURRENT_LIST_DIR}/debian/changelog.in
               ${CMAKE_BINARY_DIR}/packaging/changelog @ONLY)
execute_process(COMMAND gzip -9nf ${CMAKE_BINARY_DIR}/packaging/changelog
                COMMAND_ERROR_IS_FATAL ANY)
install(FILES README.md packaging/copyright ${CMAKE_BINARY_DIR}/packaging/changelog.gz
        DESTINATION share/doc/patchparty)
# The README links into docs/: the manual travels with it.
install(DIRECTORY docs/ DESTINATION share/doc/patchparty/docs FILES_MATCHING PATTERN "*.md")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME patchparty)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "${PP_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "continuous patch-party daemon")
set(CPACK_PACKAGE_DESCRIPTION
    "patchparty keeps a host's patch state known: it inventories the installed packages and
the applications' lockfiles, correlates them with security advisory feeds (Debian security
tracker, OSV, KEV, EPSS), ranks the findings, exports Prometheus metrics and Alertmanager
alerts, writes the backlog of the monthly patch party, and watches each patch's health
checks to roll a bad patch back.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # patchparty_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps on the binaries; systemd runs the daemon and
# provides systemd-sysusers and systemd-tmpfiles for the postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The private OpenSSL stand-ins resolve the executables' libssl.so and libcrypto.so.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_BINARY_DIR}/openssl3_shim)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "polkitd, prometheus, prometheus-alertmanager")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/postinst ${CMAKE_CURRENT_LIST_DIR}/debian/prerm
    ${CMAKE_CURRENT_LIST_DIR}/debian/postrm ${CMAKE_CURRENT_LIST_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Stripped binaries in the package, their symbols in patchparty-dbgsym_*.ddeb beside it.
# CPackDeb strips what it splits; CPACK_STRIP_FILES would strip first and leave it nothing.
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
