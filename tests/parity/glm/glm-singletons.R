# Expected numbers for tests/glm/glm-singletons-parity.test.ts: fixest 0.12.1 fepois / feglm with
# fixef.rm = "both" (singletons and perfectly fitted groups removed in one round), specrun's `singletons: drop`
# (the default). Regenerate from the repository root (fixest 0.12.1 in /work/rlib):
#   R_LIBS=/work/rlib Rscript tests/parity/glm/glm-singletons.R > tests/parity/glm/glm-singletons.out
# Reads tests/parity/glm/affairs.csv (written by glm.R: AER's Affairs) and writes glm-singletons.json beside itself.
#
# occedu = occupation × 100 + education has six one-person cells: four with no affair (removed by fixest's default
# "perfect" too) and two with affairs (409: 12, 712: 7), which only "both" removes. Each case is estimated with
# "both" and "perfect" (the expected values of `singletons: drop` and `singletons: keep`), with fixest's tight
# tolerances (glm.tol 1e-12, fixef.tol 1e-11) as in glm.R.
suppressPackageStartupMessages({ library(fixest); library(jsonlite) })
options(digits = 15)
setFixest_nthreads(1)
here <- "tests/parity/glm"
d <- read.csv(file.path(here, "affairs.csv"))
cat("occedu cells by size:\n"); print(table(table(d$occedu)))

out <- list()
case <- function(name, est, fml, vcovs, ...) {
  for (rm in c("both", "perfect")) {
    m <- est(fml, d, fixef.rm = rm, glm.tol = 1e-12, fixef.tol = 1e-11, ...)
    ses <- lapply(vcovs, function(v) as.list(se(m, vcov = v)))
    names(ses) <- vcovs
    key <- paste0(name, "_", rm)
    out[[key]] <<- list(coef = as.list(coef(m)), se = ses, nobs = nobs(m),
                        removed_by_fe = as.list(lengths(m$fixef_removed)),
                        loglik = as.numeric(logLik(m)), ll_null = m$ll_null, pr2 = unname(r2(m, "pr2")),
                        deviance = deviance(m), aic = AIC(m), bic = BIC(m), nparams = m$nparams)
    cat(sprintf("== %s  fixef.rm = %s  nobs %d  removed %s  ll %.10f  pr2 %.10f\n", name, rm, nobs(m),
                paste(lengths(m$fixef_removed), collapse = "/"), as.numeric(logLik(m)), r2(m, "pr2")))
    for (v in vcovs) { cat("  vcov", v, "\n"); print(coeftable(m, vcov = v)) }
  }
}

case("pois_cell", fepois, affairs ~ age + yearsmarried + religiousness + rating | occedu, c("iid", "hetero", "cluster"))
case("pois_cell_2fe", fepois, affairs ~ age + yearsmarried + rating | occedu + religiousness, c("iid", "cluster"))
case("pois_cell_weights", fepois, affairs ~ age + religiousness + rating | occedu, c("iid", "cluster"), weights = ~yearsmarried)
case("logit_cell", feglm, any ~ age + yearsmarried + religiousness + rating | occedu, c("iid", "cluster"), family = binomial)

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(here, "glm-singletons.json"))
