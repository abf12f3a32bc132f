"""Float64 edge-subdivision reference for `netgeom bench regions` (written for netgeom; the
algorithm of Berzins 2023, ICML, in its plainest form, on the box [-1,1]^n, MLPs of relu layers).

The complex is kept as vertices (coordinates, the set of hyperplanes through each) and regions
(vertex lists); each unit splits the regions whose vertices have strictly opposite signs, at the
zeros of its pre-activation on their edges (an edge: no third vertex of the region on every
hyperplane through both ends). Pre-activations are evaluated at all vertices at once with torch.
Reads JSON {"nets": [{"inputs": n, "layers": [[W, b], ...], "lo": -1, "hi": 1}]} on stdin (lo, hi: the
box [lo, hi]^n, default [-1, 1]), prints one JSON line per net: {"regions": N, "seconds": s,
"maxRssMB": the process's peak resident memory so far} and a final {"torch": version, "threads": t}.
"""
import json
import resource
import sys
import time

import torch


def regions(n, layers, lo=-1.0, hi=1.0):
    torch.set_default_dtype(torch.float64)
    corners = [[hi if (m >> j) & 1 else lo for j in range(n)] for m in range(1 << n)]
    xs = torch.tensor(corners)
    zsets = [frozenset(-(2 + 2 * j) if (m >> j) & 1 else -(1 + 2 * j) for j in range(n)) for m in range(1 << n)]
    regs = [list(range(1 << n))]
    unit = 0
    for li, (w, b) in enumerate(layers[:-1]):
        # pre-activations of this layer at every vertex
        h = xs
        for (w2, b2) in layers[:li]:
            h = torch.relu(h @ w2.T + b2)
        z = h @ w.T + b
        tol = 1e-9 * (1 + z.abs().max(dim=1, keepdim=True).values)
        for j in range(w.shape[0]):
            s = torch.where(z[:, j] > tol[:, 0], 1, torch.where(z[:, j] < -tol[:, 0], -1, 0)).tolist()
            for v in range(len(zsets)):
                if s[v] == 0:
                    zsets[v] = zsets[v] | {unit}
            made = {}
            new_x, new_z, new_t = [], [], []
            out = []
            for r in regs:
                pos = [v for v in r if s[v] > 0]
                neg = [v for v in r if s[v] < 0]
                if not pos or not neg:
                    out.append(r)
                    continue
                cross = []
                for a in pos:
                    for c in neg:
                        f = zsets[a] & zsets[c]
                        if len(f) < n - 1:
                            continue
                        if any(q != a and q != c and f <= zsets[q] for q in r):
                            continue
                        key = (min(a, c), max(a, c))
                        if key not in made:
                            made[key] = len(zsets)
                            t = z[a, j] / (z[a, j] - z[c, j])
                            new_x.append(xs[a] + t * (xs[c] - xs[a]))
                            new_z.append(z[a] + t * (z[c] - z[a]))
                            zsets.append(f | {unit})
                            s.append(0)
                        cross.append(made[key])
                zero = [v for v in r if s[v] == 0]
                out.append(pos + zero + cross)
                out.append(neg + zero + cross)
            if new_x:
                xs = torch.cat([xs, torch.stack(new_x)])
                z = torch.cat([z, torch.stack(new_z)])
                tol = 1e-9 * (1 + z.abs().max(dim=1, keepdim=True).values)
            regs = out
            unit += 1
    return len(regs)


def main():
    spec = json.load(sys.stdin)
    for net in spec["nets"]:
        layers = [(torch.tensor(w, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)) for w, b in net["layers"]]
        t0 = time.perf_counter()
        n = regions(net["inputs"], layers, net.get("lo", -1.0), net.get("hi", 1.0))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        print(json.dumps({"regions": n, "seconds": time.perf_counter() - t0, "maxRssMB": rss}), flush=True)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
