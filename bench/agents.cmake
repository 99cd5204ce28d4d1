# bench_agents: a load client for the agent routes (simulated agents on loopback).
find_package(Threads REQUIRED)
add_executable(bench_agents ${CMAKE_CURRENT_LIST_DIR}/bench_agents.c)
target_link_libraries(bench_agents PRIVATE pl_fleet PkgConfig::CURL Threads::Threads)
pl_target_flags(bench_agents)
