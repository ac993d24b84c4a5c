# SPDX-License-Identifier: GPL-2.0
#
# Links abseil, protobuf and libnl statically. kuchanctl is a short-lived
# command: with ~40 shared libraries the dynamic loader's symbol lookups were
# 60% of its 11.5 M instructions before main(), and under QEMU a whole
# `kuchanctl signal` took 8.9x busybox kill(1) (docs/benchmarks.md). Debian
# ships PIC static archives of all three, so PIE executables still link.
# Set KUCHAN_STATIC_DEPS=OFF to link them as shared libraries.
option(KUCHAN_STATIC_DEPS "Link abseil, protobuf and libnl statically" ON)

# Replaces each imported target's shared library with the static archive
# beside it, when there is one.
function(kuchan_prefer_static_archives)
  get_directory_property(imported DIRECTORY ${PROJECT_SOURCE_DIR} IMPORTED_TARGETS)
  foreach(t ${imported})
    if(NOT t MATCHES "^(absl|protobuf)::")
      continue()
    endif()
    get_target_property(type ${t} TYPE)
    if(NOT type STREQUAL "SHARED_LIBRARY" AND NOT type STREQUAL "UNKNOWN_LIBRARY")
      continue()
    endif()
    foreach(prop IMPORTED_LOCATION_NONE IMPORTED_LOCATION_RELEASE IMPORTED_LOCATION)
      get_target_property(loc ${t} ${prop})
      if(loc AND loc MATCHES "\\.so")
        string(REGEX REPLACE "\\.so.*$" ".a" archive "${loc}")
        if(EXISTS ${archive})
          set_target_properties(${t} PROPERTIES ${prop} ${archive})
        endif()
      endif()
    endforeach()
  endforeach()
  # pkg-config's imported target lists full paths of the .so files.
  get_target_property(libs PkgConfig::LIBNL INTERFACE_LINK_LIBRARIES)
  set(static_libs)
  foreach(l ${libs})
    string(REGEX REPLACE "\\.so$" ".a" archive "${l}")
    if(l MATCHES "\\.so$" AND EXISTS ${archive})
      list(APPEND static_libs ${archive})
    else()
      list(APPEND static_libs ${l})
    endif()
  endforeach()
  set_target_properties(PkgConfig::LIBNL PROPERTIES
                        INTERFACE_LINK_LIBRARIES "${static_libs};Threads::Threads")
endfunction()

# For the commands people run (kuchanctl): a fully static executable. Under
# QEMU, `kuchanctl --version` took 79 ms linked against the shared libc and
# 17 ms static (busybox: 12 ms); kill(1)'s job must not cost a dynamic
# loader. The link prints glibc's notes that getaddrinfo and getprotoby*
# need the shared NSS modules: libnl's address helpers refer to them, and
# kuchanctl never calls those.
function(kuchan_static_runtime target)
  if(KUCHAN_STATIC_DEPS)
    target_link_options(${target} PRIVATE -static)
  endif()
endfunction()
