# Export MASS::Pima.tr and MASS::Pima.te to CSV for Augur's learned-model demonstration, and record
# R's logistic-regression baseline (the numbers test/models/learned-pima.test.ts reproduces).
# Run from the repository root:  Rscript models/learned-pima-diabetes/data/export.R
# Requires R and the R package MASS (Debian/Ubuntu: apt-get install r-cran-mass). Deterministic.
library(MASS)
out <- "models/learned-pima-diabetes/data"
write.csv(Pima.tr, file.path(out, "pima-tr.csv"), row.names = FALSE)
write.csv(Pima.te, file.path(out, "pima-te.csv"), row.names = FALSE)

sink(file.path(out, "r-glm-reference.txt"))
cat("MASS", as.character(packageVersion("MASS")), "/", R.version.string, "\n")
cat("glm(type ~ ., family = binomial, data = Pima.tr) coefficients:\n")
fit <- glm(type ~ ., family = binomial, data = Pima.tr)
print(coef(fit), digits = 10)
y <- Pima.te$type == "Yes"
p <- predict(fit, Pima.te, type = "response")
lp <- predict(fit, Pima.te, type = "link")
r <- rank(p)
n1 <- sum(y)
n0 <- sum(!y)
cat("Pima.te errors (p > 0.5):", sum((p > 0.5) != y), "of", nrow(Pima.te), "\n")
cat("Pima.te AUC (Mann-Whitney):", format((sum(r[y]) - n1 * (n1 + 1) / 2) / (n1 * n0), digits = 10), "\n")
cat("Pima.te Brier score:", format(mean((p - y)^2), digits = 10), "\n")
cat("Pima.te calibration intercept, slope (glm(y ~ lp)):", format(coef(glm(y ~ lp, family = binomial)), digits = 10), "\n")
cat("Pima.te calibration-in-the-large (glm(y ~ offset(lp))):", format(coef(glm(y ~ offset(lp), family = binomial)), digits = 10), "\n")
sink()
