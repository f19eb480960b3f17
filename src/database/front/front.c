/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The database's front, in libcymetrics: cym_database_write forwards to the database plugin,
 * cymetrics-database.so (src/database/plugin.h), opened by the first results.sqlite (with
 * `--tables sqlite`). So libsqlite3 is loaded only by a run that writes one
 * (docs/architecture.md, Plugins). A missing plugin is an I/O error naming the file.
 */
#include "database/plugin.h"

cym_status cym_database_write(const char *dir, cym_error *err)
{
    const void *t;
    cym_status st = cym__plugin_load(&t, "database", sizeof(cym__database_plugin), err);
    return st < 0 ? st : ((const cym__database_plugin *)t)->write(dir, err);
}
