# cmake -DREADME=<README.md> -DSTART=<first line of the block> -DSOURCE=<file> -P check_file.cmake
# A README block that quotes a whole example file: the ```cpp block whose first line is START
# must be the file, byte for byte.
cmake_minimum_required(VERSION 3.25)  # policies of today in script mode
include(${CMAKE_CURRENT_LIST_DIR}/extract_block.cmake)

copyeta_readme_block("${README}" "```cpp\n${START}" quoted error)
if(error)
  message(FATAL_ERROR "${error}")
endif()
file(READ "${SOURCE}" source)
if(NOT quoted STREQUAL source)
  message(FATAL_ERROR "the README's block opening with '${START}' is not ${SOURCE}: "
                      "copy the file into the README again")
endif()
