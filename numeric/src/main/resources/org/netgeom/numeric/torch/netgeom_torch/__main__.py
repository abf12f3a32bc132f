"""python3 -m netgeom_torch COMMAND REQUEST.json   (what netgeom's Java side runs)
python3 -m netgeom_torch probe                      (prints the torch version and devices as JSON)

The request is a JSON object of file paths and settings; the answer goes to request["response"]
(JSON) and request["result"] (safetensors). A user error prints one line
"netgeom_torch: error: ..." on stderr and exits 3; a bug exits 1 with its traceback on stderr."""
import json
import os
import sys
import traceback


def main(argv):
    if len(argv) >= 1 and argv[0] == "probe":
        import torch
        print(json.dumps({"torch": torch.__version__, "cuda": torch.cuda.is_available(),
                          "cudaDevices": torch.cuda.device_count() if torch.cuda.is_available() else 0,
                          "python": sys.version.split()[0]}))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    from . import engine, bench, safetensors  # noqa: F401 (bench registers its command)
    with open(argv[1]) as f:
        req = json.load(f)
    try:
        fn = engine.COMMANDS.get(argv[0])
        if fn is None:
            raise engine.BridgeError("unknown command %r" % argv[0])
        engine.setup(req)
        out, tensors = fn(req)
    except (engine.BridgeError, ValueError) as e:
        print("netgeom_torch: error: %s" % e, file=sys.stderr)
        return 3
    if int(os.environ.get("RANK", "0")) == 0:
        if tensors and req.get("result"):
            safetensors.write(req["result"], tensors)
        if req.get("response"):
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
