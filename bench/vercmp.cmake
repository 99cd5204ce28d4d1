# bench_vercmp: Patchline's dpkg and rpm orders against libdpkg and librpm.
pkg_check_modules(LIBDPKG REQUIRED IMPORTED_TARGET libdpkg)
pkg_check_modules(LIBRPM REQUIRED IMPORTED_TARGET rpm)
add_executable(bench_vercmp ${CMAKE_CURRENT_LIST_DIR}/bench_vercmp.c)
target_link_libraries(bench_vercmp PRIVATE pl_core PkgConfig::LIBDPKG PkgConfig::LIBRPM)
pl_target_flags(bench_vercmp)
