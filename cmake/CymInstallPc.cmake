# SPDX-License-Identifier: GPL-3.0-or-later
# Run by `cmake --install` (install(SCRIPT) in CMakeLists.txt): writes cymetrics.pc for the
# prefix being installed into, which `--prefix` may change after configuring. Written straight
# to its destination (under DESTDIR) and listed in install_manifest.txt like any installed file,
# so the install leaves nothing in the build folder. In: CYM_PC_IN (the .pc configured with
# @CYM_PC_PREFIX@ left), CYM_PC_DIR (its folder, relative to the prefix or absolute).
file(READ "${CYM_PC_IN}" pc)
set(CYM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
string(CONFIGURE "${pc}" pc @ONLY)
if(IS_ABSOLUTE "${CYM_PC_DIR}")
  set(dir "${CYM_PC_DIR}")
else()
  set(dir "${CMAKE_INSTALL_PREFIX}/${CYM_PC_DIR}")
endif()
message(STATUS "Installing: $ENV{DESTDIR}${dir}/cymetrics.pc")
file(MAKE_DIRECTORY "$ENV{DESTDIR}${dir}")
file(WRITE "$ENV{DESTDIR}${dir}/cymetrics.pc" "${pc}")
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${dir}/cymetrics.pc")
