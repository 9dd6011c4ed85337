# cmake -DPKG_CONFIG=<pkg-config> -DPKG_CONFIG_DIR=<prefix>/lib/pkgconfig -DCC=<C compiler>
#       -DSOURCE=<main.c> -DOUTPUT=<executable> -DVERSION=<x.y.z> -P pkg_config_c.cmake
# Builds a C program the way a Makefile would, `cc main.c $(pkg-config --cflags --libs
# copyeta_c)` against an installed prefix, with no C++ compiler or library flags, and runs it.
cmake_minimum_required(VERSION 3.25)
if(NOT PKG_CONFIG)
  message(FATAL_ERROR "pkg-config not found: run scripts/deps")
endif()
if(NOT EXISTS "${PKG_CONFIG_DIR}/copyeta_c.pc")
  message(FATAL_ERROR "no copyeta_c.pc in ${PKG_CONFIG_DIR}")
endif()
set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_DIR}")

function(pkg_config out)
  execute_process(COMMAND "${PKG_CONFIG}" ${ARGN} copyeta_c
    OUTPUT_VARIABLE output ERROR_VARIABLE error RESULT_VARIABLE result
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "pkg-config ${ARGN} copyeta_c failed: ${error}")
  endif()
  set(${out} "${output}" PARENT_SCOPE)
endfunction()

pkg_config(version --modversion)
if(NOT version STREQUAL VERSION)
  message(FATAL_ERROR "copyeta_c.pc says version '${version}', the project is ${VERSION}")
endif()
pkg_config(flags --cflags --libs)
pkg_config(libdir --variable=libdir)
message(STATUS "pkg-config --cflags --libs copyeta_c: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")

get_filename_component(output_dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${output_dir}")
execute_process(COMMAND "${CC}" -std=c99 "${SOURCE}" -o "${OUTPUT}" ${flags}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with pkg-config's flags failed (${result})")
endif()

# The installed libcopyeta_c, not whatever the loader would find.
set(ENV{LD_LIBRARY_PATH} "${libdir}")
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${OUTPUT} exited with ${result}")
endif()
