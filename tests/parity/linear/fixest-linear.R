# Expected numbers for tests/linear/fixest-parity.test.ts: every model of specs/examples/{interactions, singletons,
# iv, event-study, did}.yaml estimated by fixest 0.12.1 (and AER::ivreg for the IV models without fixed effects).
# Regenerate from the repository root:
#   R_LIBS=/work/rlib Rscript tests/parity/linear/fixest-linear.R > tests/parity/linear/fixest-linear.out
# (also writes tests/parity/linear/fixest-linear.json). The data are the CSVs in data/ (export-data.R).
suppressPackageStartupMessages({ library(fixest); library(AER); library(jsonlite) })
options(digits = 15)
stopifnot(packageVersion("fixest") == "0.12.1")
out <- list()

# fixest's names → specrun's: the endogenous variable's coefficient is named by the variable ("fit_x" → "x")
rename <- function(n) sub("^fit_", "", n)

record <- function(id, est, ct = coeftable(est), extra = list()) {
  nm <- rename(rownames(ct))
  coef <- setNames(lapply(seq_len(nrow(ct)), function(i) list(estimate = ct[i, 1], se = ct[i, 2], p = ct[i, 4])), nm)
  st <- list(nobs = nobs(est), r2 = unname(r2(est, "r2")))
  if (length(est$fixef_id) > 0) st$r2_within <- unname(r2(est, "wr2"))
  out[[id]] <<- list(coefficients = coef, stats = c(st, extra))
  cat(sprintf("\n==== %s (n = %d)\n", id, nobs(est))); print(ct)
  if (length(extra)) print(unlist(extra))
}

# ---- interactions.yaml (plm's Produc) --------------------------------------------------------------------------
p <- read.csv("data/produc.csv")
p$lgsp <- log(p$gsp); p$lpc <- log(p$pc); p$lemp <- log(p$emp); p$lpcap <- log(p$pcap)
record("interactions/product", feols(lgsp ~ lpc + lemp + unemp + lpc:unemp | state + year, p, cluster = ~state))
record("interactions/star", feols(lgsp ~ lpc*unemp + lemp | state + year, p, cluster = ~state))
record("interactions/three_way", feols(lgsp ~ lpc*unemp*lpcap | state, p, vcov = "hetero"))
# i(region): every level but the first (fixest keeps all levels and lets collinearity drop one; ref = 1 is the same model)
record("interactions/regions", feols(lgsp ~ lpc + lemp + i(region, ref = 1) | year, p, vcov = "hetero"))
record("interactions/regions_ref", feols(lgsp ~ lpc + lemp + i(region, ref = 5), p, vcov = "iid"))
record("interactions/region_slopes", feols(lgsp ~ lemp + i(region, lpc, ref = 1) | state + year, p, cluster = ~state))
record("interactions/weighted", feols(lgsp ~ lpc + lemp + unemp | state + year, p, weights = ~emp, cluster = ~state))
record("interactions/weighted_iid", feols(lgsp ~ lpc + lemp + unemp | state, p, weights = ~emp, vcov = "iid"))
record("interactions/weighted_pooled", feols(lgsp ~ lpc + lemp + unemp, p, weights = ~emp, vcov = "hetero"))

# ---- singletons.yaml (mtcars) -----------------------------------------------------------------------------------
m <- read.csv("data/mtcars.csv")
record("singletons/dropped", feols(mpg ~ wt + hp | cyl + carb, m, vcov = "iid", fixef.rm = "singleton"))
record("singletons/kept", feols(mpg ~ wt + hp | cyl + carb, m, vcov = "iid"))
record("singletons/dropped_hc1", feols(mpg ~ wt + hp | cyl + carb, m, vcov = "hetero", fixef.rm = "singleton"))
record("singletons/kept_cluster", feols(mpg ~ wt + hp | cyl + carb, m, cluster = ~gear))

# ---- iv.yaml (AER's CigarettesSW) ------------------------------------------------------------------------------
cg <- read.csv("data/cigarettes-sw.csv")
c95 <- subset(cg, year == 1995)
ivstats <- function(est) {
  s <- list()
  for (e in names(est$iv_first_stage)) {
    f <- fitstat(est, "ivf1")[[paste0("ivf1::", e)]]
    if (is.null(f)) f <- fitstat(est, "ivf1")[[1]]
    s[[paste0("first_stage_f:", e)]] <- f$stat; s[[paste0("first_stage_f_p:", e)]] <- f$p
  }
  # fixest 0.12.1's kpr fails with two endogenous variables ("requires numeric/complex matrix"): recorded only for one
  kp <- tryCatch(fitstat(est, "kpr")$kpr, error = function(e) NULL)
  if (is.list(kp)) { s$kp_f <- kp$stat; s$kp_f_p <- kp$p }
  s$cd_f <- unname(unlist(fitstat(est, "cd")))[1]
  wh <- fitstat(est, "wh")$wh; s$wu_hausman <- wh$stat; s$wu_hausman_p <- wh$p
  # fixest 0.12.1's weighted Sargan mixes a weighted and an unweighted sum of squares (−3.5e8 on iv_fe_weighted):
  # recorded for unweighted models only
  sg <- fitstat(est, "sargan")$sargan
  if (is.list(sg) && is.null(est$weights)) { s$sargan <- sg$stat; s$sargan_p <- sg$p }
  s
}
record("iv/ols", feols(lpacks ~ lrprice + lrincome, c95, vcov = "hetero"))
for (spec in list(
  list(id = "iv/iv_just", f = lpacks ~ lrincome | lrprice ~ tdiff, vcov = "iid"),
  list(id = "iv/iv_over", f = lpacks ~ lrincome | lrprice ~ tdiff + rtax, vcov = "hetero"),
  list(id = "iv/iv_over_iid", f = lpacks ~ lrincome | lrprice ~ tdiff + rtax, vcov = "iid"))) {
  est <- feols(spec$f, c95, vcov = spec$vcov)
  record(spec$id, est, extra = ivstats(est))
}
est <- feols(lpacks ~ lrincome | state + year | lrprice ~ tdiff + rtax, cg, cluster = ~state)
record("iv/iv_fe", est, extra = ivstats(est))
fs <- summary(est, stage = 1)
record("iv/iv_fe/first/lrprice", fs)
est <- feols(lpacks ~ lrincome | state + year | lrprice ~ tdiff + rtax, cg, weights = ~population, cluster = ~state)
record("iv/iv_fe_weighted", est, extra = ivstats(est))
est <- feols(lpacks ~ 1 | year | lrprice + lrincome ~ tdiff + rtax + taxs, cg, vcov = "hetero")
record("iv/iv_two", est, extra = ivstats(est))

# AER::ivreg, an independent implementation of the models without fixed effects (coefficients, SEs, and the weak
# instrument F, Wu–Hausman and Sargan of summary(diagnostics = TRUE))
aer <- function(id, f, type) {
  est <- ivreg(f, data = c95)
  V <- if (type == "iid") vcov(est) else sandwich::vcovHC(est, type = "HC1")
  d <- summary(est, vcov. = V, diagnostics = TRUE)$diagnostics
  cf <- coef(est)
  out[[paste0("aer/", id)]] <<- list(
    coefficients = setNames(lapply(names(cf), function(n) list(estimate = unname(cf[n]), se = sqrt(V[n, n]))), names(cf)),
    diagnostics = setNames(lapply(rownames(d), function(r) list(stat = d[r, "statistic"], p = d[r, "p-value"])), rownames(d)))
  cat(sprintf("\n==== AER ivreg %s\n", id)); print(cf); print(sqrt(diag(V))); print(d)
}
aer("iv_just", lpacks ~ lrincome + lrprice | lrincome + tdiff, "iid")
aer("iv_over_iid", lpacks ~ lrincome + lrprice | lrincome + tdiff + rtax, "iid")
aer("iv_over", lpacks ~ lrincome + lrprice | lrincome + tdiff + rtax, "hc1")

# ---- event-study.yaml and did.yaml (fixest's base_stagg, base_did) ---------------------------------------------
s <- read.csv("data/base-stagg.csv")
est <- feols(y ~ x1 + sunab(year_treated, year) | id + year, s, cluster = ~id)
record("event-study/sunab", est)
att <- aggregate(est, agg = "att")
out[["event-study/sunab"]]$coefficients$ATT <- list(estimate = att[1, 1], se = att[1, 2], p = att[1, 4])
cat("\nATT\n"); print(att)
record("event-study/twfe", feols(y ~ x1 + i(time_to_treatment, ref = c(-1, -1000)) | id + year, s, cluster = ~id))
d <- read.csv("data/base-did.csv")
record("did/did", feols(y ~ x1 + i(period, treat, ref = 5) | id + period, d, cluster = ~id))

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/parity/linear/fixest-linear.json")
