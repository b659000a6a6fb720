# Stand-ins for ns-3's build_lib() and build_lib_example() so that the module's
# CMakeLists.txt (and its file lists) serve both a standalone build against an
# installed ns-3 (find_package(ns3 CONFIG)) and an in-tree build in contrib/.
# Loaded only when ns-3's own macros are absent.

# No version in find_package(): ns-3's package config accepts only its exact version.
find_package(ns3 CONFIG REQUIRED)
# The releases model/apartment-voip-compat.h knows; README.md lists those checked.
set(APARTMENT_VOIP_NS3_MIN 3.36)
set(APARTMENT_VOIP_NS3_MAX 3.48)
option(APARTMENT_VOIP_ALLOW_UNSUPPORTED_NS3 "Try an ns-3 newer than the supported range" OFF)
set(apartment_voip_range "ns-${APARTMENT_VOIP_NS3_MIN} to ns-${APARTMENT_VOIP_NS3_MAX}")
string(REGEX MATCH "^[0-9]+\\.[0-9]+" apartment_voip_ns3_release "${ns3_VERSION}")
if(ns3_VERSION VERSION_LESS APARTMENT_VOIP_NS3_MIN)
  message(FATAL_ERROR "apartment-voip builds standalone against ${apartment_voip_range}, not "
                      "the installed ns-3 ${ns3_VERSION}: build it in that release's source "
                      "tree (contrib/apartment-voip, ./waf) instead.")
elseif(apartment_voip_ns3_release VERSION_GREATER APARTMENT_VOIP_NS3_MAX
       AND NOT APARTMENT_VOIP_ALLOW_UNSUPPORTED_NS3)
  message(FATAL_ERROR "apartment-voip supports ${apartment_voip_range}, not the installed "
                      "ns-3 ${ns3_VERSION}: use a supported release, or configure with "
                      "-DAPARTMENT_VOIP_ALLOW_UNSUPPORTED_NS3=ON to try this one anyway.")
endif()
message(STATUS "apartment-voip: standalone build against ns-3 ${ns3_VERSION}")
# ns-3's headers need the standard its release is built with: C++20 since 3.41, C++23
# since 3.46 (the module itself is C++17).
if(ns3_VERSION VERSION_GREATER_EQUAL 3.46)
  set(CMAKE_CXX_STANDARD 23)
elseif(ns3_VERSION VERSION_GREATER_EQUAL 3.41)
  set(CMAKE_CXX_STANDARD 20)
endif()

# ns-3.43 dropped the 'lib' prefix of the exported targets (ns3::libcore -> ns3::core).
foreach(
  module
  core
  network
  internet
  internet-apps
  csma
  point-to-point
  applications
  stats
  bridge
  mobility
  netanim
  flow-monitor
  config-store
)
  if(TARGET ns3::lib${module})
    set(lib${module} ns3::lib${module})
  elseif(TARGET ns3::${module})
    set(lib${module} ns3::${module})
  else()
    message(FATAL_ERROR "ns-3 module '${module}' not found in the installed ns-3")
  endif()
  list(APPEND apartment_voip_ns3_libs ${lib${module}})
endforeach()

# Optional: fd-net-device (the emulation example) is only built where ns-3 has it.
set(libfd-net-device "")
if(TARGET ns3::libfd-net-device)
  set(libfd-net-device ns3::libfd-net-device)
elseif(TARGET ns3::fd-net-device)
  set(libfd-net-device ns3::fd-net-device)
endif()

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ENABLE_EXAMPLES ON)
set(ENABLE_TESTS ON)
set(NS3_HEADER_DIR ${CMAKE_BINARY_DIR}/include/ns3)
file(MAKE_DIRECTORY ${NS3_HEADER_DIR})

function(build_lib)
  cmake_parse_arguments(
    "BLIB" "IGNORE_PCH" "LIBNAME"
    "SOURCE_FILES;HEADER_FILES;LIBRARIES_TO_LINK;TEST_SOURCES;PRIVATE_HEADER_FILES" ${ARGN}
  )
  # Headers are included as "ns3/<file>.h", as in an ns-3 tree.
  set(module_header_lines "")
  foreach(header ${BLIB_HEADER_FILES})
    get_filename_component(name ${header} NAME)
    configure_file(${header} ${NS3_HEADER_DIR}/${name} COPYONLY)
    string(APPEND module_header_lines "#include \"${name}\"\n")
  endforeach()
  string(TOUPPER "NS3_MODULE_${BLIB_LIBNAME}" guard)
  string(REPLACE "-" "_" guard ${guard})
  file(
    WRITE ${CMAKE_BINARY_DIR}/module-header.tmp
    "#ifndef ${guard}\n#define ${guard}\n${module_header_lines}#endif\n"
  )
  configure_file(
    ${CMAKE_BINARY_DIR}/module-header.tmp ${NS3_HEADER_DIR}/${BLIB_LIBNAME}-module.h COPYONLY
  )

  add_library(${BLIB_LIBNAME} SHARED ${BLIB_SOURCE_FILES})
  target_include_directories(
    ${BLIB_LIBNAME} PUBLIC $<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/include>
                           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
  )
  target_link_libraries(${BLIB_LIBNAME} PUBLIC ${BLIB_LIBRARIES_TO_LINK})
  set(lib${BLIB_LIBNAME} ${BLIB_LIBNAME} PARENT_SCOPE)
  set(lib${BLIB_LIBNAME} ${BLIB_LIBNAME})
  add_library(${BLIB_LIBNAME}::${BLIB_LIBNAME} ALIAS ${BLIB_LIBNAME})

  # cmake --install: the library, its headers as <prefix>/include/ns3/<file>.h (as ns-3
  # installs its own) and a package config, so that an outside project can do
  #   find_package(apartment-voip CONFIG REQUIRED)
  #   target_link_libraries(app PRIVATE apartment-voip::apartment-voip)
  set(package_dir ${CMAKE_INSTALL_LIBDIR}/cmake/${BLIB_LIBNAME})
  install(
    TARGETS ${BLIB_LIBNAME}
    EXPORT ${BLIB_LIBNAME}Targets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  )
  install(FILES ${BLIB_HEADER_FILES} ${NS3_HEADER_DIR}/${BLIB_LIBNAME}-module.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ns3
  )
  install(
    EXPORT ${BLIB_LIBNAME}Targets
    NAMESPACE ${BLIB_LIBNAME}::
    DESTINATION ${package_dir}
  )
  configure_package_config_file(
    ${CMAKE_CURRENT_SOURCE_DIR}/cmake/${BLIB_LIBNAME}Config.cmake.in
    ${CMAKE_BINARY_DIR}/${BLIB_LIBNAME}Config.cmake INSTALL_DESTINATION ${package_dir}
  )
  # 0.x: a new minor version may change the API (see CHANGES.md).
  write_basic_package_version_file(
    ${CMAKE_BINARY_DIR}/${BLIB_LIBNAME}ConfigVersion.cmake COMPATIBILITY SameMinorVersion
  )
  install(FILES ${CMAKE_BINARY_DIR}/${BLIB_LIBNAME}Config.cmake
                ${CMAKE_BINARY_DIR}/${BLIB_LIBNAME}ConfigVersion.cmake DESTINATION ${package_dir}
  )

  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/examples/CMakeLists.txt)
    add_subdirectory(examples)
  endif()
endfunction()

function(build_lib_example)
  cmake_parse_arguments(
    "BLIB_EXAMPLE" "IGNORE_PCH" "NAME" "SOURCE_FILES;HEADER_FILES;LIBRARIES_TO_LINK" ${ARGN}
  )
  add_executable(${BLIB_EXAMPLE_NAME} ${BLIB_EXAMPLE_SOURCE_FILES})
  target_link_libraries(${BLIB_EXAMPLE_NAME} PRIVATE ${lib${BLIB_LIBNAME}}
                                                     ${BLIB_EXAMPLE_LIBRARIES_TO_LINK})
  target_compile_options(${BLIB_EXAMPLE_NAME} PRIVATE ${apartment_voip_warnings})
  set_target_properties(${BLIB_EXAMPLE_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                                        ${CMAKE_BINARY_DIR}/bin)
endfunction()
