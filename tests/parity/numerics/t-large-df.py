# Student t tails at very large degrees of freedom, where R's pt uses a normal approximation (n > 4e5), from the
# regularized incomplete beta in mpmath at 40 significant digits: P(|T| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2).
# Regenerate: /usr/bin/python3 tests/parity/numerics/t-large-df.py > tests/parity/numerics/t-large-df.out
# (writes t-large-df.json beside itself; run from the repository root).
import json
from mpmath import mp, mpf, betainc

mp.dps = 40
rows = []
for df in [1.5e4, 19999, 2e4, 4e4, 99999, 1e5, 2e5, 4e5, 9.5e5, 1e6, 1e7, 1e8]:
    for t in [-40, -4, -1, 0.001, 0.5, 1.96, 2, 2.5, 3, 4, 6, 10, 25, 40]:
        d, tt = mpf(df), mpf(t)
        p = betainc(d / 2, mpf(1) / 2, 0, d / (d + tt * tt), regularized=True)
        cdf = p / 2 if t < 0 else 1 - p / 2
        rows.append({"fn": "pValueT", "a": t, "b": df, "value": float(p)})
        rows.append({"fn": "studentTCdf", "a": t, "b": df, "value": float(cdf)})
        print(f"pValueT({t}, {df}) = {mp.nstr(p, 30)}")
with open("tests/parity/numerics/t-large-df.json", "w") as f:
    json.dump(rows, f, indent=0)
    f.write("\n")
