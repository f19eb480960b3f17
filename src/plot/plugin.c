/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The charts plugin's one exported symbol: the table of the functions of cymetrics/plot.h. */
#include "plot/plugin.h"

const cym__plot_plugin cym__plugin_plot = {CYM__PLUGIN_HEAD(cym__plot_plugin),
                                           cym_chart_name,
                                           cym_chart_parse,
                                           cym_plot_run,
                                           cym_plot_run_start,
                                           cym_plot_run_finish,
                                           cym_plot_chart,
                                           cym_plot_svg,
                                           cym_plot_svgs,
                                           cym_plot_matrix_chart,
                                           cym_plot_intervals_chart};
