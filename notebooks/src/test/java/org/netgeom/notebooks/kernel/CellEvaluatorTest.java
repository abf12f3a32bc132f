package org.netgeom.notebooks.kernel;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.netgeom.ir.Rational;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JShell evaluator in this JVM: values as objects, state across cells, errors with codes. */
class CellEvaluatorTest {
    static CellEvaluator cells;

    @BeforeAll
    static void start() {
        cells = new CellEvaluator(NetgeomKernel.IMPORTS);
    }

    @AfterAll
    static void stop() {
        cells.close();
    }

    @Test
    void lastExpressionIsTheCellsValueAsAnObject() {
        CellEvaluator.Outcome o = cells.eval("Rational a = Rational.of(1, 3);\na.add(Rational.of(1, 6))");
        assertTrue(o.hasValue());
        assertEquals(Rational.of(1, 2), o.value());           // 1/3 + 1/6, by hand
        assertInstanceOf(Rational.class, o.value());
    }

    @Test
    void declarationsShowNothingAndPersist() {
        assertFalse(cells.eval("int seven = 7;").hasValue());
        assertEquals(49, cells.eval("seven * seven").value());
        assertFalse(cells.eval("void hello() { System.out.print(\"\"); }").hasValue());
        assertFalse(cells.eval("hello();").hasValue());
    }

    /**
     * An import on a later line of a cell must not reset earlier variables. JShell replaces (and so
     * nulls) existing declarations when it is given an import whose source starts with a line break,
     * which is how every import but a cell's first arrives after splitting; a variable declared in an
     * earlier cell was then null after such a cell.
     */
    @Test
    void aLaterImportKeepsEarlierVariables() {
        cells.eval("Rational kept = Rational.of(2, 3);");
        cells.eval("int unrelated = 1;\nimport java.awt.*;\nimport java.util.concurrent.*;");
        assertEquals(Rational.of(2, 3), cells.eval("kept").value());
    }

    @Test
    void netgeomErrorsKeepTheirCode() {
        CellException e = assertThrows(CellException.class, () -> cells.eval("IrReader.read(Path.of(\"no-such-model.json\"))"));
        assertEquals("IR_IO", e.ename());
        assertTrue(e.getMessage().startsWith("error[IR_IO]: "), e.getMessage());
        assertTrue(e.traceback().stream().anyMatch(l -> l.contains("at the cell")), String.join("\n", e.traceback()));
    }

    @Test
    void compileErrorsPointAtTheCode() {
        CellException e = assertThrows(CellException.class, () -> cells.eval("int x = 1;\nRational y = nothingHere.add(x);"));
        assertEquals("CompilationError", e.ename());
        List<String> tb = e.traceback();
        assertTrue(tb.stream().anyMatch(l -> l.contains("nothingHere") && l.contains("|")), String.join("\n", tb));
        assertTrue(tb.stream().anyMatch(l -> l.contains("^^^^^^^^^^^")), String.join("\n", tb));
    }

    @Test
    void javaExceptionsKeepTheirName() {
        CellException e = assertThrows(CellException.class, () -> cells.eval("Rational.ONE.divide(Rational.ZERO)"));
        assertEquals("ArithmeticException", e.ename());
    }

    @Test
    void incompleteCellsAreErrors() {
        CellException e = assertThrows(CellException.class, () -> cells.eval("for (int i = 0; i < 3; i++) {"));
        assertEquals("IncompleteInput", e.ename());
        assertEquals("  ", cells.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("complete", cells.isComplete("int z = 3;"));
    }

    @Test
    void anInterruptStopsASleepingCellAndStopsALoopThatIgnoresIt() throws Exception {
        cells.eval("class Spin { static volatile long n; }");
        for (String cell : new String[]{"Thread.sleep(60_000);", "while (true) { Spin.n++; }"}) {
            java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    cells.eval(cell);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            Thread.sleep(500);
            cells.interrupt();
            t.join(10_000);
            assertFalse(t.isAlive(), cell + " still runs after the interrupt");
            CellException e = assertInstanceOf(CellException.class, thrown.get());
            assertEquals("Interrupted", e.ename());
        }
        Thread.sleep(LocalExecution.GRACE_MS + 1000);        // the spinning thread is stopped after the grace period
        long a = ((Number) cells.eval("Spin.n").value()).longValue();
        Thread.sleep(300);
        long b = ((Number) cells.eval("Spin.n").value()).longValue();
        assertTrue(a > 0, "the loop ran");
        assertEquals(a, b, "the loop still spins after the grace period");
    }

    @Test
    void anInterruptWhileTheCellCompilesIsNotLost() throws Exception {
        // the interrupt comes as soon as the cell is busy, typically while JShell still compiles it: nothing runs yet,
        // so the interrupt must wait for the cell's first run and stop it
        for (int round = 0; round < 3; round++) {
            final int r = round;
            java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    cells.eval("int unused" + r + " = 0; Thread.sleep(60_000);");
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            while (!cells.busy() && t.isAlive()) {
                Thread.onSpinWait();
            }
            cells.interrupt();
            t.join(10_000);
            assertFalse(t.isAlive(), "the cell still runs after an interrupt during its compilation");
            assertEquals("Interrupted", assertInstanceOf(CellException.class, thrown.get()).ename());
        }
        assertEquals(3, ((Number) cells.eval("1 + 2").value()).intValue(), "the next cell runs normally");
    }

    @Test
    void completionKnowsNetgeomTypes() {
        CellEvaluator.Completions c = cells.complete("Rational.ZE", 11);
        assertTrue(c.texts().contains("ZERO"), c.texts().toString());
        assertEquals(9, c.start());
    }
}
