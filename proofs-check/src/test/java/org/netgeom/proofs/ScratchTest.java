package org.netgeom.proofs;

import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void run() {
        for (String id : System.getProperty("ids", "pl-star").split(",")) {
            Theorem t = Catalog.byId(id);
            for (boolean fv : new boolean[]{false, true}) {
                long t0 = System.nanoTime();
                CheckResult r = t.check(CheckContext.defaults(fv));
                System.out.println("SCRATCH " + id + " fv=" + fv + " " + r.verdict() + " " + (System.nanoTime() - t0) / 1e9 + "s " + r.evidence() + " " + r.notes());
            }
        }
    }
}
