package org.netgeom.symbolic.verify;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The VNN-LIB reader: exact literals, every construct, every error code with its line:col. */
class VnnLibTest {
    static final String DECL2 = "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n(declare-const Y_1 Real)\n";
    static final String BOX2 = "(assert (<= X_0 1))\n(assert (>= X_0 -1))\n(assert (<= X_1 1))\n(assert (>= X_1 -1))\n";

    static Rational q(String s) {
        return Rational.parse(s);
    }

    static Rational[] qs(String... s) {
        Rational[] r = new Rational[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = q(s[i]);
        }
        return r;
    }

    @Test
    void literalsAreExact() {
        VnnSpec s = VnnLib.read("; a comment\n(declare-const X_0 Real) ; trailing comment\n(declare-const Y_0 Real)\n"
                + "(assert (<= X_0 0.1))\n(assert (>= X_0 -1.5e-3))\n(assert (>= Y_0 3.0E+2))\n", 1, 1);
        assertEquals(1, s.terms().size());
        VnnSpec.Box b = s.boxes().get(0);
        assertEquals(q("-3/2000"), b.lo()[0]);
        assertEquals(q("1/10"), b.hi()[0]);
        VnnSpec.Constraint c = s.terms().get(0).constraints().get(0);
        assertArrayEquals(qs("1"), c.a());
        assertEquals(q("-300"), c.b());
        assertEquals(6, c.line());
        assertEquals(9, c.column());
        // a number no double can hold exactly, and one beyond double's range
        VnnSpec t = VnnLib.read("(declare-const X_0 Real)(declare-const Y_0 Real)(assert (<= X_0 0.30000000000000000001))"
                + "(assert (>= X_0 -1e-400))(assert (<= Y_0 .5))", 1, 1);
        assertEquals(q("30000000000000000001/100000000000000000000"), t.boxes().get(0).hi()[0]);
        assertEquals(Rational.of(java.math.BigInteger.ONE.negate(), java.math.BigInteger.TEN.pow(400)), t.boxes().get(0).lo()[0]);
        assertEquals(q("1/2"), t.terms().get(0).constraints().get(0).b());
    }

    @Test
    void linearTermsAndComparisons() {
        VnnSpec s = VnnLib.read(DECL2 + BOX2
                + "(assert (<= (+ Y_0 (* 2 Y_1) 1) (- Y_1 (/ Y_0 4) (* -0.5 3))))\n"   // 1/4 y0 ... : t - s >= 0
                + "(assert (>= (- Y_0) (* Y_1 3 0.5)))\n"
                + "(assert (= Y_0 (* 2 (+ Y_1 1))))\n"
                + "(assert (<= 0 Y_0 Y_1))\n", 2, 2);
        var cs = s.terms().get(0).constraints();
        assertEquals(6, cs.size());
        // (y1 - y0/4 + 3/2) - (y0 + 2 y1 + 1) = -5/4 y0 - y1 + 1/2
        assertArrayEquals(qs("-5/4", "-1"), cs.get(0).a());
        assertEquals(q("1/2"), cs.get(0).b());
        // -y0 - 3/2 y1 >= 0
        assertArrayEquals(qs("-1", "-3/2"), cs.get(1).a());
        assertEquals(Rational.ZERO, cs.get(1).b());
        // y0 = 2 y1 + 2: two constraints
        assertArrayEquals(qs("-1", "2"), cs.get(2).a());
        assertEquals(q("2"), cs.get(2).b());
        assertArrayEquals(qs("1", "-2"), cs.get(3).a());
        assertEquals(q("-2"), cs.get(3).b());
        // chained 0 <= y0 <= y1
        assertArrayEquals(qs("1", "0"), cs.get(4).a());
        assertArrayEquals(qs("-1", "1"), cs.get(5).a());
        assertEquals("-Y_0 + Y_1 >= 0", cs.get(5).toString());
    }

    @Test
    void inputBoundsTightestWinAndScaledVariables() {
        VnnSpec s = VnnLib.read("(declare-const X_0 Real)(declare-const Y_0 Real)"
                + "(assert (<= X_0 1))(assert (<= X_0 (/ 1 2)))(assert (>= (* 2 X_0) -1))(assert (<= (- X_0) 0.25))(assert (>= Y_0 0))", 1, 1);
        assertEquals(q("-1/4"), s.boxes().get(0).lo()[0]);
        assertEquals(q("1/2"), s.boxes().get(0).hi()[0]);
    }

    @Test
    void disjunctionsOfBoxesAndOfOutputConstraints() {
        String text = DECL2 + "(check-sat)\n(set-logic QF_LRA)\n"
                + "(assert (or (and (<= X_0 0) (>= X_0 -1) (<= X_1 1) (>= X_1 0))\n"
                + "            (and (<= X_0 1) (>= X_0 0) (<= X_1 1) (>= X_1 0))))\n"
                + "(assert (or (and (>= Y_0 Y_1)) (and (>= Y_1 1) (<= Y_0 0))))\n(get-model)\n(exit)\n";
        VnnSpec s = VnnLib.read(text, 2, 2);
        assertEquals(4, s.terms().size());
        assertEquals(2, s.boxes().size());
        assertEquals(0, s.terms().get(0).box());
        assertEquals(0, s.terms().get(1).box());
        assertEquals(1, s.terms().get(2).box());
        assertEquals(1, s.terms().get(0).constraints().size());
        assertEquals(2, s.terms().get(1).constraints().size());
        assertArrayEquals(qs("-1", "0"), s.boxes().get(0).lo());
        assertArrayEquals(qs("0", "1"), s.boxes().get(0).hi());
    }

    @Test
    void largeImagePropertiesWithTheDisjunctionFirst() {
        // MNIST-sized: 784 bounded inputs, 10 outputs, the output disjunction asserted before the box
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            sb.append("(declare-const X_").append(i).append(" Real)\n");
        }
        for (int j = 0; j < 10; j++) {
            sb.append("(declare-const Y_").append(j).append(" Real)\n");
        }
        sb.append("(assert (or");
        for (int j = 1; j < 10; j++) {
            sb.append(" (and (>= Y_").append(j).append(" Y_0))");
        }
        sb.append("))\n");
        for (int i = 0; i < 784; i++) {
            sb.append("(assert (<= X_").append(i).append(" 0.0392156862745098))\n(assert (>= X_").append(i).append(" 0.0))\n");
        }
        VnnSpec s = VnnLib.read(sb.toString(), 784, 10);
        assertEquals(9, s.terms().size());
        assertEquals(1, s.boxes().size());
        assertEquals(q("392156862745098/10000000000000000"), s.boxes().get(0).hi()[783]);
        assertEquals(1, s.terms().get(8).constraints().size());
        assertArrayEquals(qs("-1", "0", "0", "0", "0", "0", "0", "0", "0", "1"), s.terms().get(8).constraints().get(0).a());
    }

    @Test
    void falseTermsAreDropped() {
        VnnSpec s = VnnLib.read(DECL2 + "(assert (or (and (<= X_0 -1) (>= X_0 1) (<= X_1 1) (>= X_1 0)) (and (<= 1 0) "
                + "(<= X_0 1) (>= X_0 0) (<= X_1 1) (>= X_1 0)) (and (<= X_0 1) (>= X_0 0) (<= X_1 1) (>= X_1 0) (<= 0 1))))"
                + "(assert (>= Y_0 0))", 2, 2);
        assertEquals(1, s.terms().size());
        assertEquals(2, s.dropped());
        assertEquals(1, s.terms().get(0).constraints().size());
    }

    static void code(SymbolicError code, int line, int col, String text, int n, int k) {
        NetgeomException e = assertThrows(NetgeomException.class, () -> VnnLib.read(text, n, k));
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(line, e.details().get("line"), e.getMessage());
        assertEquals(col, e.details().get("column"), e.getMessage());
        assertEquals(true, e.getMessage().endsWith(" at " + line + ":" + col), e.getMessage());
    }

    @Test
    void parseErrors() {
        code(SymbolicError.SPEC_PARSE, 1, 1, ")", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 17, "(declare-const X_0 Real)\n(assert (<= X_0 1/2))", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 1, "(declare-const X_0 Real)\n(assert (<= X_0 1)", 1, 1);
        code(SymbolicError.SPEC_PARSE, 1, 1, "declare-const", 1, 1);
        code(SymbolicError.SPEC_PARSE, 1, 1, "()", 1, 1);
        code(SymbolicError.SPEC_PARSE, 1, 2, "((x))", 1, 1);
        code(SymbolicError.SPEC_PARSE, 1, 1, "(declare-const X_0)", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 16, "(declare-const X_0 Real)\n(declare-const X_0 Real)", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 13, "(declare-const X_0 Real)\n(assert (<= X_1 1))", 2, 1);
        code(SymbolicError.SPEC_PARSE, 2, 17, "(declare-const X_0 Real)\n(assert (<= X_0 1e-99999999))", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 17, "(declare-const X_0 Real)\n(assert (<= X_0 1.2.3))", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 9, "(declare-const X_0 Real)\n(assert (<= X_0))", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 1, "(declare-const X_0 Real)\n(assert)", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 13, "(declare-const X_0 Real)\n(assert (<= (-) 1))", 1, 1);
        code(SymbolicError.SPEC_PARSE, 2, 13, "(declare-const X_0 Real)\n(assert (<= (/ X_0) 1))", 1, 1);
    }

    @Test
    void unsupportedConstructs() {
        String d = "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n";
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 13, d + "(assert (<= (* X_0 X_0) 1))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 13, d + "(assert (<= (/ 1 X_0) 1))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 13, d + "(assert (<= (/ 1 0) 1))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 9, d + "(assert (<= X_0 Y_0))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 9, d + "(assert (< X_0 1))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 9, d + "(assert (not (<= X_0 1)))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 13, d + "(assert (<= (exp X_0) 1))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 9, d + "(assert foo)", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 3, 1, d + "(push 1)", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 1, 1, "(declare-fun X_0 () Real)", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 1, 20, "(declare-const X_0 Int)", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 1, 16, "(declare-const speed Real)", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 1, 16, "(declare-const X_1 Real)", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 2, 16, "(declare-const X_0 Real)\n(declare-const Y_3 Real)", 1, 3);
        // one variable (1 - 4 X_0 >= 0) is a bound; X_0 then lacks a lower bound (the declaration's position)
        code(SymbolicError.SPEC_UNSUPPORTED, 1, 16, d + "(assert (<= (+ X_0 X_0 X_0) (- 1 X_0)))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 4, 9, "(declare-const X_0 Real)\n(declare-const X_1 Real)\n(declare-const Y_0 Real)\n"
                + "(assert (<= (+ X_0 X_1) 1))", 2, 1);
        // unbounded inputs: the position of the declaration
        code(SymbolicError.SPEC_UNSUPPORTED, 1, 16, "(declare-const X_0 Real)(assert (<= X_0 1))", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 1, 16, "(declare-const X_0 Real)(assert (or (and (<= X_0 1) (>= X_0 0)) (<= X_0 2)))", 1, 1);
        // an input the model has and the property does not declare: at the end of the text
        code(SymbolicError.SPEC_UNSUPPORTED, 2, 20, "(declare-const X_0 Real)\n(assert (<= X_0 1))", 2, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 1, 1, "\"s\"", 1, 1);
        code(SymbolicError.SPEC_UNSUPPORTED, 2, 1001, "(declare-const X_0 Real)\n" + "(".repeat(5000), 1, 1);
    }
}
