#!/usr/bin/python3
"""Execute netgeom notebooks with Jupyter (nbclient) on the netgeom kernel.

    notebooks/execute.py [--save | --out DIR] [--kernel NAME] [--timeout S] NOTEBOOK.ipynb...

Runs every code cell of each notebook in a fresh kernel, with notebooks/ as the working directory,
and stops at the first cell that fails (cells tagged `raises-exception` may fail). With --save the
outputs are written back into the notebook in place (how a notebook's saved outputs are
regenerated); with --out DIR the executed notebook is written to DIR/NAME.ipynb and the original
is left alone; with neither, the notebook is only executed.

Exit status: 0 all notebooks ran, 1 a cell failed or the kernel died, 3 the kernel or Jupyter is
missing (the message says how to install them). Needs Debian's python3-nbclient (or nbclient from pip).
"""
import argparse
import os
import sys

try:
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"execute.py: Jupyter is missing ({e}); install it: apt-get install python3-nbclient jupyter-client "
          "(or pip install nbclient jupyter_client)", file=sys.stderr)
    sys.exit(3)

HERE = os.path.dirname(os.path.abspath(__file__))


def run(path, kernel, timeout, startup_timeout):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, startup_timeout=startup_timeout,
                            allow_errors=False, record_timing=False, resources={"metadata": {"path": HERE}})
    client.execute()
    # what differs between machines (the kernel spec's display name, the JDK's exact version) stays out of
    # the saved notebook, so that regenerating it elsewhere changes only what the cells compute
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "netgeom (Java)", "language": "java"}
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="+")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--save", action="store_true", help="write the outputs back into each notebook")
    g.add_argument("--out", metavar="DIR", help="write each executed notebook to DIR")
    p.add_argument("--kernel", default="netgeom", help="the kernel spec to run (default: netgeom)")
    p.add_argument("--timeout", type=int, default=600, help="seconds one cell may take (default 600)")
    p.add_argument("--startup-timeout", type=int, default=120, help="seconds the kernel may take to start")
    a = p.parse_args()
    for path in a.notebooks:
        print(f"execute.py: running {path} on kernel '{a.kernel}'", file=sys.stderr, flush=True)
        try:
            nb = run(path, a.kernel, a.timeout, a.startup_timeout)
        except NoSuchKernel:
            print(f"execute.py: the Jupyter kernel '{a.kernel}' is not installed; install it: ./netgeom notebook install",
                  file=sys.stderr)
            return 3
        except CellExecutionError as e:
            print(f"execute.py: {path}: a cell failed:\n{e}", file=sys.stderr)
            return 1
        except DeadKernelError as e:
            print(f"execute.py: {path}: the kernel died ({e}); its log is above", file=sys.stderr)
            return 1
        except Exception as e:  # a kernel that does not start (missing jar) ends up here
            print(f"execute.py: {path}: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
        if a.save:
            target = path
        elif a.out:
            os.makedirs(a.out, exist_ok=True)
            target = os.path.join(a.out, os.path.basename(path))
        else:
            continue
        tmp = target + ".tmp"
        nbformat.write(nb, tmp)
        os.replace(tmp, target)
        print(f"execute.py: wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
