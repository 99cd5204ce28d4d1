# bench_json: raw yajl (no-op callbacks) against pl_json_stream on the same bytes.
add_executable(bench_json ${CMAKE_CURRENT_LIST_DIR}/json_bench.c)
target_link_libraries(bench_json PRIVATE pl_core PkgConfig::YAJL)
pl_target_flags(bench_json)
