"""The netgeom model IR (version 1) in PyTorch: IR JSON (+ safetensors) -> torch.nn.Module
(load_ir), and a user's module -> IR (to_ir, save_ir)."""
import json
import os
import re
from decimal import Decimal
from fractions import Fraction

import torch
import torch.nn as nn

from . import safetensors
from .convert import chain, ConvertError
from .modules import IrNet, Residual, Concat, Abs, AbReLU, Square, Erf, BatchNorm, Maxout

SYMBOL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
SMOOTH = {"tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "softplus": nn.Softplus, "gelu": nn.GELU, "erf": Erf}


class IrError(ValueError):
    """A model this package cannot read or write (message names the place)."""


def scalar(v, where):
    """An IR scalar as a Fraction: JSON numbers are exact decimals, strings rationals or decimals."""
    if isinstance(v, bool) or v is None:
        raise IrError("%s: %r is not a number" % (where, v))
    if isinstance(v, (int, Decimal)):
        return Fraction(v)
    if isinstance(v, float):
        return Fraction(repr(v))
    if isinstance(v, str):
        s = v.strip()
        if SYMBOL.match(s) and s.lower() not in ("nan", "inf", "infinity"):
            raise IrError("%s: free symbol %r; bind it before numeric use" % (where, s))
        try:
            return Fraction(s)
        except (ValueError, ZeroDivisionError):
            raise IrError("%s: %r is not a number" % (where, v))
    raise IrError("%s: %r is not a number" % (where, v))


class _Reader:
    def __init__(self, base_dir):
        self.base_dir = base_dir
        self.files = {}

    def tensor(self, v, where):
        if v is None:
            return None
        if isinstance(v, dict):
            name = v.get("file")
            key = v.get("key")
            if name not in self.files:
                self.files[name] = safetensors.read(os.path.join(self.base_dir, name))
            t = self.files[name].get(key)
            if t is None:
                raise IrError("%s: %s has no tensor %r" % (where, name, key))
            return t.to(torch.float64)
        flat, shape = [], []

        def walk(x, depth):
            if isinstance(x, list):
                if len(shape) <= depth:
                    shape.append(len(x))
                for i, e in enumerate(x):
                    walk(e, depth + 1)
            else:
                flat.append(float(scalar(x, where)))

        walk(v, 0)
        return torch.tensor(flat, dtype=torch.float64).reshape(shape)

    def layers(self, ls, where):
        return [self.layer(L, "%s[%d]" % (where, i)) for i, L in enumerate(ls)]

    def layer(self, L, where):
        op = L.get("op")
        if op == "dense":
            w = self.tensor(L["weight"], where + ".weight")
            b = self.tensor(L.get("bias"), where + ".bias")
            m = nn.Linear(w.shape[1], w.shape[0], bias=b is not None).to(torch.float64)
            with torch.no_grad():
                m.weight.copy_(w)
                if b is not None:
                    m.bias.copy_(b)
            return m
        if op == "relu":
            return nn.ReLU()
        if op == "leaky_relu":
            return nn.LeakyReLU(float(scalar(L.get("slope", "1/100"), where + ".slope")))
        if op == "abs":
            return Abs()
        if op == "abrelu":
            return AbReLU(float(scalar(L["neg"], where + ".neg")), float(scalar(L["pos"], where + ".pos")))
        if op == "hardtanh":
            lo = scalar(L.get("min_val", -1), where + ".min_val")
            hi = scalar(L.get("max_val", 1), where + ".max_val")
            if lo >= hi:
                raise IrError("%s: hardtanh needs min_val < max_val" % where)
            return nn.Hardtanh(float(lo), float(hi))
        if op == "maxout":
            return Maxout(int(L["k"]))
        if op == "identity":
            return nn.Identity()
        if op == "square":
            return Square()
        if op in SMOOTH:
            return SMOOTH[op]()
        if op == "residual":
            sc = L.get("shortcut")
            return Residual(self.layers(L["layers"], where + ".layers"),
                            None if sc is None else self.layers(sc, where + ".shortcut"))
        if op == "concat":
            return Concat(self.layers(L["layers"], where + ".layers"))
        if op == "batchnorm":
            return BatchNorm(self.tensor(L["mean"], where + ".mean"), self.tensor(L["var"], where + ".var"),
                             self.tensor(L.get("weight"), where + ".weight"), self.tensor(L.get("bias"), where + ".bias"),
                             float(scalar(L.get("eps", "1e-5"), where + ".eps")))
        if op == "conv2d":
            w = self.tensor(L["weight"], where + ".weight")
            b = self.tensor(L.get("bias"), where + ".bias")
            m = nn.Conv2d(w.shape[1], w.shape[0], (w.shape[2], w.shape[3]), stride=_hw(L.get("stride", 1)),
                          padding=_hw(L.get("padding", 0)), bias=b is not None).to(torch.float64)
            with torch.no_grad():
                m.weight.copy_(w)
                if b is not None:
                    m.bias.copy_(b)
            return m
        if op in ("maxpool2d", "avgpool2d"):
            k = _hw(L["kernel"])
            s = _hw(L.get("stride", L["kernel"]))
            return nn.MaxPool2d(k, s) if op == "maxpool2d" else nn.AvgPool2d(k, s)
        if op == "flatten":
            return nn.Flatten()
        raise IrError("%s: unknown op %r" % (where, op))


def _hw(v):
    return (int(v[0]), int(v[1])) if isinstance(v, list) else (int(v), int(v))


def load_ir(path):
    """The IR model at path as an IrNet (float64, CPU)."""
    with open(path) as f:
        doc = json.load(f, parse_float=Decimal)
    if doc.get("netgeom") != 1:
        raise IrError("%s: not a netgeom IR version 1 file" % path)
    r = _Reader(os.path.dirname(os.path.abspath(path)))
    return IrNet(doc["input"], r.layers(doc["layers"], "layers"), doc.get("name"))


# ---------------------------------------------------------------------------- export

class _Writer:
    def __init__(self, weights_file):
        self.weights_file = weights_file
        self.tensors = {}

    def tensor(self, t, key):
        t = t.detach().to("cpu")
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            raise IrError("%s holds NaN or infinite values; the IR needs finite numbers" % key)
        if self.weights_file is None:
            return _nested(t.to(torch.float64).tolist())
        dt = t.dtype if t.dtype in (torch.float64, torch.float32) else torch.float64
        self.tensors[key] = t.to(dt)
        return {"file": os.path.basename(self.weights_file), "key": key}

    def modules(self, mods, prefix):
        out = []
        for name, m in mods:
            out.extend(self.module(m, prefix + name, name))
        return out

    def module(self, m, path, name):
        tag = {} if name is None or name.isdigit() else {"name": name}
        key = path + "." if path else ""
        if isinstance(m, IrNet):
            return self.modules(m.layers.named_children(), key + "layers.")
        if isinstance(m, nn.Sequential):
            return self.modules(m.named_children(), key)
        if isinstance(m, nn.Linear):
            L = dict(op="dense", **tag)
            L["weight"] = self.tensor(m.weight, key + "weight")
            if m.bias is not None:
                L["bias"] = self.tensor(m.bias, key + "bias")
            return [L]
        if isinstance(m, nn.ReLU):
            return [dict(op="relu", **tag)]
        if isinstance(m, nn.LeakyReLU):
            return [dict(op="leaky_relu", slope=repr(float(m.negative_slope)), **tag)]
        if isinstance(m, Abs):
            return [dict(op="abs", **tag)]
        if isinstance(m, AbReLU):
            return [dict(op="abrelu", neg=repr(m.neg), pos=repr(m.pos), **tag)]
        if isinstance(m, nn.Hardtanh):          # nn.ReLU6 too (a Hardtanh(0, 6))
            return [dict(op="hardtanh", min_val=repr(float(m.min_val)), max_val=repr(float(m.max_val)), **tag)]
        if isinstance(m, Maxout):
            return [dict(op="maxout", k=m.k, **tag)]
        if isinstance(m, nn.Identity):
            return [dict(op="identity", **tag)]
        if isinstance(m, Square):
            return [dict(op="square", **tag)]
        if isinstance(m, Erf):
            return [dict(op="erf", **tag)]
        if isinstance(m, nn.Tanh):
            return [dict(op="tanh", **tag)]
        if isinstance(m, nn.Sigmoid):
            return [dict(op="sigmoid", **tag)]
        if isinstance(m, nn.Softplus):
            if m.beta != 1 or m.threshold != 20:
                raise IrError("%s: Softplus with beta %r, threshold %r; the IR's softplus is beta 1, threshold 20"
                              % (path, m.beta, m.threshold))
            return [dict(op="softplus", **tag)]
        if isinstance(m, nn.GELU):
            if getattr(m, "approximate", "none") != "none":
                raise IrError("%s: GELU(approximate=%r); the IR's gelu is the exact one" % (path, m.approximate))
            return [dict(op="gelu", **tag)]
        if isinstance(m, Residual):
            L = dict(op="residual", **tag)
            L["layers"] = self.modules(m.layers.named_children(), key + "layers.")
            if m.shortcut is not None:
                L["shortcut"] = self.modules(m.shortcut.named_children(), key + "shortcut.")
            return [L]
        if isinstance(m, Concat):
            return [dict(op="concat", layers=self.modules(m.layers.named_children(), key + "layers."), **tag)]
        if isinstance(m, (BatchNorm, nn.BatchNorm1d, nn.BatchNorm2d)):
            if isinstance(m, nn.modules.batchnorm._BatchNorm) and not m.track_running_stats:
                raise IrError("%s: batchnorm without running statistics has no inference-mode meaning" % path)
            L = dict(op="batchnorm", **tag)
            L["mean"] = self.tensor(m.running_mean, key + "running_mean")
            L["var"] = self.tensor(m.running_var, key + "running_var")
            if m.weight is not None:
                L["weight"] = self.tensor(m.weight, key + "weight")
            if m.bias is not None:
                L["bias"] = self.tensor(m.bias, key + "bias")
            L["eps"] = repr(float(m.eps))
            return [L]
        if isinstance(m, nn.Conv2d):
            if m.groups != 1 or tuple(m.dilation) != (1, 1) or m.padding_mode != "zeros" or isinstance(m.padding, str):
                raise IrError("%s: Conv2d with groups, dilation, string padding or non-zero padding mode is not in the IR" % path)
            L = dict(op="conv2d", **tag)
            L["weight"] = self.tensor(m.weight, key + "weight")
            if m.bias is not None:
                L["bias"] = self.tensor(m.bias, key + "bias")
            L["stride"] = _pair(m.stride)
            L["padding"] = _pair(m.padding)
            return [L]
        if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d)):
            pad = _pair(m.padding)
            if pad != 0 or m.ceil_mode or (isinstance(m, nn.MaxPool2d) and (_pair(m.dilation) != 1 or m.return_indices)) \
                    or (isinstance(m, nn.AvgPool2d) and m.divisor_override is not None):
                raise IrError("%s: pooling with padding, dilation, ceil_mode or a divisor override is not in the IR" % path)
            op = "maxpool2d" if isinstance(m, nn.MaxPool2d) else "avgpool2d"
            return [dict(op=op, kernel=_pair(m.kernel_size), stride=_pair(m.stride if m.stride is not None else m.kernel_size),
                         **tag)]
        if isinstance(m, nn.Flatten):
            if m.start_dim != 1 or m.end_dim != -1:
                raise IrError("%s: Flatten(start_dim=%d, end_dim=%d); the IR flattens all but the batch dimension"
                              % (path, m.start_dim, m.end_dim))
            return [dict(op="flatten", **tag)]
        if type(m).__module__.split(".")[0] != "torch" and not isinstance(m, (IrNet, Residual, Concat)):
            try:
                steps = chain(m)
            except ConvertError as e:
                raise IrError("%s: %s" % (path or "model", e))
            return self.steps(steps, key)
        raise IrError("%s: %s is not a supported layer (supported: Linear, Conv2d, BatchNorm1d/2d, MaxPool2d, AvgPool2d, "
                      "Flatten, ReLU, LeakyReLU, Hardtanh, ReLU6, Tanh, Sigmoid, Softplus, GELU, Identity, nn.Sequential and netgeom_torch's "
                      "Residual, Concat, Abs, AbReLU, Square, Erf, Maxout)" % (path or "model", type(m).__name__))


    def steps(self, steps, key):
        """IR layers of convert.chain's steps; submodules keep their state_dict names."""
        out = []
        for st in steps:
            if len(st) == 4:                # ("residual", name, body, shortcut)
                L = dict(op="residual", layers=self.steps(st[2], key))
                if st[3] is not None:
                    L["shortcut"] = self.steps(st[3], key)
                out.append(L)
            elif len(st) == 3:              # ("concat", name, body)
                out.append(dict(op="concat", layers=self.steps(st[2], key)))
            else:
                sub, layer = st
                out.extend(self.module(layer, key + sub, sub.rsplit(".", 1)[-1]) if sub is not None
                           else self.module(layer, None, None))
        return out


def _pair(v):
    if isinstance(v, (tuple, list)):
        return int(v[0]) if v[0] == v[1] else [int(v[0]), int(v[1])]
    return int(v)


def _nested(x):
    if isinstance(x, list):
        return [_nested(e) for e in x]
    return x     # a Python float: json writes its shortest repr, which reads back to the same double


def to_ir(module, input_shape, weights_file=None, name=None):
    """The IR (a dict) of a module built from supported layers, for inputs of shape input_shape
    (without the batch dimension). Weights are JSON numbers that read back to the same doubles,
    or, with weights_file, references into that safetensors file (written here, beside the IR).
    A dry run on zeros checks that the module accepts the shape."""
    shape = [int(d) for d in (input_shape if isinstance(input_shape, (list, tuple)) else [input_shape])]
    w = _Writer(weights_file)
    layers = w.module(module, "", None)
    was = module.training
    module.eval()
    try:
        p = next(iter(module.parameters()), None)
        dtype = p.dtype if p is not None else torch.float64
        device = p.device if p is not None else "cpu"
        with torch.no_grad():
            module(torch.zeros([2] + shape, dtype=dtype, device=device))
    except Exception as e:
        raise IrError("the module does not accept inputs of shape %s: %s" % (shape, e))
    finally:
        module.train(was)
    doc = {"netgeom": 1}
    if name:
        doc["name"] = name
    doc["input"] = shape
    doc["layers"] = layers
    if weights_file is not None:
        safetensors.write(weights_file, w.tensors)
    return doc


def save_ir(module, input_shape, path, weights_file=None, name=None):
    """Writes to_ir(...) to path (JSON); weights_file, when given, is written beside it."""
    if weights_file is not None and os.path.dirname(os.path.abspath(weights_file)) != os.path.dirname(os.path.abspath(path)):
        raise IrError("the weights file must be beside the IR file (same directory)")
    doc = to_ir(module, input_shape, weights_file, name)
    def body(f):
        json.dump(doc, f, indent=1)
        f.write("\n")
    safetensors.atomic_write(path, body, "w")
    return doc
