package org.netgeom.notebooks.display;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.IrReader;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** LaTeX of exact values and of small networks, against hand-written formulas. */
class LatexTest {
    static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void rationalsAreExactFractions() {
        assertEquals("3", Latex.rational(Rational.of(3)));
        assertEquals("-\\frac{1}{2}", Latex.rational(Rational.of(-1, 2)));
        assertEquals("\\frac{151}{80}", Latex.rational(Rational.parse("1.8875")));
        assertEquals("\\left(\\frac{1}{2},\\ -3\\right)", Latex.vector(Rational.of(1, 2), Rational.of(-3)));
    }

    @Test
    void matricesAndColumns() {
        Tensor m = Tensor.matrix(new Rational[][]{{Rational.ONE, Rational.of(-1, 2)}, {Rational.ZERO, Rational.of(3)}});
        assertEquals("\\begin{pmatrix}1 & -\\frac{1}{2} \\\\ 0 & 3\\end{pmatrix}", Latex.matrix(m));
        assertEquals("\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}", Latex.matrix(Tensor.vector(Rational.ONE, Rational.TWO)));
    }

    /** Telgarsky's tent map t(x) = relu(2 relu(x) - 4 relu(x - 1/2)), twice (README), written by hand. */
    @Test
    void tentMapEquations() {
        Model tent2 = IrReader.read(EXAMPLES.resolve("tent2.json"));
        assertEquals(String.join(" \\\\\n",
                "\\begin{aligned}\nh^{(1)}_{1} &= \\operatorname{relu}\\left(x\\right)",
                "h^{(1)}_{2} &= \\operatorname{relu}\\left(x - \\frac{1}{2}\\right)",
                "h^{(2)} &= \\operatorname{relu}\\left(2 h^{(1)}_{1} - 4 h^{(1)}_{2}\\right)",
                "h^{(3)}_{1} &= \\operatorname{relu}\\left(h^{(2)}\\right)",
                "h^{(3)}_{2} &= \\operatorname{relu}\\left(h^{(2)} - \\frac{1}{2}\\right)",
                "f(x) &= \\operatorname{relu}\\left(2 h^{(3)}_{1} - 4 h^{(3)}_{2}\\right)\n\\end{aligned}"), Latex.equations(tent2));
    }

    /**
     * residual-bn by hand: batchnorm channel 1 is 2(z - 0)/√(3 + 1) + 0 = z; channel 2 is
     * (z - 1)/√(9/16 + 1) = 4/5 z - 4/5; channel 3 is 1/2 (z + 1)/√(0 + 1) + 1 = 1/2 z + 3/2. The
     * residual adds the block's input; the last dense layer has no bias.
     */
    @Test
    void residualBatchnormEquations() {
        Model rb = IrReader.read(EXAMPLES.resolve("residual-bn.json"));
        assertEquals(String.join(" \\\\\n",
                "\\begin{aligned}\nh^{(1)}_{1} &= x_{1} - \\frac{1}{2} x_{2}",
                "h^{(1)}_{2} &= \\frac{1}{3} x_{1} + 2 x_{2} + \\frac{1}{4}",
                "h^{(1)}_{3} &= \\frac{1}{2} x_{1} - x_{2} - 1",
                "h^{(2)}_{2} &= \\frac{4}{5} h^{(1)}_{2} - \\frac{4}{5}",
                "h^{(2)}_{3} &= \\frac{1}{2} h^{(1)}_{3} + \\frac{3}{2}",
                "h^{(3)}_{1} &= \\operatorname{leaky}_{\\frac{1}{10}}\\left(h^{(1)}_{1}\\right)",
                "h^{(3)}_{2} &= \\operatorname{leaky}_{\\frac{1}{10}}\\left(h^{(2)}_{2}\\right)",
                "h^{(3)}_{3} &= \\operatorname{leaky}_{\\frac{1}{10}}\\left(h^{(2)}_{3}\\right)",
                "h^{(4)}_{1} &= \\operatorname{relu}\\left(\\left|h^{(3)}_{1} - h^{(3)}_{3}\\right| + h^{(1)}_{1}\\right)",
                "h^{(4)}_{2} &= \\operatorname{relu}\\left(\\left|h^{(3)}_{2} + h^{(3)}_{3}\\right| + h^{(2)}_{2}\\right)",
                "h^{(4)}_{3} &= \\operatorname{relu}\\left(\\left|\\frac{1}{2} h^{(3)}_{1} + \\frac{1}{2} h^{(3)}_{2}\\right| + h^{(2)}_{3}\\right)",
                "f(\\mathbf{x}) &= h^{(4)}_{1} - h^{(4)}_{2} + \\frac{1}{2} h^{(4)}_{3}\n\\end{aligned}"), Latex.equations(rb));
    }

    /** hardtanh and maxout (issue 15), by hand: x ↦ (x − 1/2, 2x, −x), maxout k = 3, hardtanh on [−1/2, 1]. */
    @Test
    void hardtanhAndMaxoutEquations() {
        Model m = IrReader.read("""
                {"netgeom": 1, "input": [1], "layers": [
                  {"op": "dense", "weight": [[1], [2], [-1]], "bias": ["-1/2", 0, 0]}, {"op": "maxout", "k": 3},
                  {"op": "hardtanh", "min_val": "-1/2"}]}""", Path.of("."));
        assertEquals("\\begin{aligned}\nf(x) &= \\operatorname{hardtanh}_{-\\frac{1}{2},\\,1}\\left(\\max\\left(x - \\frac{1}{2},\\, "
                + "2 x,\\, -x\\right)\\right)\n\\end{aligned}", Latex.equations(m));
    }

    @Test
    void symbolsSquaresAndSmoothActivations() {
        Model m = IrReader.read("""
                {"netgeom": 1, "input": [1], "layers": [
                  {"op": "dense", "weight": [["w"]], "bias": ["b_1"]}, {"op": "square"}, {"op": "tanh"}]}""", Path.of("."));
        assertEquals("\\begin{aligned}\nf(x) &= \\tanh\\left(\\left(\\mathit{w} x + \\mathit{b\\_1}\\right)^{2}\\right)\n\\end{aligned}",
                Latex.equations(m));
    }

    @Test
    void convolutionAndWideLayersAreRefusedWithCodes() {
        Model conv = IrReader.read("""
                {"netgeom": 1, "input": [1, 2, 2], "layers": [
                  {"op": "conv2d", "weight": [[[[1]]]], "bias": [0]}]}""", Path.of("."));
        NetgeomException e = assertThrows(NetgeomException.class, () -> Latex.equations(conv));
        assertEquals("NOT_SUPPORTED", e.code().name());
        String wide = "[" + "[1],".repeat(16) + "[1]]";
        Model m = IrReader.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"dense\", \"weight\": " + wide + "}]}", Path.of("."));
        assertEquals("TOO_LARGE", assertThrows(NetgeomException.class, () -> Latex.equations(m)).code().name());
    }
}
