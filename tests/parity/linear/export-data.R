# Exports the public data sets of the issue-16 parity tests and examples to data/ (CSV, full precision).
# Run from the repository root: R_LIBS=/work/rlib Rscript tests/parity/linear/export-data.R
suppressMessages({ library(fixest); library(AER); library(plm) })
w <- function(d, f) write.csv(d, f, row.names = FALSE, quote = TRUE, na = "")
data(base_stagg, package = "fixest")   # staggered adoption panel (fixest)
w(base_stagg[, c("id", "year", "year_treated", "time_to_treatment", "treated", "treatment_effect_true", "x1", "y")], "data/base-stagg.csv")
data(base_did, package = "fixest")     # difference in differences panel (fixest)
w(base_did, "data/base-did.csv")
data(CigarettesSW, package = "AER")    # cigarette consumption, 48 US states, 1985 and 1995 (AER)
cg <- CigarettesSW
cg$rprice <- cg$price / cg$cpi
cg$rincome <- cg$income / cg$population / cg$cpi
cg$tdiff <- (cg$taxs - cg$tax) / cg$cpi
cg$rtax <- cg$tax / cg$cpi
cg$lpacks <- log(cg$packs); cg$lrprice <- log(cg$rprice); cg$lrincome <- log(cg$rincome)
w(cg[, c("state", "year", "cpi", "population", "packs", "income", "tax", "price", "taxs",
         "rprice", "rincome", "tdiff", "rtax", "lpacks", "lrprice", "lrincome")], "data/cigarettes-sw.csv")
data(Produc, package = "plm")          # US states' production, 1970–1986 (plm)
w(Produc, "data/produc.csv")
w(cbind(model = rownames(mtcars), mtcars), "data/mtcars.csv")
