# Expected numbers for the GMM parity tests (tests/gmm/parity.test.ts), from R plm's pgmm.
# Run from the repository root:
#   Rscript tests/parity/gmm/empluk.R > tests/parity/gmm/empluk.out
# It writes tests/parity/gmm/empluk.json (parsed expected values) and prints the raw summaries.
# Conventions (see engine/estimate/gmm/CONVENTIONS.md): SEs are summary(robust = TRUE) — Windmeijer for two-step,
# the one-step sandwich for one-step; "sargan" is plm's sargan(): z'A2 z with two-step weights; AR tests use the
# robust vcov; nobs is plm's "Number of Observations Used" (non-zero residuals, both equations of a system).
suppressPackageStartupMessages(library(plm))
d <- read.csv("tests/fixtures/data/empluk.csv")
d$n <- log(d$emp); d$w <- log(d$wage); d$k <- log(d$capital); d$ys <- log(d$output)
pd <- pdata.frame(d, index = c("firm", "year"))

# a copy with gaps: every 7th firm loses its 1980 row and every 11th its 1979 row (gaps inside the unit's span)
dg <- d[!((d$firm %% 7 == 0 & d$year == 1980) | (d$firm %% 11 == 0 & d$year == 1979)), ]
pdg <- pdata.frame(dg, index = c("firm", "year"))

# a short panel, 1976-1979: two differenced periods, so no AR(2) test (plm omits it for difference GMM and prints
# NaN for system GMM; with 1976-1978 pgmm's summary fails outright, in mtest for "d" and in makeW2 for "ld")
pds <- pdata.frame(d[d$year <= 1979, ], index = c("firm", "year"))

# missing values inside the rows (not gaps): w is NA in every 13th row of the file
dm <- d; dm$w[seq(5, nrow(dm), by = 13)] <- NA
pdm <- pdata.frame(dm, index = c("firm", "year"))

# more instruments than groups: model B on the first 40 firms, so the two-step weighting matrix is singular and
# both programs fall back on a generalised inverse
pdf <- pdata.frame(d[d$firm <= 40, ], index = c("firm", "year"))

fA <- n ~ lag(n, 1:2) + lag(w, 0:1) + k + lag(ys, 0:1) | lag(n, 2:99)
fB <- n ~ lag(n, 1) + lag(w, 0:1) + lag(k, 0:1) | lag(n, 2:99) + lag(w, 2:99) + lag(k, 2:99)
fC <- n ~ lag(n, 1) + w + k | lag(n, 2:4)
# an extra IV-style instrument (ys, not a regressor): plm's third part lists the whole IV-style set
fE <- n ~ lag(n, 1) + w + k | lag(n, 2:99) | w + k + ys
# GMM-style instruments of w from lag 3: plm instruments the levels equations by Δw_{t-1} (specrun's levels_lag: plm)
# where xtabond2 would use Δw_{t-2}; Blundell and Bond (1998) table 4 as in plm's own tests
# (plm's makegmm takes x[1:(t - 3)] for the first Δ equation, and R's 1:0 is c(1, 0): w of 1976 enters the 1978
# equation, a lag of 2, which is why these two models have 107 instrument columns to specrun's 106; no parity test)
fL <- n ~ lag(n, 1) + lag(w, 0:1) + lag(k, 0:1) | lag(n, 2:99) + lag(w, 3:99) + lag(k, 2:99)
# every GMM-style variable from lag 3: the Δ equations start at 1979, plm's levels instruments are Δn_{t-1}
fM <- n ~ lag(n, 1) + w + k | lag(n, 3:99)

models <- list(
  A1 = list(f = fA, data = pd, effect = "twoways", model = "twosteps", transformation = "d", collapse = FALSE),
  A2 = list(f = fA, data = pd, effect = "twoways", model = "twosteps", transformation = "ld", collapse = FALSE),
  A3 = list(f = fA, data = pd, effect = "twoways", model = "twosteps", transformation = "ld", collapse = TRUE),
  B  = list(f = fB, data = pd, effect = "twoways", model = "onestep",  transformation = "ld", collapse = FALSE),
  B2 = list(f = fB, data = pd, effect = "twoways", model = "twosteps", transformation = "ld", collapse = FALSE),
  D1 = list(f = fA, data = pd, effect = "twoways", model = "onestep",  transformation = "d", collapse = FALSE),
  D2 = list(f = fA, data = pd, effect = "individual", model = "twosteps", transformation = "d", collapse = TRUE),
  G1 = list(f = fC, data = pdg, effect = "twoways", model = "twosteps", transformation = "ld", collapse = FALSE),
  G2 = list(f = fC, data = pdg, effect = "twoways", model = "twosteps", transformation = "d", collapse = FALSE),
  S1 = list(f = fC, data = pds, effect = "twoways", model = "twosteps", transformation = "d", collapse = FALSE),
  S2 = list(f = fC, data = pds, effect = "twoways", model = "twosteps", transformation = "ld", collapse = FALSE),
  M1 = list(f = fA, data = pdm, effect = "twoways", model = "twosteps", transformation = "ld", collapse = FALSE),
  F1 = list(f = fB, data = pdf, effect = "twoways", model = "twosteps", transformation = "ld", collapse = FALSE),
  E1 = list(f = fE, data = pd, effect = "twoways", model = "twosteps", transformation = "d", collapse = FALSE),
  E2 = list(f = fE, data = pd, effect = "twoways", model = "twosteps", transformation = "ld", collapse = TRUE),
  # effect = "individual" with transformation = "ld": no constant, no time dummies (specrun's gmm.constant: false)
  I1 = list(f = fA, data = pd, effect = "individual", model = "twosteps", transformation = "ld", collapse = FALSE),
  I2 = list(f = fB, data = pd, effect = "individual", model = "onestep", transformation = "ld", collapse = FALSE),
  I3 = list(f = fA, data = pd, effect = "individual", model = "twosteps", transformation = "ld", collapse = TRUE),
  L1 = list(f = fL, data = pd, effect = "twoways", model = "onestep", transformation = "ld", collapse = FALSE),
  L2 = list(f = fL, data = pd, effect = "twoways", model = "twosteps", transformation = "ld", collapse = FALSE),
  L3 = list(f = fM, data = pd, effect = "twoways", model = "twosteps", transformation = "ld", collapse = FALSE),
  L4 = list(f = fM, data = pd, effect = "twoways", model = "onestep", transformation = "ld", collapse = TRUE)
)

# plm's coefficient names ("lag(n, 1:2)1", "lag(w, 0:1)0", "lag(n, 1)") → specrun's term names ("lag(n,1)", "w")
termName <- function(x) {
  m <- regmatches(x, regexec("^lag\\(([A-Za-z_.][A-Za-z0-9_.]*), *[0-9:]+\\)([0-9]+)$", x))[[1]]
  if (length(m) == 0) m <- regmatches(x, regexec("^lag\\(([A-Za-z_.][A-Za-z0-9_.]*), *([0-9]+)\\)$", x))[[1]]
  if (length(m) == 0) return(x)
  if (m[3] == "0") m[2] else paste0("lag(", m[2], ",", m[3], ")")
}

out <- list()
for (id in names(models)) {
  m <- models[[id]]
  fit <- pgmm(m$f, data = m$data, effect = m$effect, model = m$model, transformation = m$transformation,
              collapse = m$collapse)
  s <- summary(fit, robust = TRUE, time.dummies = TRUE)
  cat("\n==================== model", id, "====================\n")
  print(s)
  est <- s$coefficients[, 1]; se <- s$coefficients[, 2]
  se_nonrobust <- sqrt(diag(vcov(fit)))
  td <- fit$args$namest
  main <- setdiff(names(est), td)
  res <- unlist(fit$residuals, use.names = FALSE)
  names(est) <- vapply(names(est), termName, ""); names(se) <- vapply(names(se), termName, "")
  names(se_nonrobust) <- vapply(names(se_nonrobust), termName, "")
  main <- vapply(main, termName, "")
  r <- list(
    coefficients = as.list(est[main]), se = as.list(se[main]), se_nonrobust = as.list(se_nonrobust[main]),
    time_coefficients = as.list(est[intersect(td, names(est))]),
    sargan = unname(s$sargan$statistic), sargan_df = unname(s$sargan$parameter), sargan_p = unname(s$sargan$p.value),
    ar1 = as.numeric(s$m1$statistic), ar1_p = as.numeric(s$m1$p.value),
    ar2 = if (is.null(s$m2) || !is.finite(s$m2$statistic)) NA_real_ else as.numeric(s$m2$statistic),
    ar2_p = if (is.null(s$m2) || !is.finite(s$m2$statistic)) NA_real_ else as.numeric(s$m2$p.value),
    instruments = ncol(fit$W[[1]]), groups = length(fit$W), nobs = sum(res != 0)
  )
  # instrument columns that are zero for every unit: plm counts them in the Sargan df, specrun drops them
  empty <- sum(colSums(abs(as.matrix(Reduce("+", lapply(fit$W, function(w) abs(as.matrix(w))))))) == 0)
  r$empty_instruments <- empty
  r$sargan_p_nonempty <- pchisq(r$sargan, r$sargan_df - empty, lower.tail = FALSE)
  out[[id]] <- r
}

# xtabond2's Hansen J for the one-step model B is the criterion of the two-step estimator (printed by Roodman 2009 as
# 110.70): plm's sargan() of the two-step fit B2 computes the same quantity.
out$B$hansen_two_step <- out$B2$sargan

jsonlite::write_json(out, "tests/parity/gmm/empluk.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null")

# timing of the parity models (for reference only)
cat("\nplm", as.character(packageVersion("plm")), "R", R.version.string, "\n")
