"""What `netgeom import` loads besides nn.Sequential trees of supported layers:

- TorchScript files (torch.jit.save): a RecursiveScriptModule whose submodules are torch.nn layers
  is rebuilt as the eager torch.nn module it was scripted from (class from `original_name`, the
  class's `__constants__`, parameters and buffers copied), so to_ir sees ordinary layers.
- A user's own nn.Module subclass whose forward is a chain (each step takes the previous step's
  output only): traced with torch.fx and returned as the list of (name, layer) steps; functional
  calls (torch.relu, F.relu, torch.tanh, torch.sigmoid, F.gelu, F.softplus, F.leaky_relu,
  torch.flatten(x, 1), x.flatten(1), x.relu() ...) become the equivalent torch.nn layers.
Anything else (branches, arithmetic on activations) is refused with the step that is not a chain."""
import torch
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
    if t in (torch.flatten, "flatten"):
        start = extra[0] if len(extra) > 0 else kw.get("start_dim", 0)
        end = extra[1] if len(extra) > 1 else kw.get("end_dim", -1)
        if start == 1 and end == -1:
            return nn.Flatten()
    return None


def chain(module):
    """[(name, layer)] of a custom module whose traced forward is a chain of layers."""
    try:
        import torch.fx
        gm = torch.fx.symbolic_trace(module)
    except Exception as e:
        raise ConvertError("%s: cannot trace its forward with torch.fx (%s); build the model from nn.Sequential "
                           "and supported layers" % (type(module).__name__, str(e).splitlines()[0] if str(e) else e))
    steps = []
    prev = None
    for node in gm.graph.nodes:
        if node.op == "placeholder":
            if prev is not None:
                raise ConvertError("%s: forward takes more than one input" % type(module).__name__)
            prev = node
            continue
        if node.op == "output":
            if node.args[0] is not prev:
                raise ConvertError("%s: forward does not return the last step's output" % type(module).__name__)
            break
        args = list(node.args)
        if not args or args[0] is not prev or any(isinstance(a, torch.fx.Node) for a in args[1:]) \
                or any(isinstance(v, torch.fx.Node) for v in node.kwargs.values()) or len(prev.users) != 1:
            raise ConvertError("%s: step %r (%s) is not a chain step (it uses more than the previous step's output); "
                               "only chains of supported layers can be imported" % (type(module).__name__, node.name, node.target))
        if node.op == "call_module":
            if len(args) != 1 or node.kwargs:
                raise ConvertError("%s: submodule %s is called with extra arguments" % (type(module).__name__, node.target))
            steps.append((str(node.target), gm.get_submodule(node.target)))
        else:
            layer = _functional(node, args[1:])
            if layer is None:
                raise ConvertError("%s: step %r (%s) is not a supported layer or function" % (type(module).__name__, node.name, node.target))
            steps.append((None, layer))
        prev = node
    return steps
