"""torchrun for netgeom: python3 -m netgeom_torch.launch [torchrun arguments] -m netgeom_torch COMMAND REQUEST

Runs torch.distributed.run (torchrun). PyTorch 1.13's torchrun fails on Python 3.11, where
iterating a Flag enum skips its zero member: Std.from_str("0") returns None and the launcher
dies in to_map(). When that is the case this replaces Std.from_str with a version that maps
numbers to members directly; otherwise torchrun runs untouched."""
import re
import sys

from torch.distributed.elastic.multiprocessing import api


def _from_str(vm):
    if re.match(r"^[0-3]$", vm):
        return api.Std(int(vm))
    if re.match(r"^(\d:[0-3],)*\d:[0-3]$", vm):
        return {int(i): api.Std(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError("%s does not match a redirect spec" % vm)


if api.Std.from_str("0") is None:
    api.Std.from_str = staticmethod(_from_str)

if __name__ == "__main__":
    from torch.distributed import run
    run.main(sys.argv[1:])
