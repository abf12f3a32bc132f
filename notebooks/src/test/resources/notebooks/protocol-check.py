"""Drives the netgeom kernel through jupyter_client the way a front end does (NotebooksIT.frontEndRequests
asserts the JSON this prints): kernel_info, complete, inspect, is_complete, and interrupting a cell."""
import gc
import json
import time

from jupyter_client.manager import start_new_kernel

out = {}
km, kc = start_new_kernel(kernel_name="netgeom", startup_timeout=120)
try:
    info = kc.kernel_info(reply=True, timeout=60)["content"]
    out["implementation"] = info["implementation"]
    out["language"] = info["language_info"]["name"]
    kc.execute_interactive("int abc = 41;", timeout=60, output_hook=lambda m: None)
    c = kc.complete("Rational.ZE", 11, reply=True, timeout=60)["content"]
    out["complete"] = [c["matches"], c["cursor_start"], c["cursor_end"]]
    i = kc.inspect("Rational.of(1, 2)", 10, reply=True, timeout=60)["content"]
    out["inspect"] = i["data"].get("text/plain", "") if i["found"] else None
    kc.is_complete("for (int i = 0; i < 3; i++) {")
    r = kc.get_shell_msg(timeout=60)["content"]
    out["is_complete"] = [r["status"], r.get("indent")]
    kc.execute("while (true) { }")
    time.sleep(1.0)
    km.interrupt_kernel()
    r = kc.get_shell_msg(timeout=60)["content"]
    out["interrupted"] = [r["status"], r.get("ename")]
    values = []
    kc.execute_interactive("abc + 1", timeout=60, output_hook=lambda m: values.append(m["content"]["data"]["text/plain"])
                           if m["msg_type"] == "execute_result" else None)
    out["after_interrupt"] = values
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
# jupyter_client 7's KernelClient.__del__ logs, and at interpreter shutdown the logging module may already be
# torn down ("Exception ignored in: KernelClient.__del__ ... TypeError"): collect the client while Python is whole.
del kc, km
gc.collect()
print(json.dumps(out), flush=True)
