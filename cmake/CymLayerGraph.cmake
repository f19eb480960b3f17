# SPDX-License-Identifier: GPL-3.0-or-later
# cym_layer_graph(OUT): writes the module graph of the build as Graphviz dot, read from the link
# lines of the cym_<module> object libraries that cym_module() declared (so the picture in
# docs/architecture.md is the graph the build enforces, not a drawing of it).
#
# An arrow A -> B means "A uses B". Arrows implied by others are left out (transitive
# reduction: pipeline -> core is not drawn because pipeline -> stats -> core is); what a module
# may use is everything reachable from it, exactly its link closure. Third-party libraries are
# drawn as dashed ellipses beside the modules that link them, which is where they are confined.
# Modules and arrows come in declaration order, so the output is stable and diffable. A
# PLUGIN module is drawn in bold with the name of its shared object; the modules above link
# its front, drawn as an arrow to it.
function(cym_layer_graph out)
  set(dot "// Generated from the build (cmake/CymLayerGraph.cmake, scripts/layer-graph.sh): the\n")
  string(APPEND dot "// link lines of the cym_module() object libraries of CMakeLists.txt. Do not edit:\n")
  string(APPEND dot "// run scripts/layer-graph.sh; the test docs.layer_graph fails when it is stale.\n")
  string(APPEND dot "// A -> B: module A uses module B (arrows implied by others left out); dashed: the\n")
  string(APPEND dot "// third-party libraries each module links.\n")
  string(APPEND dot "digraph cymetrics_layers {\n")
  string(APPEND dot "    rankdir=TB;\n")
  string(APPEND dot "    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
  set(third "")
  foreach(m IN LISTS CYM_MODULES)
    get_property(plugin GLOBAL PROPERTY CYM_PLUGIN_${m})
    if(plugin) # cym_module(... PLUGIN): its own shared object, opened on first use
      string(APPEND dot "    \"${m}\" [label=\"${m}\\n(plugin ${plugin})\", style=\"rounded,bold\"];\n")
    else()
      string(APPEND dot "    \"${m}\";\n")
    endif()
  endforeach()
  foreach(m IN LISTS CYM_MODULES)
    get_target_property(links cym_${m} LINK_LIBRARIES)
    if(NOT links)
      set(links "")
    endif()
    set(deps "")
    set(libs "")
    foreach(l IN LISTS links)
      # (two steps: if() expands ${CMAKE_MATCH_1} before it matches)
      string(REGEX REPLACE "^cym_" "" name "${l}")
      string(REGEX REPLACE "_front$" "" name "${name}") # a plugin's front stands for it
      if(NOT name STREQUAL l AND name IN_LIST CYM_MODULES)
        list(APPEND deps "${name}")
      else()
        list(APPEND libs "${l}")
      endif()
    endforeach()
    foreach(d IN LISTS deps)
      # drawn only when no other direct dependency already reaches it
      set(implied OFF)
      foreach(c IN LISTS deps)
        get_property(below GLOBAL PROPERTY CYM_CLOSURE_${c})
        if(NOT c STREQUAL d AND d IN_LIST below)
          set(implied ON)
        endif()
      endforeach()
      if(NOT implied)
        string(APPEND dot "    \"${m}\" -> \"${d}\";\n")
      endif()
    endforeach()
    foreach(l IN LISTS libs)
      # a readable name: PkgConfig::JANSSON -> jansson, LibCSV::LibCSV -> libcsv, m -> libm
      if(l MATCHES "::(.+)$")
        set(l "${CMAKE_MATCH_1}")
      endif()
      string(TOLOWER "${l}" l)
      if(l STREQUAL "m")
        set(l "libm")
      elseif(l STREQUAL "openmp_c")
        set(l "openmp")
      endif()
      list(APPEND third "${l}")
      string(APPEND dot "    \"${m}\" -> \"${l}\" [style=dashed, arrowhead=none];\n")
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES third)
  foreach(l IN LISTS third)
    string(APPEND dot "    \"${l}\" [shape=ellipse, style=dashed, fontsize=10];\n")
  endforeach()
  string(APPEND dot "}\n")
  # rewritten only when it changed
  file(CONFIGURE OUTPUT "${out}" CONTENT "${dot}" @ONLY)
endfunction()
