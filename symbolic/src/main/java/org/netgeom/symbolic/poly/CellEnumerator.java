package org.netgeom.symbolic.poly;

import org.netgeom.ir.IrError;
import org.netgeom.symbolic.SymbolicError;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Enumerates the cells of a domain cut by a {@link SplitProgram}: all non-empty open sets on
 * which every unit has a fixed option, exactly and completely.
 *
 * <p>Algorithm: depth-first search over the units in program order. A node is a cell (an open
 * polytope) on which the units so far are decided; the next unit's pre-activation z is an exact
 * affine form there, and the cell is split by z = 0 (an argmax unit is cut by z_j − z_i &gt; 0
 * for each candidate j). A part is dropped only when it is proven empty: by the exact vertices
 * of the closure all lying on the other side (vertex modes), or by an exact LP with a checked
 * Farkas certificate (LP mode). Each leaf gets a rational witness strictly inside, which is
 * re-checked exactly against every inequality of its path and of the domain before the cell is
 * emitted. This is the splitting scheme of region-enumeration work such as Serra et al. 2018
 * and SplineCam (Humayun et al. 2023), done in exact arithmetic.
 *
 * <p>Completeness: every point of the domain's interior off the units' zero sets lies in
 * exactly one leaf of the search tree (each split partitions a cell up to the hyperplane), so
 * every non-empty cell is found; thin cells are found like any other, since no decision depends
 * on a tolerance.
 */
public final class CellEnumerator {
    private CellEnumerator() {
    }

    /** Enumerates all cells into a list. */
    public static <L> List<Cell<L>> enumerate(Domain domain, SplitProgram<L> program, Options options) {
        List<Cell<L>> out = new ArrayList<>();
        enumerate(domain, program, options, out::add);
        return out;
    }

    /** Enumerates all cells, handing each to {@code sink} as it is found; returns the counters. */
    public static <L> Stats enumerate(Domain domain, SplitProgram<L> program, Options options, Consumer<Cell<L>> sink) {
        if (program.variables() != domain.dimension()) {
            throw IrError.BAD_INPUT.error("the domain has " + domain.dimension() + " variables, the program "
                    + program.variables());
        }
        Options.Mode mode = options.resolved(domain.dimension());
        Search<L> s = new Search<>(domain, program, options, sink);
        options.progress().start("regions", -1);
        try {
            s.dfs(domain.initial(mode, options.arithmetic()), 0);
        } finally {
            options.progress().set(s.stats.cells);
            options.progress().done();
        }
        return s.stats;
    }

    /** One inequality of a cell: {@code form} &gt; 0, from the unit at pattern position {@code unit}. */
    public record Inequality(Form form, int unit) {
    }

    /**
     * The inequalities that define the cell of {@code pattern} (every unit's, in program order,
     * without the domain's), by replaying the program along the pattern. Units identically zero
     * contribute none. The program is left where it started.
     */
    public static List<Inequality> inequalities(SplitProgram<?> program, String pattern) {
        List<Inequality> out = new ArrayList<>();
        int depth = 0;
        try {
            for (; depth < pattern.length(); depth++) {
                Unit u = program.next();
                if (u == null) {
                    throw IrError.BAD_INPUT.error("pattern " + pattern + " is longer than the program's " + depth + " units");
                }
                int c = Character.digit(pattern.charAt(depth), 36);
                if (c < 0 || c >= u.options()) {
                    throw IrError.BAD_INPUT.error("pattern " + pattern + " has no option '" + pattern.charAt(depth)
                            + "' at position " + depth);
                }
                if (u instanceof Unit.Sign sg) {
                    if (!sg.z().isZero()) {
                        out.add(new Inequality(c == 1 ? sg.z() : sg.z().negate(), depth));
                    }
                } else if (u instanceof Unit.Argmax am) {
                    for (int i = 0; i < am.z().length; i++) {
                        if (i != c) {
                            Form g = am.z()[c].minus(am.z()[i]);
                            if (!g.isZero()) {
                                out.add(new Inequality(g, depth));
                            }
                        }
                    }
                }
                program.decide(c);
            }
            if (program.next() != null) {
                throw IrError.BAD_INPUT.error("pattern " + pattern + " is shorter than the program");
            }
        } finally {
            for (int i = 0; i < depth; i++) {
                program.undo();
            }
        }
        return out;
    }

    private static final class Search<L> {
        final Domain domain;
        final SplitProgram<L> program;
        final Options opt;
        final Consumer<Cell<L>> sink;
        final Stats stats = new Stats();
        final boolean exact;
        final boolean filter;
        final StringBuilder pattern = new StringBuilder();
        Form[] path = new Form[64];        // the inequalities sign_i * path_i > 0 of the current node
        int[] sign = new int[64];
        int pathSize;

        Search(Domain domain, SplitProgram<L> program, Options opt, Consumer<Cell<L>> sink) {
            this.domain = domain;
            this.program = program;
            this.opt = opt;
            this.sink = sink;
            this.exact = opt.arithmetic() != Options.Arithmetic.FLOAT64;
            this.filter = opt.arithmetic() == Options.Arithmetic.EXACT;
        }

        void dfs(Polytope p, int depth) {
            Unit u = program.next();
            stats.nodes++;
            if (u == null) {
                leaf(p);
                return;
            }
            if (u instanceof Unit.Sign sg) {
                Form z = sg.z();
                if (z.isZero()) {
                    descend(p, depth, 0, null, 0, null);
                    return;
                }
                Polytope[] parts = p.split(z, depth, stats);
                if (parts[0] != null) {
                    descend(parts[0], depth, 0, z, -1, null);
                }
                if (parts[1] != null) {
                    descend(parts[1], depth, 1, z, 1, null);
                }
            } else if (u instanceof Unit.Argmax am) {
                Form[] z = am.z();
                if (z.length > 36) {
                    throw IrError.BAD_INPUT.error("a max-pooling window or maxout group of " + z.length
                            + " entries (patterns encode at most 36)");
                }
                for (int j = 0; j < z.length; j++) {
                    Polytope q = p;
                    List<Form> forms = new ArrayList<>(z.length - 1);
                    for (int i = 0; i < z.length && q != null; i++) {
                        if (i == j) {
                            continue;
                        }
                        Form g = z[j].minus(z[i]);
                        if (g.isZero()) {
                            if (i < j) {
                                q = null;           // identical candidates: the lower index wins
                            }
                            continue;
                        }
                        q = q.cut(g, depth, stats);
                        forms.add(g);
                    }
                    if (q != null) {
                        descend(q, depth, j, null, 0, forms);
                    }
                }
            }
        }

        private void descend(Polytope q, int depth, int choice, Form one, int oneSign, List<Form> many) {
            int saved = pathSize;
            if (one != null) {
                push(one, oneSign);
            }
            if (many != null) {
                for (Form f : many) {
                    push(f, 1);
                }
            }
            pattern.append(Character.forDigit(choice, 36));
            program.decide(choice);
            try {
                dfs(q, depth + 1);
            } finally {
                program.undo();
                pattern.setLength(pattern.length() - 1);
                pathSize = saved;
            }
        }

        private void push(Form f, int s) {
            if (pathSize == path.length) {
                path = java.util.Arrays.copyOf(path, 2 * pathSize);
                sign = java.util.Arrays.copyOf(sign, 2 * pathSize);
            }
            sign[pathSize] = s;
            path[pathSize++] = f;
        }

        private void leaf(Polytope p) {
            stats.cells++;
            if (stats.cells > opt.budget()) {
                throw SymbolicError.BUDGET_EXCEEDED.error("more than " + opt.budget() + " regions (raise --budget, or shrink the domain)")
                        .with("found", stats.cells);
            }
            Point w = p.witness(opt.niceWitnesses());
            if (exact) {
                check(w);
            }
            sink.accept(new Cell<>(pattern.toString(), w, p.vertices(), p.facets(), program.leaf()));
            if ((stats.cells & 1023) == 0) {
                opt.progress().set(stats.cells);
            }
        }

        /** The certificate of a cell: its witness satisfies every inequality strictly, exactly. */
        private void check(Point w) {
            stats.witnessChecks++;
            for (int i = 0; i < pathSize; i++) {
                require(path[i], sign[i], w, i);
            }
            for (Form f : domain.constraints()) {
                require(f, 1, w, -1);
            }
            stats.inequalityChecks += pathSize + domain.constraints().size();
        }

        private void require(Form f, int sg, Point w, int i) {
            int s = sg * (filter ? f.signAt(w) : f.signAt(w.q));
            if (s <= 0) {
                throw new IllegalStateException("witness " + w + " of pattern " + pattern + " fails inequality "
                        + (i < 0 ? "of the domain" : "#" + i) + " (" + f + "): an engine defect");
            }
        }
    }
}
