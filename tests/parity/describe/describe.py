# Expected numbers for tests/describe/describe-parity.test.ts: descriptive statistics, difference-in-means t-tests and
# correlation matrices computed by NumPy and SciPy (independent of specrun) on public data.
# Regenerate from the repository root (Debian's python3 with numpy, scipy, pandas):
#   /usr/bin/python3 tests/parity/describe/describe.py > tests/parity/describe/describe.out
# Reads data/grunfeld.csv; writes grunfeld-missing.csv (the same panel with cells blanked by a fixed rule, so that
# pairwise and listwise handling of missing values differ) and describe.json beside itself.
import json, math, sys
import numpy as np, pandas as pd, scipy
from scipy import stats

here = "tests/parity/describe"
g = pd.read_csv("data/grunfeld.csv")
m = g.copy()
m.loc[m.index % 7 == 3, "inv"] = np.nan
m.loc[m.index % 11 == 5, "value"] = np.nan
m.loc[m.index % 13 == 0, "capital"] = np.nan
m.to_csv(f"{here}/grunfeld-missing.csv", index=False, na_rep="")
print("numpy", np.__version__, "scipy", scipy.__version__, "pandas", pd.__version__)

PCTS = {"p1": 1, "p5": 5, "p10": 10, "p25": 25, "p50": 50, "p75": 75, "p90": 90, "p95": 95, "p99": 99}
def summary(x, qtype):
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    method = "linear" if qtype == 7 else "averaged_inverted_cdf"  # R type 7 / type 2
    out = {"n": int(len(x)), "mean": float(np.mean(x)), "sd": float(np.std(x, ddof=1)), "min": float(np.min(x)), "max": float(np.max(x))}
    for k, p in PCTS.items():
        out[k] = float(np.percentile(x, p, method=method))
    return out

def ttest(a, b, equal_var):
    a = a[np.isfinite(a)]; b = b[np.isfinite(b)]
    r = stats.ttest_ind(a, b, equal_var=equal_var)
    return {"diff": float(np.mean(a) - np.mean(b)), "t": float(r.statistic), "p": float(r.pvalue)}

def corr(df, cols, method, missing):
    d = df[cols]
    if missing == "listwise":
        d = d.dropna()
    k = len(cols)
    R = [[None] * k for _ in range(k)]; P = [[None] * k for _ in range(k)]; N = [[0] * k for _ in range(k)]
    for i in range(k):
        for j in range(k):
            pair = d[[cols[i], cols[j]]].dropna() if i != j else d[[cols[i]]].dropna()
            x = pair[cols[i]].to_numpy(); y = pair[cols[j]].to_numpy() if i != j else x
            N[i][j] = int(len(x))
            if i == j:
                R[i][j] = 1.0; continue
            res = stats.spearmanr(x, y) if method == "spearman" else stats.pearsonr(x, y)
            R[i][j] = float(res.statistic); P[i][j] = float(res.pvalue)
    return {"r": R, "p": P, "n": N}

out = {}
for name, df in [("complete", g), ("missing", m)]:
    cols = ["inv", "value", "capital"]
    late = (df["year"] > 1945).to_numpy()
    case = {}
    for q in (7, 2):
        case[f"overall_q{q}"] = {c: summary(df[c], q) for c in cols}
        case[f"by_q{q}"] = {c: {"0": summary(df[c][~late], q), "1": summary(df[c][late], q)} for c in cols}
    case["welch"] = {c: ttest(df[c][~late].to_numpy(), df[c][late].to_numpy(), False) for c in cols}
    case["pooled"] = {c: ttest(df[c][~late].to_numpy(), df[c][late].to_numpy(), True) for c in cols}
    for method in ("pearson", "spearman"):
        for missing in ("pairwise", "listwise"):
            case[f"{method}_{missing}"] = corr(df, cols, method, missing)
    out[name] = case
    print("==", name)
    print(json.dumps(case["overall_q7"], indent=1))
    print(json.dumps(case["welch"], indent=1))
    print(json.dumps(case["spearman_pairwise"], indent=1))
with open(f"{here}/describe.json", "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
