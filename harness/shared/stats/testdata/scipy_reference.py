"""Writes scipy_reference.json, the reference values of reports/stats tests.

Run from this folder: python3 scipy_reference.py (made with scipy 1.17.1,
numpy 2.4.6). The Go tests read the JSON; they never run Python.
"""
import json

import numpy as np
import scipy
import scipy.stats as st

rng = np.random.default_rng(7)
cases = []
# name, n, mean shift of b, decimals (2 decimals make ties and zeros), scipy method
for name, n, shift, dec, method in [("small", 12, 0.02, 4, "exact"), ("mid", 30, 0.01, 5, "exact"),
                                    ("ties", 40, 0.01, 2, "asymptotic"), ("large", 120, 0.005, 6, "asymptotic")]:
    a = np.round(rng.uniform(0, 0.2, n), dec)
    b = np.round(a + rng.normal(shift, 0.03, n), dec)
    d = a - b
    nz = d[d != 0]
    w = st.wilcoxon(a, b, method=method, zero_method="wilcox", correction=False)
    boot = st.bootstrap((d,), np.mean, n_resamples=20000, method="percentile",
                        confidence_level=0.95, random_state=1)
    cases.append({
        "name": name, "a": a.tolist(), "b": b.tolist(),
        "zeros": int(np.sum(d == 0)), "tied": int(len(nz) - len(np.unique(np.abs(nz)))),
        "wilcoxon_method": method,
        "wilcoxon_w": float(w.statistic), "wilcoxon_p": float(w.pvalue),
        "mae": float(np.mean(np.abs(d))), "mae_std": float(np.std(np.abs(d))),
        "pearson": float(st.pearsonr(a, b).statistic),
        "mean_a": float(np.mean(a)), "std_a_ddof1": float(np.std(a, ddof=1)),
        "accuracy_below_0_1": float(np.mean((a < 0.1) == (b < 0.1))),
        "boot_mean_diff": float(np.mean(d)),
        "boot_lo": float(boot.confidence_interval.low), "boot_hi": float(boot.confidence_interval.high),
    })
with open("scipy_reference.json", "w") as f:
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
