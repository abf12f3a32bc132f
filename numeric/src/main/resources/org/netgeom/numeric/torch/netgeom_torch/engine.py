"""The commands the Java side runs through the bridge, on CPU or CUDA, in float64 or float32:
forward, gradient, jacobian, ntk, hvp, train (optionally under DDP via torchrun), hessian
(Lanczos top-k, Hutchinson trace, SLQ density as PyHessian computes them) and export."""
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

from . import safetensors
from .ir import load_ir, save_ir, IrError
from .rng import Rng, Batches


class BridgeError(ValueError):
    """A user error: printed as one line, exit status 3."""


# ---------------------------------------------------------------------------- setup

def device_of(req, local_rank=None):
    name = req.get("device", "cpu")
    if name == "cuda":
        if not torch.cuda.is_available():
            raise BridgeError("--device cuda: torch %s sees no CUDA device (torch.cuda.is_available() is False)"
                              % torch.__version__)
        return torch.device("cuda", local_rank if local_rank is not None else 0)
    if name != "cpu":
        raise BridgeError("unknown device %r (cpu or cuda)" % name)
    return torch.device("cpu")


def dtype_of(req):
    return {"float64": torch.float64, "float32": torch.float32}[req.get("dtype", "float64")]


def setup(req):
    """Intra-op threads (when asked) and torch's seed, before any command."""
    if req.get("threads"):
        torch.set_num_threads(int(req["threads"]))
    torch.manual_seed(int(req.get("seed", 0)))


def load_model(req, device, dtype):
    try:
        return load_ir(req["model"]).to(device=device, dtype=dtype)
    except (IrError, KeyError, OSError) as e:
        raise BridgeError("cannot read the model: %s" % e)


def load_data(req, device, dtype):
    t = safetensors.read(req["data"])
    x = t["x"].to(device=device, dtype=dtype)
    y = t["y"].to(device=device, dtype=dtype) if "y" in t else None
    return x, y


def flat_out(out):
    return out.reshape(out.shape[0], -1)


def loss_sum(name, out, y):
    """The summed per-row loss (mse: squared errors summed over outputs too) and its denominator
    for PyTorch's mean reduction."""
    out = flat_out(out)
    n, k = out.shape
    if name == "mse":
        return F.mse_loss(out, y, reduction="sum"), n * k
    if name == "cross_entropy":
        if y.shape[1] == 1 and k > 1:
            return F.cross_entropy(out, y[:, 0].long(), reduction="sum"), n
        return F.cross_entropy(out, y, reduction="sum"), n
    raise BridgeError("unknown loss %r" % name)


def params_of(model):
    return [p for p in model.parameters()]


def flat(ts):
    return torch.cat([t.reshape(-1) for t in ts]) if ts else torch.zeros(0)


def unflat(v, like):
    out, at = [], 0
    for p in like:
        out.append(v[at:at + p.numel()].reshape(p.shape))
        at += p.numel()
    return out


# ---------------------------------------------------------------------------- commands

def cmd_forward(req):
    device, dtype = device_of(req), dtype_of(req)
    model = load_model(req, device, dtype)
    model.train(bool(req.get("train_bn", False)))
    x, _ = load_data(req, device, dtype)
    with torch.no_grad():
        y = flat_out(model(x))
    return {}, {"y": y}


def full_loss(model, x, y, loss):
    s, d = loss_sum(loss, model(x), y)
    return s / d


def cmd_gradient(req):
    device, dtype = device_of(req), dtype_of(req)
    model = load_model(req, device, dtype)
    model.train(bool(req.get("train_bn", False)))
    x, y = load_data(req, device, dtype)
    L = full_loss(model, x, y, req["loss"])
    grads = torch.autograd.grad(L, params_of(model))
    return {"loss": L.item()}, {"grad": flat(grads)}


def cmd_jacobian(req):
    device, dtype = device_of(req), dtype_of(req)
    model = load_model(req, device, dtype)
    model.eval()
    x, _ = load_data(req, device, dtype)
    n = x.shape[0]
    if req.get("wrt", "input") == "input":
        xr = x.clone().requires_grad_(True)
        out = flat_out(model(xr))
        k = out.shape[1]
        rows = []
        for i in range(k):
            (g,) = torch.autograd.grad(out[:, i].sum(), xr, retain_graph=True)
            rows.append(g.reshape(n, -1))
        return {}, {"jacobian": torch.stack(rows, dim=1)}
    return {}, {"jacobian": param_jacobian(model, x)}


def param_jacobian(model, x):
    ps = params_of(model)
    n = x.shape[0]
    rows = []
    for r in range(n):
        out = flat_out(model(x[r:r + 1]))[0]
        for i in range(out.shape[0]):
            g = torch.autograd.grad(out[i], ps, retain_graph=True, allow_unused=True)
            rows.append(flat([gi if gi is not None else torch.zeros_like(p) for gi, p in zip(g, ps)]))
    k = len(rows) // n
    return torch.stack(rows).reshape(n, k, -1)


def cmd_ntk(req):
    device, dtype = device_of(req), dtype_of(req)
    model = load_model(req, device, dtype)
    model.eval()
    x, _ = load_data(req, device, dtype)
    j = param_jacobian(model, x)
    j = j.reshape(-1, j.shape[-1])
    return {}, {"ntk": j @ j.T}


class Hessian:
    """v -> H v for the full-batch loss (inference mode), by double backward."""

    def __init__(self, model, x, y, loss):
        self.model, self.x, self.y, self.loss = model, x, y, loss
        self.params = params_of(model)
        self.count = 0
        self.dim = sum(p.numel() for p in self.params)

    def __call__(self, v):
        L = full_loss(self.model, self.x, self.y, self.loss)
        g = torch.autograd.grad(L, self.params, create_graph=True)
        gv = sum((gi * vi).sum() for gi, vi in zip(g, unflat(v, self.params)))
        hv = torch.autograd.grad(gv, self.params, allow_unused=True)
        self.count += 1
        return flat([h if h is not None else torch.zeros_like(p) for h, p in zip(hv, self.params)]).detach()


def cmd_hvp(req):
    device, dtype = device_of(req), dtype_of(req)
    model = load_model(req, device, dtype)
    model.eval()
    x, y = load_data(req, device, dtype)
    v = safetensors.read(req["vector"])["v"].to(device=device, dtype=dtype)
    H = Hessian(model, x, y, req["loss"])
    return {}, {"hv": H(v)}


# ---------------------------------------------------------------------------- curvature (PyHessian's algorithms)

def _vec(values, device, dtype):
    return torch.tensor(values, dtype=dtype, device=device)


def _orthogonalize(w, basis, passes):
    """Classical Gram-Schmidt against an orthonormal basis, as the Java engine's Vec.orthogonalize."""
    for _ in range(passes):
        for u in basis:
            w = w - torch.dot(u, w) * u
    return w


def lanczos_top(H, k, max_iter, tol, seed, device, dtype):
    """As the Java engine's Lanczos: full reorthogonalisation; on breakdown a restart from a fresh
    random vector, accepted once a restarted block adds nothing above the current k-th value."""
    n = H.dim
    if k < 1 or k > n:
        raise BridgeError("--top-k must be between 1 and %d" % n)
    m = max(k, min(max_iter, n))
    rng = Rng.stream(seed, 2)
    v = _vec([rng.gaussian() for _ in range(n)], device, dtype)
    q = [v / v.norm()]
    alpha, beta = [], []
    scale = 0.0
    block = 0
    vals = res = None
    ok = False
    for j in range(m):
        w = H(q[j])
        a = torch.dot(q[j], w).item()
        alpha.append(a)
        w = w - a * q[j]
        if j > block:
            w = w - beta[j - 1] * q[j - 1]
        w = _orthogonalize(w, q, 2)
        b = w.norm().item()
        scale = max(scale, abs(a) + b + (beta[j - 1] if j > block else 0))
        breakdown = b <= 1e-13 * max(scale, 2.2e-308)
        beta.append(0.0 if breakdown else b)
        if j + 1 >= k:
            vals, res, ok = _ritz(alpha, beta, k, tol)
            if j + 1 == n:
                return vals, res, j + 1, True
            if breakdown:
                if block > 0 and _block_max(alpha[block:], beta[block:]) <= vals[k - 1] + 1e-12 * scale:
                    return vals, res, j + 1, True
            elif ok:
                return vals, res, j + 1, True
        if j + 1 == m:
            break
        if breakdown:
            nxt = None
            for _ in range(3):
                c = _orthogonalize(_vec([rng.gaussian() for _ in range(n)], device, dtype), q, 2)
                if c.norm().item() > 1e-8 * math.sqrt(n):
                    nxt = c / c.norm()
                    break
            if nxt is None:
                vals, res, ok = _ritz(alpha, beta, k, tol)
                return vals, res, j + 1, True
            q.append(nxt)
            block = j + 1
        else:
            q.append(w / b)
    return vals, res, m, ok


def _tridiagonal(alpha, beta):
    s = len(alpha)
    T = torch.zeros(s, s, dtype=torch.float64)
    for i in range(s):
        T[i, i] = alpha[i]
        if i + 1 < s:
            T[i, i + 1] = T[i + 1, i] = beta[i]
    return T


def _block_max(alpha, beta):
    return torch.linalg.eigvalsh(_tridiagonal(alpha, beta)).max().item()


def _ritz(alpha, beta, k, tol):
    s = len(alpha)
    e, V = torch.linalg.eigh(_tridiagonal(alpha, beta))
    order = torch.argsort(e, descending=True)
    e, V = e[order], V[:, order]
    norm = max(abs(e[0].item()), abs(e[-1].item()))
    vals = [e[i].item() for i in range(k)]
    res = [abs(beta[-1] * V[s - 1, i].item()) for i in range(k)]
    return vals, res, all(r <= tol * max(norm, 2.2e-308) for r in res)


def hutchinson(H, max_iter, tol, seed, device, dtype):
    """PyHessian's trace(): Rademacher samples until the running mean settles."""
    rng = Rng.stream(seed, 3)
    vals, prev = [], 0.0
    for _ in range(max_iter):
        v = _vec([rng.rademacher() for _ in range(H.dim)], device, dtype)
        vals.append(torch.dot(v, H(v)).item())
        mean = sum(vals) / len(vals)
        if abs(mean - prev) / (abs(prev) + 1e-6) < tol:
            break
        prev = mean
    return sum(vals) / len(vals), len(vals)


def slq(H, iters, runs, seed, device, dtype):
    """PyHessian's density(): Lanczos nodes and weights per run."""
    n = H.dim
    m = min(iters, n)
    rng = Rng.stream(seed, 4)
    nodes, weights = [], []
    for _ in range(runs):
        v = _vec([rng.rademacher() for _ in range(n)], device, dtype)
        v = v / v.norm()
        vs = [v]
        alpha, beta = [], []
        w = None
        for i in range(m):
            if i == 0:
                hv = H(v)
                a = torch.dot(hv, v).item()
                w = hv - a * v
            else:
                b = w.norm().item()
                beta.append(b)
                nxt = _orthogonalize(w.clone() if b != 0 else _vec([rng.gaussian() for _ in range(n)], device, dtype), vs, 1)
                nxt = nxt / nxt.norm()
                vs.append(nxt)
                hv = H(nxt)
                a = torch.dot(hv, nxt).item()
                w = hv - a * nxt - b * vs[-2]
            alpha.append(a)
        e, V = torch.linalg.eigh(_tridiagonal(alpha, beta))
        order = torch.argsort(e, descending=True)
        nodes.append(e[order].tolist())
        weights.append((V[0, order] ** 2).tolist())
    return nodes, weights


def cmd_hessian(req):
    device, dtype = device_of(req), dtype_of(req)
    model = load_model(req, device, dtype)
    model.eval()
    x, y = load_data(req, device, dtype)
    H = Hessian(model, x, y, req["loss"])
    seed = int(req.get("seed", 0))
    out = {"parameters": H.dim}
    if req.get("top_k"):
        vals, res, its, ok = lanczos_top(H, int(req["top_k"]), int(req.get("max_iter", 200)), float(req.get("tol", 1e-10)),
                                         seed, device, dtype)
        out.update(topEigenvalues=vals, residuals=res, lanczosIterations=its, converged=ok)
    if req.get("trace"):
        t, samples = hutchinson(H, int(req.get("trace_samples", 100)), float(req.get("trace_tol", 1e-3)), seed, device, dtype)
        out.update(trace=t, traceSamples=samples)
    if req.get("density"):
        nodes, weights = slq(H, int(req.get("density_iter", 100)), int(req.get("density_runs", 1)), seed, device, dtype)
        out.update(nodes=nodes, weights=weights)
    out["hvps"] = H.count
    return out, {}


# ---------------------------------------------------------------------------- training

def make_optimizer(req, params):
    o = req["optimizer"]
    name = o["name"]
    if name == "sgd":
        return torch.optim.SGD(params, lr=o["lr"], momentum=o["momentum"], dampening=o["dampening"],
                               nesterov=o["nesterov"], weight_decay=o["weight_decay"])
    if name in ("adam", "adamw"):
        cls = torch.optim.Adam if name == "adam" else torch.optim.AdamW
        return cls(params, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weight_decay"],
                   amsgrad=o["amsgrad"])
    raise BridgeError("unknown optimizer %r" % name)


def cmd_train(req):
    """Trains as the Java engine does (same batches, same pre-update loss logged). Under torchrun
    (WORLD_SIZE > 1) it runs DistributedDataParallel: each rank takes rows rank::world of every
    batch, its summed loss is scaled by world/denominator so that DDP's gradient average is the
    full batch's mean-loss gradient; gloo on CPU, nccl on CUDA. Rank 0 writes the results."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    ddp = world > 1
    if ddp:
        import torch.distributed as dist
        dist.init_process_group("nccl" if req.get("device") == "cuda" else "gloo")
        if req.get("device") == "cuda":
            torch.cuda.set_device(local)
    device, dtype = device_of(req, local if ddp else None), dtype_of(req)
    model = load_model(req, device, dtype)
    model.train(bool(req.get("train_bn", True)))
    net = model
    if ddp:
        from torch.nn.parallel import DistributedDataParallel as DDP
        net = DDP(model, device_ids=[local] if device.type == "cuda" else None)
    x, y = load_data(req, device, dtype)
    n = x.shape[0]
    batches = Batches(n, int(req.get("batch", 0)), bool(req.get("shuffle", False)), int(req.get("seed", 0)))
    if ddp and batches.size < world:
        raise BridgeError("the batch (%d) is smaller than the number of processes (%d)" % (batches.size, world))
    opt = make_optimizer(req, model.parameters())
    steps = int(req["steps"])
    metrics = []
    t0 = time.perf_counter()
    for step in range(steps):
        rows = batches.rows(step)
        nb = len(rows)
        mine = rows[rank::world] if ddp else rows
        idx = torch.tensor(mine, dtype=torch.long, device=device)
        opt.zero_grad(set_to_none=True)
        s, denom = loss_sum(req["loss"], net(x.index_select(0, idx)), y.index_select(0, idx))
        denom = denom // len(mine) * nb
        loss = s * (world / denom) if ddp else s / denom
        loss.backward()
        if ddp:
            total = s.detach().clone()
            dist.all_reduce(total)
            value = total.item() / denom
        else:
            value = loss.item()
        if not math.isfinite(value):
            raise BridgeError("the loss is not finite (%r) at step %d; training stopped" % (value, step + 1))
        opt.step()
        metrics.append([step + 1, batches.epoch(step) + 1, value])
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    if rank == 0:
        save_ir(model, list(model.input_shape), req["out_model"], weights_file=req["out_weights"], name=model.ir_name)
    if ddp:
        dist.barrier()
        dist.destroy_process_group()
    return {"metrics": metrics, "seconds": seconds, "world": world, "torch": torch.__version__}, {}


def cmd_export(req):
    from .convert import from_script, ConvertError
    path = req["module"]
    here = os.path.dirname(os.path.abspath(path))
    if here not in sys.path:
        sys.path.insert(0, here)   # a pickled module's class may live in a .py file beside it
    try:
        try:
            m = torch.load(path, map_location="cpu", weights_only=False)
        except TypeError:
            m = torch.load(path, map_location="cpu")
    except Exception as e:
        try:
            m = torch.jit.load(path, map_location="cpu")
        except Exception:
            hint = ""
            if "__main__" in str(e):
                hint = " (its class was defined in the script that saved it; move the class into a module file " \
                       "beside the .pt and save it again)"
            raise BridgeError("cannot load %s as a pickled torch.nn.Module or TorchScript: %s%s" % (path, e, hint))
    try:
        m = from_script(m)
    except ConvertError as e:
        raise BridgeError(str(e))
    if isinstance(m, dict):
        raise BridgeError("%s holds a state_dict (weights without the architecture); save the module itself, "
                          "torch.save(model, path), or call netgeom_torch.save_ir(model, input_shape, path)" % path)
    if not isinstance(m, torch.nn.Module):
        raise BridgeError("%s holds a %s, not a torch.nn.Module" % (path, type(m).__name__))
    shape = req.get("input_shape")
    if shape is None:
        first = next((mod for mod in m.modules() if isinstance(mod, (torch.nn.Linear, torch.nn.Conv2d))), None)
        if isinstance(first, torch.nn.Linear):
            shape = [first.in_features]
        else:
            raise BridgeError("give the input shape (--input-shape C,H,W): the model does not start with a Linear layer")
    try:
        save_ir(m, shape, req["out_model"], weights_file=req.get("out_weights"), name=req.get("name"))
    except IrError as e:
        raise BridgeError(str(e))
    return {"input": shape}, {}


COMMANDS = {"forward": cmd_forward, "gradient": cmd_gradient, "jacobian": cmd_jacobian, "ntk": cmd_ntk, "hvp": cmd_hvp,
            "hessian": cmd_hessian, "train": cmd_train, "export": cmd_export}
