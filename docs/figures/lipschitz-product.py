"""Makes docs/figures/lipschitz-product.png (docs/verify.md): the ratio of the product of layer
norms to the exact Lipschitz constant over [-1, 1]^2 for seeded relu MLPs 2-[4]*depth-1
(weights and biases j/4, j uniform in -4..4), 5 seeds per depth. Run from the repository root:
/usr/bin/python3 docs/figures/lipschitz-product.py  (uses ./netgeom and matplotlib)."""
import json
import os
import random
import subprocess
import tempfile

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

depths, seeds = range(1, 6), range(5)
ratios = {k: [] for k in ("linf", "l1", "l2")}
with tempfile.TemporaryDirectory() as tmp:
    for d in depths:
        for s in seeds:
            rnd = random.Random(1000 * d + s)
            layers, n = [], 2
            for _ in range(d):
                layers.append({"op": "dense", "weight": [["%d/4" % rnd.randint(-4, 4) for _ in range(n)] for _ in range(4)],
                               "bias": ["%d/4" % rnd.randint(-4, 4) for _ in range(4)]})
                layers.append({"op": "relu"})
                n = 4
            layers.append({"op": "dense", "weight": [["%d/4" % rnd.randint(-4, 4) for _ in range(n)]], "bias": ["0"]})
            p = os.path.join(tmp, "net.json")
            with open(p, "w") as f:
                json.dump({"netgeom": 1, "input": [2], "layers": layers}, f)
            out = subprocess.run(["./netgeom", "perturb", p, "--lipschitz", "--box=-1,1", "--compare", "--json", "--no-certify"],
                                 capture_output=True, text=True, check=True).stdout
            r = json.loads(out)["normProduct"]["ratio"]
            for k in ratios:
                ratios[k].append((d, r[k]))
fig, ax = plt.subplots(figsize=(7.2, 4.4))
for k, m in (("linf", "o"), ("l1", "s"), ("l2", "^")):
    pts = [(d + {"linf": -0.12, "l1": 0, "l2": 0.12}[k], v) for d, v in ratios[k] if v is not None]
    ax.scatter([p[0] for p in pts], [p[1] for p in pts], marker=m, label=k, alpha=0.8)
ax.set_yscale("log")
ax.set_xticks(list(depths))
ax.set_xlabel("hidden layers (width 4)")
ax.set_ylabel("norm product / exact constant")
ax.set_title("Product of layer norms against the exact Lipschitz constant on [-1, 1]^2")
ax.axhline(1, color="grey", lw=0.8)
ax.legend()
fig.tight_layout()
fig.savefig("docs/figures/lipschitz-product.png", dpi=100)
