#!/usr/bin/python3
"""DeepSurv on Rotterdam (node-positive) -> external test on GBSG: train, export ONNX, evaluate.

Reproduces the "Rotterdam & GBSG" experiment of Katzman et al., DeepSurv, BMC Med Res Methodol
2018;18:24. Run from the repository root with Debian's interpreter and packages:

    /usr/bin/python3 models/deepsurv-rotterdam-gbsg/train.py

(apt-get install python3-torch python3-onnx; the CSVs come from data/export.R). Deterministic: fixed
seeds, float64, one CPU thread, torch.use_deterministic_algorithms(True). Writes, in this folder:
model.onnx, predictions/*.csv, metrics.json, and the generated fields of model.json and
source-attributes.json (sha256, Breslow baseline, metrics, subgroup performance).
"""
import csv
import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
PRED = os.path.join(HERE, "predictions")

SEED = 2018
torch.manual_seed(SEED)
torch.use_deterministic_algorithms(True)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

# Paper's hyper-parameters for Rotterdam & GBSG (Katzman et al. 2018, Table 3; checked, see README):
HP = {
    "hidden": 8,  # one hidden layer of 8 nodes
    "activation": "SELU",
    "optimizer": "Adam",
    "learningRate": 0.154,
    # lr_epoch = lr / (1 + epoch * decay): the paper's Table 3 (5.73e-3 had been recalled before; README).
    "learningRateDecay": 5.667e-3,
    "l2": 6.551,  # l2 * sum of squared OUTPUT-layer weights, as the DeepSurv code applies it (see README)
    "dropout": 0.661,
    "momentum": 0.887,  # stated in the paper; Adam has no momentum parameter: unused (see README)
    "epochs": 500,  # NOT stated in the paper: our choice (see README)
    "seed": SEED,
}
COLUMNS = ["hormon", "age", "meno", "size_cat", "nodes", "pgr", "er"]
YEARS = list(range(1, 11))
DAYS_PER_YEAR = 365.25
BOOT = 1000
BOOT_SEED = 20180226


def read_csv(name):
    with open(os.path.join(DATA, name), newline="") as f:
        return list(csv.DictReader(f))


def covariates(rows):
    return torch.tensor([[float(r[c]) for c in COLUMNS] for r in rows])


class Selu(torch.nn.Module):
    """SELU written with elementary ops (onnxruntime has no float64 Selu kernel), used for training and export:
    scale * (x if x > 0 else alpha * (exp(x) - 1)), Klambauer et al. 2017 constants."""

    ALPHA = 1.6732632423543772848170429916717
    SCALE = 1.0507009873554804934193349852946

    def forward(self, x):
        return self.SCALE * torch.where(x > 0, x, self.ALPHA * (torch.exp(torch.clamp(x, max=0.0)) - 1.0))


class DeepSurv(torch.nn.Module):
    """Standardise -> Linear(7, 8) -> SELU -> Dropout -> Linear(8, 1, no bias) = log-risk."""

    def __init__(self, mean, sd):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("sd", sd)
        self.hidden = torch.nn.Linear(len(COLUMNS), HP["hidden"])
        self.act = Selu()
        self.drop = torch.nn.Dropout(HP["dropout"])
        self.out = torch.nn.Linear(HP["hidden"], 1, bias=False)  # a bias cancels in the partial likelihood
        torch.nn.init.xavier_uniform_(self.hidden.weight)
        torch.nn.init.zeros_(self.hidden.bias)
        torch.nn.init.xavier_uniform_(self.out.weight)

    def forward(self, x):  # x: [N, 7] with size as the 0/1/2 category
        return self.out(self.drop(self.act(self.hidden((x - self.mean) / self.sd)))).squeeze(-1)


class Served(torch.nn.Module):
    """The served graph: inputs as in model.json (tumour size in mm), output log_risk [N]."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        size_mm = x[:, 3:4]
        size_cat = (size_mm > 20.0).to(x.dtype) + (size_mm > 50.0).to(x.dtype)  # <=20, 20-50, >50
        return self.net(torch.cat([x[:, 0:3], size_cat, x[:, 4:7]], dim=1))


def neg_partial_log_likelihood(lp, time, event):
    """Cox negative log partial likelihood (Breslow ties), averaged over events, as DeepSurv."""
    order = torch.argsort(-time, stable=True)  # descending time: risk set = prefix
    lp, event = lp[order], event[order]
    log_risk_set = torch.logcumsumexp(lp, dim=0)
    return -torch.sum((lp - log_risk_set) * event) / torch.sum(event)


def train(x, time, event):
    mean = x.mean(0)
    sd = x.std(0)  # sample SD
    net = DeepSurv(mean, sd)
    opt = torch.optim.Adam(net.parameters(), lr=HP["learningRate"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0 / (1.0 + e * HP["learningRateDecay"]))
    net.train()
    for _ in range(HP["epochs"]):
        opt.zero_grad()
        loss = neg_partial_log_likelihood(net(x), time, event)
        loss = loss + HP["l2"] * net.out.weight.pow(2).sum()
        loss.backward()
        opt.step()
        sched.step()
    net.eval()
    return net


def breslow(lp, time, event, at):
    """Breslow baseline cumulative hazard H0(t) = sum over event times s <= t of d(s) / sum_{t_j >= s} exp(lp_j)."""
    pairs = sorted(zip(time, event, lp))
    times = sorted({t for t, d, _ in pairs if d == 1})
    out = []
    for t_h in at:
        h = 0.0
        for s in times:
            if s > t_h:
                break
            d = sum(1 for t, e, _ in pairs if t == s and e == 1)
            r = sum(math.exp(l) for t, _, l in pairs if t >= s)
            h += d / r
        out.append(h)
    return out


def harrell_c(time, event, risk, idx=None):
    """Harrell's C: pairs (i, j) with t_i < t_j and d_i = 1, or t_i == t_j with d_i = 1, d_j = 0
    (R survival::concordance's convention); concordant if risk_i > risk_j, ties in risk count 1/2."""
    if idx is None:
        idx = range(len(time))
    t = torch.tensor([time[i] for i in idx])
    d = torch.tensor([event[i] for i in idx], dtype=torch.bool)
    r = torch.tensor([risk[i] for i in idx])
    ti, tj = t[:, None], t[None, :]
    comparable = d[:, None] & ((ti < tj) | ((ti == tj) & ~d[None, :]))
    conc = (r[:, None] > r[None, :]) & comparable
    tie = (r[:, None] == r[None, :]) & comparable
    return (conc.sum().item() + 0.5 * tie.sum().item()) / comparable.sum().item()


def mulberry32(seed):
    """The mulberry32 PRNG (also in TypeScript in the test), so the bootstrap can be recomputed exactly."""
    state = seed & 0xFFFFFFFF

    def imul(a, b):
        return (a * b) & 0xFFFFFFFF

    def nxt():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        t &= 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return nxt


def bootstrap_ci(time, event, risks):
    """Percentile 95 % CI (2.5th / 97.5th of BOOT resamples, type-7 quantile), same resamples for every risk."""
    rand = mulberry32(BOOT_SEED)
    n = len(time)
    stats = [[] for _ in risks]
    for _ in range(BOOT):
        idx = [int(rand() * n) for _ in range(n)]
        for k, risk in enumerate(risks):
            stats[k].append(harrell_c(time, event, risk, idx))
    return [(quantile(s, 0.025), quantile(s, 0.975)) for s in stats]


def quantile(values, q):
    v = sorted(values)
    h = (len(v) - 1) * q
    lo = math.floor(h)
    return v[lo] + (h - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])


def km_at(time, event, t_h, idx):
    """Kaplan-Meier survival at t_h on the rows idx."""
    s = 1.0
    rows = sorted((time[i], event[i]) for i in idx)
    at_risk = len(rows)
    k = 0
    while k < len(rows) and rows[k][0] <= t_h:
        t = rows[k][0]
        d = c = 0
        while k < len(rows) and rows[k][0] == t:
            d += rows[k][1]
            c += 1
            k += 1
        if d:
            s *= 1 - d / at_risk
        at_risk -= c
    return s


def r4(v):
    return float(f"{v:.4f}")


def main():
    tr, te = read_csv("rotterdam-train.csv"), read_csv("gbsg-test.csv")
    cox = {r["pid"]: float(r["cox_lp"]) for r in read_csv("gbsg-coxph-lp.csv")}
    cox_train = {r["pid"]: float(r["cox_lp"]) for r in read_csv("rotterdam-coxph-lp.csv")}
    x_tr = covariates(tr)
    t_tr = torch.tensor([float(r["time_days"]) for r in tr])
    d_tr = torch.tensor([float(r["event"]) for r in tr])
    net = train(x_tr, t_tr, d_tr)
    served = Served(net).eval()

    with torch.no_grad():
        lp_tr = net(x_tr).tolist()
        x_served_te = torch.tensor(
            [[float(r[c]) for c in ["hormon", "age", "meno", "size_mm", "nodes", "pgr", "er"]] for r in te]
        )
        lp_te = served(x_served_te).tolist()

    time_tr, ev_tr = [float(r["time_days"]) for r in tr], [int(r["event"]) for r in tr]
    # The fit and the training C use the paper's data (censored at 84 months); the Breslow baseline uses
    # the full Rotterdam follow-up, so that survival is reported to 10 years (data/README.md).
    time_full, ev_full = [float(r["time_days_full"]) for r in tr], [int(r["event_full"]) for r in tr]
    time_te, ev_te = [float(r["time_days"]) for r in te], [int(r["event"]) for r in te]
    cox_te = [cox[r["pid"]] for r in te]
    cox_tr = [cox_train[r["pid"]] for r in tr]

    # ONNX export (float64, opset 17, dynamic batch): x [N, 7] -> log_risk [N].
    onnx_path = os.path.join(HERE, "model.onnx")
    torch.onnx.export(
        served, x_served_te[:2], onnx_path, input_names=["x"], output_names=["log_risk"],
        dynamic_axes={"x": {0: "N"}, "log_risk": {0: "N"}}, opset_version=17,
    )

    os.makedirs(PRED, exist_ok=True)
    with open(os.path.join(PRED, "rotterdam-train.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["pid", "time_days", "event", "time_days_full", "event_full", "net_lp", "cox_lp"])
        for r, a, b in zip(tr, lp_tr, cox_tr):
            w.writerow([r["pid"], r["time_days"], r["event"], r["time_days_full"], r["event_full"], repr(a), repr(b)])
    with open(os.path.join(PRED, "gbsg-test.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["pid", "hormon", "age", "meno", "size_mm", "nodes", "pgr", "er", "time_days", "event", "net_lp", "cox_lp"])
        for r, a, b in zip(te, lp_te, cox_te):
            w.writerow([r["pid"], r["hormon"], r["age"], r["meno"], r["size_mm"], r["nodes"], r["pgr"], r["er"],
                        r["time_days"], r["event"], repr(a), repr(b)])

    horizons = [y * DAYS_PER_YEAR for y in YEARS]
    h0_net = breslow(lp_tr, time_full, ev_full, horizons)
    h0_cox = breslow(cox_tr, time_full, ev_full, horizons)

    c_net, c_cox = harrell_c(time_te, ev_te, lp_te), harrell_c(time_te, ev_te, cox_te)
    (net_lo, net_hi), (cox_lo, cox_hi) = bootstrap_ci(time_te, ev_te, [lp_te, cox_te])
    c_net_train, c_cox_train = harrell_c(time_tr, ev_tr, lp_tr), harrell_c(time_tr, ev_tr, cox_tr)

    # Calibration at 5 years on GBSG: mean predicted RFS vs Kaplan-Meier, overall and by risk tertile.
    t5 = 5 * DAYS_PER_YEAR
    s5_net = [math.exp(-h0_net[4] * math.exp(l)) for l in lp_te]
    s5_cox = [math.exp(-h0_cox[4] * math.exp(l)) for l in cox_te]
    everyone = list(range(len(te)))
    calib = {"overall": {"n": len(te), "observedKm": km_at(time_te, ev_te, t5, everyone),
                         "predictedNet": sum(s5_net) / len(te), "predictedCox": sum(s5_cox) / len(te)}}
    order = sorted(everyone, key=lambda i: (lp_te[i], i))
    tertiles = []
    for k in range(3):
        idx = order[k * len(order) // 3:(k + 1) * len(order) // 3]
        tertiles.append({"tertile": k + 1, "n": len(idx), "observedKm": km_at(time_te, ev_te, t5, idx),
                         "predictedNet": sum(s5_net[i] for i in idx) / len(idx)})
    calib["netRiskTertiles"] = tertiles

    # Subgroups (issue 13 section 4): age bands; menopausal status; no sex subgroup (all women).
    bands = [("under 45", 0, 44), ("45–54", 45, 54), ("55–64", 55, 64), ("65 and over", 65, 200)]
    groups = [(f"Age {lab}", [i for i, r in enumerate(te) if lo <= float(r["age"]) <= hi]) for lab, lo, hi in bands]
    groups += [("Premenopausal", [i for i, r in enumerate(te) if r["meno"] == "0"]),
               ("Postmenopausal", [i for i, r in enumerate(te) if r["meno"] == "1"])]
    subgroups = []
    for name, idx in groups:
        subgroups.append({
            "subgroup": name, "n": len(idx), "events": sum(ev_te[i] for i in idx),
            "cIndexNet": harrell_c(time_te, ev_te, lp_te, idx), "cIndexCox": harrell_c(time_te, ev_te, cox_te, idx),
            "observedKm5y": km_at(time_te, ev_te, t5, idx),
            "predicted5yNet": sum(s5_net[i] for i in idx) / len(idx),
        })

    metrics = {
        "generatedBy": "models/deepsurv-rotterdam-gbsg/train.py",
        "torch": torch.__version__,
        "hyperparameters": HP,
        "train": {"n": len(tr), "events": sum(ev_tr), "cIndexNet": c_net_train, "cIndexCox": c_cox_train},
        "test": {"n": len(te), "events": sum(ev_te), "cIndexNet": c_net, "cIndexNetCi95": [net_lo, net_hi],
                 "cIndexCox": c_cox, "cIndexCoxCi95": [cox_lo, cox_hi],
                 "bootstrap": {"resamples": BOOT, "prng": "mulberry32", "seed": BOOT_SEED,
                               "interval": "percentile, type-7 quantiles 0.025 / 0.975"}},
        "breslow": {"years": YEARS, "net": h0_net, "cox": h0_cox},
        "calibration5y": calib,
        "subgroups": subgroups,
    }
    with open(os.path.join(HERE, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    write_card(metrics, onnx_path)
    write_vectors(te, lp_te)
    print(json.dumps({k: metrics[k] for k in ["train", "test", "calibration5y"]}, indent=1))
    print(json.dumps(subgroups, indent=1))
    return 0


def write_vectors(te, lp_te):
    """vectors.json: PyTorch's own log-risk for five GBSG patients (onnxruntime must reproduce them)."""
    vectors = []
    for r, lp in list(zip(te, lp_te))[:5]:
        vectors.append({
            "name": f"GBSG patient pid {r['pid']}",
            "source": "PyTorch 1.13 (train.py, eval mode) on survival::gbsg; not a published example: the paper prints none",
            "inputs": {
                "hormonal_therapy": r["hormon"] == "1", "age_years": float(r["age"]), "postmenopausal": r["meno"] == "1",
                "tumour_size_mm": float(r["size_mm"]), "positive_lymph_nodes": float(r["nodes"]),
                "progesterone_receptor_fmol_l": float(r["pgr"]), "estrogen_receptor_fmol_l": float(r["er"]),
            },
            "expected": {"log_risk": lp},
            "tolerance": 1e-7,
            "note": "onnxruntime with graph optimisation 'all' differs from PyTorch by up to 6.7e-8 on GBSG (test/models/deepsurv.test.ts)",
        })
    with open(os.path.join(HERE, "vectors.json"), "w") as f:
        json.dump({"model": "deepsurv-rotterdam-gbsg", "vectors": vectors}, f, indent=2, ensure_ascii=False)
        f.write("\n")


GBSG = "GBSG trial, external (686 patients, 299 events)"
CITE_DATA = {
    "text": "Royston P, Altman DG. BMC Med Res Methodol 2013;13:33 — GBSG data as packaged in R survival 3.5-3 (gbsg); "
    "metrics computed by models/deepsurv-rotterdam-gbsg/train.py.",
}


def write_card(m, onnx_path):
    """Fills the generated fields of model.json and source-attributes.json (the rest is hand-written)."""
    import hashlib

    with open(onnx_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    card_path = os.path.join(HERE, "model.json")
    with open(card_path) as f:
        card = json.load(f)
    card["onnx"]["sha256"] = sha
    card["survival"]["baselineCumulativeHazard"] = [
        {"time": y, "cumulativeHazard": h} for y, h in zip(YEARS, m["breslow"]["net"])
    ]
    t, c = m["test"], m["calibration5y"]
    ci = lambda v: f"{v[0]:.3f}–{v[1]:.3f}"
    metric = lambda name, value, ds=GBSG: {"name": name, "value": r4(value), "dataset": ds}
    card["development"]["metrics"] = [
        metric("DeepSurv: Harrell's C", t["cIndexNet"]),
        metric("DeepSurv: Harrell's C, bootstrap 95 % CI lower", t["cIndexNetCi95"][0]),
        metric("DeepSurv: Harrell's C, bootstrap 95 % CI upper", t["cIndexNetCi95"][1]),
        metric("Cox baseline (R coxph): Harrell's C", t["cIndexCox"]),
        metric("Cox baseline (R coxph): Harrell's C, bootstrap 95 % CI lower", t["cIndexCoxCi95"][0]),
        metric("Cox baseline (R coxph): Harrell's C, bootstrap 95 % CI upper", t["cIndexCoxCi95"][1]),
        metric("5-year recurrence-free survival, Kaplan–Meier (observed)", c["overall"]["observedKm"]),
        metric("5-year recurrence-free survival, DeepSurv mean predicted", c["overall"]["predictedNet"]),
        metric("5-year recurrence-free survival, Cox baseline mean predicted", c["overall"]["predictedCox"]),
        *[
            metric(f"5-year RFS by DeepSurv risk tertile {r['tertile']} (1 = lowest risk): {k}", r[key],
                   f"{GBSG}, tertile {r['tertile']} (n = {r['n']})")
            for r in c["netRiskTertiles"]
            for k, key in [("Kaplan–Meier", "observedKm"), ("mean predicted", "predictedNet")]
        ],
        metric("DeepSurv: Harrell's C (training data, apparent)", m["train"]["cIndexNet"],
               "Rotterdam node-positive, training (1546 patients, 965 events within 84 months)"),
        metric("Cox baseline: Harrell's C (training data, apparent)", m["train"]["cIndexCox"],
               "Rotterdam node-positive, training (1546 patients, 965 events within 84 months)"),
    ]
    card["extra"] = {
        "trainingHyperparameters": m["hyperparameters"],
        "bootstrap": t["bootstrap"],
        "coxBaselineBreslowCumulativeHazard": [{"time": y, "cumulativeHazard": h} for y, h in zip(YEARS, m["breslow"]["cox"])],
        "paperTable": PAPER,
    }
    with open(card_path, "w") as f:
        json.dump(card, f, indent=2, ensure_ascii=False)
        f.write("\n")

    attrs_path = os.path.join(HERE, "source-attributes.json")
    with open(attrs_path) as f:
        attrs = json.load(f)
    rows = []
    for g in m["subgroups"]:
        ds = f"GBSG trial, external: {g['subgroup']} (n = {g['n']}, {g['events']} events)"
        for name, key in [("Harrell's C (DeepSurv)", "cIndexNet"), ("Harrell's C (Cox baseline, R coxph)", "cIndexCox"),
                          ("5-year RFS, Kaplan–Meier (observed)", "observedKm5y"), ("5-year RFS, DeepSurv mean predicted", "predicted5yNet")]:
            rows.append({"subgroup": g["subgroup"], "data": "external", "dataset": ds, "metric": name,
                         "value": r4(g[key]), "citation": CITE_DATA})
    rows.append({"subgroup": "By sex", "data": "external", "dataset": GBSG, "metric": "any",
                 "notReported": "Every patient in both cohorts is a woman: no sex subgroup exists.", "citation": CITE_DATA})
    rows.append({"subgroup": "By race or ethnicity", "data": "external", "dataset": GBSG, "metric": "any",
                 "notReported": "Neither data set records race or ethnicity.", "citation": CITE_DATA})
    attrs["subgroupPerformance"] = rows
    attrs["attributes"]["(B)(7)(iii)"] = {
        "value": f"GBSG (external, 686 patients, 299 events): DeepSurv Harrell's C {t['cIndexNet']:.3f} (bootstrap 95 % CI "
        f"{ci(t['cIndexNetCi95'])}); R coxph on the same covariates {t['cIndexCox']:.3f} ({ci(t['cIndexCoxCi95'])}). "
        f"5-year recurrence-free survival: Kaplan–Meier {c['overall']['observedKm']:.3f}, DeepSurv mean predicted "
        f"{c['overall']['predictedNet']:.3f}.",
        "citations": [CITE_DATA],
    }
    with open(attrs_path, "w") as f:
        json.dump(attrs, f, indent=2, ensure_ascii=False)
        f.write("\n")


# The paper's Rotterdam & GBSG C-index results, read in the published paper (Table 1; see README).
PAPER = {
    "source": "Katzman et al., BMC Med Res Methodol 2018;18:24 (doi 10.1186/s12874-018-0482-1), Table 1 “Experimental results for all experiments C-index (95% confidence interval)”, row “Rotterdam & GBSG”: CPH 0.658773 (0.655, 0.662), DeepSurv 0.676349 (0.673,0.679), RSF 0.647924 (0.644, 0.651); intervals by bootstrap resampling of the test set (Evaluation section). Read in the published PDF as committed in the public repository pio0525/deepsurv-implementation (deepsurv.pdf, commit 10917af).",
    "verified": True,
    "cph": {"cIndex": 0.658773, "ci95": [0.655, 0.662]},
    "deepsurv": {"cIndex": 0.676349, "ci95": [0.673, 0.679]},
    "rsf": {"cIndex": 0.647924, "ci95": [0.644, 0.651]},
}


if __name__ == "__main__":
    sys.exit(main())
