# Expected numbers for tests/tobit/tobit-robust-parity.test.ts: robust and clustered variances of AER's tobit()
# (a survreg) from the sandwich package, the (β, Log(scale)) parameters together. Regenerate from the repository root:
#   Rscript tests/parity/tobit/tobit-robust.R > tests/parity/tobit/tobit-robust.out
# Reads tests/parity/glm/affairs.csv (AER's Affairs) and tests/parity/tobit/hsb2.csv; writes tobit-robust.json.
#
# sandwich's pieces for a survreg: bread = n·vcov(m) (the inverse observed information), estfun = the scores of
# each observation's log-likelihood in (β, log σ). vcovCL(m, cluster = g, type = "HC1") =
# (n−1)/(n−k)·G/(G−1)·B·Σ_g s_g s_g'·B, k the number of parameters including Log(scale); type "HC0" keeps only G/(G−1)
# (cadjust). Clusters: occupation × education cells (occedu) for Affairs, the social-studies score for hsb2 (any
# grouping with more clusters than parameters). With cluster = each observation (1:n) these are the heteroskedasticity-robust variances.
# specrun's vcov/ssc mapping (CONVENTIONS.md): cluster(g) = HC1 by g; ssc adj: false = HC0 by g; hc1 = HC1 by 1:n;
# hc1 with adj: false = HC0 by 1:n (n/(n−1)·sandwich(m)); adj: false, cluster_adj: false = sandwich(m).
suppressPackageStartupMessages({ library(AER); library(sandwich); library(jsonlite) })
options(digits = 15)
here <- "tests/parity/tobit"
a <- read.csv("tests/parity/glm/affairs.csv")
h <- read.csv(file.path(here, "hsb2.csv"))
out <- list()
se <- function(V) as.list(sqrt(diag(V)))
case <- function(name, m, d, cl) {
  n <- nrow(d)
  v <- list(
    cluster_hc1 = vcovCL(m, cluster = d[[cl]], type = "HC1"),
    cluster_hc0 = vcovCL(m, cluster = d[[cl]], type = "HC0"),
    hetero_hc1 = vcovCL(m, cluster = seq_len(n), type = "HC1"),
    hetero_hc0 = vcovCL(m, cluster = seq_len(n), type = "HC0"),
    sandwich = sandwich(m)
  )
  b <- coef(m)
  slopes <- setdiff(names(b), "(Intercept)")
  wald <- lapply(v, function(V) { Vs <- V[slopes, slopes]; as.numeric(t(b[slopes]) %*% solve(Vs, b[slopes])) })
  out[[name]] <<- list(coef = as.list(b), log_scale = log(m$scale), se = lapply(v, se), wald = wald,
                       clusters = length(unique(d[[cl]])), nobs = n)
  cat("==", name, " clusters", length(unique(d[[cl]])), " n", n, "\n")
  for (nm in names(v)) { cat("  ", nm, "\n"); print(coeftest(m, vcov. = v[[nm]])) }
}
x5 <- "age + yearsmarried + religiousness + occupation + rating"
case("affairs_left0", tobit(as.formula(paste("affairs ~", x5)), data = a), a, "occedu")
case("affairs_left0_right4", tobit(as.formula(paste("affairs ~", x5)), left = 0, right = 4, data = a), a, "occedu")
case("hsb2_right65", tobit(write ~ read + math + female, left = -Inf, right = 65, data = h), h, "socst")
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(here, "tobit-robust.json"))
