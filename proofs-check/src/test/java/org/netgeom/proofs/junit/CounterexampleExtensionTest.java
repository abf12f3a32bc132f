package org.netgeom.proofs.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.netgeom.ir.Rational;
import org.netgeom.ir.io.IrReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs a deliberately failing parity test through the JUnit engine and inspects what it reported. */
class CounterexampleExtensionTest {
    @TempDir
    static Path dir;

    /** Fails on instance 2 only (not run directly: the engine test kit runs it below). */
    @ExtendWith(CounterexampleExtension.class)
    static class FailsOnInstanceTwo {
        @ParameterizedTest
        @RandomModels(count = 4, seed = 9)
        void agrees(NetInstance inst) {
            Rational wrong = inst.index() == 2 ? Rational.ONE : Rational.ZERO;
            Agreement.assertAgrees("zero", 0.0, wrong, Agreement.Tolerance.relative(1e-12), inst);
        }
    }

    @Test
    void aFailureWritesTheModelAsIrAndSaysWhere() throws Exception {
        System.setProperty("netgeom.counterexamples", dir.toString());
        try {
            List<Event> failed = EngineTestKit.engine("junit-jupiter").configurationParameter("junit.jupiter.conditions.deactivate", "*")
                    .selectors(selectClass(FailsOnInstanceTwo.class)).execute()
                    .testEvents().failed().list();
            assertEquals(1, failed.size(), "exactly the instance with the wrong exact value fails");
            Throwable t = failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow();
            Path file = dir.resolve("agrees-2.json");
            assertTrue(t.getMessage().contains(file.toAbsolutePath().toString()), t.getMessage());
            assertTrue(Files.exists(file));
            assertEquals(RandomModelsProvider.instance(FailsOnInstanceTwo.class.getDeclaredMethod("agrees", NetInstance.class)
                    .getAnnotation(RandomModels.class), 2).model(), IrReader.read(file), "the file reads back as the failing model");
        } finally {
            System.clearProperty("netgeom.counterexamples");
        }
    }
}
