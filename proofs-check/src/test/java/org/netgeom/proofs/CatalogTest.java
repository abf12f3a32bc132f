package org.netgeom.proofs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.symbolic.cas.Cas;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every catalog entry holds on its default instances and its false variant is reported violated
 * with a counterexample: a checker that cannot tell the two apart fails here.
 */
class CatalogTest {
    static List<Theorem> theorems() {
        return Catalog.all();
    }

    @AfterAll
    static void stopSymja() {
        Cas.shutdown();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("theorems")
    void holdsAndItsFalseVariantIsCaught(Theorem t) {
        CheckResult ok = t.check(CheckContext.defaults(false));
        assertEquals(Verdict.HOLDS, ok.verdict(), t.id() + ": " + ok.evidence() + " " + ok.notes());
        assertTrue(ok.instances() > 0);
        assertFalse(ok.evidence().isEmpty(), "evidence names the quantities checked");
        CheckResult bad = t.check(CheckContext.defaults(true));
        assertEquals(Verdict.VIOLATED, bad.verdict(), t.id() + " false variant: " + bad.evidence() + " " + bad.notes());
        assertNotNull(bad.counterexample(), "a violation carries its counterexample");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("theorems")
    void dataIsComplete(Theorem t) {
        assertFalse(t.statement().isBlank());
        assertFalse(t.latex().isBlank());
        assertFalse(t.falseVariant().isBlank());
        assertTrue(t.citation().year() > 1900);
    }

    @org.junit.jupiter.api.Test
    void idsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (Theorem t : Catalog.all()) {
            assertTrue(ids.add(t.id()), t.id());
        }
    }
}
