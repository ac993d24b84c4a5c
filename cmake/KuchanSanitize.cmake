# SPDX-License-Identifier: GPL-2.0
# AddressSanitizer + UndefinedBehaviorSanitizer flags for the sanitized
# variants of the host unit tests. Applied per target, so the plain and the
# sanitized tests come out of one build.
set(KUCHAN_SANITIZE_FLAGS
    -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)

function(kuchan_sanitize target)
  target_compile_options(${target} PRIVATE ${KUCHAN_SANITIZE_FLAGS})
  target_link_options(${target} PRIVATE ${KUCHAN_SANITIZE_FLAGS})
endfunction()
