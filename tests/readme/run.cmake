# cmake -DPROGRAM=<hello> [-DERROR=<why there is no program>] -P run.cmake
# The README test: the hello-world must exit 0 and print something.
if(ERROR)
  message(FATAL_ERROR "${ERROR}")
endif()
execute_process(COMMAND "${PROGRAM}"
  OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE result)
message("${output}${errors}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the README's hello.cpp exited with ${result}")
endif()
string(STRIP "${output}" output)
if(output STREQUAL "")
  message(FATAL_ERROR "the README's hello.cpp printed nothing on stdout")
endif()
