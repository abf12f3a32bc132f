package org.netgeom.certify;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@code loss-surface --line --json} result: θ(t) = θ0 + t·d for the layer and
 * direction, data and loss its {@code evidence} names, t in the range the user gives. For each
 * piece [t0, t1] and each data point, the checker's own forward pass with the point's stated
 * pattern makes every pre-activation an affine form α t + β; the pattern holds on the open
 * interval iff each form is ≥ 0 at both ends and &gt; 0 at the midpoint; the output is then
 * a t + c and the loss s·Σ (a t + c − y)² (s = 1/(N·k) for mse, 1 for sse) must equal the
 * stated coefficients. The pieces must tile the range, consecutive patterns differ, and the
 * breakpoints are exactly the inner ends (Balestriero &amp; Baraniuk's piecewise quadratic loss).
 */
final class LossLine {
    private LossLine() {
    }

    static Certifier.Report check(Path model, JsonNode result, DomainSpec dom, Map<String, String> bind) {
        JsonNode ev = result.path("evidence");
        String layer = ev.path("layer").asText(null);
        if (layer == null) {
            throw new CertRejected("a loss line needs its evidence: layer, direction, data, loss, range", "evidence");
        }
        Map<String, Q[]> dir = new java.util.HashMap<>();
        for (String key : new String[]{"weight", "bias"}) {
            JsonNode d = ev.path("direction").get(key);
            if (d != null) {
                dir.put(key, Certifier.vector(d, d.size(), "evidence.direction." + key));
            }
        }
        Net net = Net.read(model, bind, layer, dir);
        Q[] range = Certifier.vector(ev.get("range"), 2, "evidence.range");
        if (dom.box() == null) {
            throw new CertRejected("give the line's range as --box=T0,T1", "--box");
        }
        Q[] box = java.util.Arrays.stream(dom.box().split(",", -1)).map(Q::parse).toArray(Q[]::new);
        if (box.length != 2 || box[0].compareTo(range[0]) != 0 || box[1].compareTo(range[1]) != 0) {
            throw new CertRejected("the result is about t in [" + range[0] + ", " + range[1] + "], not the range given", "evidence.range");
        }
        JsonNode xs = ev.path("data").path("x");
        JsonNode ys = ev.path("data").path("y");
        int n = xs.size();
        if (n == 0 || ys.size() != n) {
            throw new CertRejected("the evidence's data needs x and y rows", "evidence.data");
        }
        String loss = ev.path("loss").asText();
        if (!loss.equals("mse") && !loss.equals("sse")) {
            throw new CertRejected("loss " + loss + " is not mse or sse", "evidence.loss");
        }
        JsonNode pieces = result.path("pieces");
        Q prevEnd = range[0];
        String prevPattern = null;
        List<Q> inner = new ArrayList<>();
        long ineqs = 0;
        for (int j = 0; j < pieces.size(); j++) {
            String at = "pieces[" + j + "]";
            JsonNode pc = pieces.get(j);
            Q[] iv = Certifier.vector(pc.get("interval"), 2, at + ".interval");
            if (iv[0].compareTo(prevEnd) != 0 || iv[1].compareTo(iv[0]) <= 0) {
                throw new CertRejected("the pieces do not tile [" + range[0] + ", " + range[1] + "]: this one should start at " + prevEnd, at + ".interval");
            }
            if (j > 0) {
                inner.add(iv[0]);
            }
            prevEnd = iv[1];
            String pattern = pc.path("pattern").asText();
            if (pattern.equals(prevPattern)) {
                throw new CertRejected("the pattern is that of the piece before: no breakpoint here", at + ".pattern");
            }
            prevPattern = pattern;
            String[] pats = pattern.split("\\|", -1);
            if (pats.length != n) {
                throw new CertRejected("the pattern needs one part per data point (" + n + ")", at + ".pattern");
            }
            Q mid = iv[0].add(iv[1]).div(Q.of(2));
            Q c0 = Q.ZERO, c1 = Q.ZERO, c2 = Q.ZERO;
            int outs = 0;
            for (int i = 0; i < n; i++) {
                Q[] x = Certifier.vector(xs.get(i), net.inputSize, "evidence.data.x[" + i + "]");
                BigInteger[] hx = Certifier.homogeneous(x).big();
                Z[] in = new Z[x.length];
                for (int q = 0; q < x.length; q++) {
                    in[q] = Z.of(new BigInteger[]{BigInteger.ZERO, hx[q]});
                }
                Net.Walk w = new Net.Walk(pats[i]);
                Net.Vec out;
                try {
                    out = Net.all(net.ops, new Net.Vec(in, hx[x.length]), w);
                } catch (CertRejected e) {
                    throw e.under(at + ".pattern.point" + i);
                }
                if (w.pos != pats[i].length()) {
                    throw new CertRejected("data point " + i + "'s pattern is longer than the network's units", at + ".pattern");
                }
                for (Net.Ineq q : w.ineqs) {
                    if (value(q.form().big(), iv[0]).signum() < 0 || value(q.form().big(), iv[1]).signum() < 0 || value(q.form().big(), mid).signum() <= 0) {
                        throw new CertRejected("data point " + i + "'s unit " + q.unit() + " does not keep the stated sign on the open interval", at + ".pattern");
                    }
                }
                ineqs += w.ineqs.size();
                Q[] y = Certifier.vector(ys.get(i), out.n().length, "evidence.data.y[" + i + "]");
                outs = y.length;
                for (int r = 0; r < y.length; r++) {
                    Q a = Q.of(out.n()[r].get(0), out.d());
                    Q c = Q.of(out.n()[r].get(1), out.d()).sub(y[r]);
                    c2 = c2.add(a.mul(a));
                    c1 = c1.add(Q.of(2).mul(a).mul(c));
                    c0 = c0.add(c.mul(c));
                }
            }
            Q s = loss.equals("mse") ? Q.of(BigInteger.ONE, BigInteger.valueOf((long) n * outs)) : Q.ONE;
            Q[] mine = {c0.mul(s), c1.mul(s), c2.mul(s)};
            JsonNode cs = pc.path("coeffs");
            for (int d = 0; d < Math.max(3, cs.size()); d++) {
                Q claimed = d < cs.size() ? Certifier.parse(cs.get(d), at + ".coeffs[" + d + "]") : Q.ZERO;
                Q own = d < 3 ? mine[d] : Q.ZERO;
                if (claimed.compareTo(own) != 0) {
                    throw new CertRejected("the loss on this piece has t^" + d + " coefficient " + own + ", not " + claimed, at + ".coeffs[" + d + "]");
                }
            }
        }
        if (prevEnd.compareTo(range[1]) != 0) {
            throw new CertRejected("the pieces end at " + prevEnd + ", not at " + range[1], "pieces");
        }
        JsonNode bp = result.path("breakpoints");
        if (bp.size() != inner.size()) {
            throw new CertRejected(inner.size() + " breakpoints between the pieces, " + bp.size() + " listed", "breakpoints");
        }
        for (int i = 0; i < inner.size(); i++) {
            if (Certifier.parse(bp.get(i), "breakpoints[" + i + "]").compareTo(inner.get(i)) != 0) {
                throw new CertRejected("the breakpoint is " + inner.get(i), "breakpoints[" + i + "]");
            }
        }
        return new Certifier.Report("loss-line", pieces.size(), -1, range[1].sub(range[0]).toString(), ineqs);
    }

    private static Q value(BigInteger[] f, Q t) {
        return Q.of(f[0], BigInteger.ONE).mul(t).add(Q.of(f[1], BigInteger.ONE));
    }
}
