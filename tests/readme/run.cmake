# cmake -DPROGRAM=<hello> -DREADME=<README.md> [-DERROR=<why there is no program>] -P run.cmake
# The README test: the hello-world must exit 0 and print exactly what the README says it prints
# (the sentence "It prints `...`" after the example).
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
file(READ "${README}" readme)
if(NOT readme MATCHES "It prints `([^`]*)`")
  message(FATAL_ERROR "${README}: no sentence \"It prints `...`\" saying what hello.cpp prints")
endif()
if(NOT output STREQUAL CMAKE_MATCH_1)
  message(FATAL_ERROR "the README says hello.cpp prints '${CMAKE_MATCH_1}'; it printed '${output}'")
endif()
