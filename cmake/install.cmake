# Install rules: headers, the library targets, a CMake package (copyeta::copyeta,
# copyeta::header_only, copyeta::c) and pkg-config files (copyeta, copyeta_c).
include(CMakePackageConfigHelpers)

install(DIRECTORY include/copyeta DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${COPYETA_GENERATED_INCLUDE}/copyeta DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(TARGETS copyeta copyeta_header_only copyeta_c
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

# pkg-config: paths relative to the .pc file's own directory (${pcfiledir}), so the file stays
# right under `cmake --install --prefix <other>` and when the installed tree is moved. The value
# of CMAKE_INSTALL_PREFIX at configure time would be wrong in both cases.
set(COPYETA_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${COPYETA_PC_DIR}")
  set(COPYETA_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH copyeta_pc_up "/${COPYETA_PC_DIR}" "/")
  string(REGEX REPLACE "/$" "" copyeta_pc_up "${copyeta_pc_up}")
  set(COPYETA_PC_PREFIX "\${pcfiledir}/${copyeta_pc_up}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(COPYETA_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(COPYETA_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/copyeta.pc.in ${PROJECT_BINARY_DIR}/copyeta.pc @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/cmake/copyeta_c.pc.in ${PROJECT_BINARY_DIR}/copyeta_c.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/copyeta.pc ${PROJECT_BINARY_DIR}/copyeta_c.pc
  DESTINATION ${COPYETA_PC_DIR})
