# Expected numbers for tests/tobit/tobit-parity.test.ts: AER's tobit() (survreg, Gaussian) on public data.
# Regenerate from the repository root:
#   Rscript tests/parity/tobit/tobit.R > tests/parity/tobit/tobit.out
# Reads tests/parity/glm/affairs.csv (AER's Affairs, written by tests/parity/glm/glm.R) and
# /work/shared/reference/hsb2.csv copied to tests/parity/tobit/hsb2.csv; writes tobit.json beside itself.
# Each case: coefficients and SEs (including Log(scale), survreg's log σ), the log-likelihood, sigma, the counts of
# left- and right-censored observations, and the Wald chi-square of the slopes (AER's summary).
suppressPackageStartupMessages({ library(AER); library(jsonlite) })
options(digits = 15)
here <- "tests/parity/tobit"
a <- read.csv("tests/parity/glm/affairs.csv")
a$share <- a$affairs / 12
h <- read.csv(file.path(here, "hsb2.csv"))
out <- list()
case <- function(name, m, y, left, right) {
  s <- summary(m)
  ct <- coef(s)
  out[[name]] <<- list(coef = as.list(ct[, 1]), se = as.list(ct[, 2]), loglik = as.numeric(logLik(m)),
                       sigma = m$scale, nobs = length(y), left = sum(y <= left), right = sum(y >= right),
                       wald = unname(s$wald[1]), wald_df = length(coef(m)) - 1, iterations = m$iter)
  cat("==", name, " left", sum(y <= left), " right", sum(y >= right), "\n")
  print(s)
}
x5 <- "age + yearsmarried + religiousness + occupation + rating"
fml <- function(y) as.formula(paste(y, "~", x5))
case("affairs_left0", tobit(fml("affairs"), data = a), a$affairs, 0, Inf)
case("affairs_left0_right4", tobit(fml("affairs"), left = 0, right = 4, data = a), a$affairs, 0, 4)
case("affairs_right4", tobit(fml("affairs"), left = -Inf, right = 4, data = a), a$affairs, -Inf, 4)
case("share_0_1", tobit(fml("share"), left = 0, right = 1, data = a), a$share, 0, 1)
case("hsb2_right65", tobit(write ~ read + math + female, left = -Inf, right = 65, data = h), h$write, -Inf, 65)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(here, "tobit.json"))
