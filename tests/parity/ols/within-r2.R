# fixest's within R² (wr2) and adjusted within R² (war2) — the paper's "adj-R²" row of Tables 1 and 4 — for
# tests/ols/within-r2.test.ts: inv ~ value + capital on data/grunfeld.csv with firm + year fixed effects, on the
# balanced panel and on an unbalanced one (rows with (firm + year) %% 7 == 0 removed), and with firm effects only.
# Regenerate from the repository root (fixest 0.12.1 built into /work/rlib):
#   R_LIBS=/work/rlib Rscript tests/parity/ols/within-r2.R > tests/parity/ols/within-r2.out
# (also writes tests/parity/ols/within-r2.json). fixest's definition (r2(), fixest 0.12.1):
#   wr2  = 1 − SSR / SSR_fe_only,   war2 = 1 − SSR / SSR_fe_only · (n − nb_fe) / (n − nb_fe − k),
# SSR_fe_only the residual sum of squares of the fixed effects alone, nb_fe the fixed-effect parameters fixest counts
# (x$nparams − k) and k the slopes.
suppressPackageStartupMessages({ library(fixest); library(jsonlite) })
options(digits = 17)
d <- read.csv("data/grunfeld.csv")
u <- d[(d$firm + d$year) %% 7 != 0, ]
cases <- list(
  twoway_balanced = feols(inv ~ value + capital | firm + year, d),
  twoway_unbalanced = feols(inv ~ value + capital | firm + year, u),
  firm_unbalanced = feols(inv ~ value + capital | firm, u)
)
out <- lapply(cases, function(m) {
  r <- r2(m, c("r2", "ar2", "wr2", "war2"))
  list(nobs = nobs(m), nparams = m$nparams, r2 = unname(r["r2"]), ar2 = unname(r["ar2"]),
       wr2 = unname(r["wr2"]), war2 = unname(r["war2"]))
})
cat("fixest", as.character(packageVersion("fixest")), R.version.string, "\n")
for (k in names(out)) cat(sprintf("%-18s n %d nparams %d r2 %.15g ar2 %.15g wr2 %.15g war2 %.15g\n", k,
  out[[k]]$nobs, out[[k]]$nparams, out[[k]]$r2, out[[k]]$ar2, out[[k]]$wr2, out[[k]]$war2))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/parity/ols/within-r2.json")
