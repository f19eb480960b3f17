# SPDX-License-Identifier: GPL-3.0-or-later
# cym_check_includes(): the layer rule for headers. The --no-undefined link checks of
# cym_module() see calls only; a module could still include a higher module's header for a
# type or an inline function. So at configure time every `#include "..."` of src/<module>/
# and of the public headers the module owns (cym_module(... HEADERS ...)) is read, and must
# name the module itself or a module below it:
#   "cymetrics/NAME.h"  the module that owns include/cymetrics/NAME.h (every public header
#                       has exactly one owner);
#   "FOLDER/NAME.h"     a module-internal header of src/FOLDER/.
# A violation is a configure error naming the file, the line and the two modules.
function(cym__include_owner out inc)
  if(inc MATCHES "^cymetrics/([a-z_0-9]+)\\.h$")
    get_property(owner GLOBAL PROPERTY CYM_HEADER_OWNER_${CMAKE_MATCH_1})
    if(NOT owner)
      set(owner "?unowned")
    endif()
  elseif(inc MATCHES "^([a-z_0-9]+)/[a-z_0-9]+\\.h$")
    set(owner "${CMAKE_MATCH_1}")
  else()
    set(owner "")
  endif()
  set(${out} "${owner}" PARENT_SCOPE)
endfunction()

function(cym_check_includes)
  file(GLOB public RELATIVE "${PROJECT_SOURCE_DIR}/include/cymetrics"
       "${PROJECT_SOURCE_DIR}/include/cymetrics/*.h")
  set(errors "")
  foreach(h IN LISTS public)
    string(REGEX REPLACE "\\.h$" "" name "${h}")
    get_property(owner GLOBAL PROPERTY CYM_HEADER_OWNER_${name})
    if(NOT owner)
      string(APPEND errors "  include/cymetrics/${h}: no module owns it (HEADERS of a cym_module)\n")
    endif()
  endforeach()
  foreach(m IN LISTS CYM_MODULES)
    get_property(closure GLOBAL PROPERTY CYM_CLOSURE_${m})
    file(GLOB files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/${m}/*.c"
         "${PROJECT_SOURCE_DIR}/src/${m}/*.h")
    foreach(h IN LISTS public)
      string(REGEX REPLACE "\\.h$" "" name "${h}")
      get_property(owner GLOBAL PROPERTY CYM_HEADER_OWNER_${name})
      if(owner STREQUAL m)
        list(APPEND files "${PROJECT_SOURCE_DIR}/include/cymetrics/${h}")
      endif()
    endforeach()
    foreach(f IN LISTS files)
      file(STRINGS "${f}" lines REGEX "^#include \"")
      file(RELATIVE_PATH rel "${PROJECT_SOURCE_DIR}" "${f}")
      foreach(line IN LISTS lines)
        string(REGEX REPLACE "^#include \"([^\"]+)\".*" "\\1" inc "${line}")
        cym__include_owner(owner "${inc}")
        if(owner STREQUAL "" OR owner STREQUAL m)
          continue()
        endif()
        list(FIND closure "${owner}" at)
        if(at LESS 0)
          string(APPEND errors "  ${rel}: #include \"${inc}\": module '${m}' may not use "
                               "'${owner}' (not below it)\n")
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(errors)
    message(FATAL_ERROR "layer rule broken by includes (docs/architecture.md):\n${errors}")
  endif()
endfunction()
