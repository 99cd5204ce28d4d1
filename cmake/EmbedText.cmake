# Turn one text file into a C byte array NAME (NUL-terminated), so that the
# binary carries it. Run as: cmake -DIN=... -DOUT=... -DNAME=... -P EmbedText.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n    " hex "${hex}")
set(body "/* generated from ${IN} by cmake/EmbedText.cmake */\n")
string(APPEND body "extern const char ${NAME}[];\nconst char ${NAME}[] = {\n    ${hex}0x00};\n")
file(WRITE ${OUT}.tmp "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
