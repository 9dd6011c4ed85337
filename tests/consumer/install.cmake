# cmake -DBINARY_DIR=<build tree> -DPREFIX=<dir> -DCONFIG=<config> -P install.cmake
# Installs the build tree into a fresh PREFIX (the consumer tests' fixture).
foreach(var BINARY_DIR PREFIX)
  if(NOT ${var})
    message(FATAL_ERROR "install.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
set(config_args)
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${BINARY_DIR}" --prefix "${PREFIX}" ${config_args}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${result})")
endif()
message(STATUS "installed copyeta into ${PREFIX}")
