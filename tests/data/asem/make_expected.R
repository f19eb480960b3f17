# make_expected.R -- independent reference results for the ASEM example data.
#
# Plain base-R re-implementation of the COINr pipeline functions (COINr is not
# installable here). Every function below follows COINr's own source, read from
# GitHub bluefoxr/COINr (files as named in each comment; the stored versions read
# were R/normalise.R @0889f05c, R/aggregate.R @0889f05c, R/treat.R @0889f05c,
# R/impute.R @03892838, R/denominate.R @035364dc, R/results.R @27663b78), and
# keeps COINr's order of floating-point operations so the numbers are the ones
# COINr computes (R's sum()/mean()/sd() included: they accumulate in long double).
#
# Usage (from anywhere):  Rscript tests/data/asem/make_expected.R
# Reads  iData.csv, iMeta.csv, iData_p.csv next to this script;
# writes expected/<config>.csv (country,year,code,score,rank) next to it.
# Rerunnable: output depends only on the inputs (no randomness).

# ---------------------------------------------------------------------------
# Locate the directory of this script
# ---------------------------------------------------------------------------
script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grepl("^--file=", a)])
  if (length(f) == 1) dirname(normalizePath(f)) else getwd()
})
out_dir <- file.path(script_dir, "expected")
dir.create(out_dir, showWarnings = FALSE)

# ---------------------------------------------------------------------------
# Reading numbers exactly
# ---------------------------------------------------------------------------
# R's own string-to-double conversion (R_strtod) is not always correctly rounded:
# on iData_p.csv it is 1 ulp off for 3 of 13,450 cells (e.g. RTAs DNK 2021
# "36.2383771589957"). A C engine reads the CSV with strtod, which is correctly
# rounded, so we convert the way strtod does: for <= 15 significant digits and a
# decimal exponent within +-22 the value is mantissa (exact integer) times or
# divided by an exact power of ten -- one correctly rounded IEEE operation
# (Clinger's fast path). Longer mantissas (only in iData.csv) fall back to
# as.numeric(); for this data that was checked to agree bit for bit with Python's
# correctly rounded float() (see README).
p10 <- 10^(0:22)  # all exactly representable
parse_num <- function(s) {
  out <- rep(NA_real_, length(s))
  for (i in seq_along(s)) {
    si <- trimws(s[i])
    if (is.na(si) || si == "" || si == "NA") next
    m <- regmatches(si, regexec("^([-+]?)([0-9]*)\\.?([0-9]*)(?:[eE]([-+]?[0-9]+))?$", si))[[1]]
    if (length(m) == 0) stop("not a number: ", si)
    sgn <- if (m[2] == "-") -1 else 1
    digits <- paste0(m[3], m[4])
    e10 <- (if (m[5] == "") 0L else as.integer(m[5])) - nchar(m[4])
    digits <- sub("^0+", "", digits)
    if (digits == "") { out[i] <- 0 * sgn; next }
    # trailing zeros of the mantissa go into the exponent
    tz <- nchar(digits) - nchar(sub("0+$", "", digits))
    if (tz > 0) { digits <- substr(digits, 1, nchar(digits) - tz); e10 <- e10 + tz }
    if (nchar(digits) <= 15 && abs(e10) <= 22) {
      mant <- as.numeric(digits)                      # exact: < 10^15 < 2^53
      v <- if (e10 >= 0) mant * p10[e10 + 1] else mant / p10[-e10 + 1]
      out[i] <- sgn * v
    } else {
      out[i] <- as.numeric(si)
    }
  }
  out
}
read_data <- function(path, text_cols) {
  raw <- read.csv(path, colClasses = "character", na.strings = character(0),
                  check.names = FALSE)
  for (cn in setdiff(names(raw), text_cols)) raw[[cn]] <- parse_num(raw[[cn]])
  raw
}

iMeta <- read.csv(file.path(script_dir, "iMeta.csv"), stringsAsFactors = FALSE,
                  na.strings = c("NA", ""))
text_cols <- c("uName", "uCode", iMeta$iCode[iMeta$Type %in% "Group"])
iData <- read_data(file.path(script_dir, "iData.csv"), text_cols)
iData_p <- read_data(file.path(script_dir, "iData_p.csv"), text_cols)

ind_meta <- iMeta[iMeta$Type %in% "Indicator", ]
ind <- ind_meta$iCode
dirs <- setNames(ind_meta$Direction, ind)
agg_meta <- iMeta[iMeta$Type %in% "Aggregate", ]
node_codes <- c(ind, agg_meta$iCode[order(agg_meta$Level)])  # iMeta order within level
nlev <- max(iMeta$Level, na.rm = TRUE)

# ---------------------------------------------------------------------------
# Normalisation -- COINr R/normalise.R
# ---------------------------------------------------------------------------
# Normalise.numeric(): x <- x*direction, then f_n(x, ...).
# n_minmax(): (x-minx)/(maxx - minx)*(l_u[2]-l_u[1]) + l_u[1], min/max with na.rm.
# n_zscore(): (x-mean(x, na.rm=TRUE))/stats::sd(x, na.rm=TRUE)*m_sd[2] + m_sd[1].
# COINr gives NaN (with a warning) for a zero-range indicator; METHODS.md gives the
# mid-point. No indicator has zero range in any configuration here (checked below:
# the script stops if one does), so the two rules cannot differ on this data.
n_minmax <- function(x, l_u = c(0, 100)) {
  minx <- min(x, na.rm = TRUE)
  maxx <- max(x, na.rm = TRUE)
  if (minx == maxx) stop("zero range: METHODS.md and COINr differ here")
  (x - minx) / (maxx - minx) * (l_u[2] - l_u[1]) + l_u[1]
}
n_zscore <- function(x, m_sd = c(0, 1)) {
  (x - mean(x, na.rm = TRUE)) / stats::sd(x, na.rm = TRUE) * m_sd[2] + m_sd[1]
}
normalise_df <- function(X, directions, f_n, f_n_para) {
  out <- X
  for (ic in names(X)) {
    xi <- X[[ic]] * directions[[ic]]   # Normalise.numeric: change direction
    out[[ic]] <- do.call(f_n, c(list(x = xi), f_n_para))
  }
  out
}

# ---------------------------------------------------------------------------
# Aggregation -- COINr R/aggregate.R
# ---------------------------------------------------------------------------
# Aggregate.coin(): for lev in 2:nlev, for each parent at level lev, the children
# (iMeta rows at lev-1 with that Parent) are aggregated row-wise by
# Aggregate.data.frame() -> apply(x, 1, f_ag, w = weights from iMeta).
# a_amean(): drop NA x and their w; w <- w/sum(w); sum(w*x)  (NA if nothing left)
# a_gmean(): w[is.na(x)] <- NA; exp(sum(w*log(x), na.rm=TRUE)/sum(w, na.rm=TRUE))
a_amean <- function(x, w) {
  w <- w[!is.na(x)]
  x <- x[!is.na(x)]
  if (length(x) == 0) return(NA)
  w <- w / sum(w)
  sum(w * x)
}
a_gmean <- function(x, w) {
  if (any(!is.na(x))) {
    if (any((x <= 0), na.rm = TRUE)) stop("geometric mean needs positive values")
    w[is.na(x)] <- NA
    exp(sum(w * log(x), na.rm = TRUE) / sum(w, na.rm = TRUE))
  } else NA
}
aggregate_all <- function(X, f_ag) {
  imeta <- iMeta[!is.na(iMeta$Level), ]
  for (lev in 2:nlev) {
    imeta_l <- imeta[imeta$Level == (lev - 1), ]
    for (par in unique(imeta_l$Parent)) {
      codes <- imeta_l$iCode[imeta_l$Parent == par]
      wts <- imeta$Weight[match(codes, imeta$iCode)]
      X[[par]] <- apply(as.matrix(X[codes]), 1, function(r) do.call(f_ag, list(x = r, w = wts)))
    }
  }
  X
}

# ---------------------------------------------------------------------------
# Outlier treatment -- COINr R/treat.R
# ---------------------------------------------------------------------------
# Defaults of Treat.data.frame(): f1 = winsorise(na.rm=TRUE, winmax=5,
# skew_thresh=2, kurt_thresh=3.5, force_win=FALSE), f2 = log_CT(na.rm=TRUE),
# f_pass = check_SkewKurt(na.rm=TRUE, skew_thresh=2, kurt_thresh=3.5),
# combine_treat = FALSE (log_CT is applied to the ORIGINAL x, not the winsorised).
skew <- function(x, na.rm = FALSE) {         # = e1071::skewness type 2 (G1)
  if (any(is.na(x))) { if (na.rm) x <- x[!is.na(x)] else return(NA) }
  n <- length(x)
  if (n < 3) stop("skew needs 3 points")
  x <- x - mean(x)
  y <- sqrt(n) * sum(x^3) / (sum(x^2)^(3 / 2))
  y * sqrt(n * (n - 1)) / (n - 2)
}
kurt <- function(x, na.rm = FALSE) {         # = e1071::kurtosis type 2 (G2)
  if (any(is.na(x))) { if (na.rm) x <- x[!is.na(x)] else return(NA) }
  n <- length(x)
  if (n < 4) stop("kurt needs 4 points")
  x <- x - mean(x)
  r <- n * sum(x^4) / (sum(x^2)^2)
  ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
}
check_SkewKurt <- function(x, na.rm = FALSE, skew_thresh = 2, kurt_thresh = 3.5) {
  sk <- skew(x, na.rm = na.rm)
  kt <- kurt(x, na.rm = na.rm)
  list(Pass = (abs(sk) < skew_thresh) | (kt < kurt_thresh), Skew = sk, Kurt = kt)
}
winsorise <- function(x, na.rm = FALSE, winmax = 5, skew_thresh = 2, kurt_thresh = 3.5,
                      force_win = FALSE) {
  passing <- check_SkewKurt(x, na.rm = na.rm, skew_thresh = skew_thresh,
                            kurt_thresh = kurt_thresh)[["Pass"]]
  nwin <- 0
  imax <- imin <- NULL
  if (!passing | force_win) {
    f_below_winmax <- function() if (is.null(winmax)) TRUE else nwin < winmax
    below_winmax <- f_below_winmax()
    while ((!passing | force_win) & below_winmax) {
      if (skew(x, na.rm = TRUE) >= 0) {
        imax <- which(x == max(x, na.rm = T))
        x[imax] <- max(x[-imax], na.rm = T)
      } else {
        imin <- which(x == min(x, na.rm = T))
        x[imin] <- min(x[-imin], na.rm = T)
      }
      # COINr counts the points at the current max (+ current min); since every
      # earlier winsorised point is tied at that max, this counts ties cumulatively.
      nwin <- sum(length(imax) + length(imin))
      below_winmax <- f_below_winmax()
      passing <- check_SkewKurt(x, na.rm = na.rm, skew_thresh = skew_thresh,
                                kurt_thresh = kurt_thresh)[["Pass"]]
    }
  }
  list(x = x, nwin = nwin)
}
log_CT <- function(x, na.rm = FALSE) {
  log(x - min(x, na.rm = na.rm) + 0.01 * (max(x, na.rm = na.rm) - min(x, na.rm = na.rm)))
}
# Treat.numeric() with the defaults above; also returns a report.
treat_numeric <- function(x, winmax = 5) {
  p0 <- check_SkewKurt(x, na.rm = TRUE)
  info <- list(skew0 = p0$Skew, kurt0 = p0$Kurt, nwin = 0, log = FALSE)
  if (is.na(p0$Pass)) return(list(x = x, info = info))
  x1 <- x
  pass <- p0$Pass
  if (!pass) {
    w <- winsorise(x, na.rm = TRUE, winmax = winmax, skew_thresh = 2, kurt_thresh = 3.5)
    x1 <- w$x
    info$nwin <- w$nwin
    pass <- check_SkewKurt(x1, na.rm = TRUE)$Pass
  }
  x2 <- x1
  if (!pass) {
    x2 <- log_CT(x, na.rm = TRUE)   # combine_treat = FALSE: original x
    info$log <- TRUE
  }
  p2 <- check_SkewKurt(x2, na.rm = TRUE)
  info$skew1 <- p2$Skew
  info$kurt1 <- p2$Kurt
  info$changed <- which(!is.na(x) & x2 != x)
  list(x = x2, info = info)
}

# ---------------------------------------------------------------------------
# Imputation -- COINr R/impute.R
# ---------------------------------------------------------------------------
# Impute.coin(f_i = "i_mean_grp", use_group = "EurAsia_group"), impute_by =
# "column", normalise_first = FALSE: each indicator column x gets
# i_mean_grp(x, f): split(x, f), i_mean() in each group (mean(x, na.rm=TRUE)
# replaces the NAs), unsplit. (A group with no value would give NaN = still
# missing; it does not happen on ASEM.)
i_mean <- function(x) { mx <- mean(x, na.rm = TRUE); x[is.na(x)] <- mx; x }
i_mean_grp <- function(x, f) unsplit(lapply(split(x, f), i_mean), f)

# ---------------------------------------------------------------------------
# Denomination -- COINr R/denominate.R
# ---------------------------------------------------------------------------
# Denominate.data.frame(): for each iCode with a Denominator in iMeta,
# x / (denominator / ScaleFactor) with ScaleFactor = 1 (division by 1 is exact).
denominate <- function(D) {
  db <- ind_meta[!is.na(ind_meta$Denominator), c("iCode", "Denominator")]
  for (k in seq_len(nrow(db))) D[[db$iCode[k]]] <- D[[db$iCode[k]]] / (D[[db$Denominator[k]]] / 1)
  D
}

# ---------------------------------------------------------------------------
# Ranks -- COINr R/results.R get_results(): rank(-1*x, na.last="keep",
# ties.method="min"); 1 = highest; per year for the panel.
# ---------------------------------------------------------------------------
write_result <- function(R, uCode, Time, config) {
  rows <- list()
  years <- sort(unique(Time))
  lines <- "country,year,code,score,rank"
  for (yr in years) {
    sel <- which(Time == yr)
    rk <- lapply(node_codes, function(cd)
      rank(-1 * R[[cd]][sel], na.last = "keep", ties.method = "min"))
    names(rk) <- node_codes
    for (j in seq_along(sel)) {
      i <- sel[j]
      for (cd in node_codes) {
        v <- R[[cd]][i]
        sc <- if (is.na(v)) "" else sprintf("%.17g", v)
        r <- rk[[cd]][j]
        lines <- c(lines, paste(uCode[i], yr, cd, sc, if (is.na(r)) "" else r, sep = ","))
      }
    }
  }
  writeLines(lines, file.path(out_dir, paste0(config, ".csv")))
  invisible(lines)
}

run <- function(D, config, f_n = "n_minmax", f_n_para = list(l_u = c(0, 100)),
                f_ag = "a_amean", directions = dirs, write = TRUE) {
  N <- normalise_df(D[ind], directions, f_n, f_n_para)
  A <- aggregate_all(N, f_ag)
  if (write) write_result(A, D$uCode, D$Time, config)
  A
}

# ---------------------------------------------------------------------------
# The configurations
# ---------------------------------------------------------------------------
res <- list()

# 1. default: min-max [0,100] with direction, arithmetic mean, levels 1->4
res$default <- run(iData, "default")

# 2. denominated: Denominate (iMeta Denominator column) first, then as default
res$denominated <- run(denominate(iData), "denominated")

# 3. treated. METHODS.md section 1: direction is applied BEFORE the treatment
#    statistics are read, and normalisation then runs unchanged. That is what
#    treated.csv does: x' = Direction * x; Treat(x'); n_minmax(x') (no second flip).
#    COINr instead runs Treat() on the raw data and multiplies by the direction
#    only inside Normalise(). The two agree for winsorisation (|skew| and kurtosis
#    do not change under x -> -x, and the high/low side swaps with the sign of the
#    skew, so the same cells get the same values), but NOT where log_CT is used on
#    a Direction -1 indicator: log(x - min + 0.01 range) is concave in x, while
#    METHODS.md's log(-x - min(-x) + 0.01 range) = log(max - x + 0.01 range)
#    compresses the other tail. The COINr order is computed too and written to
#    treated_coinr.csv
#    only if it differs from treated.csv. On ASEM no indicator reaches log_CT
#    (18 are winsorised, 1-3 points each), so the two orders give identical
#    numbers and treated_coinr.csv is not written. (Since issue 14 cymetrics
#    treats in COINr's order: see treated_winmax1 below, where the orders differ.)
treat_df <- function(X, sgn, winmax = 5) {
  info <- list()
  for (ic in names(X)) {
    t <- treat_numeric(X[[ic]] * sgn[[ic]], winmax = winmax)
    X[[ic]] <- t$x * 1  # values stay in the direction-adjusted space
    info[[ic]] <- t$info
  }
  list(X = X, info = info)
}
ones <- setNames(rep(1, length(ind)), ind)
tr_m <- treat_df(iData[ind], dirs)            # METHODS.md: direction first
D_tm <- iData; D_tm[ind] <- tr_m$X
res$treated <- run(D_tm, "treated", directions = ones)
tr_c <- treat_df(iData[ind], ones)            # COINr: raw data, direction at Normalise
D_tc <- iData; D_tc[ind] <- tr_c$X
res$treated_coinr <- run(D_tc, "treated_coinr", write = FALSE)

# treatment report (METHODS.md section 3 asks for one)
trep <- do.call(rbind, lapply(ind, function(ic) {
  a <- tr_m$info[[ic]]
  data.frame(code = ic, direction = dirs[[ic]],
             skew_before = sprintf("%.17g", a$skew0), kurt_before = sprintf("%.17g", a$kurt0),
             n_winsorised = a$nwin, log_used = a$log,
             skew_after = sprintf("%.17g", a$skew1), kurt_after = sprintf("%.17g", a$kurt1),
             changed_units = if (a$log) "all" else paste(iData$uCode[a$changed], collapse = " "),
             stringsAsFactors = FALSE)
}))
trep <- trep[trep$n_winsorised > 0 | trep$log_used, ]
write.csv(trep, file.path(out_dir, "treated_report.csv"), row.names = FALSE, quote = FALSE)

# 3b. treated_winmax1: COINr's order (Treat() on the raw data, the direction applied
#     in Normalise()) with winmax = 1, so that log_CT is reached, on three Direction
#     -1 indicators among others: Tariff, Forest, Poverty (and Goods, StMob, Research,
#     CultServ, Tourist, NGOs). cymetrics does this since issue 14: it treats the raw
#     values and reports the statistics on the oriented scale (a skew of -x is minus
#     the skew of x), which is what the summary printed below shows.
tr_w1 <- treat_df(iData[ind], ones, winmax = 1)
D_w1 <- iData; D_w1[ind] <- tr_w1$X
res$treated_winmax1 <- run(D_w1, "treated_winmax1")

# 3c. dist2ref_KOR: COINr n_dist2ref with iref = KOR, scaled onto [0, 100] as
#     cymetrics scales it (y * (u - l) + l). KOR has no value for CultGood, Palma and
#     NEET: n_dist2ref then returns NA for every unit (with a warning), and a_amean
#     leaves those indicators out. KOR is never the minimum of an indicator, so the
#     zero-denominator rule (COINr NaN, cymetrics the mid-point) does not arise.
n_dist2ref <- function(x, iref, cap_max = FALSE) {
  minx <- min(x, na.rm = TRUE)
  xref <- x[iref]
  y <- 1 - (xref - x) / (xref - minx)
  if (cap_max) y[y > 1] <- 1
  y
}
n_dist2ref_100 <- function(x, iref) n_dist2ref(x, iref) * (100 - 0) + 0
res$dist2ref_KOR <- suppressWarnings(run(iData, "dist2ref_KOR", f_n = "n_dist2ref_100",
                                         f_n_para = list(iref = which(iData$uCode == "KOR"))))

# 4. zscore: n_zscore with m_sd = c(10, 2), arithmetic mean
res$zscore <- run(iData, "zscore", f_n = "n_zscore", f_n_para = list(m_sd = c(10, 2)))

# 5. geometric: min-max onto [1,100], a_gmean at every level
res$geometric <- run(iData, "geometric", f_n_para = list(l_u = c(1, 100)), f_ag = "a_gmean")

# 6. imputed: i_mean_grp by EurAsia_group (one year), then as default
D_imp <- iData
for (ic in ind) D_imp[[ic]] <- i_mean_grp(iData[[ic]], iData$EurAsia_group)
stopifnot(!anyNA(D_imp[ind]))
res$imputed <- run(D_imp, "imputed")

# 7. panel: Normalise.purse(global = TRUE): min-max over the whole stacked panel
#    (one min/max per indicator across all 255 unit-years), arithmetic mean,
#    ranks per year.
res$panel <- run(iData_p, "panel")

# ---------------------------------------------------------------------------
# Summary on stdout
# ---------------------------------------------------------------------------
top3 <- function(A, D) {
  o <- order(-A$Index)[1:3]
  paste(sprintf("%s %.17g", D$uCode[o], A$Index[o]), collapse = "; ")
}
cat("default top 3:", top3(res$default, iData), "\n")
cat("treated indicators:", paste(sprintf("%s(%s%s)", trep$code, trep$n_winsorised,
    ifelse(trep$log_used, ",log", "")), collapse = " "), "\n")
dif <- sapply(ind, function(ic) max(abs(res$treated[[ic]] - res$treated_coinr[[ic]]), na.rm = TRUE))
cat("treated vs treated_coinr (COINr order), indicators that differ:",
    paste(names(dif)[dif > 0], collapse = " "), "\n")
if (any(dif > 0)) write_result(res$treated_coinr, iData$uCode, iData$Time, "treated_coinr")
cat("treated_winmax1, log_CT used (skew and kurtosis after, on the oriented scale):\n")
for (ic in ind) {
  a <- tr_w1$info[[ic]]
  if (a$log) cat(sprintf("  %s %+d %.17g %.17g\n", ic, dirs[[ic]], dirs[[ic]] * a$skew1, a$kurt1))
}
cat("dist2ref_KOR Index:", sprintf("%s %.17g", iData$uCode[1:3], res$dist2ref_KOR$Index[1:3]), "\n")
