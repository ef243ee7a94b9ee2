# Export survival::rotterdam (training) and survival::gbsg (external test) for Augur's DeepSurv
# reproduction (Katzman et al., BMC Med Res Methodol 2018;18:24, "Rotterdam & GBSG" experiment), and
# record R's Cox baseline (coxph on the same covariates) with its GBSG predictions.
# Run from the repository root:  Rscript models/deepsurv-rotterdam-gbsg/data/export.R
# Requires R and the R package survival (Debian: apt-get install r-cran-survival). Deterministic.
# Every derivation is documented in data/README.md.
library(survival)
out <- "models/deepsurv-rotterdam-gbsg/data"

# --- Rotterdam: node-positive patients only (nodes > 0), as in Royston & Altman 2013 and DeepSurv (1546).
rot <- subset(rotterdam, nodes > 0)
# Recurrence-free survival: recurrence or death, whichever comes first. A recurrence is dated rtime; a
# patient without recurrence has the event "death" at dtime (or is censored at dtime when alive). This is
# the definition of survival's own vignette (Therneau, "Validation", rotterdam/gbsg) and Royston & Altman.
rfs <- pmax(rot$recur, rot$death)
rfstime <- ifelse(rot$recur == 1, rot$rtime, rot$dtime)
# Administrative censoring at 84 months (7 years; a month = 30.4375 days), as in the DeepSurv authors' own
# training file (data/README.md, "Censoring at 84 months"): follow-up beyond it is cut, an event beyond
# it is censored there.
# The full follow-up is kept beside it (time_days_full, event_full) for the Breslow baseline hazard only,
# so that survival can be reported to 10 years (train.py, data/README.md).
CUT_DAYS <- 84 * 30.4375
rfs_full <- rfs
rfstime_full <- rfstime
rfs <- ifelse(rfstime > CUT_DAYS, 0L, rfs)
rfstime <- pmin(rfstime, CUT_DAYS)
# Tumour size: rotterdam records a category only (<=20, 20-50, >50 mm) -> 0, 1, 2.
size_cat <- as.integer(rot$size) - 1L
train <- data.frame(
  pid = rot$pid, hormon = rot$hormon, age = rot$age, meno = rot$meno, size_cat = size_cat,
  nodes = rot$nodes, pgr = rot$pgr, er = rot$er, grade = rot$grade, year = rot$year,
  time_days = rfstime, event = rfs, time_days_full = rfstime_full, event_full = rfs_full
)

# --- GBSG: all 686 patients (all node-positive, complete prognostic data). Outcome as recorded (rfstime, status).
# Size in mm -> the same three Rotterdam categories: <=20 -> 0, 21-50 -> 1, >50 -> 2.
g <- gbsg
test <- data.frame(
  pid = g$pid, hormon = g$hormon, age = g$age, meno = g$meno,
  size_cat = ifelse(g$size <= 20, 0L, ifelse(g$size <= 50, 1L, 2L)),
  nodes = g$nodes, pgr = g$pgr, er = g$er, grade = g$grade, size_mm = g$size,
  time_days = g$rfstime, event = g$status
)

write.csv(train, file.path(out, "rotterdam-train.csv"), row.names = FALSE, quote = FALSE)
write.csv(test, file.path(out, "gbsg-test.csv"), row.names = FALSE, quote = FALSE)

# --- Cox baseline: linear terms of the same seven covariates, fitted on Rotterdam (Efron ties, R default).
fit <- coxph(Surv(time_days, event) ~ hormon + age + meno + size_cat + nodes + pgr + er, data = train)
lp_test <- predict(fit, newdata = test, type = "lp", reference = "zero")
lp_train <- predict(fit, newdata = train, type = "lp", reference = "zero")
write.csv(data.frame(pid = test$pid, cox_lp = sprintf("%.17g", lp_test)), file.path(out, "gbsg-coxph-lp.csv"),
          row.names = FALSE, quote = FALSE)
write.csv(data.frame(pid = train$pid, cox_lp = sprintf("%.17g", lp_train)), file.path(out, "rotterdam-coxph-lp.csv"),
          row.names = FALSE, quote = FALSE)

sink(file.path(out, "r-coxph-reference.txt"))
cat("survival", as.character(packageVersion("survival")), "/", R.version.string, "\n")
cat("rotterdam (nodes > 0):", nrow(train), "patients,", sum(train$event), "RFS events\n")
cat("gbsg:", nrow(test), "patients,", sum(test$event), "RFS events\n")
cat("rotterdam: deaths without recorded recurrence counted as RFS events:", sum(rot$recur == 0 & rot$death == 1), "\n")
cat("coxph(Surv(time_days, event) ~ hormon + age + meno + size_cat + nodes + pgr + er, rotterdam) coefficients:\n")
print(coef(fit), digits = 10)
cat("Harrell's C on rotterdam (training, concordance(), reverse = TRUE):",
    format(concordance(Surv(time_days, event) ~ lp_train, data = train, reverse = TRUE)$concordance, digits = 10), "\n")
cat("Harrell's C on gbsg (external, concordance(), reverse = TRUE):",
    format(concordance(Surv(time_days, event) ~ lp_test, data = test, reverse = TRUE)$concordance, digits = 10), "\n")
sink()
