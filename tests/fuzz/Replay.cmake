# The normal build's guard for the fuzz targets (included by tests/CMakeLists.txt):
# each target's entry point with a plain main (replay.c), fed its crash
# regressions (tests/fuzz/regressions/NAME/) and its seed corpus once under
# CTest. Fast: no fuzzing happens here.
include(${PROJECT_SOURCE_DIR}/tests/fuzz/Targets.cmake)
pl_fuzz_read_targets()
foreach(name ${PL_FUZZ_NAMES})
  add_executable(replay_${name} ${PL_FUZZ_DIR}/replay.c)
  pl_fuzz_sources(replay_${name} ${name})
  set(inputs ${PL_FUZZ_SEEDS_${name}})
  if(IS_DIRECTORY ${PL_FUZZ_DIR}/regressions/${name})
    list(PREPEND inputs ${PL_FUZZ_DIR}/regressions/${name})
  endif()
  add_test(NAME fuzz_replay_${name} COMMAND replay_${name} ${inputs})
  set_tests_properties(fuzz_replay_${name} PROPERTIES LABELS fuzz)
endforeach()
