package org.netgeom.certify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test of {@link CertifierTest} again with the region sets checked in parallel runs from two
 * regions on (the machine's processors, at least two threads' worth of runs): the same verdicts,
 * messages and paths as the check in order, including a pattern repeated across two runs.
 */
class CertifierParallelTest extends CertifierTest {
    private int saved;

    @BeforeEach
    void parallelFromTwo() {
        saved = Certifier.parallelFrom;
        Certifier.parallelFrom = 2;
    }

    @AfterEach
    void restore() {
        Certifier.parallelFrom = saved;
    }

    @Test
    void theParallelPathRunsAndAcceptsWhatTheOrderedOneAccepts() throws IOException {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;          // one processor: the check in order only (what the other tests then cover)
        }
        long before = Certifier.PARALLEL_ACCEPTED.get();
        Certifier.Report r = Certifier.certify(model("t.json", TENT2), JSON.readTree(TENT_CERT), DomainSpec.box("0,1"));
        assertEquals(4, r.regions());
        assertEquals("1", r.domainVolume());
        assertEquals(4, Certifier.certify(model("r.json", RELU2), JSON.readTree(RELU2_CERT), DomainSpec.box("-1,1")).affinePieces());
        assertTrue(Certifier.PARALLEL_ACCEPTED.get() >= before + 2, "the parallel runs checked both sets");
        // the first region repeated at the end: the runs each see it once, the merge finds it
        rejects(model("t2.json", TENT2), cert(TENT_CERT, o -> {
            ((ArrayNode) o.get("regions")).add(o.get("regions").get(0).deepCopy());
            o.put("activationRegions", 5);
        }), DomainSpec.box("0,1"), "repeats that of regions[0]", "regions[4].pattern");
    }
}
