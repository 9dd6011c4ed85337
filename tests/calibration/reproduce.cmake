# cmake -DCOPYETA=... -DTRACES=... -DSHIPPED=... -DOUTPUT=... -P reproduce.cmake
execute_process(
  COMMAND ${COPYETA} calibrate ${TRACES} --output ${OUTPUT}
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "copyeta calibrate failed with status ${status}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E compare_files ${SHIPPED} ${OUTPUT}
  RESULT_VARIABLE different)
if(different)
  message(FATAL_ERROR "${SHIPPED} is not what scripts/calibrate produces (see ${OUTPUT}); "
                      "rerun scripts/calibrate and commit the result")
endif()
