# Shared compile settings for the project's own targets.
add_library(kc_warnings INTERFACE)
target_compile_options(kc_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow)
if(KC_WARNINGS_AS_ERRORS)
  target_compile_options(kc_warnings INTERFACE -Werror)
endif()
if(KC_SANITIZE)
  add_compile_options(-fsanitize=${KC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${KC_SANITIZE})
endif()

# kc_add_gtest(NAME SOURCES... LIBS ... [TIMEOUT SECONDS]): one test executable whose cases ctest
# runs in parallel; each case may take TIMEOUT seconds (default 300).
function(kc_add_gtest name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest_main kc_warnings)
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${ARG_TIMEOUT})
endfunction()
