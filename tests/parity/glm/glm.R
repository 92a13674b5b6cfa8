# Expected numbers for tests/glm/glm-parity.test.ts: fixest 0.12.1 fepois / feglm on public data.
# Regenerate from the repository root (fixest 0.12.1 in /work/rlib, AER for the Affairs data):
#   R_LIBS=/work/rlib Rscript tests/parity/glm/glm.R > tests/parity/glm/glm.out
# Writes beside itself: affairs.csv, trade.csv (the data the tests read) and glm.json (the expected values).
#
# Data: AER's Affairs (Fair 1978; 601 people): affairs (count), any = affairs > 0, age, yearsmarried,
# religiousness, education, occupation, rating; occedu = occupation * 100 + education (a finer fixed effect whose
# cells include all-zero and all-one outcomes, to exercise fixest's removal of perfectly fitted groups).
# fixest's trade data, years 2007–2008 (7,665 of the 38,325 flows): Euros ~ log(dist_km) with four fixed effects; Origin and Destination are
# written as integer codes (their factor order).
#
# The expected values are those of a tight fit (glm.tol 1e-12, fixef.tol 1e-11): at fixest's default tolerances
# (glm.tol 1e-8, fixef.tol 1e-6) the probit estimates stop up to 7.6e-6 (relative) short of the maximum, too close to
# the 1e-5 tolerance of the tests; `default_coef_maxrel` reports that distance for every case.
# Each case: coefficients and SEs (fixest's vcov under its default ssc: adj, fixef.K nested, cluster.adj), nobs
# after the removal, the number of removed fixed-effect groups, log-likelihood, null log-likelihood, pseudo R²
# (McFadden, r2(m, "pr2")), deviance, AIC, BIC, the number of parameters.
suppressPackageStartupMessages({ library(fixest); library(AER); library(jsonlite) })
options(digits = 15)
setFixest_nthreads(1)
here <- "tests/parity/glm"

data(Affairs)
a <- Affairs
d <- data.frame(affairs = a$affairs, any = as.numeric(a$affairs > 0), age = a$age, yearsmarried = a$yearsmarried,
                religiousness = a$religiousness, education = a$education, occupation = a$occupation,
                rating = a$rating, occedu = a$occupation * 100 + a$education)
write.csv(d, file.path(here, "affairs.csv"), row.names = FALSE)

data(trade)
tr <- data.frame(origin = as.integer(factor(trade$Origin)), destination = as.integer(factor(trade$Destination)),
                 product = trade$Product, year = trade$Year, dist_km = trade$dist_km, euros = trade$Euros)
tr <- tr[tr$year <= 2008, ]   # two of the ten years, to keep the committed CSV small
write.csv(tr, file.path(here, "trade.csv"), row.names = FALSE)

out <- list()
case <- function(name, m0, vcovs, data) {
  m <- update(m0, glm.tol = 1e-12, fixef.tol = 1e-11)
  coefs <- coef(m)
  ses <- lapply(vcovs, function(v) as.list(se(m, vcov = v)))
  names(ses) <- vcovs
  removed <- if (is.null(m$fixef_removed)) 0 else sum(lengths(m$fixef_removed))
  tight <- max(abs(coef(m0) / coefs - 1))
  out[[name]] <<- list(coef = as.list(coefs), se = ses, nobs = nobs(m), removed_groups = removed,
                       removed_by_fe = as.list(lengths(m$fixef_removed)),
                       loglik = as.numeric(logLik(m)), ll_null = m$ll_null, pr2 = unname(r2(m, "pr2")),
                       deviance = deviance(m), aic = AIC(m), bic = BIC(m), nparams = m$nparams,
                       default_coef_maxrel = tight, default_coef = as.list(coef(m0)))
  cat(sprintf("== %s  nobs %d  removed groups %d  ll %.10f  dev %.10f  pr2 %.10f  default-tolerance distance %.2e\n",
              name, nobs(m), removed, as.numeric(logLik(m)), deviance(m), r2(m, "pr2"), tight))
  for (v in vcovs) { cat("  vcov", v, "\n"); print(coeftable(m, vcov = v)) }
}

f4 <- ~ age + yearsmarried + religiousness + rating
x4 <- "age + yearsmarried + religiousness + rating"
fml <- function(y, x, fe) as.formula(paste(y, "~", x, if (nchar(fe)) paste("|", fe) else ""))

case("pois_2fe", fepois(fml("affairs", x4, "occupation + education"), d), c("iid", "hetero", "cluster"), d)
case("pois_cell", fepois(fml("affairs", x4, "occedu"), d), c("iid", "hetero", "cluster"), d)
case("pois_cell_2fe", fepois(fml("affairs", x4, "occedu + religiousness"), d), c("iid", "cluster"), d)
case("pois_weights", fepois(fml("affairs", "age + religiousness + rating", "occupation + education"), d,
                            weights = ~yearsmarried), c("iid", "hetero", "cluster"), d)
case("pois_nofe", fepois(fml("affairs", x4, ""), d), c("iid", "hetero"), d)
case("logit_2fe", feglm(fml("any", x4, "occupation + education"), d, family = binomial), c("iid", "hetero", "cluster"), d)
case("probit_2fe", feglm(fml("any", x4, "occupation + education"), d, family = binomial(link = "probit")),
     c("iid", "hetero", "cluster"), d)
case("logit_cell", feglm(fml("any", x4, "occedu"), d, family = binomial), c("iid", "cluster"), d)
case("probit_cell", feglm(fml("any", x4, "occedu"), d, family = binomial(link = "probit")), c("iid", "cluster"), d)
case("logit_weights", feglm(fml("any", "age + religiousness + rating", "occupation + education"), d,
                            weights = ~yearsmarried, family = binomial), c("iid", "cluster"), d)
case("logit_nofe", feglm(fml("any", x4, ""), d, family = binomial), c("iid", "hetero"), d)
case("trade_pois", fepois(euros ~ log(dist_km) | origin + destination + product + year, tr), c("iid", "cluster"), tr)

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(here, "glm.json"))
