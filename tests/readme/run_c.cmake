# cmake -DPROGRAM=<hello_c> -DCXX_PROGRAM=<hello_cpp> [-DERROR=<why there is no program>]
#       -P run_c.cmake
# The README's C hello world must exit 0 and print what its C++ hello world prints: the same
# samples through the C API and through the C++ one.
cmake_minimum_required(VERSION 3.25)  # policies of today in script mode
if(ERROR)
  message(FATAL_ERROR "${ERROR}")
endif()
foreach(program PROGRAM CXX_PROGRAM)
  execute_process(COMMAND "${${program}}"
    OUTPUT_VARIABLE output_${program} ERROR_VARIABLE errors RESULT_VARIABLE result)
  message("${${program}}: ${output_${program}}${errors}")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${${program}} exited with ${result}")
  endif()
endforeach()
string(STRIP "${output_PROGRAM}" output_PROGRAM)
if(output_PROGRAM STREQUAL "")
  message(FATAL_ERROR "the README's hello.c printed nothing on stdout")
endif()
if(NOT "${output_PROGRAM}\n" STREQUAL output_CXX_PROGRAM)
  message(FATAL_ERROR "the README's hello.c printed '${output_PROGRAM}', hello.cpp '${output_CXX_PROGRAM}'")
endif()
