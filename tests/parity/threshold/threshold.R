# Expected numbers for tests/threshold/threshold-parity.test.ts: Hansen's (1999) fixed-effect panel threshold model,
# computed by brute force in base R (no package implements exactly this procedure; this script is the reference).
# Regenerate from the repository root:
#   Rscript tests/parity/threshold/threshold.R > tests/parity/threshold/threshold.out
# Reads data/grunfeld.csv; writes produc.csv (plm's Produc, 48 states × 17 years) and threshold.json beside itself.
#
# The procedure (engine/estimate/threshold/CONVENTIONS.md states the same rules):
# - within transformation by unit; S(γ) = SSR of the within regression on X̃ and [R·1(regime j)]˜ for each regime;
# - candidates: every distinct value γ of q such that each regime, after γ splits the one containing it, keeps at
#   least ceiling(trim · N) rows; the minimiser of S (the smallest γ on ties);
# - sequential: γ1; for two thresholds γ2 given γ1, then γ1 refined given γ2; for three γ3 given the refined pair;
#   F_k = (S_{k−1} − S_k^search)/(S_k^search/(N − G)), S_{k−1} the SSR at stage k−1's final thresholds;
# - 95% LR interval of each γ: the candidates with (S(γ) − S(γ̂))/σ̂² ≤ −2 log(1 − √0.95) on the curve of the search
#   that gave γ̂ (σ̂² = its minimum SSR/(N − G)), reported as [min, max];
# - bootstrap of F_k: y* = fitted values of the (k−1)-threshold model + the residual vector (all T periods) of a unit
#   drawn with replacement from the residuals of the k-threshold model (stage k's search), unit by unit in order,
#   the draws from xoshiro128** seeded by splitmix32 (engine/estimate/mediation/prng.ts, written again below with
#   exact double arithmetic); p = share of F* ≥ F; critical values = the ceiling(p·B)-th smallest F*;
# - regime coefficients: least squares with the thresholds fixed; iid variance e'e/(N − K) with K = columns + G.
options(digits = 15)
suppressPackageStartupMessages(library(jsonlite))
here <- "tests/parity/threshold"

# ---- xoshiro128** 1.1 with splitmix32 seeding, on doubles holding unsigned 32-bit integers ------------------------
U32 <- 4294967296
tos <- function(x) as.integer(ifelse(x >= 2^31, x - U32, x))
tou <- function(x) ifelse(x < 0, x + U32, x)
bxor <- function(a, b) tou(bitwXor(tos(a), tos(b)))
shl <- function(a, k) ((a %% 2^(32 - k)) * 2^k)
shr <- function(a, k) floor(a / 2^k)
rotl <- function(x, k) shl(x, k) + shr(x, 32 - k)
imul <- function(a, b) { ah <- floor(a / 65536); al <- a %% 65536; ((((ah * b) %% U32) * 65536) %% U32 + al * b) %% U32 }
rng_new <- function(seed) {
  lo <- seed %% U32; hi <- floor(seed / U32)
  sm <- bxor(lo, imul(hi, 0x27d4eb2d))
  s <- numeric(4)
  for (i in 1:4) {
    sm <- (sm + 0x9e3779b9) %% U32
    z <- sm
    z <- imul(bxor(z, shr(z, 16)), 0x85ebca6b)
    z <- imul(bxor(z, shr(z, 13)), 0xc2b2ae35)
    s[i] <- bxor(z, shr(z, 16))
  }
  env <- new.env(); env$s <- s; env
}
rng_next <- function(g) {
  s <- g$s
  result <- imul(rotl(imul(s[2], 5), 7), 9)
  t <- shl(s[2], 9)
  s[3] <- bxor(s[3], s[1]); s[4] <- bxor(s[4], s[2]); s[2] <- bxor(s[2], s[3]); s[1] <- bxor(s[1], s[4])
  s[3] <- bxor(s[3], t); s[4] <- rotl(s[4], 11)
  g$s <- s
  result
}
rng_below <- function(g, n) { limit <- U32 - (U32 %% n); repeat { x <- rng_next(g); if (x < limit) return(x %% n) } }

# ---- the threshold model by brute force ------------------------------------------------------------------------
threshold_model <- function(d, y, x, r, q, unit, time, m, trim, reps, seed) {
  d <- d[order(match(d[[unit]], unique(d[[unit]])), d[[time]]), ]
  u <- match(d[[unit]], unique(d[[unit]]))
  G <- length(unique(u)); N <- nrow(d); Tn <- N / G; dof <- N - G
  w <- function(v) v - ave(v, u)
  Y <- w(d[[y]]); Xw <- lapply(x, function(v) w(d[[v]])); R <- lapply(r, function(v) d[[v]]); Q <- d[[q]]
  minc <- max(1, ceiling(trim * N))
  des <- function(thr) {
    cuts <- c(-Inf, sort(thr), Inf); cols <- Xw
    for (j in seq_len(length(cuts) - 1)) for (rr in R) cols[[length(cols) + 1]] <- w(rr * (Q > cuts[j] & Q <= cuts[j + 1]))
    do.call(cbind, cols)
  }
  ssr <- function(yy, thr) sum(lm.fit(des(thr), yy)$residuals^2)
  cand <- sort(unique(Q))
  search <- function(yy, fixed) {
    cuts <- c(-Inf, sort(fixed), Inf); cc <- sapply(cuts, function(v) sum(Q <= v))
    g <- c(); s <- c()
    for (v in cand) {
      j <- max(which(cuts < v)); if (cuts[j + 1] == v) next
      nb <- sum(Q <= v)
      if (nb - cc[j] < minc || cc[j + 1] - nb < minc) next
      g <- c(g, v); s <- c(s, ssr(yy, c(fixed, v)))
    }
    if (!length(g)) return(NULL)
    list(gamma = g[which.min(s)], ssr = min(s), curve_g = g, curve_s = s)
  }
  sequential <- function(yy, m) {
    st <- list(); gam <- c(); curves <- list()
    for (k in 1:m) {
      s <- search(yy, gam); gam <- c(gam, s$gamma); curves[[k]] <- s; ssr_k <- s$ssr
      if (k == 2) { rf <- search(yy, gam[2]); gam <- c(rf$gamma, gam[2]); curves[[1]] <- rf; ssr_k <- rf$ssr }
      st[[k]] <- list(gammas = gam, ssr = ssr_k, ssr_search = s$ssr, curves = curves)
    }
    list(ssr0 = ssr(yy, c()), stages = st)
  }
  fit <- sequential(Y, m)
  ssrs <- c(fit$ssr0, sapply(fit$stages, function(s) s$ssr))
  crit <- -2 * log(1 - sqrt(0.95))
  last <- fit$stages[[m]]
  ints <- lapply(seq_along(last$gammas), function(j) {
    cv <- last$curves[[j]]; sig <- cv$ssr / dof
    inside <- cv$curve_g[(cv$curve_s - cv$ssr) / sig <= crit]
    c(gamma = last$gammas[j], lower = min(inside), upper = max(inside))
  })
  ints <- ints[order(sapply(ints, function(v) v["gamma"]))]
  g <- rng_new(seed)
  tests <- lapply(1:m, function(k) {
    st <- fit$stages[[k]]
    Fk <- (ssrs[k] - st$ssr_search) / (st$ssr_search / dof)
    null_g <- if (k == 1) c() else fit$stages[[k - 1]]$gammas
    fitted <- Y - lm.fit(des(null_g), Y)$residuals
    alt_g <- if (k == 2) c(fit$stages[[1]]$gammas[1], st$curves[[2]]$gamma) else st$gammas
    e <- lm.fit(des(alt_g), Y)$residuals
    Fs <- numeric(0)
    for (b in seq_len(reps)) {
      from <- sapply(1:G, function(i) rng_below(g, G))
      ys <- fitted + e[as.vector(sapply(from, function(f) f * Tn + 1:Tn))]
      f <- sequential(ys, k)
      prev <- if (k == 1) f$ssr0 else f$stages[[k - 1]]$ssr
      s <- f$stages[[k]]$ssr_search
      Fs <- c(Fs, (prev - s) / (s / dof))
    }
    Fs <- sort(Fs); qn <- function(p) Fs[min(length(Fs), max(1, ceiling(p * length(Fs))))]
    list(f = Fk, p = mean(Fs >= Fk), crit10 = qn(0.9), crit5 = qn(0.95), crit1 = qn(0.99))
  })
  thr <- sort(last$gammas)
  X <- des(thr)
  nm <- c(x, unlist(lapply(seq_len(m + 1), function(j) paste0(r, ":regime", j))))
  colnames(X) <- nm
  f <- lm.fit(X, Y)
  K <- ncol(X) + G
  V <- sum(f$residuals^2) / (N - K) * solve(crossprod(X))
  list(thresholds = lapply(ints, as.list), tests = tests, ssr = ssrs, coef = as.list(f$coefficients),
       se = as.list(sqrt(diag(V))), nobs = N, units = G, candidates = length(search(Y, c())$curve_g))
}

out <- list()
run <- function(name, ...) {
  t0 <- proc.time()[3]
  res <- threshold_model(...)
  out[[name]] <<- res
  cat("==", name, sprintf("(%.1f s)", proc.time()[3] - t0), "\n"); str(res, digits.d = 12)
}
gr <- read.csv("data/grunfeld.csv")
run("grunfeld_1", gr, "inv", "capital", "value", "value", "firm", "year", 1, 0.05, 50, 1)
run("grunfeld_2", gr, "inv", "capital", "value", "value", "firm", "year", 2, 0.05, 30, 7)
suppressPackageStartupMessages(library(plm))
data(Produc)
pr <- data.frame(state = as.integer(Produc$state), year = Produc$year, lgsp = log(Produc$gsp), lpcap = log(Produc$pcap),
                 lpc = log(Produc$pc), lemp = log(Produc$emp), unemp = Produc$unemp)
write.csv(pr, file.path(here, "produc.csv"), row.names = FALSE)
run("produc_3", pr, "lgsp", c("lpcap", "lemp"), "lpc", "unemp", "state", "year", 3, 0.05, 10, 3)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(here, "threshold.json"))
