/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef CYM_CUBE_H
#define CYM_CUBE_H

/**
 * The one layout of every country x year x layer array: the data (layers: series), the
 * journey of the indicator values (layers: indicators), the scores, coverage and ranks
 * (layers: framework nodes), and the tiers (one layer). Row-major [unit][year][layer], so one
 * country-year's layers are contiguous; cells are found with cym_cube_cell only.
 */

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The shape of a cube: the array itself is a plain pointer beside it. */
typedef struct cym_cube {
    size_t n_units;
    size_t n_years;
    size_t n_layers;
} cym_cube;

/** Index of (unit, year index, layer) in an array of shape `c`. */
static inline size_t cym_cube_cell(const cym_cube *c, size_t unit, size_t year, size_t layer)
{
    return (unit * c->n_years + year) * c->n_layers + layer;
}

/** Number of cells of shape `c`. */
static inline size_t cym_cube_cells(const cym_cube *c)
{
    return c->n_units * c->n_years * c->n_layers;
}

#ifdef __cplusplus
}
#endif

#endif
