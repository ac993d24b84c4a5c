# SPDX-License-Identifier: GPL-2.0
#
# What `cmake --install' puts in place for other projects (libkuchan-dev):
#   <includedir>/kuchan/userspace/kuchan/*.h   the library's headers and the
#                                              generated ones they include,
#                                              spelled as in the tree
#   <libdir>/libkuchan_*.a                     kuchan::client and every
#                                              static library it links
#   <libdir>/cmake/kuchan/                     find_package(kuchan)
#   <libdir>/pkgconfig/kuchan.pc               pkg-config --libs kuchan
#
# The archives are found by walking kuchan::client's links rather than
# named here, so a library split or merged (issue 13's protocol v2) is
# installed without a change to this file or to debian/.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KUCHAN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/kuchan)
set(KUCHAN_INCLUDE_DIR ${CMAKE_INSTALL_INCLUDEDIR}/kuchan)

# Appends to <out> the project's static libraries that <target> links,
# dependencies after their users (the order a static link needs).
function(kuchan_static_closure target out)
  set(result ${${out}})
  get_target_property(real ${target} ALIASED_TARGET)
  if(real)
    set(target ${real})
  endif()
  list(REMOVE_ITEM result ${target})
  list(APPEND result ${target})
  get_target_property(links ${target} LINK_LIBRARIES)
  foreach(l ${links})
    if(TARGET ${l})
      get_target_property(imported ${l} IMPORTED)
      get_target_property(type ${l} TYPE)
      if(NOT imported AND type STREQUAL "STATIC_LIBRARY")
        kuchan_static_closure(${l} result)
      endif()
    endif()
  endforeach()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

set(kuchan_libs)
kuchan_static_closure(kuchan::client kuchan_libs)

# Installed, the headers live under <includedir>/kuchan; in the tree they
# are found from the source and build roots. Targets named kuchan_<x>
# export as kuchan::<x> (kuchan_client: kuchan::client).
set(pc_libs)
set(pc_requires)
foreach(t ${kuchan_libs})
  get_target_property(dirs ${t} INTERFACE_INCLUDE_DIRECTORIES)
  set(fixed)
  foreach(d ${dirs})
    list(APPEND fixed "$<BUILD_INTERFACE:${d}>")
  endforeach()
  list(APPEND fixed "$<INSTALL_INTERFACE:${KUCHAN_INCLUDE_DIR}>")
  string(REGEX REPLACE "^kuchan_" "" export_name ${t})
  set_target_properties(${t} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${fixed}"
    EXPORT_NAME ${export_name})
  string(APPEND pc_libs " -l${t}")
  # What the archives need, as pkg-config modules: absl::x is absl_x.
  get_target_property(links ${t} LINK_LIBRARIES)
  foreach(l ${links})
    if(l MATCHES "^absl::(.*)$")
      list(APPEND pc_requires absl_${CMAKE_MATCH_1})
    elseif(l STREQUAL "protobuf::libprotobuf")
      list(APPEND pc_requires protobuf)
    elseif(l STREQUAL "PkgConfig::LIBNL")
      list(APPEND pc_requires libnl-3.0 libnl-genl-3.0)
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES pc_requires)
string(REPLACE ";" " " KUCHAN_PC_REQUIRES "${pc_requires}")

install(TARGETS ${kuchan_libs} EXPORT kuchanTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT kuchanTargets NAMESPACE kuchan:: DESTINATION ${KUCHAN_CMAKE_DIR})

# Headers: the library's own, not the tests' helpers nor the reflection
# codec's (the tests' oracle, kuchan_client_codec, is not installed).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/userspace/kuchan/
        DESTINATION ${KUCHAN_INCLUDE_DIR}/userspace/kuchan
        FILES_MATCHING PATTERN "*.h" PATTERN "test_*.h" EXCLUDE
        PATTERN "testdata" EXCLUDE PATTERN "codec.h" EXCLUDE
        PATTERN "attr_set.h" EXCLUDE PATTERN "schema.h" EXCLUDE
        PATTERN "message_json.h" EXCLUDE)
# The typed codec and op calls protoc-gen-kuchan-cpp generates, which
# connection.h and subscriber.h include.
install(FILES ${PROJECT_BINARY_DIR}/userspace/kuchan/kuchan.msg.h
              ${PROJECT_BINARY_DIR}/userspace/kuchan/kuchan.ops.h
        DESTINATION ${KUCHAN_INCLUDE_DIR}/userspace/kuchan)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/kuchanConfig.cmake.in
  ${PROJECT_BINARY_DIR}/kuchanConfig.cmake INSTALL_DESTINATION ${KUCHAN_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kuchanConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kuchanConfig.cmake
              ${PROJECT_BINARY_DIR}/kuchanConfigVersion.cmake
        DESTINATION ${KUCHAN_CMAKE_DIR})

# pkg-config: static archives, so their dependencies are Requires (not
# Requires.private): every user links them. The prefix is found from the
# file's own place (${pcfiledir}), as the CMake package does, so a staged
# or relocated install works without PKG_CONFIG_SYSROOT_DIR, which would
# also move the system's absl, protobuf and libnl.
set(KUCHAN_PC_LIBS "${pc_libs}")
file(RELATIVE_PATH KUCHAN_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX})
configure_file(${CMAKE_CURRENT_LIST_DIR}/kuchan.pc.in
               ${PROJECT_BINARY_DIR}/kuchan.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/kuchan.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
