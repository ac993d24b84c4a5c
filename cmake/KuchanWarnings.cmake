# SPDX-License-Identifier: GPL-2.0
# Warnings for kuchan's own C++ code: every target opts in with
# kuchan_warnings(target); generated protobuf code does not.
function(kuchan_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Werror)
endfunction()
