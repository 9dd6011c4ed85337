# Install rules: headers, both library targets, a CMake package (copyeta::copyeta,
# copyeta::header_only) and a pkg-config file.
include(CMakePackageConfigHelpers)

install(DIRECTORY include/copyeta DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(TARGETS copyeta copyeta_header_only
  EXPORT copyeta-targets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(COPYETA_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/copyeta)
install(EXPORT copyeta-targets
  NAMESPACE copyeta::
  DESTINATION ${COPYETA_CMAKE_DIR})

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/copyeta-config.cmake.in
  ${PROJECT_BINARY_DIR}/copyeta-config.cmake
  INSTALL_DESTINATION ${COPYETA_CMAKE_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/copyeta-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/copyeta-config.cmake
  ${PROJECT_BINARY_DIR}/copyeta-config-version.cmake
  DESTINATION ${COPYETA_CMAKE_DIR})

configure_file(${PROJECT_SOURCE_DIR}/cmake/copyeta.pc.in ${PROJECT_BINARY_DIR}/copyeta.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/copyeta.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
