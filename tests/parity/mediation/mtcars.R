# Reference values for engine/estimate/mediation from R's lm (and sandwich for the robust and clustered variances),
# on tests/fixtures/data/mtcars.csv (R's built-in mtcars). Regenerate from the repository root:
#   Rscript tests/parity/mediation/mtcars.R > tests/parity/mediation/mtcars.out
# (the script also writes mtcars.json beside itself).
# Each case: the three stepwise equations total (Y ~ X + W), mediator (M ~ X + W), outcome (Y ~ X + M + W);
# a, b, c, c' with their SEs; ab; the Sobel, Aroian and Goodman SE/z/p (two-sided normal p); the share ab/c.
# The `interval` block checks the bootstrap interval arithmetic (type-7 quantiles, bias-corrected percentiles)
# on a fixed vector of replicates.
options(digits = 17)
library(sandwich)
d <- read.csv("tests/fixtures/data/mtcars.csv")
num <- function(v) if (is.null(v) || is.na(v)) "null" else formatC(v, digits = 17, format = "g")

vc <- function(m, vcov, d) {
  if (vcov == "iid") return(vcov(m))
  if (vcov == "hc1") return(vcovHC(m, type = "HC1"))
  # cluster(var): G/(G-1) * (N-1)/(N-K) * sandwich, as Stata and fixest by default
  vcovCL(m, cluster = d[[sub("cluster\\((.*)\\)", "\\1", vcov)]], type = "HC1", cadjust = TRUE)
}
jl <- function(v) if (length(v)) paste0('"', v, '"', collapse = ",") else ""
est <- function(m, v, name) c(unname(coef(m)[name]), sqrt(unname(diag(v)[name])))

run <- function(id, X, M, Y, W = character(0), fe = character(0), vcov = "iid") {
  rhs <- function(...) paste(c(..., W, if (length(fe)) paste0("factor(", fe, ")")), collapse = " + ")
  mt <- lm(as.formula(paste(Y, "~", rhs(X))), data = d)
  ma <- lm(as.formula(paste(M, "~", rhs(X))), data = d)
  mo <- lm(as.formula(paste(Y, "~", rhs(X, M))), data = d)
  c_ <- est(mt, vc(mt, vcov, d), X); a <- est(ma, vc(ma, vcov, d), X)
  b <- est(mo, vc(mo, vcov, d), M); cp <- est(mo, vc(mo, vcov, d), X)
  ab <- a[1] * b[1]
  s1 <- b[1]^2 * a[2]^2 + a[1]^2 * b[2]^2; s2 <- a[2]^2 * b[2]^2
  sob <- sqrt(s1); aro <- sqrt(s1 + s2); goo <- if (s1 - s2 > 0) sqrt(s1 - s2) else NA
  p <- function(z) 2 * pnorm(-abs(z))
  sprintf(paste0('{"id":"%s","treatment":"%s","mediator":"%s","outcome":"%s","controls":[%s],"fe":[%s],"vcov":"%s","nobs":%d,',
    '"c":%s,"c_se":%s,"a":%s,"a_se":%s,"b":%s,"b_se":%s,"c_prime":%s,"c_prime_se":%s,"indirect":%s,',
    '"sobel_se":%s,"sobel_z":%s,"sobel_p":%s,"aroian_se":%s,"aroian_z":%s,"aroian_p":%s,',
    '"goodman_se":%s,"goodman_z":%s,"goodman_p":%s,"share":%s,"outcome_coef":{%s}}'),
    id, X, M, Y, jl(W), jl(fe),
    vcov, nobs(mo),
    num(c_[1]), num(c_[2]), num(a[1]), num(a[2]), num(b[1]), num(b[2]), num(cp[1]), num(cp[2]), num(ab),
    num(sob), num(ab / sob), num(p(ab / sob)), num(aro), num(ab / aro), num(p(ab / aro)),
    num(goo), num(ab / goo), num(p(ab / goo)), num(ab / c_[1]),
    paste(sprintf('"%s":%s', c(X, M, W), sapply(c(X, M, W), function(n) num(unname(coef(mo)[n])))), collapse = ","))
}

cases <- c(
  run("plain", "wt", "hp", "mpg"),
  run("controls", "wt", "hp", "mpg", c("cyl", "am")),
  run("controls_hc1", "wt", "hp", "mpg", c("cyl", "am"), vcov = "hc1"),
  run("controls_cluster", "wt", "hp", "mpg", c("cyl", "am"), vcov = "cluster(carb)"),
  run("fe_iid", "wt", "hp", "mpg", c("am"), fe = "cyl")
)

# Bootstrap interval arithmetic on a fixed, skewed vector of 999 "replicates" around an estimate of 0.1.
v <- sort(0.1 + 0.05 * qnorm(ppoints(999)) + 0.02 * sin(1:999)^3)
est0 <- 0.1; level <- 0.95; alpha <- 1 - level
z0 <- qnorm(mean(v < est0))
pct <- quantile(v, c(alpha / 2, 1 - alpha / 2), type = 7, names = FALSE)
bc <- quantile(v, pnorm(2 * z0 + qnorm(c(alpha / 2, 1 - alpha / 2))), type = 7, names = FALSE)
interval <- sprintf('{"replicates":[%s],\n"estimate":%s,"level":%s,"z0":%s,"percentile":[%s,%s],"bias_corrected":[%s,%s]}',
  paste(sapply(v, num), collapse = ","), num(est0), num(level), num(z0), num(pct[1]), num(pct[2]), num(bc[1]), num(bc[2]))

cat("R", R.version.string, "\n")
json <- paste0('{"cases":[\n', paste(cases, collapse = ",\n"), '\n],\n"interval":', interval, '}\n')
cat(json)
writeLines(json, "tests/parity/mediation/mtcars.json", sep = "")
