"""The configuration of this PyTorch, as `netgeom bench` prints it for its reference runs:
torch's version and build (torch.__config__.show()), its threads (torch.get_num_threads(),
torch.__config__.parallel_info()), and the BLAS library actually loaded in this process (read
from /proc/self/maps after a matrix product; Debian's libblas.so.3 is whatever
`update-alternatives` selects: the reference BLAS or OpenBLAS), with OpenBLAS's core type and
thread count when it is OpenBLAS.

python3 -m netgeom_torch.torchconfig [THREADS]   prints it as JSON."""
import ctypes
import json
import re
import sys

import torch


def _blas_libraries():
    libs = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and re.search(r"lib(open)?blas|libmkl|libblis|liblapack", parts[-1]):
                    if parts[-1] not in libs:
                        libs.append(parts[-1])
    except OSError:
        pass
    return libs


def _openblas(libs):
    for path in libs:
        if "openblas" not in path:
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        out = {"library": path}
        for name in ("openblas_get_corename", "openblas_get_config"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                out[name[len("openblas_get_"):]] = fn().decode()
        fn = getattr(lib, "openblas_get_num_threads", None)
        if fn is not None:
            out["threads"] = fn()
        return out, lib
    return None, None


def set_blas_threads(threads):
    """Sets OpenBLAS's own thread count (torch.set_num_threads does not reach a generic BLAS)."""
    _, lib = _openblas(_blas_libraries())
    if lib is not None and getattr(lib, "openblas_set_num_threads", None) is not None:
        lib.openblas_set_num_threads(int(threads))


def describe():
    a = torch.ones(64, 64, dtype=torch.float64)
    (a @ a).sum().item()                      # the BLAS is loaded and used
    (a.float() @ a.float()).sum().item()
    libs = _blas_libraries()
    ob, _ = _openblas(libs)
    show = torch.__config__.show()
    m = re.search(r"BLAS_INFO=([^,]+)", show)
    cap = re.search(r"CPU capability usage: (\S+)", show)
    par = torch.__config__.parallel_info()
    backend = re.search(r"ATen parallel backend: (.+)", par)
    if ob is not None:
        kind = "OpenBLAS"
    elif any("mkl" in p for p in libs):
        kind = "MKL"
    elif any("blis" in p for p in libs):
        kind = "BLIS"
    elif any(re.search(r"/blas/libblas\.so", p) for p in libs):
        kind = "reference"
    else:
        kind = "unknown"
    return {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "interopThreads": torch.get_num_interop_threads(),
        "parallelBackend": backend.group(1).strip() if backend else None,
        "blasInfo": m.group(1) if m else None,
        "cpuCapability": cap.group(1) if cap else None,
        "blas": kind,
        "blasLibraries": libs,
        "openblas": ob,
        "optimizedBlas": kind in ("OpenBLAS", "MKL", "BLIS"),
    }


def summary(d):
    """One line: torch 1.13.0a0, 2 threads (OpenMP), BLAS OpenBLAS 0.3.21 (Haswell, 2 threads)."""
    blas = d["blas"]
    if d.get("openblas"):
        o = d["openblas"]
        ver = re.search(r"OpenBLAS (\S+)", o.get("config", ""))
        blas = "OpenBLAS %s (core %s, %s threads)" % (ver.group(1) if ver else "?", o.get("corename", "?"), o.get("threads", "?"))
    elif d["blasLibraries"]:
        blas = "%s (%s)" % (blas, d["blasLibraries"][0])
    return "torch %s, %d threads (%s), BLAS %s, CPU capability %s" % (
        d["torch"], d["threads"], d["parallelBackend"], blas, d["cpuCapability"])


if __name__ == "__main__":
    if len(sys.argv) > 1:
        torch.set_num_threads(int(sys.argv[1]))
        set_blas_threads(int(sys.argv[1]))
    d = describe()
    d["summary"] = summary(d)
    print(json.dumps(d))
