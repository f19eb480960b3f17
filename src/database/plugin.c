/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The database plugin's one exported symbol: the table of cymetrics/database.h. */
#include "database/plugin.h"

const cym__database_plugin cym__plugin_database = {CYM__PLUGIN_HEAD(cym__database_plugin),
                                                   cym_database_write};
