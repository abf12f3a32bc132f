package org.netgeom.notebooks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** netgeom commands run from a notebook: the same output as the command line. */
class NetgeomTest {
    @Test
    void runsACommandAndCapturesItsOutput() {
        Netgeom.Run r = Netgeom.run("eval", "../examples/tent2.json", "--at=1/3", "--exact");
        assertEquals(0, r.status());
        assertEquals("f(1/3) = 2/3   (exact; activation pattern 101111)\n", r.out());      // README
        assertEquals("$ netgeom eval ../examples/tent2.json --at=1/3 --exact\nf(1/3) = 2/3   (exact; activation pattern 101111)", r.toString());
    }

    @Test
    void userErrorsKeepTheirStatusAndMessage() {
        Netgeom.Run r = Netgeom.run("validate", "no-such.json");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error[IR_IO]: "), r.err());
        assertTrue(r.toString().endsWith("(exit status 2)"), r.toString());
    }
}
