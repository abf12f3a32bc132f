"""The PyTorch side of `netgeom bench train`: the same job as the Java engine (model read from
the IR, same data, full-batch steps of the same loss and optimizer), timed with
torch.set_num_threads(threads) and OpenBLAS's own threads set to the same number; the answer
carries the configuration (torchconfig.describe())."""
import time

import torch

from . import engine, torchconfig


def cmd_bench(req):
    if req.get("threads"):
        torchconfig.set_blas_threads(int(req["threads"]))
    device, dtype = engine.device_of(req), engine.dtype_of(req)
    model = engine.load_model(req, device, dtype)
    model.train()
    x, y = engine.load_data(req, device, dtype)
    opt = engine.make_optimizer(req, model.parameters())
    loss_name = req["loss"]
    losses = []

    def step():
        opt.zero_grad(set_to_none=True)
        s, d = engine.loss_sum(loss_name, model(x), y)
        loss = s / d
        loss.backward()
        opt.step()
        return loss

    for _ in range(int(req.get("warmup", 3))):
        losses.append(step().item())
    if device.type == "cuda":
        torch.cuda.synchronize()
    times = []
    for _ in range(int(req["steps"])):
        t0 = time.perf_counter()
        loss = step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        losses.append(loss.item())
        times.append(time.perf_counter() - t0)
    config = torchconfig.describe()
    config["summary"] = torchconfig.summary(config)
    return {"times": times, "losses": losses, "threads": torch.get_num_threads(), "torch": torch.__version__,
            "config": config}, {}


engine.COMMANDS["bench"] = cmd_bench
