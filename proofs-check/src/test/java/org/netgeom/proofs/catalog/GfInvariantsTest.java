package org.netgeom.proofs.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netgeom.ir.Progress;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Verdict;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GfInvariantsTest {
    /**
     * Seed 2's relu instance drives the flow onto a kink where the integrator's steps shrink without end (it ran for
     * minutes): the evaluation budget ends the flow at its last accepted step, and the invariants are checked there.
     * The timeout only guards the suite against a hang; the budgeted run takes seconds.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @SuppressWarnings("unchecked")
    void aFlowStuckAtAKinkStopsAtItsBudgetAndIsStillChecked() {
        CheckResult r = new GfInvariants().check(new CheckContext(2, 2, false, Map.of(), null, null, Progress.NONE));
        assertEquals(Verdict.HOLDS, r.verdict(), r.evidence().toString());
        List<Map<String, Object>> rows = (List<Map<String, Object>>) r.evidence().get("instances");
        Map<String, Object> relu = rows.get(0);
        assertTrue(((Number) relu.get("flowEvaluations")).intValue() <= GfInvariants.MAX_EVALUATIONS, relu.toString());
        assertTrue(((Number) relu.get("flowTime")).doubleValue() > 0, relu.toString());
        assertTrue(((Number) relu.get("flowInvariantDrift")).doubleValue() <= 1e-7, relu.toString());
    }
}
