# SPDX-License-Identifier: GPL-3.0-or-later
# FindLibCSV: libcsv (Debian libcsv-dev) ships no pkg-config or CMake file.
# Defines LibCSV_FOUND, LibCSV_INCLUDE_DIR, LibCSV_LIBRARY and the target LibCSV::LibCSV.
find_path(LibCSV_INCLUDE_DIR NAMES csv.h)
find_library(LibCSV_LIBRARY NAMES csv)
if(LibCSV_INCLUDE_DIR AND EXISTS "${LibCSV_INCLUDE_DIR}/csv.h")
  file(STRINGS "${LibCSV_INCLUDE_DIR}/csv.h" _csv_ver REGEX "#define CSV_(MAJOR|MINOR|RELEASE) ")
  string(REGEX REPLACE ".*CSV_MAJOR ([0-9]+).*" "\\1" _maj "${_csv_ver}")
  string(REGEX REPLACE ".*CSV_MINOR ([0-9]+).*" "\\1" _min "${_csv_ver}")
  string(REGEX REPLACE ".*CSV_RELEASE ([0-9]+).*" "\\1" _rel "${_csv_ver}")
  set(LibCSV_VERSION "${_maj}.${_min}.${_rel}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibCSV REQUIRED_VARS LibCSV_LIBRARY LibCSV_INCLUDE_DIR
                                  VERSION_VAR LibCSV_VERSION)
if(LibCSV_FOUND AND NOT TARGET LibCSV::LibCSV)
  add_library(LibCSV::LibCSV UNKNOWN IMPORTED)
  set_target_properties(LibCSV::LibCSV PROPERTIES IMPORTED_LOCATION "${LibCSV_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${LibCSV_INCLUDE_DIR}")
endif()
mark_as_advanced(LibCSV_INCLUDE_DIR LibCSV_LIBRARY)
