# Helpers shared by every CMakeLists.txt of the project.

# cl_module(NAME SOURCES... DEPS ...): one static library per folder of core/, named cl_<NAME>,
# with includes rooted at core/ (so code writes #include "util/result.hpp").
function(cl_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(cl_${name} STATIC ${M_SOURCES})
  target_include_directories(cl_${name} PUBLIC ${PROJECT_SOURCE_DIR}/core)
  target_link_libraries(cl_${name} PUBLIC ${M_DEPS})
endfunction()

# cl_unit_test(NAME SOURCES... DEPS ...): a Catch2 executable unit_<NAME> run by ctest as unit.<NAME>.
function(cl_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(unit_${name} ${T_SOURCES})
  target_link_libraries(unit_${name} PRIVATE cl_test_main ${T_DEPS})
  add_test(NAME unit.${name} COMMAND unit_${name})
  set_tests_properties(unit.${name} PROPERTIES LABELS "unit;${T_LABELS}")
endfunction()

# cl_subdirs(): add every direct subfolder that has a CMakeLists.txt, in name order, so a new
# module or test folder needs no edit of a shared file.
macro(cl_subdirs)
  file(GLOB _cl_children LIST_DIRECTORIES true CONFIGURE_DEPENDS RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
       ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT _cl_children)
  foreach(_cl_child ${_cl_children})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_cl_child}/CMakeLists.txt)
      add_subdirectory(${_cl_child})
    endif()
  endforeach()
endmacro()
