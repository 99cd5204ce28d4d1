# pl_module(NAME [LOWER_MODULE...]): a static library pl_NAME built from
# src/NAME/*.c. Its own folder is a PRIVATE include directory, so its *_int.h
# headers are out of reach of every other module.
function(pl_module name)
  file(GLOB srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.c)
  if(NOT srcs)
    add_library(pl_${name} INTERFACE)
    set(kind INTERFACE)
  else()
    add_library(pl_${name} STATIC ${srcs})
    set(kind PUBLIC)
    target_include_directories(pl_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src/${name})
    pl_target_flags(pl_${name})
  endif()
  target_include_directories(pl_${name} ${kind} ${PROJECT_SOURCE_DIR}/include)
  foreach(dep ${ARGN})
    target_link_libraries(pl_${name} ${kind} pl_${dep})
  endforeach()
endfunction()
