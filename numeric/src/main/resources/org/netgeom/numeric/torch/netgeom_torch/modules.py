"""torch.nn modules for the IR ops that torch.nn lacks, and the module an IR model becomes.

Parameter names follow the IR's structure (layers.0.weight, layers.2.layers.1.bias,
layers.1.running_mean), which is how netgeom's Java engine names them too. Kinks follow
PyTorch: relu'(0) = 0, leaky_relu'(0) = slope, abs'(0) = 0, abrelu'(0) = neg, hardtanh' = 0 at
min_val and max_val (nn.Hardtanh, whose backward passes the gradient only strictly inside).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class IrNet(nn.Module):
    """A model of the netgeom IR: its layers applied in order to inputs of shape input_shape."""

    def __init__(self, input_shape, layers, name=None):
        super().__init__()
        self.input_shape = tuple(int(d) for d in input_shape)
        self.layers = nn.ModuleList(layers)
        self.ir_name = name

    def forward(self, x):
        x = x.reshape((x.shape[0],) + self.input_shape)
        for layer in self.layers:
            x = layer(x)
        return x


class Maxout(nn.Module):
    """The IR's maxout: [B, n*k] -> [B, n], output i the max of the k consecutive entries
    x[i*k], ..., x[i*k + k - 1], i.e. x.view(-1, n, k).max(-1).values (PyTorch has no maxout layer);
    torch.max sends the gradient to the first maximal entry, the IR's tie rule."""

    def __init__(self, k):
        super().__init__()
        self.k = int(k)

    def forward(self, x):
        return x.view(x.shape[0], -1, self.k).max(-1).values

    def extra_repr(self):
        return "k=%d" % self.k


class Residual(nn.Module):
    """shortcut(x) + layers(x); shortcut None is the identity."""

    def __init__(self, layers, shortcut=None):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.shortcut = nn.ModuleList(shortcut) if shortcut is not None else None

    def forward(self, x):
        b = x
        for layer in self.layers:
            b = layer(b)
        s = x
        if self.shortcut is not None:
            for layer in self.shortcut:
                s = layer(s)
        return s + b


class Concat(nn.Module):
    """[x ; layers(x)] along dim 1 (features or channels)."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        b = x
        for layer in self.layers:
            b = layer(b)
        return torch.cat([x, b], dim=1)


class Abs(nn.Module):
    def forward(self, x):
        return torch.abs(x)


class AbReLU(nn.Module):
    """pos*x if x > 0 else neg*x (the derivative at 0 is neg)."""

    def __init__(self, neg, pos):
        super().__init__()
        self.neg = float(neg)
        self.pos = float(pos)

    def forward(self, x):
        return torch.where(x > 0, self.pos * x, self.neg * x)

    def extra_repr(self):
        return "neg=%r, pos=%r" % (self.neg, self.pos)


class Square(nn.Module):
    def forward(self, x):
        return x * x


class Erf(nn.Module):
    def forward(self, x):
        return torch.erf(x)


class BatchNorm(nn.Module):
    """torch.nn.BatchNorm1d/2d with optional weight and bias each (the IR allows either alone):
    running statistics as buffers, momentum 0.1, batch statistics in training mode."""

    def __init__(self, mean, var, weight=None, bias=None, eps=1e-5, momentum=0.1):
        super().__init__()
        self.weight = nn.Parameter(weight.clone()) if weight is not None else None
        self.bias = nn.Parameter(bias.clone()) if bias is not None else None
        self.register_buffer("running_mean", mean.clone())
        self.register_buffer("running_var", var.clone())
        self.eps = float(eps)
        self.momentum = momentum

    def forward(self, x):
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, self.training,
                            self.momentum, self.eps)
