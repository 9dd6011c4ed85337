# cmake -DREADME=<README.md> -DSOURCE=<examples/ecp/ecp.cpp> -P check_ecp.cmake
# The README's "Embedding copyeta in a copy tool" quotes ecp's copy loop: its ```cpp block that
# opens with `// examples/ecp/ecp.cpp` must be, line for line, what ecp.cpp holds between
# `// README: begin` and `// README: end` (without their common indentation).
cmake_minimum_required(VERSION 3.25)  # policies of today in script mode
include(${CMAKE_CURRENT_LIST_DIR}/extract_block.cmake)

copyeta_readme_block("${README}" "```cpp\n// examples/ecp/ecp.cpp" quoted error)
if(error)
  message(FATAL_ERROR "${error}")
endif()
# The first line names the file; the rest is the quote.
string(FIND "${quoted}" "\n" first_end)
math(EXPR first_end "${first_end} + 1")
string(SUBSTRING "${quoted}" ${first_end} -1 quoted)

file(READ "${SOURCE}" source)
string(FIND "${source}" "// README: begin\n" begin)
string(FIND "${source}" "// README: end\n" end)
if(begin EQUAL -1 OR end EQUAL -1 OR end LESS begin)
  message(FATAL_ERROR "${SOURCE} lost its '// README: begin' and '// README: end' markers")
endif()
string(LENGTH "// README: begin\n" marker_length)
math(EXPR begin "${begin} + ${marker_length}")
math(EXPR length "${end} - ${begin}")
string(SUBSTRING "${source}" ${begin} ${length} region)
# Drop the indentation of the end marker's line, which is the region's own.
string(REGEX MATCH "\n( *)$" indent "${region}")
set(indent "${CMAKE_MATCH_1}")
string(REGEX REPLACE "\n *$" "\n" region "${region}")
# (Each line after a newline, the first one too; CMake's ^ can match again mid-string.)
string(REPLACE "\n${indent}" "\n" region "\n${region}")
string(SUBSTRING "${region}" 1 -1 region)

if(NOT quoted STREQUAL region)
  message(FATAL_ERROR "README.md's copy of examples/ecp/ecp.cpp differs from the source.\n"
    "--- README.md:\n${quoted}--- ecp.cpp (between the README markers):\n${region}")
endif()
message(STATUS "README.md quotes examples/ecp/ecp.cpp exactly")
