/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_DATABASE_PLUGIN_H
#define CYM_DATABASE_PLUGIN_H
/*
 * The database plugin's table (core/plugin.h): cymetrics-database.so exports it as
 * cym__plugin_database (plugin.c), and the front linked into libcymetrics (front/front.c)
 * forwards cymetrics/database.h through it.
 */
#include "core/plugin.h"
#include "cymetrics/database.h"

typedef struct cym__database_plugin {
    cym__plugin_head head;
    cym_status (*write)(const char *dir, cym_error *err);
} cym__database_plugin;

/** The table, in cymetrics-database.so only. */
extern const cym__database_plugin cym__plugin_database;

#endif
