# The constant that Stata's xtreg, fe (and reghdfe) report beside the slopes of a fixed-effects model:
# the intercept of the regression of (y − ȳ_i + ȳ) on (x − x̄_i + x̄). Computed here from that augmented regression
# with lm() and the sandwich package, with Stata's small-sample factors written out, for the one-way firm FE model
# of the Grunfeld data (N = 200, G = 10 firms, K = 3: two slopes and the constant).
# Run: Rscript tests/parity/ols/stata-constant.R > tests/parity/ols/stata-constant.out
suppressPackageStartupMessages({ library(sandwich) })
d <- read.csv("data/grunfeld.csv")
aug <- function(v) v - ave(v, d$firm) + mean(v)
a <- data.frame(inv = aug(d$inv), value = aug(d$value), capital = aug(d$capital), firm = d$firm)
m <- lm(inv ~ value + capital, data = a)
N <- nrow(d); G <- length(unique(d$firm)); K <- 3
# iid: sigma^2 with N − K − (G − 1) degrees of freedom (all firm dummies counted), as xtreg, fe
V_iid <- vcov(m) * (N - K) / (N - K - (G - 1))
# cluster(firm): the Stata factor G/(G−1) · (N−1)/(N−K), the firm effects nested in the clusters not counted
V_cl <- vcovCL(m, cluster = ~firm, type = "HC0", cadjust = FALSE) * G / (G - 1) * (N - 1) / (N - K)
out <- rbind(
  iid = c(estimate = unname(coef(m)["(Intercept)"]), se = sqrt(V_iid[1, 1])),
  cluster = c(estimate = unname(coef(m)["(Intercept)"]), se = sqrt(V_cl[1, 1]))
)
print(out, digits = 12)
cat(sprintf('{"iid": {"estimate": %.12g, "se": %.12g}, "cluster": {"estimate": %.12g, "se": %.12g}}\n',
  out["iid", 1], out["iid", 2], out["cluster", 1], out["cluster", 2]),
  file = "tests/parity/ols/stata-constant.json")
