# Reference values for engine/numerics/distributions.ts, from R's own pnorm/qnorm/pt/pchisq.
# Regenerate: Rscript tests/parity/numerics/distributions.R > tests/parity/numerics/distributions.out
#   (the script also writes distributions.json beside itself; run it from the repository root).
options(digits = 17)
fmt <- function(v) formatC(v, digits = 17, format = "g")
rows <- list()
add <- function(fn, a, b, value) rows[[length(rows) + 1]] <<- sprintf('{"fn":"%s","a":%s,"b":%s,"value":%s}', fn, fmt(a), if (is.na(b)) "null" else fmt(b), fmt(value))

xs <- c(-38, -30, -20, -10, -8.5, -6, -5, -3.7, -2.5, -2, -1.96, -1.5, -1, -0.5, -0.1, 0, 1e-8, 0.1, 0.5, 1, 1.5, 1.644853627, 1.96, 2, 2.5, 3, 4, 6, 8)
for (x in xs) add("normalCdf", x, NA, pnorm(x))
for (x in xs[xs >= 0]) add("pValueNormal", x, NA, 2 * pnorm(-x))
for (x in c(0.5, 1, 2, 5, 10, 20, 37)) add("pValueNormal", x, NA, 2 * pnorm(-x))
ps <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.005, 0.025, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.95, 0.975, 0.995, 0.999, 1 - 1e-10)
for (p in ps) add("normalQuantile", p, NA, qnorm(p))
ts <- c(-25, -4, -2.5, -1, -0.3, 0, 0.001, 0.3, 1, 1.7, 1.96, 2, 2.5, 3, 4, 6, 10, 25, 40)
# df above 4e5 is left out: R's pt switches to a normal approximation there (see ?pt); those rows come from
# mpmath at 40 digits in t-large-df.py instead.
dfs <- c(1, 2, 3, 5, 9, 10, 19, 30, 100, 177, 1000, 1e4, 5e4, 99999, 1e5, 3e5)
for (d in dfs) for (t in ts) {
  add("studentTCdf", t, d, pt(t, d))
  add("pValueT", t, d, 2 * pt(-abs(t), d))
}
xs2 <- c(0.001, 0.1, 0.5, 1, 2, 3.84, 5, 10, 20, 30, 50, 100, 200, 500, 1000, 1200)
for (d in c(1, 2, 3, 5, 10, 11, 25, 37, 100, 1000)) for (x in xs2) add("chiSquareSf", x, d, pchisq(x, d, lower.tail = FALSE))
cat("R", R.version.string, "\n")
json <- paste0("[\n", paste(rows, collapse = ",\n"), "\n]\n")
cat(json)
writeLines(json, "tests/parity/numerics/distributions.json", sep = "")
