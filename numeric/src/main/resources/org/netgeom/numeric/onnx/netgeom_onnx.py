"""python3 netgeom_onnx.py REQUEST.json   (what `netgeom import MODEL.onnx` runs)
python3 netgeom_onnx.py probe           (prints the onnx version as JSON)

Converts an ONNX model to the netgeom model IR (docs/import.md) with onnx, numpy and the standard
library only (Debian's python3-onnx). The request is a JSON object {"model", "out_model",
"out_weights" (optional: weights inline when absent), "name" (optional), "response"}; the answer
({"input": [...], "layers": n}) goes to request["response"]. A user error prints one line
"netgeom_onnx: error[CODE]: ..." on stderr and exits 3; a bug exits 1 with its traceback.

Exactness: initializers are written with their own dtype (float32 stays F32, float64 F64), so
their values are the file's binary values. Every value computed here (Gemm's alpha·B, beta·C,
constants folded into a layer, batchnorm written for a normalisation) is computed in exact
rational arithmetic (fractions.Fraction of the binary values) and written as F64 when every
entry is a double exactly, else inline as "p/q" strings: nothing is rounded.
"""
import json
import os
import struct
import sys
import traceback
from fractions import Fraction

import numpy as np    # python3-onnx depends on it; netgeom checks both before it runs this


class OnnxError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def unsupported(msg):
    return OnnxError("ONNX_UNSUPPORTED", msg)


# ------------------------------------------------------------------ exact tensors

def frac_array(a):
    """A numpy array as an object array of exact Fractions of its binary values."""
    a = np.asarray(a)
    if a.dtype.kind not in "fiub":
        raise unsupported("a constant of dtype %s" % a.dtype)
    if a.dtype == np.float16:
        a = a.astype(np.float32)
    out = np.empty(a.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(a.reshape(-1).tolist()):
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            raise OnnxError("ONNX_INVALID", "a constant holds %r" % v)
        flat[i] = Fraction(v)
    return out


class Writer:
    """Collects the weights: numpy float arrays go to safetensors as they are; Fraction arrays as
    F64 when exact, else inline strings. Without a weights file every tensor is inline (JSON
    numbers of exact decimals are avoided: strings "p/q" hold the binary values)."""

    def __init__(self, to_file):
        self.to_file = to_file
        self.tensors = {}

    def tensor(self, key, a):
        if a.dtype == object:
            dbl = np.empty(a.shape, dtype=np.float64)
            fd = dbl.reshape(-1)
            exact = True
            for i, f in enumerate(a.reshape(-1).tolist()):
                d = float(f)
                if Fraction(d) != f:
                    exact = False
                    break
                fd[i] = d
            if not exact:
                return self.inline(a)
            a = dbl
        if a.dtype == np.float16:
            a = a.astype(np.float32)
        if a.dtype not in (np.float32, np.float64):
            a = a.astype(np.float64)     # integers: exact while |v| < 2^53, checked below
        if not self.to_file:
            return self.inline(frac_array(a))
        key = key.replace("/", ".").lstrip(".") or "tensor"
        while key in self.tensors:
            key += "_"
        self.tensors[key] = np.ascontiguousarray(a)
        return {"file": None, "key": key}

    @staticmethod
    def inline(a):
        def rec(x):
            if isinstance(x, list):
                return [rec(v) for v in x]
            return str(x.numerator) if x.denominator == 1 else "%d/%d" % (x.numerator, x.denominator)
        return rec(a.tolist())

    def write(self, path):
        header = {}
        blobs = []
        off = 0
        for key, t in self.tensors.items():
            name = "F32" if t.dtype.itemsize == 4 else "F64"
            raw = t.astype("<f4" if name == "F32" else "<f8").tobytes()
            header[key] = {"dtype": name, "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
            blobs.append(raw)
            off += len(raw)
        h = json.dumps(header, separators=(",", ":")).encode("utf-8")
        h += b" " * ((8 - len(h) % 8) % 8)

        def body(f):
            f.write(struct.pack("<Q", len(h)))
            f.write(h)
            for b in blobs:
                f.write(b)
        atomic_write(path, body)


def atomic_write(path, body, mode="wb"):
    """As netgeom_torch.safetensors.atomic_write (and org.netgeom.ir.io.AtomicFiles): a hidden
    temporary file beside the target, fsync'ed, then os.replace'd over it."""
    import secrets
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    try:
        keep = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        keep = None
    while True:
        tmp = os.path.join(d, "." + os.path.basename(path) + "." + secrets.token_hex(8) + ".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, mode) as f:
            body(f)
            f.flush()
            os.fsync(f.fileno())
        if keep is not None:
            os.chmod(tmp, keep)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def exact_str(v):
    f = Fraction(float(v))
    return str(f.numerator) if f.denominator == 1 else "%d/%d" % (f.numerator, f.denominator)


# ------------------------------------------------------------------ the graph

class Graph:
    def __init__(self, model):
        from onnx import numpy_helper
        g = model.graph
        self.consts = {}
        for t in g.initializer:
            self.consts[t.name] = numpy_helper.to_array(t)
        self.nodes = []
        shapes = static_shapes(model)
        for i, n in enumerate(g.node):
            if n.op_type == "Constant" and n.domain in ("", "ai.onnx"):
                attrs = {a.name: a for a in n.attribute}
                if "value" not in attrs:
                    raise unsupported("op 'Constant' without a tensor value at node '%s'" % self.label(n, i))
                self.consts[n.output[0]] = numpy_helper.to_array(attrs["value"].t)
                continue
            folded = fold_shape_op(n, self.consts, shapes)
            if folded is not None:
                self.consts[n.output[0]] = folded
                continue
            self.nodes.append(n)
        for i, n in enumerate(self.nodes):
            if not n.name:
                n.name = "%s_%d" % (n.op_type, i)
        inputs = [v for v in g.input if v.name not in self.consts]
        if len(inputs) != 1:
            raise unsupported("the model has %d inputs (%s); netgeom's IR has one"
                              % (len(inputs), ", ".join(v.name for v in inputs) or "none"))
        if len(g.output) != 1:
            raise unsupported("the model has %d outputs; netgeom's IR has one" % len(g.output))
        self.input = inputs[0].name
        self.output = g.output[0].name
        t = inputs[0].type.tensor_type
        dims = []
        for k, d in enumerate(t.shape.dim):
            if d.HasField("dim_value"):
                dims.append(d.dim_value)
            elif k == 0:
                dims.append(None)       # the batch dimension may be symbolic
            else:
                raise unsupported("input '%s' has a symbolic dimension %d (%s); the IR needs fixed sizes"
                                  % (self.input, k, d.dim_param))
        if len(dims) not in (2, 4):
            raise unsupported("input '%s' has shape %s; the IR takes [batch, n] or [batch, C, H, W]"
                              % (self.input, dims))
        self.shape = tuple(dims[1:])
        elem = t.elem_type
        self.dtype = {1: "float32", 11: "float64", 10: "float16"}.get(elem)
        if self.dtype is None:
            raise unsupported("input '%s' has element type %d; netgeom imports float models" % (self.input, elem))
        self.producer = {}
        self.consumers = {}
        for n in self.nodes:
            for o in n.output:
                self.producer[o] = n
            for x in n.input:
                self.consumers.setdefault(x, []).append(n)
        self.order = {id(n): i for i, n in enumerate(self.nodes)}

    @staticmethod
    def label(n, i=None):
        return n.name or ("%s_%d" % (n.op_type, i) if i is not None else n.op_type)

    def dynamic_inputs(self, n):
        return [x for x in n.input if x and x not in self.consts]

    def reach_forward(self, start):
        seen, stack = set(), [start]
        vals = set()
        while stack:
            v = stack.pop()
            if v in vals:
                continue
            vals.add(v)
            for n in self.consumers.get(v, []):
                if id(n) not in seen:
                    seen.add(id(n))
                    stack.extend(o for o in n.output if o)
        return seen

    def reach_backward(self, end):
        seen, stack = set(), [end]
        while stack:
            v = stack.pop()
            n = self.producer.get(v)
            if n is None or id(n) in seen:
                continue
            seen.add(id(n))
            stack.extend(self.dynamic_inputs(n))
        return seen

    def between(self, start, end):
        return self.reach_forward(start) & self.reach_backward(end)


def static_shapes(model):
    """The shapes of the graph's values with the batch dimension 1 (onnx's shape inference), for
    Shape nodes: torch writes x.view(x.size(0), -1) with a dynamic batch as Shape -> Gather ->
    Unsqueeze -> Concat -> Reshape, which is a flatten per example."""
    import copy
    import onnx
    m = copy.deepcopy(model)
    init = {t.name for t in m.graph.initializer}
    for v in m.graph.input:
        if v.name in init:
            continue
        dims = v.type.tensor_type.shape.dim
        if len(dims) > 0 and not dims[0].HasField("dim_value"):
            dims[0].dim_value = 1
    try:
        m = onnx.shape_inference.infer_shapes(m)
    except Exception:
        return {}
    out = {}
    for v in list(m.graph.input) + list(m.graph.value_info) + list(m.graph.output):
        dims = v.type.tensor_type.shape.dim
        if all(d.HasField("dim_value") for d in dims):
            out[v.name] = [d.dim_value for d in dims]
    return out


SHAPE_OPS = ("Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast", "Identity")


def fold_shape_op(n, consts, shapes):
    """The value of a node that only computes a shape (integers, no rounding) from constants and
    static shapes, or None. Float constants are never folded here: that would round."""
    if n.op_type not in SHAPE_OPS or n.domain not in ("", "ai.onnx") or len(n.output) != 1:
        return None
    a = attrs_of(n)
    if n.op_type == "Shape":
        shp = shapes.get(n.input[0])
        if shp is None:
            return None
        shp = shp[a.get("start", 0):a["end"]] if "end" in a else shp[a.get("start", 0):]
        return np.array(shp, dtype=np.int64)
    ins = [consts.get(x) if x else None for x in n.input]
    if any(x and x not in consts for x in n.input) or not ins or ins[0] is None:
        return None
    if any(v is not None and np.asarray(v).dtype.kind not in "iub" for v in ins):
        return None
    x = np.asarray(ins[0])
    if n.op_type == "Identity":
        return x
    if n.op_type == "Cast":
        return x.astype(np.int64) if a.get("to") in (6, 7) else None
    if n.op_type == "Gather":
        return np.take(x, np.asarray(ins[1]), axis=a.get("axis", 0))
    if n.op_type == "Unsqueeze":
        axes = list(a["axes"]) if "axes" in a else [int(v) for v in np.asarray(ins[1]).reshape(-1)]
        r = x
        for ax in sorted(ax if ax >= 0 else ax + x.ndim + len(axes) for ax in axes):
            r = np.expand_dims(r, ax)
        return r
    if n.op_type == "Squeeze":
        axes = list(a["axes"]) if "axes" in a else ([int(v) for v in np.asarray(ins[1]).reshape(-1)] if len(ins) > 1 and ins[1] is not None else None)
        return np.squeeze(x, axis=tuple(axes) if axes is not None else None)
    if n.op_type == "Concat":
        return np.concatenate([np.asarray(v) for v in ins], axis=a.get("axis", 0))
    if n.op_type == "Slice":
        if "starts" in a:
            starts, ends, axes, steps = a["starts"], a["ends"], a.get("axes"), None
        else:
            starts, ends = [int(v) for v in np.asarray(ins[1]).reshape(-1)], [int(v) for v in np.asarray(ins[2]).reshape(-1)]
            axes = [int(v) for v in np.asarray(ins[3]).reshape(-1)] if len(ins) > 3 and ins[3] is not None else None
            steps = [int(v) for v in np.asarray(ins[4]).reshape(-1)] if len(ins) > 4 and ins[4] is not None else None
        axes = axes if axes is not None else list(range(len(starts)))
        steps = steps if steps is not None else [1] * len(starts)
        idx = [slice(None)] * x.ndim
        for st, en, ax, sp in zip(starts, ends, axes, steps):
            idx[ax] = slice(st, en, sp)
        return x[tuple(idx)]
    return None


def attrs_of(n):
    from onnx import helper
    return {a.name: helper.get_attribute_value(a) for a in n.attribute}


def flat_size(shape):
    s = 1
    for d in shape:
        s *= d
    return s


# ------------------------------------------------------------------ conversion

class Converter:
    def __init__(self, graph, writer):
        self.g = graph
        self.w = writer
        self.affines = 0

    def convert(self, start, end, shape):
        """The layers mapping value `start` (per-sample shape) to value `end`, and end's shape."""
        allowed = self.g.between(start, end)
        layers = []
        pending = None      # (a, c): the elementwise map x -> a*x + c not yet folded (Fraction arrays)
        cur = start
        while cur != end:
            cons = [n for n in self.g.consumers.get(cur, []) if id(n) in allowed]
            if not cons:
                raise unsupported("value '%s' does not lead to the output" % cur)
            if len(cons) == 1 and len(self.g.dynamic_inputs(cons[0])) == 1:
                n = cons[0]
                pending, shape = self.step(n, cur, shape, layers, pending)
                cur = n.output[0]
                continue
            # a fork: find the merge (the first node, in file order, that every path to `end` passes)
            if pending is not None:
                layers.extend(self.materialise(pending, shape, "before the branches at '%s'" % cur))
                pending = None
            merge = self.find_merge(cur, end, allowed)
            dyn = self.g.dynamic_inputs(merge)
            if len(dyn) != 2:
                raise unsupported("op '%s' at node '%s' joins %d branches; the IR's residual and concat join two"
                                  % (merge.op_type, merge.name, len(dyn)))
            branches = []
            for v in dyn:
                if v == cur:
                    branches.append(([], shape, set()))
                else:
                    sub = self.g.between(cur, v)
                    ls, sh = self.convert(cur, v, shape)
                    branches.append((ls, sh, sub))
            if branches[0][2] & branches[1][2]:
                raise unsupported("the branches joined at node '%s' share nodes; the IR's composites take two "
                                  "separate branches" % merge.name)
            layers.append(self.join(merge, branches, shape))
            shape = self.joined_shape(merge, branches, shape)
            cur = merge.output[0]
        if pending is not None:
            layers.extend(self.materialise(pending, shape, "at the end of the network"))
        return layers, shape

    def find_merge(self, cur, end, allowed):
        cands = sorted((n for n in self.g.nodes if id(n) in allowed and len(self.g.dynamic_inputs(n)) >= 2),
                       key=lambda n: self.g.order[id(n)])
        for m in cands:
            # m post-dominates cur when `end` cannot be reached from cur without passing m
            seen, stack, ok = set(), [cur], True
            while stack and ok:
                v = stack.pop()
                if v == end:
                    ok = False
                    break
                if v in seen:
                    continue
                seen.add(v)
                for n in self.g.consumers.get(v, []):
                    if id(n) in allowed and n is not m:
                        stack.extend(o for o in n.output if o)
            if ok:
                return m
        raise unsupported("the branches from value '%s' do not join before the output" % cur)

    def join(self, merge, branches, shape):
        (la, sa, _), (lb, sb, _) = branches
        if merge.op_type == "Add":
            if sa != sb:
                raise unsupported("node '%s' adds shapes %s and %s" % (merge.name, sa, sb))
            body, short = (la, lb) if len(la) >= len(lb) else (lb, la)
            if not body:
                raise unsupported("op 'Add' at node '%s' adds a value to itself" % merge.name)
            layer = {"op": "residual", "name": merge.name, "layers": body}
            if short:
                layer["shortcut"] = short
            return layer
        if merge.op_type == "Concat":
            axis = attrs_of(merge).get("axis", 1)
            if axis not in (1, -len(shape)):
                raise unsupported("op 'Concat' at node '%s' joins along axis %d; the IR's concat joins along "
                                  "axis 1 (features or channels)" % (merge.name, axis))
            if la or not lb:
                raise unsupported("op 'Concat' at node '%s' must join the branch input x first and a computed "
                                  "branch f(x) second (the IR's concat is [x ; f(x)])" % merge.name)
            return {"op": "concat", "name": merge.name, "layers": lb}
        raise unsupported("op '%s' at node '%s' joins two branches; only Add (residual) and Concat do"
                          % (merge.op_type, merge.name))

    @staticmethod
    def joined_shape(merge, branches, shape):
        (la, sa, _), (lb, sb, _) = branches
        if merge.op_type == "Add":
            return sa
        if len(sa) != len(sb) or tuple(sa[1:]) != tuple(sb[1:]):
            raise unsupported("node '%s' concatenates shapes %s and %s" % (merge.name, sa, sb))
        return (sa[0] + sb[0],) + tuple(sa[1:])

    # -------------------------------------------------------------- one op

    def const(self, n, k, what):
        if len(n.input) <= k or not n.input[k]:
            return None
        name = n.input[k]
        if name not in self.g.consts:
            raise unsupported("op '%s' at node '%s' needs a constant %s (initializer), not a computed value"
                              % (n.op_type, n.name, what))
        return self.g.consts[name]

    def step(self, n, cur, shape, layers, pending):
        op = n.op_type
        a = attrs_of(n)
        if n.domain not in ("", "ai.onnx"):
            raise unsupported("op '%s' (domain %s) at node '%s'" % (op, n.domain, n.name))
        if n.input[0] != cur and op not in ("Add", "Mul", "Sub", "MatMul", "Gemm"):
            raise unsupported("op '%s' at node '%s' takes the network's value as input %d"
                              % (op, n.name, list(n.input).index(cur)))
        if op in ("Identity", "Dropout"):
            if op == "Dropout" and len(n.input) > 2 and n.input[2]:
                t = self.g.consts.get(n.input[2])
                if t is None or bool(np.asarray(t)):
                    raise unsupported("op 'Dropout' in training mode at node '%s'" % n.name)
            return pending, shape
        if op == "Pad":
            # torch exports AvgPool2d as a Pad of zeros before AveragePool: only that no-op is taken
            pads = self.const(n, 1, "pads")
            mode = a.get("mode", b"constant")
            if mode not in (b"constant", "constant") or pads is None or any(int(v) != 0 for v in np.asarray(pads).reshape(-1)):
                raise unsupported("op 'Pad' at node '%s' (only a Pad of zero width, as torch writes before "
                                  "AveragePool, is imported; use the padding of Conv)" % n.name)
            return pending, shape
        if op in ("Add", "Sub", "Mul", "Div"):
            return self.elementwise(n, cur, shape, layers, pending)
        if op in ("Flatten", "Reshape"):
            if op == "Flatten":
                axis = a.get("axis", 1)
                if axis not in (1, -len(shape)):
                    raise unsupported("op 'Flatten' at node '%s' with axis %d; only axis 1 (keep the batch) is a "
                                      "flatten of the IR" % (n.name, axis))
            else:
                target = self.const(n, 1, "shape")
                target = [int(v) for v in np.asarray(target).reshape(-1)]
                size = flat_size(shape)
                res = []
                for k, t in enumerate(target):
                    if t == 0:
                        t = ([1] + list(shape))[k] if k < len(shape) + 1 else 0
                    res.append(t)
                if len(res) != 2 or res[0] not in (-1, 1) or res[1] not in (-1, size) or res == [-1, -1]:
                    raise unsupported("op 'Reshape' at node '%s' to %s is not a flatten of the per-example shape %s"
                                      % (n.name, target, list(shape)))
            if len(shape) == 1:
                return pending, shape
            if pending is not None:
                pending = (pending[0].reshape(-1), pending[1].reshape(-1))
            layers.append({"op": "flatten", "name": n.name})
            return pending, (flat_size(shape),)
        if op == "Relu":
            layers.extend(self.flush(pending, shape, n))
            layers.append({"op": "relu", "name": n.name})
            return None, shape
        if op == "LeakyRelu":
            layers.extend(self.flush(pending, shape, n))
            layers.append({"op": "leaky_relu", "name": n.name, "slope": exact_str(np.float32(a.get("alpha", 0.01)))})
            return None, shape
        if op == "Clip":
            # torch exports nn.Hardtanh / ReLU6 / clamp(lo, hi) as Clip: min and max inputs (opset 11+) or attributes
            lo = self.const(n, 1, "min")
            hi = self.const(n, 2, "max")
            lo = lo if lo is not None else a.get("min")
            hi = hi if hi is not None else a.get("max")
            if lo is None or hi is None or np.asarray(lo).size != 1 or np.asarray(hi).size != 1:
                raise unsupported("op 'Clip' at node '%s' without both a scalar min and max (only a two-sided Clip is "
                                  "the IR's hardtanh)" % n.name)
            lo, hi = np.asarray(lo).reshape(-1)[0], np.asarray(hi).reshape(-1)[0]
            if not np.isfinite(lo) or not np.isfinite(hi) or not lo < hi:
                raise unsupported("op 'Clip' at node '%s' with min %r, max %r: hardtanh needs finite min < max"
                                  % (n.name, float(lo), float(hi)))
            layers.extend(self.flush(pending, shape, n))
            layers.append({"op": "hardtanh", "name": n.name, "min_val": exact_str(lo), "max_val": exact_str(hi)})
            return None, shape
        if op in ("Gemm", "MatMul"):
            return self.dense(n, cur, shape, layers, pending, a)
        if op == "Conv":
            return self.conv(n, shape, layers, pending, a)
        if op in ("MaxPool", "AveragePool"):
            layers.extend(self.flush(pending, shape, n))
            return None, self.pool(n, shape, layers, a)
        if op == "BatchNormalization":
            layers.extend(self.flush(pending, shape, n))
            if a.get("training_mode", 0) or len([o for o in n.output if o]) > 1:
                raise unsupported("op 'BatchNormalization' in training mode at node '%s'" % n.name)
            scale, bias, mean, var = (self.const(n, k, w) for k, w in
                                      ((1, "scale"), (2, "bias"), (3, "mean"), (4, "variance")))
            layers.append({"op": "batchnorm", "name": n.name,
                           "weight": self.w.tensor(n.name + ".weight", scale),
                           "bias": self.w.tensor(n.name + ".bias", bias),
                           "mean": self.w.tensor(n.name + ".running_mean", mean),
                           "var": self.w.tensor(n.name + ".running_var", var),
                           "eps": exact_str(np.float32(a.get("epsilon", 1e-5)))})
            return None, shape
        raise unsupported("op '%s' at node '%s'" % (op, n.name))

    def flush(self, pending, shape, n):
        return [] if pending is None else self.materialise(pending, shape, "before node '%s'" % n.name)

    def broadcast(self, n, k, shape):
        c = np.asarray(self.g.consts[n.input[k]])
        try:
            b = np.broadcast_to(c, (1,) + tuple(shape))
        except ValueError:
            raise unsupported("op '%s' at node '%s': a constant of shape %s does not broadcast to the "
                              "per-example shape %s" % (n.op_type, n.name, list(c.shape), list(shape)))
        if c.ndim > len(shape) + 1 or (c.ndim == len(shape) + 1 and c.shape[0] != 1):
            raise unsupported("op '%s' at node '%s': a constant of shape %s would change the batch"
                              % (n.op_type, n.name, list(c.shape)))
        return frac_array(np.ascontiguousarray(b[0]))

    def elementwise(self, n, cur, shape, layers, pending):
        op = n.op_type
        if len(n.input) != 2 or len(self.g.dynamic_inputs(n)) != 1:
            raise unsupported("op '%s' at node '%s'" % (op, n.name))
        k = 1 if n.input[0] == cur else 0
        c = self.broadcast(n, k, shape)
        if op == "Div" and k == 0:
            raise unsupported("op 'Div' at node '%s' divides a constant by the network's value" % n.name)
        if op == "Div" and any(v == 0 for v in c.reshape(-1)):
            raise unsupported("op 'Div' at node '%s' divides by 0" % n.name)
        if op == "Add":
            mul, add = None, c
        elif op == "Sub":
            mul, add = (None, -c) if k == 1 else (-1, c)
        elif op == "Mul":
            mul, add = c, None
        else:
            mul, add = np.vectorize(lambda f: 1 / f, otypes=[object])(c), None
        if pending is None and layers and layers[-1]["op"] in ("dense", "conv2d"):
            if self.fold_after(layers[-1], mul, add, shape):
                return None, shape
        if pending is None:
            one = np.empty(shape, dtype=object)
            one.reshape(-1)[:] = [Fraction(1)] * flat_size(shape)
            zero = np.empty(shape, dtype=object)
            zero.reshape(-1)[:] = [Fraction(0)] * flat_size(shape)
            pending = (one, zero)
        pa, pc = pending
        if mul is not None:
            pa, pc = pa * mul, pc * mul
        if add is not None:
            pc = pc + add
        return (pa, pc), shape

    # the layers keep their tensors as Fraction arrays until the end (key "_w", "_b") so that folding
    # stays exact; finish() writes them

    def fold_after(self, last, mul, add, shape):
        """y -> mul*y + add folded into the dense/conv layer `last` (exactly): rows scaled, bias shifted."""
        if last["op"] == "conv2d":
            for t in (mul, add):
                if isinstance(t, np.ndarray) and not per_channel(t):
                    return False
            m = None if mul is None else (np.full((shape[0],), mul, dtype=object) if not isinstance(mul, np.ndarray)
                                          else t_channel(mul))
            ad = None if add is None else t_channel(add)
        else:
            m = None if mul is None else (np.full(shape, Fraction(mul), dtype=object) if not isinstance(mul, np.ndarray) else mul)
            ad = add
        W, b = last["_w"], last["_b"]
        if m is not None:
            W = W * m.reshape((-1,) + (1,) * (W.ndim - 1))
            b = b * m
        if ad is not None:
            b = b + ad
        last["_w"], last["_b"] = W, b
        last["_raw_w"] = last["_raw_b"] = None     # the file's tensors no longer hold the values
        return True

    def dense(self, n, cur, shape, layers, pending, a):
        if len(shape) != 1:
            raise unsupported("op '%s' at node '%s' on a per-example shape %s; flatten first" % (n.op_type, n.name, list(shape)))
        if n.op_type == "Gemm":
            if n.input[0] != cur:
                raise unsupported("op 'Gemm' at node '%s' takes the network's value as B; netgeom needs it as A "
                                  "(y = x·Bᵀ + C with the batch first)" % n.name)
            if a.get("transA", 0):
                raise unsupported("op 'Gemm' at node '%s' with transA=1 on the network's value (the batch would be "
                                  "the second dimension)" % n.name)
            B = np.asarray(self.const(n, 1, "B"))
            W = B if a.get("transB", 0) else B.T
            C = self.const(n, 2, "C")
            alpha, beta = np.float32(a.get("alpha", 1.0)), np.float32(a.get("beta", 1.0))
        else:
            if n.input[0] != cur:
                raise unsupported("op 'MatMul' at node '%s' multiplies a constant by the network's value; "
                                  "netgeom needs x·W" % n.name)
            B = np.asarray(self.const(n, 1, "B"))
            if B.ndim != 2:
                raise unsupported("op 'MatMul' at node '%s' with a %d-dimensional weight" % (n.name, B.ndim))
            W, C, alpha, beta = B.T, None, 1, 1
        if W.ndim != 2 or W.shape[1] != shape[0]:
            raise unsupported("op '%s' at node '%s': weight %s does not take %d inputs" % (n.op_type, n.name, list(W.shape), shape[0]))
        out = W.shape[0]
        Wf = frac_array(W)
        if alpha != 1:
            Wf = Wf * Fraction(float(alpha))
        if C is None:
            bf = np.array([Fraction(0)] * out, dtype=object)
        else:
            try:
                cb = np.broadcast_to(np.asarray(C), (1, out))[0] if np.asarray(C).ndim <= 2 else None
            except ValueError:
                cb = None
            if cb is None:
                raise unsupported("op 'Gemm' at node '%s': C of shape %s is not a bias of %d outputs"
                                  % (n.name, list(np.asarray(C).shape), out))
            bf = frac_array(np.ascontiguousarray(cb))
            if beta != 1:
                bf = bf * Fraction(float(beta))
        raw_w = W if alpha == 1 else None
        raw_b = np.asarray(C).reshape(-1) if (C is not None and beta == 1 and np.asarray(C).size == out) else None
        if pending is not None:
            pa, pc = pending
            bf = bf + Wf.dot(pc)
            Wf = Wf * pa.reshape(1, -1)
            raw_w = raw_b = None
        layers.append({"op": "dense", "name": n.name, "_w": Wf, "_b": bf, "_raw_w": raw_w, "_raw_b": raw_b})
        return None, (out,)

    def conv(self, n, shape, layers, pending, a):
        if len(shape) != 3:
            raise unsupported("op 'Conv' at node '%s' on a per-example shape %s (netgeom has conv2d)" % (n.name, list(shape)))
        if a.get("group", 1) != 1:
            raise unsupported("op 'Conv' with group=%d at node '%s'" % (a["group"], n.name))
        if any(d != 1 for d in a.get("dilations", [1, 1])):
            raise unsupported("op 'Conv' with dilations %s at node '%s'" % (a["dilations"], n.name))
        ap = a.get("auto_pad", b"NOTSET")
        if ap not in (b"NOTSET", "NOTSET", b"VALID", "VALID"):
            raise unsupported("op 'Conv' with auto_pad %s at node '%s'" % (ap, n.name))
        W = np.asarray(self.const(n, 1, "weight"))
        if W.ndim != 4 or W.shape[1] != shape[0]:
            raise unsupported("op 'Conv' at node '%s': weight %s on %d channels" % (n.name, list(W.shape), shape[0]))
        pads = list(a.get("pads", [0, 0, 0, 0]))
        if pads[0] != pads[2] or pads[1] != pads[3]:
            raise unsupported("op 'Conv' at node '%s' with asymmetric pads %s" % (n.name, pads))
        strides = list(a.get("strides", [1, 1]))
        kh, kw = W.shape[2], W.shape[3]
        ks = list(a.get("kernel_shape", [kh, kw]))
        if ks != [kh, kw]:
            raise unsupported("op 'Conv' at node '%s': kernel_shape %s and weight %s disagree" % (n.name, ks, list(W.shape)))
        C = self.const(n, 2, "bias")
        Wf = frac_array(W)
        bf = frac_array(C) if C is not None else np.array([Fraction(0)] * W.shape[0], dtype=object)
        raw_w, raw_b = W, (None if C is None else np.asarray(C))
        if pending is not None:
            pa, pc = pending
            zero_shift = all(v == 0 for v in pc.reshape(-1))
            if per_channel(pa) and per_channel(pc) and (pads[0] == pads[1] == 0 or zero_shift):
                ca, cc = t_channel(pa), t_channel(pc)
                bf = bf + (Wf * cc.reshape(1, -1, 1, 1)).sum(axis=(1, 2, 3))
                Wf = Wf * ca.reshape(1, -1, 1, 1)
                raw_w = raw_b = None
            else:
                layers.extend(self.materialise(pending, shape, "before node '%s'" % n.name))
        H = (shape[1] + 2 * pads[0] - kh) // strides[0] + 1
        Wd = (shape[2] + 2 * pads[1] - kw) // strides[1] + 1
        if H < 1 or Wd < 1:
            raise unsupported("op 'Conv' at node '%s' leaves no output" % n.name)
        layers.append({"op": "conv2d", "name": n.name, "_w": Wf, "_b": bf, "_raw_w": raw_w, "_raw_b": raw_b,
                       "stride": strides, "padding": [pads[0], pads[1]]})
        return None, (W.shape[0], H, Wd)

    def pool(self, n, shape, layers, a):
        if len(shape) != 3:
            raise unsupported("op '%s' at node '%s' on a per-example shape %s" % (n.op_type, n.name, list(shape)))
        ks = list(a.get("kernel_shape", []))
        if len(ks) != 2:
            raise unsupported("op '%s' at node '%s' with kernel_shape %s (netgeom pools in 2-D)" % (n.op_type, n.name, ks))
        strides = list(a.get("strides", [1, 1]))
        if any(p != 0 for p in a.get("pads", [0, 0, 0, 0])):
            raise unsupported("op '%s' with padding at node '%s'" % (n.op_type, n.name))
        if a.get("ceil_mode", 0):
            raise unsupported("op '%s' with ceil_mode=1 at node '%s'" % (n.op_type, n.name))
        if any(d != 1 for d in a.get("dilations", [1, 1])):
            raise unsupported("op '%s' with dilations at node '%s'" % (n.op_type, n.name))
        if a.get("storage_order", 0) or len([o for o in n.output if o]) > 1:
            raise unsupported("op '%s' with indices output at node '%s'" % (n.op_type, n.name))
        ap = a.get("auto_pad", b"NOTSET")
        if ap not in (b"NOTSET", "NOTSET", b"VALID", "VALID"):
            raise unsupported("op '%s' with auto_pad %s at node '%s'" % (n.op_type, ap, n.name))
        H = (shape[1] - ks[0]) // strides[0] + 1
        W = (shape[2] - ks[1]) // strides[1] + 1
        if H < 1 or W < 1:
            raise unsupported("op '%s' at node '%s' leaves no output" % (n.op_type, n.name))
        layers.append({"op": "maxpool2d" if n.op_type == "MaxPool" else "avgpool2d", "name": n.name,
                       "kernel": ks, "stride": strides})
        return (shape[0], H, W)

    def materialise(self, pending, shape, where):
        """An unfolded x -> a*x + c as an exact batchnorm (mean 0, var 1/a², weight sign(a), bias c, eps 0)."""
        pa, pc = pending
        if not (per_channel(pa) and per_channel(pc)):
            raise unsupported("an elementwise Sub/Div/Mul/Add of constants %s varies within a channel and cannot "
                              "be folded into a neighbouring Gemm/MatMul/Conv" % where)
        ca, cc = t_channel(pa), t_channel(pc)
        if any(v == 0 for v in ca):
            raise unsupported("a multiplication by 0 %s" % where)
        if all(v == 1 for v in ca) and all(v == 0 for v in cc):
            return []
        k = len(ca)
        self.affines += 1
        return [{"op": "batchnorm", "name": "affine_%d" % self.affines,
                 "_bn": {"mean": np.array([Fraction(0)] * k, dtype=object),
                         "var": np.array([1 / (v * v) for v in ca], dtype=object),
                         "weight": np.array([Fraction(1 if v > 0 else -1) for v in ca], dtype=object),
                         "bias": cc}, "eps": "0"}]

    def finish(self, layers):
        """Writes the tensors of the layers (recursively)."""
        for L in layers:
            name = L.get("name") or L["op"]
            if "_w" in L:
                W, b = L.pop("_w"), L.pop("_b")
                rw, rb = L.pop("_raw_w"), L.pop("_raw_b")
                L["weight"] = self.w.tensor(name + ".weight", rw if rw is not None else W)
                L["bias"] = self.w.tensor(name + ".bias", rb if rb is not None else b)
            if "_bn" in L:
                for k, v in L.pop("_bn").items():
                    L[k] = self.w.tensor(name + "." + k, v)
            for k in ("layers", "shortcut"):
                if k in L:
                    self.finish(L[k])
        return layers


def per_channel(t):
    """True when an array over the per-example shape is constant within each channel (or is 1-D)."""
    if t.ndim <= 1:
        return True
    flat = t.reshape(t.shape[0], -1)
    return all(all(v == row[0] for v in row) for row in flat)


def t_channel(t):
    if t.ndim <= 1:
        return t
    return np.array([t.reshape(t.shape[0], -1)[i, 0] for i in range(t.shape[0])], dtype=object)


def convert(req):
    try:
        import onnx
    except ImportError:
        raise OnnxError("ONNX_UNAVAILABLE", "the Python package onnx is missing")
    path = req["model"]
    try:
        model = onnx.load(path)
    except Exception as e:
        raise OnnxError("ONNX_INVALID", "%s is not an ONNX model (%s)" % (path, str(e).split("\n")[0] or type(e).__name__))
    if not model.HasField("graph") or model.ir_version == 0 or not model.opset_import:
        raise OnnxError("ONNX_INVALID", "%s is not an ONNX model (no graph, IR version or opset)" % path)
    try:
        onnx.checker.check_model(model)
    except Exception as e:
        raise OnnxError("ONNX_INVALID", "%s fails the ONNX checker: %s" % (path, str(e).split("\n")[0]))
    g = Graph(model)
    writer = Writer(req.get("out_weights") is not None)
    conv = Converter(g, writer)
    layers, out_shape = conv.convert(g.input, g.output, g.shape)
    conv.finish(layers)
    wname = os.path.basename(req["out_weights"]) if req.get("out_weights") else None

    def refs(ls):
        for L in ls:
            for k, v in L.items():
                if isinstance(v, dict) and "file" in v and v["file"] is None:
                    v["file"] = wname
            for k in ("layers", "shortcut"):
                if k in L:
                    refs(L[k])
    refs(layers)
    name = req.get("name") or model.graph.name or os.path.splitext(os.path.basename(path))[0]
    doc = {"netgeom": 1, "name": name, "input": list(g.shape), "layers": layers}
    if writer.tensors:
        writer.write(req["out_weights"])
    text = json.dumps(doc, indent=1)
    atomic_write(req["out_model"], lambda f: f.write(text), mode="w")
    return {"input": list(g.shape), "layers": len(layers), "output": list(out_shape), "dtype": g.dtype}


def main(argv):
    if len(argv) == 1 and argv[0] == "probe":
        import onnx
        print(json.dumps({"onnx": onnx.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}))
        return 0
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        req = json.load(f)
    try:
        out = convert(req)
    except OnnxError as e:
        print("netgeom_onnx: error[%s]: %s" % (e.code, e), file=sys.stderr)
        return 3
    tmp = req["response"] + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f)
    os.replace(tmp, req["response"])
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        sys.exit(1)
