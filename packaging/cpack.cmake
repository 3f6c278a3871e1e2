# The Debian package: `cpack -G DEB` in the build directory (packaging/README.md).
#
# /etc/sluice/sluice.toml is not a copy kept by hand: it is the reference config that the built
# binary prints (every key documented), generated at build time by generate_config.cmake, with
# the devlog socket under /run/sluice because journald owns /dev/log on systemd hosts.
set(SLUICE_PACKAGED_CONFIG ${CMAKE_BINARY_DIR}/packaging/sluice.toml)
add_custom_command(
  OUTPUT ${SLUICE_PACKAGED_CONFIG}
  COMMAND ${CMAKE_COMMAND} -DSLUICE=$<TARGET_FILE:sluice> -DOUT=${SLUICE_PACKAGED_CONFIG}
          -P ${CMAKE_SOURCE_DIR}/packaging/generate_config.cmake
  DEPENDS sluice ${CMAKE_SOURCE_DIR}/packaging/generate_config.cmake
  COMMENT "Generating the packaged config from the option tables")
add_custom_target(sluice_packaged_config ALL DEPENDS ${SLUICE_PACKAGED_CONFIG})

# /usr/bin/sluice comes from install(TARGETS sluice ...) with the /usr prefix below.
install(FILES ${SLUICE_PACKAGED_CONFIG} DESTINATION /etc/sluice)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/debian/default DESTINATION /etc/default
        RENAME sluice PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/systemd/sluice.service
        DESTINATION /lib/systemd/system)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/packaging/elasticsearch ${CMAKE_SOURCE_DIR}/packaging/kibana
        DESTINATION share/sluice)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/sluice)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/README.md DESTINATION share/doc/sluice
        RENAME packaging.md)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sluice)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "sluice maintainers <sluice@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Per-host log shipping agent: /dev/log and Docker to syslog, Kafka, Elasticsearch")
set(CPACK_PACKAGE_DESCRIPTION
    "sluice reads /dev/log-style sockets and containers' logs through the Docker Engine API, \
holds records in a bounded buffer that counts every drop, and ships them to syslog, Kafka and \
Elasticsearch with ECS fields. Runs as a hardened systemd notify service.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# Depends: the runtime libraries, found by dpkg-shlibdeps from the NEEDED entries of the binary
# and of its modules (/usr/lib/sluice); libsystemd0, which the agent loads with dlopen when
# systemd asks for notifications; adduser for postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, libsystemd0")
# conffiles: an operator's edits of /etc/sluice/sluice.toml and /etc/default/sluice survive
# upgrades (CPack does not mark /etc files by itself).
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/prerm ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
