package org.netgeom.certify;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.netgeom.certify.BabChecker.dot;
import static org.netgeom.certify.BabChecker.neg;

/**
 * What {@code range --json} and {@code verify --json} claim, read by the checker (docs/certify.md,
 * "Branch-and-bound trees"): for a range, each output's min and max, its witnesses (in the domain,
 * attaining the value by the checker's own exact forward pass) and the two search trees ({@link
 * BabChecker}: max of c·f ≤ max, max of −c·f ≤ −min); for verify, a sat answer's counterexample
 * (in its term's box, its exact output, every output constraint as recorded in the JSON), or an
 * unsat answer's every term (a tree proving max margin &lt; 0 over the term's box, the fixed
 * inputs folded in by the checker, or the exact margin at a one-point box).
 */
final class BabResults {
    private BabResults() {
    }

    // ---- range ----

    static Certifier.Report range(Net net, JsonNode result, DomainSpec dom) {
        JsonNode cert = result.path("certificate");
        if (!"branch-and-bound".equals(cert.path("kind").asText())) {
            throw new CertRejected("the result has no branch-and-bound certificate (run range without --no-certificate)", "certificate");
        }
        if (!result.path("exact").asBoolean(false)) {
            throw new CertRejected("the range is not exact (a search stopped at a limit): nothing exact to certify", "exact");
        }
        int n = net.inputSize;
        if (dom.slice() != null) {
            throw new CertRejected("range results are certified on the input space, not on a slice", "--slice");
        }
        Domain d = Domain.of(dom, n);
        Relax code = new Relax(net, null, n);
        JsonNode outs = result.path("outputs");
        JsonNode searches = cert.path("searches");
        if (!outs.isArray() || outs.isEmpty()) {
            throw new CertRejected("the result lists no outputs", "outputs");
        }
        int outputs = code.size.get(code.out);
        long nodes = 0;
        long leaves = 0;
        long flips = 0;
        long halves = 0;
        long prec = 0;
        Set<Integer> used = new HashSet<>();
        for (int f = 0; f < outs.size(); f++) {
            JsonNode o = outs.get(f);
            String p = "outputs[" + f + "]";
            Q[] c;
            if (o.path("index").isIntegralNumber()) {
                int idx = o.get("index").asInt();
                if (idx < 0 || idx >= outputs) {
                    throw new CertRejected("output index " + idx + " is not an output of the model", p + ".index");
                }
                c = new Q[outputs];
                Arrays.fill(c, Q.ZERO);
                c[idx] = Q.ONE;
            } else {
                c = Certifier.vector(o.path("objective"), outputs, p + ".objective");
            }
            if (!o.path("exact").asBoolean(false)) {
                throw new CertRejected("this output's range is not exact", p + ".exact");
            }
            for (String sense : new String[]{"max", "min"}) {
                Q v = Certifier.parse(o.get(sense), p + "." + sense);
                Q[] arg = Certifier.vector(o.path(sense.equals("max") ? "argmax" : "argmin"), n, p + (sense.equals("max") ? ".argmax" : ".argmin"));
                // the witness: in the domain, and its value by the checker's own forward pass
                String ap = p + (sense.equals("max") ? ".argmax" : ".argmin");
                if (!d.contains(arg)) {
                    throw new CertRejected("the witness is not in the domain", ap);
                }
                Q got = dot(c, code.eval(arg));
                if (!got.equals(v)) {
                    throw new CertRejected("the exact forward pass at the witness gives " + got + ", not " + v, ap);
                }
                int s = find(searches, o.get("index"), sense, used);
                if (s < 0) {
                    throw new CertRejected("no search tree for the " + sense + " of this output", p);
                }
                Q[] row = sense.equals("max") ? c : neg(c);
                Q limit = sense.equals("max") ? v : v.neg();
                BabChecker b = new BabChecker(code, new Q[][]{row}, new Q[]{Q.ZERO}, new BabChecker.Goal(limit, false));
                b.root(searches.get(s).path("root"), "certificate.searches[" + s + "].root", d.lo, d.hi, d.cons);
                nodes += b.nodes.get();
                leaves += b.leaves.get();
                flips += b.flipped.get();
                halves += b.bisected.get();
                prec += b.precise.get();
            }
        }
        return new Certifier.Report("range", (int) Math.min(Integer.MAX_VALUE, nodes), -1, null, leaves,
                outs.size() + " range(s): witnesses re-evaluated by its own forward pass; " + nodes + " branch-and-bound nodes re-checked ("
                        + leaves + " LP leaves by their duals, pruned nodes by its own CROWN/IBP bounds" + extra(flips, halves, prec) + ")");
    }

    private static String extra(long flips, long halves, long prec) {
        return (flips > 0 ? "; " + flips + " with near-tie slopes flipped" : "") + (halves > 0 ? "; " + halves + " on its own bisection" : "")
                + (prec > 0 ? "; " + prec + " needed the 2^-80 relaxation" : "");
    }

    private static int find(JsonNode searches, JsonNode index, String sense, Set<Integer> used) {
        for (int s = 0; s < searches.size(); s++) {
            JsonNode t = searches.get(s);
            boolean same = index == null || index.isNull() ? t.path("output").isNull() || t.path("output").isMissingNode()
                    : t.path("output").isIntegralNumber() && t.path("output").asInt() == index.asInt();
            if (same && sense.equals(t.path("sense").asText()) && used.add(s)) {
                return s;
            }
        }
        return -1;
    }

    // ---- verify ----

    static Certifier.Report verify(Net net, JsonNode result) {
        String answer = result.path("result").asText();
        int n = net.inputSize;
        JsonNode terms = result.path("terms");
        JsonNode boxes = result.path("boxes");
        Relax full = new Relax(net, null, n);
        int outputs = full.size.get(full.out);
        if (answer.equals("sat")) {
            JsonNode cx = result.path("counterexample");
            int t = cx.path("term").asInt(-1);
            if (t < 0 || t >= terms.size()) {
                throw new CertRejected("the counterexample names no term", "counterexample.term");
            }
            JsonNode term = terms.get(t);
            Q[][] box = box(boxes, term, n, "terms[" + t + "]");
            Q[] x = Certifier.vector(cx.path("x"), n, "counterexample.x");
            for (int j = 0; j < n; j++) {
                if (x[j].compareTo(box[0][j]) < 0 || x[j].compareTo(box[1][j]) > 0) {
                    throw new CertRejected("the counterexample is outside its term's box at X_" + j, "counterexample.x[" + j + "]");
                }
            }
            Q[] y = full.eval(x);
            Q[] yc = Certifier.vector(cx.path("y"), outputs, "counterexample.y");
            for (int i = 0; i < outputs; i++) {
                if (!y[i].equals(yc[i])) {
                    throw new CertRejected("the exact forward pass gives Y_" + i + " = " + y[i] + ", not " + yc[i], "counterexample.y[" + i + "]");
                }
            }
            Q[][][] ab = constraints(term, outputs, "terms[" + t + "]");
            Q[][] a = ab[0];
            Q[] b = ab[1][0];
            Q h = null;
            for (int i = 0; i < a.length; i++) {
                Q g = dot(a[i], y).add(b[i]);
                if (g.signum() < 0) {
                    throw new CertRejected("output constraint " + i + " of the term does not hold at the counterexample (its value is " + g + ")",
                            "terms[" + t + "].outputConstraints[" + i + "]");
                }
                h = h == null || g.compareTo(h) < 0 ? g : h;
            }
            if (h != null && !Certifier.parse(cx.get("margin"), "counterexample.margin").equals(h)) {
                throw new CertRejected("the margin at the counterexample is " + h, "counterexample.margin");
            }
            return new Certifier.Report("verify", 0, -1, null, 0, "sat: the counterexample lies in term " + t
                    + "'s box and satisfies its " + a.length + " output constraints by its own exact forward pass");
        }
        if (!answer.equals("unsat")) {
            throw new CertRejected("the result is " + answer + ": only sat and unsat answers are certified", "result");
        }
        JsonNode cert = result.path("certificate");
        if (!"branch-and-bound".equals(cert.path("kind").asText())) {
            throw new CertRejected("the result has no branch-and-bound certificate (run verify without --no-certificate)", "certificate");
        }
        JsonNode searches = cert.path("searches");
        long nodes = 0;
        long leaves = 0;
        long flips = 0;
        long halves = 0;
        long prec = 0;
        if (!terms.isArray()) {
            throw new CertRejected("the result lists no terms", "terms");
        }
        Set<Integer> used = new HashSet<>();
        for (int t = 0; t < terms.size(); t++) {
            JsonNode term = terms.get(t);
            String p = "terms[" + t + "]";
            if (!"unsat".equals(term.path("result").asText())) {
                throw new CertRejected("an unsat answer needs every term unsat; this one is " + term.path("result").asText(), p + ".result");
            }
            Q[][] box = box(boxes, term, n, p);
            Q[][][] ab = constraints(term, outputs, p);
            Q[][] a = ab[0];
            Q[] b = ab[1][0];
            if (a.length == 0) {
                throw new CertRejected("a term without output constraints is sat (any point of its box)", p);
            }
            List<Integer> free = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (box[0][j].compareTo(box[1][j]) > 0) {
                    throw new CertRejected("the term's box is empty in X_" + j + " (such terms are dropped, not searched)", p + ".box");
                }
                if (!box[0][j].equals(box[1][j])) {
                    free.add(j);
                }
            }
            if (free.isEmpty()) {
                Q h = margin(a, b, full.eval(box[0]));
                if (h.signum() >= 0) {
                    throw new CertRejected("the term's box is one point, where the margin is " + h + " >= 0", p);
                }
                continue;
            }
            int s = -1;
            for (int q = 0; q < searches.size(); q++) {
                if (searches.get(q).path("term").asInt(-1) == t) {
                    s = q;
                }
            }
            if (s < 0 || !used.add(s)) {
                throw new CertRejected("no search tree for this term", p);
            }
            Relax code = full;
            if (free.size() < n) {
                code = new Relax(net, fold(box[0], free, n), free.size());
            }
            Q[] lo = new Q[free.size()];
            Q[] hi = new Q[free.size()];
            for (int q = 0; q < lo.length; q++) {
                lo[q] = box[0][free.get(q)];
                hi[q] = box[1][free.get(q)];
            }
            BabChecker c = new BabChecker(code, a, b, new BabChecker.Goal(Q.ZERO, true));
            c.root(searches.get(s).path("root"), "certificate.searches[" + s + "].root", lo, hi, Domain.boxForms(lo, hi));
            nodes += c.nodes.get();
            leaves += c.leaves.get();
            flips += c.flipped.get();
            halves += c.bisected.get();
            prec += c.precise.get();
        }
        return new Certifier.Report("verify", (int) Math.min(Integer.MAX_VALUE, nodes), -1, null, leaves,
                "unsat: " + terms.size() + " term(s), " + nodes + " branch-and-bound nodes re-checked (" + leaves
                        + " LP leaves by their duals, pruned nodes by its own CROWN/IBP bounds" + extra(flips, halves, prec) + ")");
    }

    private static Q margin(Q[][] a, Q[] b, Q[] y) {
        Q h = null;
        for (int i = 0; i < a.length; i++) {
            Q g = dot(a[i], y).add(b[i]);
            h = h == null || g.compareTo(h) < 0 ? g : h;
        }
        return h;
    }

    /** x = E·u + fixed: the free coordinates u into the model's input. */
    private static Net.Lin fold(Q[] fixed, List<Integer> free, int n) {
        BigInteger den = BigInteger.ONE;
        for (Q q : fixed) {
            den = Net.lcm(den, q.d());
        }
        int[][] idx = new int[n][];
        BigInteger[][] w = new BigInteger[n][];
        BigInteger[] c = new BigInteger[n];
        for (int j = 0; j < n; j++) {
            int q = free.indexOf(j);
            idx[j] = q >= 0 ? new int[]{q} : new int[0];
            w[j] = q >= 0 ? new BigInteger[]{den} : new BigInteger[0];
            c[j] = q >= 0 ? BigInteger.ZERO : fixed[j].n().multiply(den.divide(fixed[j].d()));
        }
        return new Net.Lin(idx, w, c, den);
    }

    private static Q[][] box(JsonNode boxes, JsonNode term, int n, String p) {
        int bi = term.path("box").asInt(-1);
        if (!boxes.isArray() || bi < 0 || bi >= boxes.size()) {
            throw new CertRejected("the term's box is not among the result's boxes", p + ".box");
        }
        return new Q[][]{Certifier.vector(boxes.get(bi).path("lower"), n, "boxes[" + bi + "].lower"),
                Certifier.vector(boxes.get(bi).path("upper"), n, "boxes[" + bi + "].upper")};
    }

    /** The term's output constraints a_i·y + b_i ≥ 0, as recorded in the JSON: {a, {b}}. */
    private static Q[][][] constraints(JsonNode term, int outputs, String p) {
        JsonNode oc = term.path("outputConstraints");
        if (!oc.isArray()) {
            throw new CertRejected("the term does not list its outputConstraints (a netgeom older than the checker)", p + ".outputConstraints");
        }
        if (term.has("constraints") && term.get("constraints").asInt(-1) != oc.size()) {
            throw new CertRejected("the term counts " + term.get("constraints") + " constraints but lists " + oc.size(), p + ".constraints");
        }
        Q[][] a = new Q[oc.size()][];
        Q[] b = new Q[oc.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = Certifier.vector(oc.get(i).path("a"), outputs, p + ".outputConstraints[" + i + "].a");
            b[i] = Certifier.parse(oc.get(i).get("b"), p + ".outputConstraints[" + i + "].b");
        }
        return new Q[][][]{a, {b}};
    }
    /** The domain of a range: a box or a polytope (the checker's own bounding box from its exact vertices). */
    static final class Domain {
        final Q[] lo;
        final Q[] hi;
        /** The constraints g ≥ 0 in the search's order: a box's x_j − lo_j, hi_j − x_j per j; a polytope's b_i − A_i x. */
        final List<Q[]> cons;

        private Domain(Q[] lo, Q[] hi, List<Q[]> cons) {
            this.lo = lo;
            this.hi = hi;
            this.cons = cons;
        }

        static List<Q[]> boxForms(Q[] lo, Q[] hi) {
            int n = lo.length;
            List<Q[]> out = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                Q[] a = new Q[n + 1];
                Arrays.fill(a, Q.ZERO);
                a[j] = Q.ONE;
                a[n] = lo[j].neg();
                out.add(a);
                Q[] b = new Q[n + 1];
                Arrays.fill(b, Q.ZERO);
                b[j] = Q.ONE.neg();
                b[n] = hi[j];
                out.add(b);
            }
            return out;
        }

        boolean contains(Q[] x) {
            for (Q[] g : cons) {
                Q s = g[x.length];
                for (int j = 0; j < x.length; j++) {
                    s = s.add(g[j].mul(x[j]));
                }
                if (s.signum() < 0) {
                    return false;
                }
            }
            return true;
        }

        static Domain of(DomainSpec dom, int n) {
            if ((dom.box() == null) == (dom.polytope() == null)) {
                throw new CertRejected("give the domain: a box or a polytope", "--box");
            }
            if (dom.box() != null) {
                Q[] b = Certifier.rationals(dom.box(), "--box");
                if (b.length != 2 && b.length != 2 * n) {
                    throw new CertRejected("--box needs 2 or " + 2 * n + " numbers", "--box");
                }
                Q[] lo = new Q[n];
                Q[] hi = new Q[n];
                for (int j = 0; j < n; j++) {
                    lo[j] = b.length == 2 ? b[0] : b[2 * j];
                    hi[j] = b.length == 2 ? b[1] : b[2 * j + 1];
                    if (lo[j].compareTo(hi[j]) >= 0) {
                        throw new CertRejected("the box has an empty interior in coordinate " + (j + 1), "--box");
                    }
                }
                return new Domain(lo, hi, boxForms(lo, hi));
            }
            return polytope(dom.polytope(), n);
        }

        private static Domain polytope(java.nio.file.Path file, int n) {
            if (n > Certifier.MAX_VARIABLES) {
                throw new CertRejected("a polytope domain's bounding box is found from its exact vertices, in at most "
                        + Certifier.MAX_VARIABLES + " variables", "--polytope");
            }
            JsonNode p;
            try {
                p = Net.JSON.readTree(file.toFile());
            } catch (java.io.IOException e) {
                throw new CertRejected("the polytope file cannot be read", "--polytope");
            }
            Q far = Q.of(BigInteger.TEN.pow(30), BigInteger.ONE);
            Q[] flo = new Q[n];
            Q[] fhi = new Q[n];
            Arrays.fill(flo, far.neg());
            Arrays.fill(fhi, far);
            Poly poly = Poly.box(flo, fhi);
            List<Q[]> cons = new ArrayList<>();
            JsonNode a = p.path("A");
            for (int i = 0; i < a.size(); i++) {
                Q[] row = Certifier.vector(a.get(i), n, "A[" + i + "]");
                Q[] f = new Q[n + 1];
                for (int j = 0; j < n; j++) {
                    f[j] = row[j].neg();
                }
                f[n] = Certifier.parse(p.path("b").get(i), "b[" + i + "]");
                cons.add(f);
                poly = poly.cut(Z.of(Arrays.copyOf(Certifier.homogeneous(f).big(), n + 1)), 2 * n + i);
            }
            for (java.util.BitSet z : poly.t) {
                if (z.nextSetBit(0) >= 0 && z.nextSetBit(0) < 2 * n) {
                    throw new CertRejected("the polytope is unbounded (or reaches beyond 10^30)", "--polytope");
                }
            }
            if (poly.volume().signum() <= 0) {
                throw new CertRejected("the polytope has an empty interior", "--polytope");
            }
            Q[] lo = new Q[n];
            Q[] hi = new Q[n];
            for (Z v : poly.v) {
                for (int j = 0; j < n; j++) {
                    Q x = Q.of(v.get(j), v.get(n));
                    lo[j] = lo[j] == null || x.compareTo(lo[j]) < 0 ? x : lo[j];
                    hi[j] = hi[j] == null || x.compareTo(hi[j]) > 0 ? x : hi[j];
                }
            }
            return new Domain(lo, hi, cons);
        }
    }
}
