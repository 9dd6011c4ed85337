# The README's hello-world: its one fenced block that opens with ```cpp and whose first line is
# `// hello.cpp`. Usable two ways:
#   include(extract.cmake) then copyeta_extract_readme_hello(<README> <OUTPUT> <ERROR_VAR>)
#   cmake -DREADME=<README.md> -DOUTPUT=<hello.cpp> -P extract.cmake
# OUTPUT is rewritten only when the code changed, so an unrelated README edit rebuilds nothing.
# ERROR_VAR is empty on success, otherwise it says what is wrong with the README.
function(copyeta_extract_readme_hello readme output error_var)
  set(${error_var} "" PARENT_SCOPE)
  if(NOT EXISTS "${readme}")
    set(${error_var} "${readme} does not exist" PARENT_SCOPE)
    return()
  endif()
  file(READ "${readme}" text)
  string(REPLACE "\r\n" "\n" text "${text}")

  set(opening "```cpp\n// hello.cpp")
  string(LENGTH "```cpp\n" fence_length)
  set(rest "${text}")
  set(count 0)
  while(TRUE)
    string(FIND "${rest}" "${opening}" at)
    if(at EQUAL -1)
      break()
    endif()
    math(EXPR count "${count} + 1")
    if(count EQUAL 1)
      math(EXPR code_start "${at} + ${fence_length}")
      string(SUBSTRING "${rest}" ${code_start} -1 code)
    endif()
    math(EXPR next "${at} + ${fence_length}")
    string(SUBSTRING "${rest}" ${next} -1 rest)
  endwhile()

  if(NOT count EQUAL 1)
    set(${error_var}
      "${readme} has ${count} fenced blocks starting with ```cpp and // hello.cpp; it needs exactly one"
      PARENT_SCOPE)
    return()
  endif()
  string(FIND "${code}" "\n```" end)
  if(end EQUAL -1)
    set(${error_var} "the ```cpp block of ${readme} starting with // hello.cpp is never closed"
      PARENT_SCOPE)
    return()
  endif()
  string(SUBSTRING "${code}" 0 ${end} code)
  string(APPEND code "\n")

  set(old "")
  if(EXISTS "${output}")
    file(READ "${output}" old)
  endif()
  if(NOT "${old}" STREQUAL "${code}")
    file(WRITE "${output}" "${code}")
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  copyeta_extract_readme_hello("${README}" "${OUTPUT}" error)
  if(error)
    message(FATAL_ERROR "${error}")
  endif()
endif()
