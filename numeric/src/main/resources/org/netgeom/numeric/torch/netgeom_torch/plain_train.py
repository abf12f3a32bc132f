"""A plain PyTorch training script, what a user would write, for `netgeom bench train --e2e`:
python3 plain_train.py WEIGHTS.safetensors DATA.safetensors STEPS LR THREADS OUT.safetensors [float64|float32]

Builds nn.Sequential(Linear(784, 512), ReLU, Linear(512, 512), ReLU, Linear(512, 10)) in float64
(or float32), with THREADS intra-op threads (torch.set_num_threads, and OpenBLAS's own threads),
loads the weights (keys layers.0.weight, ...), trains STEPS full-batch SGD steps of
CrossEntropyLoss on the data (x, y with class indices) and saves the weights."""
import sys

import torch
import torch.nn as nn

from netgeom_torch import safetensors, torchconfig


def main(weights, data, steps, lr, threads, out, dtype="float64"):
    torch.set_num_threads(int(threads))
    torchconfig.set_blas_threads(int(threads))
    dt = {"float64": torch.float64, "float32": torch.float32}[dtype]
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)).to(dt)
    w = safetensors.read(weights)
    model.load_state_dict({k[len("layers."):]: v.to(dt) for k, v in w.items() if k.startswith("layers.")})
    d = safetensors.read(data)
    x, y = d["x"].to(dt), d["y"][:, 0].long()
    opt = torch.optim.SGD(model.parameters(), lr=float(lr))
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(int(steps)):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    safetensors.write(out, {"layers." + k: v for k, v in model.state_dict().items()})
    print(loss.item())


if __name__ == "__main__":
    main(*sys.argv[1:8])
