#!/usr/bin/python3
"""
Expected SBM scores for tests/sbm/parity.test.ts, from scipy's HiGHS (scipy.optimize.linprog, method='highs').

Run: /usr/bin/python3 tests/parity/sbm/generate.py > tests/parity/sbm/generate.out
Writes tests/parity/sbm/sbm-expected.json (data + expected scores) beside this script.

Data: 60 units x 6 periods = 360 rows, two inputs (x1, x2), one desirable output (good), one undesirable output
(bad), log-normal sizes with unit effects, a few exact ties (copies of another row of the same period) and a few
units placed on or beyond the frontier so that every frontier has several efficient units and some ties among them.
Scored for crs/vrs x global/year/sequential frontiers, SBM and super-SBM.
Also: 156 units x 10 years with raw city-like magnitudes, pooled (crs, vrs, super), and 40 units with zero outputs
and a zero input under deaR's rule (zero outputs -> smallest positive / 100; a zero input leaves the unit's input
term; in the super LPs zero inputs are replaced like outputs).

The LPs are written here independently of the TypeScript code, in the unscaled Charnes-Cooper form of the
formula in REFERENCE.md (SBM) and in Tone (2002)'s projected-point form (super-efficiency):

SBM (Tone 2001/2003), variables [t, L_1..L_n, S-_1..S-_m, Sg_1..Sg_s1, Sb_1..Sb_s2]:
  min t - (1/m) sum S-_i / x_io
  s.t. t + (1/(s1+s2)) (sum Sg_r / yg_ro + sum Sb_r / yb_ro) = 1
       -x_o t + X L + S- = 0;  -yg_o t + Yg L - Sg = 0;  -yb_o t + Yb L + Sb = 0;  [VRS] -t + sum L = 0
Super-SBM with undesirable outputs (efficient o only, reference without o), projected point (xbar, ybar_g, ybar_b):
  delta = [(1/m) sum xbar_i/x_io] / [1 - (1/q)(sum (yg_ro - ybar_g_r)/yg_ro + sum (ybar_b_r - yb_ro)/yb_ro)]
  s.t. xbar >= X l, xbar >= x_o, ybar_g <= Yg l, ybar_g <= yg_o, ybar_b >= Yb l, ybar_b >= yb_o, l >= 0 [sum l = 1]
  linearised with t = 1/denominator: variables [t, L (n-1), Xbar (m), Ybg (s1), Ybb (s2)].
"""
import json, os, sys
import numpy as np
from scipy.optimize import linprog
import scipy

HERE = os.path.dirname(os.path.abspath(__file__))
OPTS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def make_data(seed=20240601):
    rng = np.random.default_rng(seed)
    U, T = 60, 6
    unit_eff = rng.normal(0, 0.25, U)
    rows = []
    for t in range(T):
        size = np.exp(rng.normal(0, 0.8, U) + 0.03 * t)
        x1 = size * np.exp(rng.normal(0, 0.3, U))
        x2 = size * np.exp(rng.normal(0, 0.3, U))
        good = size ** 0.95 * np.exp(unit_eff + rng.normal(0, 0.25, U) + 0.02 * t)
        bad = size * np.exp(-0.5 * unit_eff + rng.normal(0, 0.35, U))
        for u in range(U):
            rows.append([u, 2010 + t, x1[u], x2[u], good[u], bad[u]])
    d = np.array(rows, dtype=float)
    # round to 4 significant-ish decimals so that the JSON is exact and ties are exact
    d[:, 2:] = np.round(d[:, 2:], 4)
    # ties: unit 1 copies unit 0, unit 11 copies unit 10 in every period (same period -> exact tie)
    for t in range(T):
        base = t * U
        d[base + 1, 2:] = d[base + 0, 2:]
        d[base + 11, 2:] = d[base + 10, 2:]
    # frontier units: unit 0 (and its copy, unit 1) gets a clearly best good/bad mix every period;
    # unit 20 is small and lean (VRS-efficient), unit 30 is large
    for t in range(T):
        base = t * U
        d[base + 0, 2:] = d[base + 1, 2:] = [1.0, 1.0, 3.0, 0.4]
        d[base + 20, 2:] = [0.2, 0.25, 0.3, 0.15]
        d[base + 30, 2:] = [6.0, 5.5, 9.0, 4.0]
    return d


def sbm(X, Yg, Yb, o, vrs, dear=False):
    n, m = X.shape
    s1, s2 = Yg.shape[1], Yb.shape[1]
    q = s1 + s2
    nv = 1 + n + m + s1 + s2
    c = np.zeros(nv)
    c[0] = 1
    if dear:
        # deaR model_sbmeff: a zero input of unit o gets weight 0 and is divided by 1; m counts the positive inputs
        w = (X[o] > 0).astype(float)
        c[1 + n:1 + n + m] = -w / (w.sum() * np.where(X[o] > 0, X[o], 1.0))
    else:
        c[1 + n:1 + n + m] = -1.0 / (m * X[o])
    A, b = [], []
    row = np.zeros(nv); row[0] = 1
    row[1 + n + m:1 + n + m + s1] = 1.0 / (q * Yg[o])
    row[1 + n + m + s1:] = 1.0 / (q * Yb[o])
    A.append(row); b.append(1)
    for i in range(m):
        row = np.zeros(nv); row[0] = -X[o, i]; row[1:1 + n] = X[:, i]; row[1 + n + i] = 1
        A.append(row); b.append(0)
    for r in range(s1):
        row = np.zeros(nv); row[0] = -Yg[o, r]; row[1:1 + n] = Yg[:, r]; row[1 + n + m + r] = -1
        A.append(row); b.append(0)
    for r in range(s2):
        row = np.zeros(nv); row[0] = -Yb[o, r]; row[1:1 + n] = Yb[:, r]; row[1 + n + m + s1 + r] = 1
        A.append(row); b.append(0)
    if vrs:
        row = np.zeros(nv); row[0] = -1; row[1:1 + n] = 1
        A.append(row); b.append(0)
    res = linprog(c, A_eq=np.array(A), b_eq=np.array(b), bounds=(0, None), method="highs", options=OPTS)
    assert res.status == 0, res.message
    return res.fun


def super_sbm(X, Yg, Yb, o, vrs):
    keep = [j for j in range(X.shape[0]) if j != o]
    Xr, Ygr, Ybr = X[keep], Yg[keep], Yb[keep]
    n, m = Xr.shape
    s1, s2 = Yg.shape[1], Yb.shape[1]
    q = s1 + s2
    # variables [t, L (n), Xbar (m), Ybg (s1), Ybb (s2)]
    iX, iG, iB = 1 + n, 1 + n + m, 1 + n + m + s1
    nv = iB + s2
    c = np.zeros(nv)
    c[iX:iG] = 1.0 / (m * X[o])
    Aeq, beq, Aub, bub = [], [], [], []
    # t (1 - (s1 - s2)/q) + (1/q)(sum Ybg/yg_o - sum Ybb/yb_o) = 1
    row = np.zeros(nv); row[0] = 1 - (s1 - s2) / q
    row[iG:iB] = 1.0 / (q * Yg[o]); row[iB:] = -1.0 / (q * Yb[o])
    Aeq.append(row); beq.append(1)
    for i in range(m):
        row = np.zeros(nv); row[1:1 + n] = Xr[:, i]; row[iX + i] = -1; Aub.append(row); bub.append(0)   # X L <= Xbar
        row = np.zeros(nv); row[0] = X[o, i]; row[iX + i] = -1; Aub.append(row); bub.append(0)        # x_o t <= Xbar
    for r in range(s1):
        row = np.zeros(nv); row[1:1 + n] = -Ygr[:, r]; row[iG + r] = 1; Aub.append(row); bub.append(0)  # Ybg <= Yg L
        row = np.zeros(nv); row[0] = -Yg[o, r]; row[iG + r] = 1; Aub.append(row); bub.append(0)       # Ybg <= yg_o t
    for r in range(s2):
        row = np.zeros(nv); row[1:1 + n] = Ybr[:, r]; row[iB + r] = -1; Aub.append(row); bub.append(0)  # Yb L <= Ybb
        row = np.zeros(nv); row[0] = Yb[o, r]; row[iB + r] = -1; Aub.append(row); bub.append(0)       # yb_o t <= Ybb
    if vrs:
        row = np.zeros(nv); row[0] = -1; row[1:1 + n] = 1; Aeq.append(row); beq.append(0)
    res = linprog(c, A_ub=np.array(Aub), b_ub=np.array(bub), A_eq=np.array(Aeq), b_eq=np.array(beq),
                  bounds=(0, None), method="highs", options=OPTS)
    if res.status == 2:
        return None
    assert res.status == 0, res.message
    return res.fun


def frontiers(period, kind):
    n = len(period)
    if kind == "global":
        return [(list(range(n)), list(range(n)))]
    out = []
    for t in sorted(set(period)):
        ev = [i for i in range(n) if period[i] == t]
        ref = ev if kind == "year" else [i for i in range(n) if period[i] <= t]
        out.append((ev, ref))
    return out


EFF_TOL = 1e-8


def make_paper_like(seed=7):
    """156 units x 10 years with raw city-like magnitudes (labour 1e2, capital 1e7, GDP 1e7, SO2 1e4)."""
    rng = np.random.default_rng(seed)
    U, T = 156, 10
    eff = rng.normal(0, 0.3, U)
    scale = rng.normal(0, 1, U)
    rows = []
    for t in range(T):
        size = np.exp(scale + 0.05 * t)
        L = np.round(80 * size * np.exp(rng.normal(0, 0.2, U)), 2)
        K = np.round(2e7 * size * np.exp(rng.normal(0, 0.3, U) + 0.08 * t), 0)
        Y = np.round(1.5e7 * size ** 0.95 * np.exp(eff + rng.normal(0, 0.15, U) + 0.07 * t), 0)
        S = np.round(4e4 * size * np.exp(-0.5 * eff + rng.normal(0, 0.4, U) - 0.05 * t), 1)
        for u in range(U):
            rows.append([u, 2008 + t, L[u], K[u], Y[u], S[u]])
    return np.array(rows, dtype=float)


def make_zeros(seed=11):
    """40 units, one period, with zero outputs (good and bad) and a zero input, for deaR's rule."""
    rng = np.random.default_rng(seed)
    n = 40
    size = np.exp(rng.normal(0, 0.6, n))
    d = np.column_stack([np.arange(n), np.full(n, 2010),
                         np.round(size * np.exp(rng.normal(0, 0.3, n)), 3), np.round(size * np.exp(rng.normal(0, 0.3, n)), 3),
                         np.round(size * np.exp(rng.normal(0, 0.3, n)), 3), np.round(size * np.exp(rng.normal(0, 0.4, n)), 3)])
    d[3, 5] = 0.0   # zero bad output
    d[17, 5] = 0.0  # zero bad output
    d[8, 4] = 0.0   # zero good output
    d[25, 3] = 0.0  # zero input x2
    return d


def dear_replace(X, Yg, Yb):
    """deaR: zero outputs -> smallest positive value of that output / 100 (over the frontier)."""
    Yg, Yb = Yg.copy(), Yb.copy()
    for M in (Yg, Yb):
        for r in range(M.shape[1]):
            col = M[:, r]
            col[col == 0] = col[col > 0].min() / 100
    Xs = X.copy()
    for r in range(Xs.shape[1]):
        col = Xs[:, r]
        col[col == 0] = col[col > 0].min() / 100
    return Yg, Yb, Xs


def main():
    d = make_data()
    period = d[:, 1]
    X, Yg, Yb = d[:, 2:4], d[:, 4:5], d[:, 5:6]
    results = {}
    for rts in ("crs", "vrs"):
        for kind in ("global", "year", "sequential"):
            rho = [None] * len(d)
            delta = [None] * len(d)
            for ev, ref in frontiers(period, kind):
                Xr, Ygr, Ybr = X[ref], Yg[ref], Yb[ref]
                pos = {row: k for k, row in enumerate(ref)}
                for row in ev:
                    k = pos[row]
                    r = sbm(Xr, Ygr, Ybr, k, rts == "vrs")
                    rho[row] = r
                    if r >= 1 - EFF_TOL:
                        delta[row] = super_sbm(Xr, Ygr, Ybr, k, rts == "vrs")
            key = f"{rts}/{kind}"
            results[key] = {"rho": rho, "delta": delta}
            neff = sum(1 for r in rho if r >= 1 - EFF_TOL)
            print(f"# {key}: {len(rho)} units, {neff} efficient, mean rho {np.mean(rho):.6f}")
            for i in range(len(d)):
                dl = "NA" if delta[i] is None else f"{delta[i]:.12f}"
                print(f"{key} {int(d[i, 0])} {int(d[i, 1])} {rho[i]:.12f} {dl}")
    # paper-like magnitudes, 1,560 rows pooled (the frontier on which javascript-lp-solver was seen to fail)
    p = make_paper_like()
    # HiGHS stops with status "unknown" on the raw magnitudes (capital 1e7 next to labour 1e2) at tolerance 1e-10;
    # SBM is invariant to the unit of each variable (every term is a ratio s/x_o), so each column is divided by its
    # mean for the solver. The TypeScript test feeds the raw values.
    Xp, Ygp, Ybp = p[:, 2:4] / p[:, 2:4].mean(0), p[:, 4:5] / p[:, 4:5].mean(0), p[:, 5:6] / p[:, 5:6].mean(0)
    paper = {}
    for rts in ("crs", "vrs"):
        rho, delta = [], []
        for o in range(len(p)):
            r = sbm(Xp, Ygp, Ybp, o, rts == "vrs")
            rho.append(r)
            delta.append(super_sbm(Xp, Ygp, Ybp, o, rts == "vrs") if r >= 1 - EFF_TOL else None)
        paper[f"{rts}/global"] = {"rho": rho, "delta": delta}
        print(f"# paper-like {rts}/global: {len(rho)} units, {sum(1 for r in rho if r >= 1 - EFF_TOL)} efficient")
        for i in range(len(p)):
            dl = "NA" if delta[i] is None else f"{delta[i]:.12f}"
            print(f"paper-{rts} {int(p[i, 0])} {int(p[i, 1])} {rho[i]:.12f} {dl}")
    # deaR's rule for zeros, one frontier
    z = make_zeros()
    Xz, Ygz, Ybz = z[:, 2:4], z[:, 4:5], z[:, 5:6]
    Ygr, Ybr, Xsup = dear_replace(Xz, Ygz, Ybz)
    zeros = {}
    for rts in ("crs", "vrs"):
        rho, delta = [], []
        for o in range(len(z)):
            r = sbm(Xz, Ygr, Ybr, o, rts == "vrs", dear=True)
            rho.append(r)
            delta.append(super_sbm(Xsup, Ygr, Ybr, o, rts == "vrs") if r >= 1 - EFF_TOL else None)
        zeros[rts] = {"rho": rho, "delta": delta}
        print(f"# zeros (deaR rule) {rts}: {sum(1 for r in rho if r >= 1 - EFF_TOL)} efficient")
        for i in range(len(z)):
            dl = "NA" if delta[i] is None else f"{delta[i]:.12f}"
            print(f"zeros-{rts} {i} {rho[i]:.12f} {dl}")
    out = {
        "generator": "tests/parity/sbm/generate.py",
        "solver": f"scipy {scipy.__version__} linprog(method='highs'), tolerances {OPTS}",
        "efficient_tol": EFF_TOL,
        "data": {
            "unit": [int(v) for v in d[:, 0]], "period": [int(v) for v in d[:, 1]],
            "x1": d[:, 2].tolist(), "x2": d[:, 3].tolist(), "good": d[:, 4].tolist(), "bad": d[:, 5].tolist(),
        },
        "results": results,
        "paper_like": {
            "data": {"x1": p[:, 2].tolist(), "x2": p[:, 3].tolist(), "good": p[:, 4].tolist(), "bad": p[:, 5].tolist()},
            "results": paper,
        },
        "zeros_dear": {
            "data": {"x1": z[:, 2].tolist(), "x2": z[:, 3].tolist(), "good": z[:, 4].tolist(), "bad": z[:, 5].tolist()},
            "results": zeros,
        },
    }
    with open(os.path.join(HERE, "sbm-expected.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
