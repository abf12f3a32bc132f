"""Reading and writing safetensors files with the standard library and torch only.

The format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON header
{key: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then the data,
little-endian, offsets relative to the end of the header.
"""
import json
import os
import struct

import torch

DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}
PACK = {torch.float64: ("d", "F64"), torch.float32: ("f", "F32"), torch.int64: ("q", "I64"), torch.int32: ("i", "I32")}


def read(path):
    """All tensors of a file as a dict name -> CPU tensor (and the metadata under '__metadata__')."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s is too short for a safetensors file" % path)
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError("%s: header length %d exceeds the file" % (path, n))
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for key, e in header.items():
        if key == "__metadata__":
            out[key] = e
            continue
        dt = DTYPES.get(e["dtype"])
        if dt is None:
            raise ValueError("%s: tensor %r has unsupported dtype %s" % (path, key, e["dtype"]))
        b, end = e["data_offsets"]
        buf = bytearray(data[base + b:base + end])
        shape = list(e["shape"])
        count = 1
        for d in shape:
            count *= d
        t = torch.frombuffer(buf, dtype=dt, count=count) if count > 0 else torch.zeros(0, dtype=dt)
        out[key] = t.reshape(shape).clone()
    return out


def write(path, tensors, metadata=None):
    """Writes tensors (dict name -> tensor) atomically, in the dict's order, keeping each dtype."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blobs = []
    off = 0
    for key, t in tensors.items():
        t = t.detach().to("cpu").contiguous()
        if t.dtype not in PACK:
            t = t.to(torch.float64 if t.is_floating_point() else torch.int64)
        code, name = PACK[t.dtype]
        flat = t.reshape(-1).tolist()
        raw = struct.pack("<%d%s" % (len(flat), code), *flat)
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
    """Writes a file atomically as netgeom's Java side does (org.netgeom.ir.io.AtomicFiles): a
    hidden temporary file beside the target, created exclusively with default permissions
    (0666 minus the umask; a replaced file keeps its mode), fsync'ed, then os.replace'd over it.
    The caller has already checked the target (no symlink out of its directory)."""
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
