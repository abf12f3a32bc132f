package org.netgeom.symbolic.verify;

import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.poly.Domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Decides a VNN-LIB property ({@link VnnSpec}) exactly, with VNN-COMP's semantics: the
 * assertions describe a violation; {@code SAT} when some term has an input x in its box whose
 * output f(x) satisfies all of the term's output constraints a_i·y + b_i ≥ 0 — then x is a
 * counterexample, re-evaluated by {@link ExactForward} and checked against every constraint in
 * exact arithmetic; {@code UNSAT} when no term has one. For each term the margin
 * h(x) = min_i (a_i·f(x) + b_i) is decided against 0 by {@link BranchAndBound#decide}: a term
 * is unsat when every node of its search is pruned by a sound bound below 0, proved empty (Farkas
 * certificate) or is a leaf whose exact LP maximum of h (dual checked) is below 0. A limit
 * (deadline, node count) gives {@code UNKNOWN}, with the best bounds of the margin reached; never a
 * guess. Before the search, a float64 attack ({@link Attack}) may propose a counterexample; it
 * counts only when its exact margin is ≥ 0.
 */
public final class Verify {
    private Verify() {
    }

    public enum Answer { SAT, UNSAT, UNKNOWN }

    /**
     * One term's outcome. {@code marginLower}: the best exact margin found (null: none);
     * {@code marginUpper}: a sound upper bound on the term's largest margin (null: none). A sat
     * term has marginLower ≥ 0; an unsat one marginUpper &lt; 0. {@code tree} is null for a term
     * without output constraints (any point of its box satisfies it) and for one not searched
     * because an earlier term was sat ({@code searched} false).
     */
    public record TermResult(int term, boolean searched, Answer answer, Rational marginLower, Rational marginUpper,
                             long nodes, long leaves, BranchAndBound.Tree tree, String by) {
    }

    /** How a term was decided: {@code box} (no output constraints), {@code attack}, {@code branch-and-bound}. */
    public static final String BY_BOX = "box";
    public static final String BY_ATTACK = "attack";
    public static final String BY_SEARCH = "branch-and-bound";
    /** Every input fixed by the box: decided by the exact forward pass at that point. */
    public static final String BY_POINT = "point";

    /**
     * The inputs a box leaves free: where lo = hi the input is fixed, and the search runs on the
     * model with a leading dense layer x = E·u + x_fixed (E picks the free inputs), over the box of
     * the free ones. {@code free} lists their indices; {@link #lift} maps u back to x.
     */
    record Free(Model model, Graph graph, Rational[] lo, Rational[] hi, int[] free, Rational[] fixed) {
        static Free of(Model m, Graph g, VnnSpec.Box b) {
            int n = b.lo().length;
            List<Integer> fr = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (!b.lo()[j].equals(b.hi()[j])) {
                    fr.add(j);
                }
            }
            int[] free = fr.stream().mapToInt(Integer::intValue).toArray();
            if (free.length == n) {
                return new Free(m, g, b.lo(), b.hi(), free, null);
            }
            Rational[] fixed = new Rational[n];
            for (int j = 0; j < n; j++) {
                fixed[j] = b.lo()[j].equals(b.hi()[j]) ? b.lo()[j] : Rational.ZERO;
            }
            Rational[] lo = new Rational[free.length];
            Rational[] hi = new Rational[free.length];
            for (int k = 0; k < free.length; k++) {
                lo[k] = b.lo()[free[k]];
                hi[k] = b.hi()[free[k]];
            }
            if (free.length == 0) {
                return new Free(m, g, lo, hi, free, fixed);
            }
            if (m.input().rank() != 1) {
                throw SymbolicError.SPEC_UNSUPPORTED.error("the box fixes some inputs (lower bound = upper bound, e.g. X_"
                        + firstFixed(b) + ") of a model whose input has shape " + m.input()
                        + "; netgeom verify folds fixed inputs into a leading dense layer, for vector inputs only");
            }
            Rational[][] e = new Rational[n][free.length];
            for (int j = 0; j < n; j++) {
                java.util.Arrays.fill(e[j], Rational.ZERO);
            }
            for (int k = 0; k < free.length; k++) {
                e[free[k]][k] = Rational.ONE;
            }
            List<Layer> layers = new ArrayList<>();
            layers.add(new Layer.Dense("fixed-inputs", Tensor.matrix(e), Tensor.vector(fixed)));
            layers.addAll(m.layers());
            Model r = new Model(m.name(), Shape.of(free.length), layers);
            return new Free(r, Graph.of(r), lo, hi, free, fixed);
        }

        private static int firstFixed(VnnSpec.Box b) {
            for (int j = 0; j < b.lo().length; j++) {
                if (b.lo()[j].equals(b.hi()[j])) {
                    return j;
                }
            }
            return -1;
        }

        /** The full input of the free coordinates u. */
        Rational[] lift(Rational[] u) {
            if (fixed == null) {
                return u;
            }
            Rational[] x = fixed.clone();
            for (int k = 0; k < free.length; k++) {
                x[free[k]] = u[k];
            }
            return x;
        }
    }

    static Rational margin(VnnSpec.Term term, Rational[] y) {
        Rational h = null;
        for (VnnSpec.Constraint c : term.constraints()) {
            Rational v = c.value(y);
            h = h == null || v.compareTo(h) < 0 ? v : h;
        }
        return h;
    }

    /**
     * The outcome: {@code term} the index of the sat term (−1 otherwise), {@code x} and {@code y}
     * the counterexample and its exact output (null unless sat).
     */
    public record Outcome(Answer answer, int term, Rational[] x, Rational[] y, List<TermResult> terms, long nodes) {
    }

    /**
     * Decides the property. Terms are searched in order and the search stops at the first sat one.
     *
     * @throws org.netgeom.ir.NetgeomException SPEC_UNSUPPORTED for a box that fixes some but not all
     *                                         inputs of a model whose input is not a vector
     */
    public static Outcome run(Model model, VnnSpec spec, BranchAndBound.Limits limits, LongConsumer progress) {
        return run(model, spec, limits, true, progress);
    }

    /**
     * As {@link #run(Model, VnnSpec, BranchAndBound.Limits, LongConsumer)}; {@code attack} first
     * runs a float64 search for a counterexample on each term ({@link Attack}: random points and
     * sign-gradient ascent, seeded), whose best point is evaluated exactly and taken when its exact
     * margin is ≥ 0; otherwise (and with {@code attack} false) the branch and bound decides.
     * {@code progress} (may be null) receives the nodes searched so far, over all terms.
     */
    public static Outcome run(Model model, VnnSpec spec, BranchAndBound.Limits limits, boolean attack, LongConsumer progress) {
        Graph g = Graph.of(model);
        if (g.inputs() != spec.inputs() || g.outputs() != spec.outputs()) {
            throw IrError.BAD_INPUT.error("the property was read for " + spec.inputs() + " inputs and " + spec.outputs()
                    + " outputs; the model has " + g.inputs() + " and " + g.outputs());
        }
        List<Free> views = new ArrayList<>();
        for (VnnSpec.Box b : spec.boxes()) {
            views.add(Free.of(model, g, b));
        }
        List<TermResult> results = new ArrayList<>();
        long nodes = 0;
        boolean unknown = false;
        for (int t = 0; t < spec.terms().size(); t++) {
            VnnSpec.Term term = spec.terms().get(t);
            VnnSpec.Box box = spec.boxes().get(term.box());
            int m = term.constraints().size();
            if (m == 0) {
                Rational[] x = centre(box);
                results.add(new TermResult(t, true, Answer.SAT, null, null, 0, 0, null, BY_BOX));
                return sat(model, spec, t, x, results, nodes);
            }
            Rational[][] rows = new Rational[m][];
            Rational[] offs = new Rational[m];
            for (int i = 0; i < m; i++) {
                rows[i] = term.constraints().get(i).a();
                offs[i] = term.constraints().get(i).b();
            }
            Free v = views.get(term.box());
            if (v.free().length == 0) {
                // every input fixed: the box is one point, decided by the exact forward pass there
                Rational[] x = v.lift(new Rational[0]);
                Rational h = margin(term, ExactForward.eval(model, x));
                results.add(new TermResult(t, true, h.signum() >= 0 ? Answer.SAT : Answer.UNSAT, h, h, 0, 0, null, BY_POINT));
                if (h.signum() >= 0) {
                    return sat(model, spec, t, x, results, nodes);
                }
                continue;
            }
            if (attack) {
                Rational[] x = v.lift(Attack.search(v.graph(), rows, offs, v.lo(), v.hi(), 1 + t));
                Rational h = margin(term, ExactForward.eval(model, x));
                if (h.signum() >= 0) {
                    results.add(new TermResult(t, true, Answer.SAT, h, null, 0, 0, null, BY_ATTACK));
                    return sat(model, spec, t, x, results, nodes);
                }
            }
            Domain d = Domain.box(v.lo(), v.hi());
            long base = nodes;
            LongConsumer pc = progress == null ? null : k -> progress.accept(base + k);
            BranchAndBound.Result r = BranchAndBound.decide(v.model(), v.graph(), d, rows, offs, Rational.ZERO, limits, pc);
            nodes += r.nodes();
            boolean isSat = r.value() != null && r.value().signum() >= 0;
            Answer a = isSat ? Answer.SAT : r.complete() ? Answer.UNSAT : Answer.UNKNOWN;
            if (a == Answer.UNSAT && (r.upper() != null && r.upper().signum() >= 0)) {
                throw new IllegalStateException("an unsat term with a bound " + r.upper() + " >= 0");
            }
            results.add(new TermResult(t, true, a, r.value(), r.upper(), r.nodes(), r.leaves(), r.tree(), BY_SEARCH));
            if (isSat) {
                return sat(model, spec, t, v.lift(r.argmax()), results, nodes);
            }
            unknown |= a == Answer.UNKNOWN;
        }
        return new Outcome(unknown ? Answer.UNKNOWN : Answer.UNSAT, -1, null, null, results, nodes);
    }

    static Rational[] centre(VnnSpec.Box b) {
        Rational[] x = new Rational[b.lo().length];
        for (int j = 0; j < x.length; j++) {
            x[j] = b.lo()[j].add(b.hi()[j]).divide(Rational.TWO);
        }
        return x;
    }

    /** Checks the counterexample exactly (in the box, every constraint of the term holds) and builds the outcome. */
    private static Outcome sat(Model model, VnnSpec spec, int t, Rational[] x, List<TermResult> results, long nodes) {
        VnnSpec.Term term = spec.terms().get(t);
        VnnSpec.Box box = spec.boxes().get(term.box());
        for (int j = 0; j < x.length; j++) {
            if (x[j].compareTo(box.lo()[j]) < 0 || x[j].compareTo(box.hi()[j]) > 0) {
                throw new IllegalStateException("counterexample outside its box at X_" + j);
            }
        }
        Rational[] y = ExactForward.eval(model, x);
        for (VnnSpec.Constraint c : term.constraints()) {
            if (c.value(y).signum() < 0) {
                throw new IllegalStateException("counterexample violates " + c);
            }
        }
        for (int s = t + 1; s < spec.terms().size(); s++) {
            results.add(new TermResult(s, false, null, null, null, 0, 0, null, null));
        }
        return new Outcome(Answer.SAT, t, x, y, results, nodes);
    }
}
