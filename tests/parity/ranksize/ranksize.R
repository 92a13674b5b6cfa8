# Reference values for engine/estimate/ranksize (rank-size index and centre count) from R's lm.
# Regenerate from the repository root:
#   Rscript tests/parity/ranksize/ranksize.R > tests/parity/ranksize/ranksize.out
# (the script also writes ranksize.json and ranksize-largest.json beside itself).
# Conventions checked: ln size = C - q ln R with R = rank(-size) (ties get their average rank, R's default),
# rows with a missing or non-positive size left out, q = NA below three units or when the rank does not vary;
# centres = 1 + number of second-largest units dropped until q > threshold (NA when < 3 units would remain).
options(digits = 17)
d <- read.csv("tests/parity/ranksize/cases.csv", stringsAsFactors = FALSE)
threshold <- 0.5
fit <- function(s) {
  s <- sort(s, decreasing = TRUE)
  r <- rank(-s)
  if (length(s) < 3 || length(unique(r)) < 2) return(NULL)
  m <- lm(log(s) ~ log(r))
  list(q = -unname(coef(m)[2]), C = unname(coef(m)[1]), r2 = summary(m)$r.squared, n = length(s))
}
centres <- function(s) {
  s <- sort(s, decreasing = TRUE)
  dropped <- 0
  repeat {
    f <- fit(s)
    if (length(s) < 3) return(NA)
    if (!is.null(f) && f$q > threshold) return(1 + dropped)
    if (length(s) - 1 < 3) return(NA)
    s <- s[-2]
    dropped <- dropped + 1
  }
}
num <- function(v) if (is.null(v) || is.na(v)) "null" else formatC(v, digits = 17, format = "g")
rows <- c()
for (g in unique(d$group)) for (t in sort(unique(d$year[d$group == g]))) {
  s <- d$pop[d$group == g & d$year == t]
  s <- s[!is.na(s) & s > 0]
  f <- fit(s)
  if (is.null(f)) {
    rows <- c(rows, sprintf('{"group":"%s","period":%d,"q":null,"C":null,"r2":null,"n":%d,"centres":null}', g, t, length(s)))
  } else {
    rows <- c(rows, sprintf('{"group":"%s","period":%d,"q":%s,"C":%s,"r2":%s,"n":%d,"centres":%s}', g, t,
      num(f$q), num(f$C), num(f$r2), f$n, num(centres(s))))
  }
}
cat("R", R.version.string, "\n")
json <- paste0("[\n", paste(rows, collapse = ",\n"), "\n]\n")
cat(json)
writeLines(json, "tests/parity/ranksize/ranksize.json", sep = "")

# The same cases with the intercept fixed at the log size of the largest unit (`intercept: largest`, the paper's
# "C 为城市群内首位城市人口的对数"): q is the slope of lm(log(s) - C ~ 0 + log(r)), R² that model's (uncentred)
# r.squared (1 when every size equals the largest's: R gives 0/0 there); two units suffice; the largest unit stays in
# every refit of the centre count. Written to ranksize-largest.json.
fitL <- function(s) {
  s <- sort(s, decreasing = TRUE)
  r <- rank(-s)
  if (length(s) < 2) return(NULL)
  C <- log(s[1])
  m <- lm(I(log(s) - C) ~ 0 + log(r))
  r2 <- summary(m)$r.squared
  if (is.nan(r2)) r2 <- 1
  list(q = -unname(coef(m)[1]), C = C, r2 = r2, n = length(s))
}
centresL <- function(s) {
  s <- sort(s, decreasing = TRUE)
  dropped <- 0
  repeat {
    if (length(s) < 2) return(NA)
    f <- fitL(s)
    if (!is.null(f) && f$q > threshold) return(1 + dropped)
    if (length(s) - 1 < 2) return(NA)
    s <- s[-2]
    dropped <- dropped + 1
  }
}
rowsL <- c()
for (g in unique(d$group)) for (t in sort(unique(d$year[d$group == g]))) {
  s <- d$pop[d$group == g & d$year == t]
  s <- s[!is.na(s) & s > 0]
  f <- fitL(s)
  if (is.null(f)) {
    rowsL <- c(rowsL, sprintf('{"group":"%s","period":%d,"q":null,"C":null,"r2":null,"n":%d,"centres":null}', g, t, length(s)))
  } else {
    rowsL <- c(rowsL, sprintf('{"group":"%s","period":%d,"q":%s,"C":%s,"r2":%s,"n":%d,"centres":%s}', g, t,
      num(f$q), num(f$C), num(f$r2), f$n, trimws(num(centresL(s)))))
  }
}
cat("intercept: largest\n")
jsonL <- paste0("[\n", paste(rowsL, collapse = ",\n"), "\n]\n")
cat(jsonL)
writeLines(jsonL, "tests/parity/ranksize/ranksize-largest.json", sep = "")
