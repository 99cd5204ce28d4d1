# Warning set of STYLE 2.8, applied to every Patchline target.
set(PL_WARNINGS
    -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wold-style-definition -Wformat=2 -Wwrite-strings -Wvla
    -Wpointer-arith -Wundef -Wcast-qual -Wnull-dereference -Wimplicit-fallthrough)

function(pl_target_flags target)
  target_compile_options(${target} PRIVATE ${PL_WARNINGS}
    -include ${PROJECT_SOURCE_DIR}/include/patchline/banned.h)
  target_compile_definitions(${target} PRIVATE _POSIX_C_SOURCE=200809L
    PL_VERSION_STRING="${PROJECT_VERSION}")
endfunction()
