# Expected numbers for tests/ols/grunfeld-parity.test.ts: inv ~ value + capital on data/grunfeld.csv.
# Regenerate from the repository root:
#   Rscript tests/parity/ols/grunfeld.R > tests/parity/ols/grunfeld.out
# (also writes tests/parity/ols/grunfeld.json). Needs plm, sandwich, jsonlite.
#
# fixest is not installed here, so its convention (= Stata xtreg/areg with vce(cluster)) is computed by hand from
# the dummy-variable (LSDV) fit: by Frisch–Waugh–Lovell, the slope block of any sandwich on the LSDV regression
# equals the sandwich on the demeaned regressors, so
#   raw CR0  = sandwich::vcovCL(lsdv, cluster = ~firm, type = "HC0", cadjust = FALSE)[slopes, slopes]
#   V(ssc)   = raw · [(N−1)/(N−K)] · [G/(G−1)]
# with K the number of parameters each convention counts (engine/estimate/ols/CONVENTIONS.md):
#   Stata xtreg / fixest default ("nested"): slopes + 1 + non-nested dummies   (one-way: 2+1 = 3; two-way: 2+1+19 = 22)
#   plm vcovHC(type = "sss"):                slopes only                       (K = 2)
#   LSDV, all dummies ("full"):              the lm's rank                     (two-way: 31)
# Two-way clustering (firm and year) follows Cameron–Gelbach–Miller, V = V_firm + V_year − V_firm∩year, each raw,
# then multiplied by [(N−1)/(N−K)]·[G_min/(G_min−1)] (fixest's default cluster.df = "min"), computed here by hand
# with rowsum() on the LSDV scores.
suppressPackageStartupMessages({ library(plm); library(sandwich); library(jsonlite) })
options(digits = 15)
d <- read.csv("data/grunfeld.csv")
d$ffirm <- factor(d$firm); d$fyear <- factor(d$year)
N <- nrow(d)
slopes <- c("value", "capital")
se <- function(V) sqrt(diag(V)[slopes])
out <- list()
case <- function(name, coef, V, extra = list()) {
  out[[name]] <<- c(list(coef = as.list(coef[slopes]), se = as.list(se(V))), extra)
  cat(sprintf("%-34s coef %s  se %s\n", name, paste(format(coef[slopes], digits = 10), collapse = " "),
              paste(format(se(V), digits = 10), collapse = " ")))
}
cr0 <- function(fit, cl) vcovCL(fit, cluster = cl, type = "HC0", cadjust = FALSE)
by_hand_cluster <- function(fit, cl) {     # raw CR0 from the scores: B (Σ_g s_g s_g') B
  X <- model.matrix(fit); e <- residuals(fit)
  B <- solve(crossprod(X)); S <- rowsum(X * e, cl)
  B %*% crossprod(S) %*% B
}

# ---- one-way: firm FE -----------------------------------------------------------------------------------------
lsdv1 <- lm(inv ~ value + capital + ffirm, d)
w1 <- plm(inv ~ value + capital, data = d, index = c("firm", "year"), model = "within")
G <- length(unique(d$firm))
stopifnot(max(abs(coef(w1) - coef(lsdv1)[slopes])) < 1e-10)
case("firm_iid", coef(w1), vcov(w1))                                  # plm = lm: σ² = RSS/(N − 12)
K <- 3
case("firm_cluster_stata", coef(w1), cr0(lsdv1, ~firm) * (N - 1) / (N - K) * G / (G - 1))
cat("check by hand:", max(abs(by_hand_cluster(lsdv1, d$firm)[slopes, slopes] - cr0(lsdv1, ~firm)[slopes, slopes])), "\n")
out$firm_iid$within_r2 <- summary(w1)$r.squared[["rsq"]]

# ---- two-way: firm + year FE ----------------------------------------------------------------------------------
lsdv2 <- lm(inv ~ value + capital + ffirm + fyear, d)
w2 <- plm(inv ~ value + capital, data = d, index = c("firm", "year"), model = "within", effect = "twoways")
stopifnot(max(abs(coef(w2) - coef(lsdv2)[slopes])) < 1e-10)
Kfull <- lsdv2$rank                                                     # 2 + 1 + 9 + 19 = 31
raw2 <- cr0(lsdv2, ~firm)
r2w <- summary(w2)$r.squared[["rsq"]]
r2 <- summary(lsdv2)$r.squared
case("twoway_iid", coef(w2), vcov(w2), list(within_r2 = r2w, r2 = r2, r2_adj = summary(lsdv2)$adj.r.squared,
     within_r2_adj = 1 - (1 - r2w) * (N - 1 - 9 - 19) / (N - Kfull), rmse = sqrt(mean(residuals(lsdv2)^2)),
     df_resid = N - Kfull))
case("twoway_cluster_plm_sss", coef(w2), vcovHC(w2, method = "arellano", type = "sss"))
case("twoway_cluster_fixest", coef(w2), raw2 * (N - 1) / (N - 22) * G / (G - 1))
case("twoway_cluster_lsdv_hc1", coef(w2), vcovCL(lsdv2, cluster = ~firm, type = "HC1"))
case("twoway_cluster_cr0", coef(w2), raw2)
case("twoway_hc1", coef(w2), vcovHC(lsdv2, type = "HC1"))
# two-way clustering (firm, year), CGM with G_min = 10, K nested = 31 (neither FE is nested in... both are: firm in
# firm, year in year) -> nested K = 2 + 1 = 3
T <- length(unique(d$year))
Vcgm <- by_hand_cluster(lsdv2, d$firm) + by_hand_cluster(lsdv2, d$year) - by_hand_cluster(lsdv2, paste(d$firm, d$year))
Gmin <- min(G, T)
case("twoway_cluster2_fixest", coef(w2), Vcgm * (N - 1) / (N - 3) * Gmin / (Gmin - 1))
case("twoway_cluster2_cr0", coef(w2), Vcgm)

# ---- no fixed effects (intercept) -------------------------------------------------------------------------------
ols <- lm(inv ~ value + capital, d)
slopes <- c("(Intercept)", "value", "capital")
case("pooled_iid", coef(ols), vcov(ols), list(r2 = summary(ols)$r.squared, r2_adj = summary(ols)$adj.r.squared))
case("pooled_hc1", coef(ols), vcovHC(ols, type = "HC1"))
case("pooled_cluster", coef(ols), vcovCL(ols, cluster = ~firm, type = "HC1"))   # G/(G-1)·(N-1)/(N-3)
# p-values of the fixest-convention two-way model: t with G − 1 = 9 df
slopes <- c("value", "capital")
t2 <- coef(w2)[slopes] / se(raw2 * (N - 1) / (N - 22) * G / (G - 1))
out$twoway_cluster_fixest$p <- as.list(2 * pt(-abs(t2), G - 1))
t1 <- coef(w2)[slopes] / se(vcov(w2))
out$twoway_iid$p <- as.list(2 * pt(-abs(t1), N - Kfull))
cat(R.version.string, " plm", format(packageVersion("plm")), " sandwich", format(packageVersion("sandwich")), "\n")
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "tests/parity/ols/grunfeld.json")
