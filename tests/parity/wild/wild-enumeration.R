# Expected numbers for tests/wild/wild-parity.test.ts: the restricted wild cluster bootstrap (WCR) of model firm_fe
# of specs/examples/wild-bootstrap.yaml (Grunfeld, inv ~ value + capital | firm, clustered by firm, G = 10), by full
# enumeration of the 2^10 = 1024 Rademacher sign vectors, in base R.
# Regenerate from the repository root:
#   Rscript tests/parity/wild/wild-enumeration.R > tests/parity/wild/wild-enumeration.out
# (also writes tests/parity/wild/wild-enumeration.json; needs jsonlite).
#
# Independent of specrun's algebra (engine/estimate/wild/index.ts computes t* from cluster-level pieces without
# refitting): here every bootstrap sample is refitted explicitly by least squares on the dummy-variable design
# [value, capital, firm dummies], and its cluster-robust (CR0) standard error computed from the refitted residuals.
# The small-sample factor multiplies the observed and the bootstrap statistics alike and cancels, so CR0 is used.
# Convention (as specrun, see its CONVENTIONS.md): p(b0) = share of the 1024 draws with |t*| > |t(b0)| (1 + 1e-9);
# the confidence interval {b0 : p(b0) > 0.05} is bracketed from the estimate in steps 6·SE, 12·SE, 24·SE, ...
# (SE the CR0 standard error) and bisected to a width of 1e-9·SE.
suppressPackageStartupMessages(library(jsonlite))
options(digits = 15)
d <- read.csv("data/grunfeld.csv")
firm <- factor(d$firm)
X <- cbind(value = d$value, capital = d$capital, model.matrix(~ firm - 1))
y <- d$inv
G <- nlevels(firm)
V <- as.matrix(expand.grid(rep(list(c(1, -1)), G)))   # 1024 × 10: draw k has v_g = −1 when bit g of k is set
stopifnot(nrow(V) == 2^G, all(V[1, ] == 1))
Vobs <- V[, as.integer(firm)]                           # 1024 × n
qx <- qr(X)
XtXi <- chol2inv(qr.R(qx))
fit <- qr.coef(qx, y)
e <- y - X %*% fit

cr0_se <- function(j, E) {                               # CR0 SE of coefficient j for each column of residuals E
  h <- X %*% XtXi[, j]                                   # n-vector: row j of (X'X)^{-1} X'
  S <- rowsum(as.vector(h) * E, firm)                     # G × B scores
  sqrt(colSums(S^2))
}

p_value <- function(j, b0) {
  Xr <- X[, -j, drop = FALSE]
  qr_r <- qr(Xr)
  yr <- y - b0 * X[, j]
  ur <- qr.resid(qr_r, yr)                                # restricted residuals
  yhat <- y - ur                                          # restricted fitted values (β_j = b0 imposed)
  Ystar <- yhat + t(Vobs) * ur                            # n × 1024 bootstrap samples
  B <- qr.coef(qx, Ystar)
  Estar <- Ystar - X %*% B
  tstar <- abs((B[j, ] - b0) / cr0_se(j, Estar))
  t0 <- abs((fit[j] - b0) / cr0_se(j, e))
  mean(tstar > t0 * (1 + 1e-9))
}

ci_side <- function(j, dir, alpha = 0.05) {
  est <- fit[j]; se <- cr0_se(j, e)
  inner <- est; step <- 2 * 3 * se; outer <- est + dir * step
  k <- 0
  while (k < 60 && p_value(j, outer) > alpha) { inner <- outer; step <- step * 2; outer <- est + dir * step; k <- k + 1 }
  k <- 0
  while (k < 200 && abs(outer - inner) > 1e-9 * se) {
    mid <- (inner + outer) / 2
    if (p_value(j, mid) > alpha) inner <- mid else outer <- mid
    k <- k + 1
  }
  unname((inner + outer) / 2)
}

out <- list()
for (term in c("value", "capital")) {
  j <- match(term, colnames(X))
  r <- list(estimate = unname(fit[j]), p = p_value(j, 0), ci = c(ci_side(j, -1), ci_side(j, 1)), draws = nrow(V))
  out[[term]] <- r
  cat(sprintf("%-8s estimate %.12f  WCR p %.10f  95%% CI [%.10f, %.10f]  (%d draws)\n", term, r$estimate, r$p, r$ci[1], r$ci[2], r$draws))
}
writeLines(toJSON(list(firm_fe = out), auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/parity/wild/wild-enumeration.json")
