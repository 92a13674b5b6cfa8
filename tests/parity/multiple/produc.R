# Expected numbers for tests/multiple/fixest-multiple.test.ts: every model of specs/examples/multiple-estimation.yaml
# estimated by fixest 0.12.1's own multiple estimation (c(), sw0, csw, csw0, mvsw, split) — and, for leave_one_out,
# which fixest lacks, by one feols per region on subset = region != r. Ids are specrun's; the raw output shows, for
# every model, fixest's own description (sample, outcome, regressors, fixed effects) beside the id it is filed under.
# Regenerate from the repository root:
#   R_LIBS=/work/rlib Rscript tests/parity/multiple/produc.R > tests/parity/multiple/produc.out
# (also writes tests/parity/multiple/produc.json).
suppressPackageStartupMessages({ library(fixest); library(jsonlite) })
options(digits = 15)
stopifnot(packageVersion("fixest") == "0.12.1")
out <- list()

record <- function(id, est) {
  ct <- coeftable(est)
  coef <- setNames(lapply(seq_len(nrow(ct)), function(i) list(estimate = ct[i, 1], se = ct[i, 2], p = ct[i, 4])), rownames(ct))
  out[[id]] <<- list(coefficients = coef, stats = list(nobs = nobs(est), r2 = unname(r2(est, "r2"))))
  cat(sprintf("\n==== %s (n = %d): %s | fixef: %s | sample: %s\n", id, nobs(est), deparse(formula(est, "linear")),
              paste(est$fixef_vars, collapse = " + "),
              if (is.null(est$model_info$sample)) "all" else paste(est$model_info$sample$var, "=", est$model_info$sample$value)))
  print(ct)
}

# fixest_multi → ids: walk the models in fixest's order (sample, then outcome, then regressors, then fixed effects)
# and name them as specrun does; `tags` lists each dimension's tag values, outermost first.
record_multi <- function(key, multi, tags) {
  grid <- rev(expand.grid(rev(tags), stringsAsFactors = FALSE))
  stopifnot(nrow(grid) == length(multi))
  for (i in seq_len(nrow(grid))) {
    id <- sprintf("multiple-estimation/%s[%s]", key, paste(names(grid), "=", unlist(grid[i, ]), sep = "", collapse = ","))
    record(id, multi[[i]])
  }
}

p <- read.csv("data/produc.csv")
p$lgsp <- log(p$gsp); p$lpc <- log(p$pc); p$lemp <- log(p$emp); p$lpcap <- log(p$pcap)
p$band <- ifelse(p$unemp > 8, 1, ifelse(p$unemp < 4, 0, NA))
regions <- sort(unique(p$region))

record_multi("outcomes", feols(c(lgsp, lemp) ~ lpcap + csw(lpc, unemp) | state + year, p, cluster = ~state),
             list(lhs = c("lgsp", "lemp"), csw = 1:2))
record_multi("by_region", feols(lgsp ~ lpcap + sw0(lpc, unemp) | year, p, split = ~region, vcov = "hetero"),
             list(split = regions, sw0 = 0:2))
# Stepwise fixed effects: fixest 0.12.1's multiple estimation gives the same coefficients as one feols per model, but
# its standard errors count one more parameter in the small-sample factor (N − K) than its own single estimation of
# the same model (e.g. lgsp ~ lpcap + lpc | state, iid: 0.0410210 vs 0.0409942). specrun's expanded model is that
# single model, so the expected numbers come from one feols per formula of the multiple estimation; the coefficients
# are checked here against the multiple estimation too.
record_steps <- function(key, multi, tag, fmls, vcov) {
  for (i in seq_along(fmls)) {
    single <- feols(fmls[[i]], p, vcov = vcov)
    stopifnot(max(abs(coef(single) - coef(multi[[i]]))) < 1e-10)
    cat(sprintf("\n(fixest multiple estimation, model %d, the same coefficients; its standard errors:)\n", i))
    print(se(multi[[i]]))
    record(sprintf("multiple-estimation/%s[%s=%d]", key, tag, i - 1), single)
  }
}
record_steps("fe_steps", feols(lgsp ~ lpcap + lpc | mvsw(state, year), p, vcov = "iid"), "fe.mvsw",
             list(lgsp ~ lpcap + lpc, lgsp ~ lpcap + lpc | state, lgsp ~ lpcap + lpc | year, lgsp ~ lpcap + lpc | state + year), "iid")
record_steps("fe_cumulative", feols(lgsp ~ lpc + lemp | csw0(state, year), p, vcov = "hetero"), "fe.csw0",
             list(lgsp ~ lpc + lemp, lgsp ~ lpc + lemp | state, lgsp ~ lpc + lemp | state + year), "hetero")
record_multi("by_band", feols(lgsp ~ lpcap + lpc | year, p, split = ~band, vcov = "iid"),
             list(split = 0:1))
for (r in regions) {
  record(sprintf("multiple-estimation/drop_region[loo=%s]", r),
         feols(lgsp ~ lpc + lemp + unemp | state + year, p, subset = p$region != r, cluster = ~state))
}

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/parity/multiple/produc.json")
