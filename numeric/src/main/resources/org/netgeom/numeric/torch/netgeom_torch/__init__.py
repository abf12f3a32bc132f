"""netgeom's PyTorch bridge: the netgeom model IR as torch.nn.Modules and back.

    from netgeom_torch import to_ir, save_ir, load_ir
    save_ir(model, [784], "model.json", weights_file="model.safetensors")   # export a user's model
    net = load_ir("model.json")                                            # an IR model as a Module

Needs only torch and the standard library. The netgeom command runs this package as a
subprocess (python3 -m netgeom_torch COMMAND REQUEST.json) for --engine torch.
"""
from .ir import load_ir, to_ir, save_ir, IrError
from .modules import IrNet, Residual, Concat, Abs, AbReLU, Square, Erf, BatchNorm, Maxout

__all__ = ["load_ir", "to_ir", "save_ir", "IrError", "IrNet", "Residual", "Concat", "Abs", "AbReLU", "Square", "Erf", "Maxout",
           "BatchNorm"]
