"""Writes the ONNX test models of OnnxImportTest into DIR, with their references:
python3 make_onnx.py DIR  ->  DIR/*.onnx and DIR/cases.json

Each case: {"name", "file", "inputs": [[x as "p/q"]], "outputs": [[y as float.hex]]} where the
outputs come from an independent evaluation: the torch module the file was exported from, run in
float64 on the same weights (a float32 model's weights are cast exactly), or numpy in float64 for
the graphs built by hand with onnx.helper. "initializers" lists exact values ("p/q") of some
initializer entries, to check that import converts them exactly."""
import copy
import json
import os
import sys
from fractions import Fraction

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import helper, numpy_helper, TensorProto

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
cases = []
rng = np.random.default_rng(7)


def frac(v):
    f = Fraction(float(v))
    return "%d/%d" % (f.numerator, f.denominator)


def inputs_for(shape, n=6, dtype=np.float32):
    return [rng.uniform(-2, 2, size=shape).astype(dtype) for _ in range(n)]


def add_torch(name, model, shape, dtype=torch.float32, **kw):
    model.eval()
    model = model.to(dtype)
    path = os.path.join(out, name + ".onnx")
    torch.onnx.export(model, torch.zeros((1,) + tuple(shape), dtype=dtype), path, **kw)
    ref = copy.deepcopy(model).double()
    xs = inputs_for(shape, dtype=np.float32 if dtype == torch.float32 else np.float64)
    ys = []
    with torch.no_grad():
        for x in xs:
            y = ref(torch.from_numpy(x.astype(np.float64)).unsqueeze(0))[0].reshape(-1)
            ys.append([float(v).hex() for v in y.tolist()])
    cases.append({"name": name, "file": path, "inputs": [[frac(v) for v in x.reshape(-1)] for x in xs], "outputs": ys})
    return path


def add_graph(name, nodes, inits, in_shape, out_shape, ref, dtype=np.float32):
    et = TensorProto.FLOAT if dtype == np.float32 else TensorProto.DOUBLE
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", et, [1] + list(in_shape))],
                          [helper.make_tensor_value_info("y", et, [1] + list(out_shape))],
                          [numpy_helper.from_array(v.astype(dtype), k) for k, v in inits.items()])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(m)
    path = os.path.join(out, name + ".onnx")
    onnx.save(m, path)
    xs = inputs_for(in_shape, dtype=dtype)
    cases.append({"name": name, "file": path, "inputs": [[frac(v) for v in x.reshape(-1)] for x in xs],
                  "outputs": [[float(v).hex() for v in ref(x.astype(np.float64)).reshape(-1)] for x in xs]})
    return cases[-1]


class Norm(nn.Module):
    """(x - mean) / std with per-channel (or per-feature) constants, as input normalisation."""
    def __init__(self, mean, std, shape):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).reshape(shape))
        self.register_buffer("std", torch.tensor(std).reshape(shape))

    def forward(self, x):
        return (x - self.mean) / self.std


class Res(nn.Module):
    def __init__(self, n, proj=False):
        super().__init__()
        self.a, self.b = nn.Linear(n, n), nn.Linear(n, n)
        self.p = nn.Linear(n, n) if proj else None

    def forward(self, x):
        f = self.b(torch.relu(self.a(x)))
        return (self.p(x) if self.p is not None else x) + f


class Cat(nn.Module):
    def __init__(self, n, k):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(n, k), nn.ReLU())

    def forward(self, x):
        return torch.cat([x, self.f(x)], 1)


class Nested(nn.Module):
    """x + g(x) with g itself a residual block: nested residuals."""
    def __init__(self, n):
        super().__init__()
        self.inner, self.out = Res(n), nn.Linear(n, n)

    def forward(self, x):
        return x + self.out(torch.relu(self.inner(x)))


class ConvCat(nn.Module):
    """DenseNet-style: [x ; relu(conv(x))] along the channels."""
    def __init__(self, c, k):
        super().__init__()
        self.conv = nn.Conv2d(c, k, 3, padding=1)

    def forward(self, x):
        return torch.cat([x, torch.relu(self.conv(x))], 1)


class ViewFlatten(nn.Module):
    def forward(self, x):
        return x.reshape(1, -1)


class ViewBatch(nn.Module):
    """x.view(x.size(0), -1): with a dynamic batch torch writes Shape -> Gather -> ... -> Reshape."""
    def forward(self, x):
        return x.view(x.size(0), -1)


torch.manual_seed(3)
add_torch("mlp", nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3)), (4,),
          input_names=["x"], dynamic_axes={"x": {0: "batch"}})
add_torch("hardtanh", nn.Sequential(nn.Linear(4, 8), nn.Hardtanh(-0.5, 0.75), nn.Linear(8, 8), nn.ReLU6(), nn.Linear(8, 3)),
          (4,))
add_torch("mlp64", nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)), (4,), dtype=torch.float64)
m = nn.Sequential(nn.Linear(3, 2))
path = add_torch("linear", m, (3,))
cases[-1]["initializers"] = {"weight": [frac(v) for v in m[0].weight.detach().reshape(-1).tolist()],
                             "bias": [frac(v) for v in m[0].bias.detach().reshape(-1).tolist()]}
add_torch("cnn", nn.Sequential(Norm([0.485, 0.456], [0.229, 0.224], (2, 1, 1)), nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(),
                               nn.MaxPool2d(2), nn.Conv2d(3, 4, 2), nn.ReLU(), nn.AvgPool2d(2, stride=1),
                               nn.Flatten(), nn.Linear(16, 2)), (2, 8, 8))
add_torch("cnn_fold", nn.Sequential(Norm([0.5, -0.25], [0.3, 3.0], (2, 1, 1)), nn.Conv2d(2, 3, 3, stride=2), nn.ReLU(),
                                    ViewFlatten(), nn.Linear(12, 2)), (2, 5, 6))
add_torch("nested", nn.Sequential(nn.Linear(3, 4), nn.ReLU(), Nested(4), nn.Linear(4, 2)), (3,))
add_torch("convcat", nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), ConvCat(2, 3), nn.Flatten(), nn.Linear(5 * 3 * 3, 2)), (1, 4, 4))
add_torch("cnn_view", nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), ViewBatch(), nn.Linear(8, 2)), (1, 3, 3),
          input_names=["x"], dynamic_axes={"x": {0: "batch"}})
add_torch("residual", nn.Sequential(nn.Linear(3, 5), nn.ReLU(), Res(5), nn.ReLU(), Res(5, proj=True), Cat(5, 2),
                                    nn.Linear(7, 2)), (3,))
bn = nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.BatchNorm1d(6), nn.Linear(6, 4), nn.ReLU(), nn.BatchNorm1d(4), nn.Linear(4, 2))
bn2 = nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(18, 1))
with torch.no_grad():
    for mod in list(bn) + list(bn2):
        if isinstance(mod, nn.modules.batchnorm._BatchNorm):
            mod.running_mean.uniform_(-1, 1)
            mod.running_var.uniform_(0.5, 2)
            mod.weight.uniform_(-2, 2)
            mod.bias.uniform_(-1, 1)
            # ONNX stores epsilon as a float32: give the reference module that same value, so that
            # both compute one function (1e-5 itself differs from float32(1e-5) by 2.5e-13)
            mod.eps = float(np.float32(mod.eps))
add_torch("batchnorm", bn, (3,))
add_torch("batchnorm2d", bn2, (1, 4, 4))
norm = nn.Sequential(Norm([0.1, 0.2, -0.3], [0.7, 1.5, 0.2], (3,)), nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
add_torch("normalise", norm, (3,))


def exact_forward(seq, x):
    """The module in exact rational arithmetic on its float32 parameters (the fold must equal this)."""
    v = [Fraction(t) for t in x]
    for mod in seq:
        if isinstance(mod, Norm):
            v = [(a - Fraction(float(m))) / Fraction(float(s)) for a, m, s in zip(v, mod.mean.tolist(), mod.std.tolist())]
        elif isinstance(mod, nn.Linear):
            W, b = mod.weight.detach().tolist(), mod.bias.detach().tolist()
            v = [sum(Fraction(float(w)) * a for w, a in zip(row, v)) + Fraction(float(bb)) for row, bb in zip(W, b)]
        elif isinstance(mod, nn.ReLU):
            v = [max(a, Fraction(0)) for a in v]
        else:
            raise TypeError(mod)
    return ["%d/%d" % (f.numerator, f.denominator) for f in v]


cases[-1]["exact"] = [exact_forward(norm, [Fraction(t) for t in x]) for x in cases[-1]["inputs"]]
add_torch("normalise64", nn.Sequential(Norm([0.1, 0.2, -0.3], [0.7, 1.5, 0.2], (3,)), nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)),
          (3,), dtype=torch.float64)

# Gemm's attributes and MatMul + Add, built by hand; numpy is the reference
B = rng.uniform(-1, 1, size=(3, 4)).astype(np.float32)     # [in, out]: transB = 0
C = rng.uniform(-1, 1, size=(4,)).astype(np.float32)
W2 = rng.uniform(-1, 1, size=(2, 4)).astype(np.float32)     # [out, in]: transB = 1
b2 = rng.uniform(-1, 1, size=(1, 2)).astype(np.float32)
add_graph("gemm", [helper.make_node("Gemm", ["x", "B", "C"], ["h"], name="g1", alpha=0.5, beta=2.0),
                   helper.make_node("Relu", ["h"], ["r"], name="r1"),
                   helper.make_node("Gemm", ["r", "W2", "b2"], ["y"], name="g2", transB=1, alpha=3.0)],
          {"B": B, "C": C, "W2": W2, "b2": b2}, (3,), (2,),
          lambda x: 3.0 * np.maximum(0.5 * x @ B.astype(np.float64) + 2.0 * C.astype(np.float64), 0) @ W2.astype(np.float64).T
          + b2.astype(np.float64).reshape(-1))
M = rng.uniform(-1, 1, size=(3, 4)).astype(np.float32)
a = rng.uniform(-1, 1, size=(4,)).astype(np.float32)
sub = np.float32(0.3)
add_graph("matmul", [helper.make_node("Sub", ["x", "s"], ["xs"], name="centre"),
                     helper.make_node("MatMul", ["xs", "M"], ["h"], name="mm"),
                     helper.make_node("Add", ["h", "a"], ["y"], name="add")],
          {"M": M, "a": a, "s": np.array(sub)}, (3,), (4,),
          lambda x: (x - np.float64(sub)) @ M.astype(np.float64) + a.astype(np.float64))

# refusals
torch.onnx.export(nn.Sequential(nn.Linear(3, 2), nn.Sigmoid()).eval(), torch.zeros(1, 3), os.path.join(out, "sigmoid.onnx"))


class TwoCat(nn.Module):
    def __init__(self):
        super().__init__()
        self.f, self.g = nn.Linear(3, 2), nn.Linear(3, 2)

    def forward(self, x):
        return torch.cat([self.f(x), self.g(x)], 1)


torch.onnx.export(TwoCat().eval(), torch.zeros(1, 3), os.path.join(out, "twocat.onnx"))


def refused_graph(name, nodes, inits, in_shape, out_shape):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1] + list(in_shape))],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1] + list(out_shape))],
                          [numpy_helper.from_array(v, k) for k, v in inits.items()])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(m)
    onnx.save(m, os.path.join(out, name + ".onnx"))


refused_graph("transa", [helper.make_node("Gemm", ["x", "B"], ["y"], name="gt", transA=1)],
              {"B": np.ones((1, 2), np.float32)}, (3,), (2,))
refused_graph("reshape", [helper.make_node("Reshape", ["x", "s"], ["y"], name="rs")],
              {"s": np.array([1, 2, 2], np.int64)}, (4,), (2, 2))
refused_graph("group", [helper.make_node("Conv", ["x", "W"], ["y"], name="cg", group=2, kernel_shape=[1, 1])],
              {"W": np.ones((2, 1, 1, 1), np.float32)}, (2, 2, 2), (2, 2, 2))
with open(os.path.join(out, "garbage.onnx"), "w") as f:
    f.write("this is not a protobuf\n" * 10)
with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump(cases, f)
