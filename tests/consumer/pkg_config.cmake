# cmake -DPKG_CONFIG=<pkg-config> -DPKG_CONFIG_DIR=<prefix>/lib/pkgconfig -DCXX=<compiler>
#       -DSOURCE=<main.cpp> -DOUTPUT=<executable> -DVERSION=<x.y.z> -P pkg_config.cmake
# Builds a user's program the way a Makefile would, with `pkg-config --cflags --libs copyeta`
# against an installed prefix, and runs it.
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "pkg-config not found: run scripts/deps")
endif()
if(NOT EXISTS "${PKG_CONFIG_DIR}/copyeta.pc")
  message(FATAL_ERROR "no copyeta.pc in ${PKG_CONFIG_DIR}")
endif()

# The installed prefix first; the system's directories still serve fmt.pc.
if(DEFINED ENV{PKG_CONFIG_PATH} AND NOT "$ENV{PKG_CONFIG_PATH}" STREQUAL "")
  set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_DIR}:$ENV{PKG_CONFIG_PATH}")
else()
  set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_DIR}")
endif()

function(pkg_config out)
  execute_process(COMMAND "${PKG_CONFIG}" ${ARGN} copyeta
    OUTPUT_VARIABLE output ERROR_VARIABLE error RESULT_VARIABLE result
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} copyeta failed: ${error}")
  endif()
  set(${out} "${output}" PARENT_SCOPE)
endfunction()

pkg_config(version --modversion)
if(NOT version STREQUAL VERSION)
  message(FATAL_ERROR "copyeta.pc says version '${version}', the project is ${VERSION}")
endif()
pkg_config(flags --cflags --libs)
pkg_config(libdir --variable=libdir)
message(STATUS "pkg-config --cflags --libs copyeta: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")

get_filename_component(output_dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${output_dir}")
execute_process(COMMAND "${CXX}" -std=c++17 "${SOURCE}" -o "${OUTPUT}" ${flags}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with pkg-config's flags failed (${result})")
endif()

# For a shared libcopyeta: the installed one, not whatever the loader would find.
set(ENV{LD_LIBRARY_PATH} "${libdir}")
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${OUTPUT} exited with ${result}")
endif()
