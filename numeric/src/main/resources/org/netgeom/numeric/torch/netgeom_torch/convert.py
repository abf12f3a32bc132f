"""What `netgeom import` loads besides nn.Sequential trees of supported layers:

- TorchScript files (torch.jit.save): a RecursiveScriptModule whose submodules are torch.nn layers
  is rebuilt as the eager torch.nn module it was scripted from (class from `original_name`, the
  class's `__constants__`, parameters and buffers copied), so to_ir sees ordinary layers.
- A user's own nn.Module subclass whose forward is a chain (each step takes the previous step's
  output only): traced with torch.fx and returned as the list of (name, layer) steps; functional
  calls (torch.relu, F.relu, torch.tanh, torch.sigmoid, F.gelu, F.softplus, F.leaky_relu, F.hardtanh,
  F.relu6, torch.clamp(x, lo, hi) / x.clamp(lo, hi) with both bounds,
  torch.flatten(x, 1), x.flatten(1), x.relu() ...) become the equivalent torch.nn layers.
  A maxout, x.view(-1, n, k).max(-1).values (also .reshape, .max(dim=-1)[0], .amax(-1), torch.max(v, -1)),
  becomes the IR's maxout of rank k; other views and reductions are refused.
  Branches that merge as x + f(x), g(x) + f(x) (a residual block, with its shortcut) or torch.cat([x, f(x)], 1)
  (a concat block) become the IR's residual and concat, nested as deep as they come.
Anything else (other merges, arithmetic on activations, several inputs) is refused with the step at fault."""
import operator

import torch
import torch.fx
import torch.nn as nn
import torch.nn.functional as F


class ConvertError(ValueError):
    """A module that is not a chain of supported layers."""


def from_script(sm, path="model"):
    """The eager torch.nn module a TorchScript module was scripted from (nn layers only)."""
    if not isinstance(sm, torch.jit.ScriptModule):
        return sm
    name = getattr(sm, "original_name", type(sm).__name__)
    cls = getattr(nn, name, None)
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise ConvertError("%s: TorchScript module %s is not a torch.nn layer; save the eager module with "
                           "torch.save(model, path) instead" % (path, name))
    m = cls.__new__(cls)
    nn.Module.__init__(m)
    for a in getattr(cls, "__constants__", []):
        if hasattr(sm, a):
            setattr(m, a, getattr(sm, a))
    for a in ("weight", "bias"):
        if hasattr(sm, a) and getattr(sm, a) is None:
            m.register_parameter(a, None)
    for k, p in sm.named_parameters(recurse=False):
        m.register_parameter(k, nn.Parameter(p.detach().clone(), requires_grad=p.requires_grad))
    for k, b in sm.named_buffers(recurse=False):
        m.register_buffer(k, None if b is None else b.detach().clone())
    for k, c in sm.named_children():
        m.add_module(k, from_script(c, "%s.%s" % (path, k)))
    m.train(sm.training)
    return m


def _functional(node, fn_args):
    """The torch.nn layer equivalent to a call_function / call_method node on one tensor, or None."""
    t = node.target
    kw = dict(node.kwargs)
    extra = list(fn_args)
    if t in (torch.relu, F.relu, "relu") and not extra:
        return nn.ReLU()
    if t in (torch.tanh, F.tanh, "tanh") and not extra:
        return nn.Tanh()
    if t in (torch.sigmoid, F.sigmoid, "sigmoid") and not extra:
        return nn.Sigmoid()
    if t is F.gelu and not extra and kw.get("approximate", "none") == "none":
        return nn.GELU()
    if t is F.softplus:
        beta = extra[0] if len(extra) > 0 else kw.get("beta", 1)
        threshold = extra[1] if len(extra) > 1 else kw.get("threshold", 20)
        return nn.Softplus(beta, threshold)
    if t is F.leaky_relu:
        slope = extra[0] if extra else kw.get("negative_slope", 0.01)
        return nn.LeakyReLU(slope)
    if t is F.hardtanh:
        lo = extra[0] if len(extra) > 0 else kw.get("min_val", -1.0)
        hi = extra[1] if len(extra) > 1 else kw.get("max_val", 1.0)
        return nn.Hardtanh(lo, hi)
    if t is F.relu6 and not extra:
        return nn.Hardtanh(0.0, 6.0)
    if t in (torch.clamp, "clamp") and len(extra) <= 2:
        lo = extra[0] if len(extra) > 0 else kw.get("min")
        hi = extra[1] if len(extra) > 1 else kw.get("max")
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo < hi:
            return nn.Hardtanh(float(lo), float(hi))
    if t in (torch.flatten, "flatten"):
        start = extra[0] if len(extra) > 0 else kw.get("start_dim", 0)
        end = extra[1] if len(extra) > 1 else kw.get("end_dim", -1)
        if start == 1 and end == -1:
            return nn.Flatten()
    return None


def _maxout(node, prev):
    """(Maxout(k), the pattern's last node) when node starts x.view(-1, n, k).max(-1).values on prev, else None."""
    from .modules import Maxout
    dims = None
    if node.op == "call_method" and node.target in ("view", "reshape") and node.args and node.args[0] is prev:
        dims = node.args[1:]
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = dims[0]
    elif node.op == "call_function" and node.target is torch.reshape and len(node.args) == 2 and node.args[0] is prev:
        dims = node.args[1]
    if dims is None or node.kwargs or len(dims) != 3 or dims[0] != -1 \
            or not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in dims[1:]):
        return None
    k = dims[2]
    users = list(node.users)
    if len(users) != 1:
        return None
    red = users[0]
    args = list(red.args)
    if not args or args[0] is not node:
        return None
    dim = args[1] if len(args) > 1 else red.kwargs.get("dim")
    extra = len(args) > 2 or any(key not in ("dim",) for key in red.kwargs)
    if dim not in (-1, 2) or extra:
        return None
    if (red.op == "call_method" and red.target == "amax") or (red.op == "call_function" and red.target is torch.amax):
        return Maxout(k), red
    if not ((red.op == "call_method" and red.target == "max") or (red.op == "call_function" and red.target is torch.max)):
        return None
    users = list(red.users)
    if len(users) != 1:
        return None
    pick = users[0]
    if pick.op == "call_function" and (pick.target is operator.getitem and pick.args == (red, 0)
                                       or pick.target is getattr and pick.args == (red, "values")):
        return Maxout(k), pick
    return None


def _is_add(node):
    """x + y, torch.add(x, y) or x.add(y) on two tensors (no alpha)."""
    if node.op == "call_function" and node.target in (operator.add, operator.iadd, torch.add):
        return len(node.args) == 2 and "alpha" not in node.kwargs
    return node.op == "call_method" and node.target == "add" and len(node.args) == 2 and not node.kwargs


def _cat_args(node):
    """The two tensors of torch.cat((a, b), dim=1), or None."""
    if not (node.op == "call_function" and node.target is torch.cat):
        return None
    seq = node.args[0] if node.args else node.kwargs.get("tensors")
    dim = node.args[1] if len(node.args) > 1 else node.kwargs.get("dim", 0)
    if isinstance(seq, (list, tuple)) and len(seq) == 2 and dim in (1, -3):
        return list(seq)
    return None


class _Graph:
    """The traced graph of a module, converted to netgeom's nesting: chains of layers, and series-parallel
    blocks x -> (a, b) -> a + b (residual) or cat([x, f(x)], 1) (concat)."""

    def __init__(self, module, gm):
        self.module = module
        self.gm = gm
        self.nodes = list(gm.graph.nodes)
        self.order = {n: i for i, n in enumerate(self.nodes)}
        self._reach = {}
        self.what = type(module).__name__

    def reaches(self, a, b):
        """True when b is a or lies downstream of a."""
        if a is b:
            return True
        key = (a, b)
        if key not in self._reach:
            self._reach[key] = any(self.reaches(u, b) for u in a.users if self.order[u] <= self.order[b])
        return self._reach[key]

    def merge(self, p, end):
        """The nearest node after p through which every path from p to end passes."""
        for m in self.nodes[self.order[p] + 1:self.order[end] + 1]:
            if self.reaches(p, m) and not self._bypass(p, m, end):
                return m
        raise ConvertError("%s: the branches after step %r do not merge" % (self.what, p.name))

    def _bypass(self, p, m, end):
        """True when some path from p reaches end without passing m."""
        seen, stack = set(), [p]
        while stack:
            n = stack.pop()
            if n is end and n is not m:
                return True
            for u in n.users:
                if u is not m and u not in seen and self.order[u] <= self.order[end]:
                    seen.add(u)
                    stack.append(u)
        return False

    def segment(self, start, end):
        """[(name, layer) | ("residual", name, body, shortcut) | ("concat", name, body)] from start (exclusive) to end."""
        steps = []
        cur = start
        while cur is not end:
            on_path = [u for u in cur.users if self.reaches(u, end)]
            if len(on_path) == 1 and not (_is_add(on_path[0]) or _cat_args(on_path[0]) is not None):
                node = on_path[0]
                mo = _maxout(node, cur)
                if mo is not None:
                    steps.append((None, mo[0]))
                    cur = mo[1]
                    continue
                steps.append(self.step(node, cur))
                cur = node
                continue
            m = self.merge(cur, end)
            name = m.name
            cat = _cat_args(m)
            if _is_add(m):
                a, b = m.args
                if not all(isinstance(t, torch.fx.Node) and self.reaches(cur, t) for t in (a, b)) or a is b:
                    raise ConvertError("%s: step %r adds tensors that are not two branches of step %r" % (self.what, name, cur.name))
                # the IR's residual is shortcut(x) + layers(x): an identity branch (x itself) is the shortcut; of two
                # branches with layers the longer is the body (a projection shortcut is usually one layer)
                sa = [] if a is cur else self.segment(cur, a)
                sb = [] if b is cur else self.segment(cur, b)
                body, short = (sb, sa) if len(sb) > len(sa) else (sa, sb)
                steps.append(("residual", name, body, short if short else None))
            elif cat is not None:
                a, b = cat
                if a is not cur or not isinstance(b, torch.fx.Node) or not self.reaches(cur, b) or b is cur:
                    raise ConvertError("%s: step %r concatenates other than [x, f(x)] along dim 1 (the IR's concat)"
                                       % (self.what, name))
                steps.append(("concat", name, self.segment(cur, b)))
            else:
                raise ConvertError("%s: the branches after step %r merge in step %r (%s), which is neither x + f(x) nor "
                                   "torch.cat([x, f(x)], 1)" % (self.what, cur.name, name, m.target))
            cur = m
        return steps

    def step(self, node, prev):
        """One chain step: a submodule or a functional call on the previous step's output only."""
        args = list(node.args)
        if not args or args[0] is not prev or any(isinstance(a, torch.fx.Node) for a in args[1:]) \
                or any(isinstance(v, torch.fx.Node) for v in node.kwargs.values()):
            raise ConvertError("%s: step %r (%s) is not a chain step (it uses more than the previous step's output); "
                               "only chains, residual sums x + f(x) and concatenations [x, f(x)] of supported layers can "
                               "be imported" % (self.what, node.name, node.target))
        if node.op == "call_module":
            if len(args) != 1 or node.kwargs:
                raise ConvertError("%s: submodule %s is called with extra arguments" % (self.what, node.target))
            return str(node.target), self.gm.get_submodule(node.target)
        layer = _functional(node, args[1:])
        if layer is None:
            raise ConvertError("%s: step %r (%s) is not a supported layer or function" % (self.what, node.name, node.target))
        return None, layer


def chain(module):
    """The steps of a custom module's traced forward: [(name, layer)] for a chain, with ("residual", name, body,
    shortcut) and ("concat", name, body) entries for x + f(x) / g(x) + f(x) and torch.cat([x, f(x)], 1) blocks
    (body and shortcut are step lists of the same form; shortcut None is the identity)."""
    try:
        import torch.fx
        gm = torch.fx.symbolic_trace(module)
    except Exception as e:
        raise ConvertError("%s: cannot trace its forward with torch.fx (%s); build the model from nn.Sequential "
                           "and supported layers" % (type(module).__name__, str(e).splitlines()[0] if str(e) else e))
    g = _Graph(module, gm)
    inputs = [n for n in g.nodes if n.op == "placeholder"]
    outputs = [n for n in g.nodes if n.op == "output"]
    if len(inputs) != 1:
        raise ConvertError("%s: forward takes %d inputs, not one" % (g.what, len(inputs)))
    result = outputs[0].args[0]
    if not isinstance(result, torch.fx.Node):
        raise ConvertError("%s: forward does not return one tensor" % g.what)
    for n in g.nodes:
        if n.op not in ("placeholder", "output") and not g.reaches(n, result):
            raise ConvertError("%s: step %r does not contribute to the output" % (g.what, n.name))
    return g.segment(inputs[0], result)
