package org.netgeom.certify;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checker's own reading of the raw IR JSON (shared/IR.md; tensors inline or as exact F64,
 * F32, F16, BF16 values from safetensors) and its own pattern-fixed forward pass. Every
 * piecewise-linear op becomes exact integer data once: an affine op (dense, batchnorm, conv2d,
 * avgpool2d) a sparse map out_i = (Σ_t w_it·in_{idx_it} + c_i)/den; an activation its two slopes.
 * With the pattern fixed, a value is an affine form of the variables u (integer numerators over
 * one positive denominator per tensor), so the pass yields every unit's pre-activation form and
 * the network's map A u + b on the region, exactly.
 */
final class Net {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private static final java.util.regex.Pattern SYMBOL = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    sealed interface Op permits Lin, Act, Max, Res, Cat, Param, Clamp {
    }

    /**
     * out_i = (Σ_t w_it·in_{idx_it} + c_i·d)/(den·d) for an input over d; lw, lc: the same integers as
     * longs (null when one does not fit), and by input x the rows (col[x]) and weights (colW[x]) using it.
     */
    static final class Lin implements Op {
        final int[][] idx;
        final BigInteger[][] w;
        final BigInteger[] c;
        final BigInteger den;
        final long[][] lw;
        final long[] lc;
        final int[][] col;
        final long[][] colW;

        Lin(int[][] idx, BigInteger[][] w, BigInteger[] c, BigInteger den) {
            this.idx = idx;
            this.w = w;
            this.c = c;
            this.den = den;
            boolean fits = den.bitLength() < 64;
            long[][] l = new long[w.length][];
            lc = new long[w.length];
            int inputs = 0;
            for (int i = 0; i < w.length; i++) {
                l[i] = new long[w[i].length];
                for (int t = 0; t < w[i].length; t++) {
                    fits &= w[i][t].bitLength() < 64;
                    l[i][t] = w[i][t].longValue();
                    inputs = Math.max(inputs, idx[i][t] + 1);
                }
                fits &= c[i].bitLength() < 64;
                lc[i] = c[i].longValue();
            }
            int[] uses = new int[inputs];
            for (int[] row : idx) {
                for (int x : row) {
                    uses[x]++;
                }
            }
            col = new int[inputs][];
            colW = new long[inputs][];
            for (int x = 0; x < inputs; x++) {
                col[x] = new int[uses[x]];
                colW[x] = new long[uses[x]];
                uses[x] = 0;
            }
            for (int i = 0; i < idx.length; i++) {
                for (int t = 0; t < idx[i].length; t++) {
                    int x = idx[i][t];
                    col[x][uses[x]] = i;
                    colW[x][uses[x]++] = l[i][t];
                }
            }
            lw = fits ? l : null;
        }
    }

    /** abrelu: slope pos/den where the unit is '1', neg/den where it is '0'. */
    record Act(BigInteger pos, BigInteger neg, BigInteger den) implements Op {
    }

    record Max(int[][] win) implements Op {
    }

    /**
     * hardtanh, min(max(z, min), max): two pattern characters per unit, '1' where z &gt; min, then
     * '1' where z &gt; max ("00": min, "10": z, "11": max; "01" is empty and rejected).
     */
    record Clamp(Q min, Q max) implements Op {
    }

    record Res(List<Op> body, List<Op> shortcut) implements Op {
    }

    record Cat(List<Op> body) implements Op {
    }

    /** The layer whose parameters move along θ0 + t·d: its map at θ0, and the same layer with parameters d. */
    record Param(Lin at, Lin dir) implements Op {
    }

    /** A tensor of affine forms: n[i] = (coefficients of u..., constant), over d &gt; 0. */
    record Vec(Z[] n, BigInteger d) {
    }

    /** A unit's inequality: form(u) &gt; 0 on the region; unit = its index in the pattern. */
    record Ineq(Z form, int unit) {
    }

    final int inputSize;
    final List<Op> ops;
    private final Path dir;
    private final Map<String, String> bind;
    private final Map<String, ByteBuffer> files = new HashMap<>();
    private int[] shape;
    private final String target;
    private final Map<String, Q[]> direction;
    private boolean moving;

    private Net(Path file, Map<String, String> bind, String target, Map<String, Q[]> direction) {
        this.dir = file.toAbsolutePath().getParent();
        this.bind = bind;
        this.target = target;
        this.direction = direction;
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new CertRejected("the model cannot be read as JSON: " + e.getMessage(), null);
        }
        if (root == null || !root.path("netgeom").isNumber() || root.path("netgeom").asInt() != 1) {
            throw new CertRejected("not a netgeom IR version 1 file", "netgeom");
        }
        shape = ints(root.get("input"), "input");
        inputSize = size(shape);
        ops = layers(root.get("layers"), "layers");
    }

    static Net read(Path file, Map<String, String> bind) {
        return new Net(file, bind, null, null);
    }

    /** The model with the layer at {@code target} (an IR path, "layers[6]") moving along {@code direction} (its "weight", "bias" flat). */
    static Net read(Path file, Map<String, String> bind, String target, Map<String, Q[]> direction) {
        Net n = new Net(file, bind, target, direction);
        if (!n.found) {
            throw new CertRejected("the model has no layer " + target + " with parameters", "evidence.layer");
        }
        return n;
    }

    private boolean found;

    private static int size(int[] s) {
        int n = 1;
        for (int x : s) {
            n *= x;
        }
        return n;
    }

    private static int[] ints(JsonNode n, String path) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return new int[]{n.asInt(), n.asInt()};
        }
        if (!n.isArray() || n.isEmpty()) {
            throw new CertRejected("expected a list of positive integers", path);
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
            if (!n.get(i).canConvertToInt() || out[i] < 0) {
                throw new CertRejected("expected a list of non-negative integers", path);
            }
        }
        return out;
    }

    private List<Op> layers(JsonNode list, String path) {
        if (list == null || !list.isArray()) {
            throw new CertRejected("a list of layers is needed", path);
        }
        List<Op> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Op op = layer(list.get(i), path + "[" + i + "]");
            if (op != null) {
                out.add(op);
            }
        }
        return out;
    }

    private Op layer(JsonNode l, String p) {
        if (p.equals(target)) {
            int[] in = shape;
            Op at = layerOp(l, p);
            int[] out = shape;
            shape = in;
            moving = true;
            Op d = layerOp(l, p);
            moving = false;
            shape = out;
            if (!(at instanceof Lin a) || !(d instanceof Lin b)) {
                throw new CertRejected("layer " + p + " has no parameters", p);
            }
            found = true;
            return new Param(a, b);
        }
        return layerOp(l, p);
    }

    private Op layerOp(JsonNode l, String p) {
        String op = l.path("op").asText();
        int n = size(shape);
        switch (op) {
            case "dense": {
                T w = tensor(l.get("weight"), p + ".weight");
                if (w.shape.length != 2 || w.shape[1] != n || shape.length != 1) {
                    throw new CertRejected("dense weight " + Arrays.toString(w.shape) + " does not fit input " + Arrays.toString(shape), p + ".weight");
                }
                int out = w.shape[0];
                T b = optional(l, "bias", p, out);
                int[][] idx = new int[out][n];
                Q[][] wq = new Q[out][n];
                for (int i = 0; i < out; i++) {
                    for (int j = 0; j < n; j++) {
                        idx[i][j] = j;
                        wq[i][j] = w.v[i * n + j];
                    }
                }
                shape = new int[]{out};
                return lin(idx, wq, b == null ? null : b.v);
            }
            case "relu":
                return new Act(BigInteger.ONE, BigInteger.ZERO, BigInteger.ONE);
            case "abs":
                return new Act(BigInteger.ONE, BigInteger.ONE.negate(), BigInteger.ONE);
            case "leaky_relu":
                return act(Q.ONE, l.hasNonNull("slope") ? scalar(l.get("slope"), p + ".slope") : Q.of(BigInteger.ONE, BigInteger.valueOf(100)));
            case "abrelu":
                return act(scalar(l.get("pos"), p + ".pos"), scalar(l.get("neg"), p + ".neg"));
            case "hardtanh": {
                Q lo = l.hasNonNull("min_val") ? scalar(l.get("min_val"), p + ".min_val") : Q.of(-1);
                Q hi = l.hasNonNull("max_val") ? scalar(l.get("max_val"), p + ".max_val") : Q.of(1);
                if (lo.compareTo(hi) >= 0) {
                    throw new CertRejected("hardtanh needs min_val < max_val", p + ".max_val");
                }
                return new Clamp(lo, hi);
            }
            case "maxout": {
                // groups of k consecutive entries, each an argmax unit (as a max-pool window)
                JsonNode kn = l.get("k");
                if (shape.length != 1 || kn == null || !kn.canConvertToInt() || kn.asInt() < 1 || n % kn.asInt() != 0) {
                    throw new CertRejected("maxout needs a vector of n·k values and an integer k >= 1", p + ".k");
                }
                int k = kn.asInt();
                int[][] win = new int[n / k][k];
                for (int o = 0; o < win.length; o++) {
                    for (int j = 0; j < k; j++) {
                        win[o][j] = o * k + j;
                    }
                }
                shape = new int[]{n / k};
                return new Max(win);
            }
            case "identity":
                return null;
            case "flatten":
                shape = new int[]{n};
                return null;
            case "batchnorm":
                return batchnorm(l, p, n);
            case "conv2d":
                return conv(l, p);
            case "maxpool2d":
            case "avgpool2d":
                return pool(l, p, op.equals("maxpool2d"));
            case "residual": {
                int[] in = shape;
                List<Op> body = layers(l.get("layers"), p + ".layers");
                int[] bodyShape = shape;
                shape = in;
                List<Op> sc = l.hasNonNull("shortcut") ? layers(l.get("shortcut"), p + ".shortcut") : null;
                if (!Arrays.equals(bodyShape, shape)) {
                    throw new CertRejected("a residual's branches disagree in shape", p);
                }
                return new Res(body, sc);
            }
            case "concat": {
                int[] in = shape;
                List<Op> body = layers(l.get("layers"), p + ".layers");
                if (in.length != shape.length || !Arrays.equals(Arrays.copyOfRange(in, 1, in.length), Arrays.copyOfRange(shape, 1, in.length))) {
                    throw new CertRejected("concat branches disagree in shape", p);
                }
                int[] s = in.clone();
                s[0] += shape[0];
                shape = s;
                return new Cat(body);
            }
            default:
                throw new CertRejected("op '" + op + "' is not piecewise linear (or not an IR op): its regions cannot be certified", p + ".op");
        }
    }

    private Act act(Q pos, Q neg) {
        BigInteger den = lcm(pos.d(), neg.d());
        return new Act(pos.n().multiply(den.divide(pos.d())), neg.n().multiply(den.divide(neg.d())), den);
    }

    /** out_i = Σ w_it·in_{idx_it} + c_i with rational w, c, scaled to one integer denominator. */
    private static Lin lin(int[][] idx, Q[][] w, Q[] c) {
        BigInteger den = BigInteger.ONE;
        for (int i = 0; i < w.length; i++) {
            for (Q q : w[i]) {
                den = lcm(den, q.d());
            }
            if (c != null) {
                den = lcm(den, c[i].d());
            }
        }
        Map<BigInteger, BigInteger> per = new HashMap<>();          // den / d for each denominator d
        BigInteger all = den;
        java.util.function.Function<Q, BigInteger> scaled = q -> q.n().multiply(per.computeIfAbsent(q.d(), all::divide));
        BigInteger[][] wi = new BigInteger[w.length][];
        BigInteger[] ci = new BigInteger[w.length];
        int[][] keep = new int[w.length][];
        for (int i = 0; i < w.length; i++) {
            int nz = 0;
            for (Q q : w[i]) {
                nz += q.signum() != 0 ? 1 : 0;
            }
            keep[i] = new int[nz];
            wi[i] = new BigInteger[nz];
            for (int t = 0, s = 0; t < w[i].length; t++) {
                if (w[i][t].signum() != 0) {
                    keep[i][s] = idx[i][t];
                    wi[i][s++] = scaled.apply(w[i][t]);
                }
            }
            ci[i] = c == null ? BigInteger.ZERO : scaled.apply(c[i]);
        }
        return new Lin(keep, wi, ci, den);
    }

    private Lin batchnorm(JsonNode l, String p, int n) {
        int c = shape[0];
        int per = n / c;
        T mean = tensor(l.get("mean"), p + ".mean");
        T var = tensor(l.get("var"), p + ".var");
        T w = optional(l, "weight", p, c);
        T b = optional(l, "bias", p, c);
        if (mean.v.length != c || var.v.length != c) {
            throw new CertRejected("batchnorm statistics need one entry per channel (" + c + ")", p);
        }
        Q eps = l.hasNonNull("eps") ? scalar(l.get("eps"), p + ".eps") : Q.of(BigInteger.ONE, BigInteger.valueOf(100000));
        int[][] idx = new int[n][];
        Q[][] wq = new Q[n][];
        Q[] cq = new Q[n];
        for (int ch = 0; ch < c; ch++) {
            Q ve = var.v[ch].add(eps);
            Q sd = ve.signum() > 0 ? sqrt(ve) : null;
            if (sd == null) {
                throw new CertRejected("batchnorm channel " + ch + ": sqrt(var + eps) = sqrt(" + ve + ") is not a positive rational", p + ".var[" + ch + "]");
            }
            Q g = (w == null ? Q.ONE : w.v[ch]).div(sd);
            Q h = (b == null ? Q.ZERO : b.v[ch]).sub(g.mul(mean.v[ch]));
            for (int k = 0; k < per; k++) {
                int i = ch * per + k;
                idx[i] = new int[]{i};
                wq[i] = new Q[]{g};
                cq[i] = h;
            }
        }
        return lin(idx, wq, cq);
    }

    private static Q sqrt(Q q) {
        BigInteger a = q.n().sqrt();
        BigInteger b = q.d().sqrt();
        return a.multiply(a).equals(q.n()) && b.multiply(b).equals(q.d()) ? Q.of(a, b) : null;
    }

    private Lin conv(JsonNode l, String p) {
        T w = tensor(l.get("weight"), p + ".weight");
        if (shape.length != 3 || w.shape.length != 4 || w.shape[1] != shape[0]) {
            throw new CertRejected("conv2d weight " + Arrays.toString(w.shape) + " does not fit input " + Arrays.toString(shape), p + ".weight");
        }
        int o = w.shape[0], c = shape[0], h = shape[1], wd = shape[2], kh = w.shape[2], kw = w.shape[3];
        int[] st = hw(l, "stride", p, new int[]{1, 1});
        int[] pad = hw(l, "padding", p, new int[]{0, 0});
        T b = optional(l, "bias", p, o);
        int oh = (h + 2 * pad[0] - kh) / st[0] + 1, ow = (wd + 2 * pad[1] - kw) / st[1] + 1;
        int[][] idx = new int[o * oh * ow][];
        Q[][] wq = new Q[idx.length][];
        Q[] cq = new Q[idx.length];
        for (int oc = 0; oc < o; oc++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    List<int[]> taps = new ArrayList<>();
                    for (int ic = 0; ic < c; ic++) {
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                int iy = y * st[0] - pad[0] + ky, ix = x * st[1] - pad[1] + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                    taps.add(new int[]{(ic * h + iy) * wd + ix, ((oc * c + ic) * kh + ky) * kw + kx});
                                }
                            }
                        }
                    }
                    int i = (oc * oh + y) * ow + x;
                    idx[i] = taps.stream().mapToInt(t -> t[0]).toArray();
                    wq[i] = taps.stream().map(t -> w.v[t[1]]).toArray(Q[]::new);
                    cq[i] = b == null ? Q.ZERO : b.v[oc];
                }
            }
        }
        shape = new int[]{o, oh, ow};
        return lin(idx, wq, cq);
    }

    private Op pool(JsonNode l, String p, boolean max) {
        if (shape.length != 3) {
            throw new CertRejected("pooling needs a [C, H, W] input", p);
        }
        int[] k = hw(l, "kernel", p, null);
        int[] st = hw(l, "stride", p, k);
        int c = shape[0], h = shape[1], wd = shape[2];
        int oh = (h - k[0]) / st[0] + 1, ow = (wd - k[1]) / st[1] + 1;
        int[][] win = new int[c * oh * ow][k[0] * k[1]];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int ky = 0; ky < k[0]; ky++) {
                        for (int kx = 0; kx < k[1]; kx++) {
                            win[(ch * oh + y) * ow + x][ky * k[1] + kx] = (ch * h + y * st[0] + ky) * wd + x * st[1] + kx;
                        }
                    }
                }
            }
        }
        shape = new int[]{c, oh, ow};
        if (max) {
            return new Max(win);
        }
        Q[][] wq = new Q[win.length][];
        Q area = Q.of(BigInteger.ONE, BigInteger.valueOf((long) k[0] * k[1]));
        for (int i = 0; i < win.length; i++) {
            wq[i] = new Q[win[i].length];
            Arrays.fill(wq[i], area);
        }
        return lin(win, wq, null);
    }

    private static int[] hw(JsonNode l, String key, String p, int[] dflt) {
        int[] v = ints(l.get(key), p + "." + key);
        if (v == null && dflt == null) {
            throw new CertRejected("missing key " + key, p + "." + key);
        }
        return v == null ? dflt : v;
    }

    /** A tensor: its shape and its values, row-major, exact. */
    record T(int[] shape, Q[] v) {
    }

    private T optional(JsonNode l, String key, String p, int len) {
        if (!l.hasNonNull(key) && moving && (key.equals("weight") || key.equals("bias"))) {
            Q[] d = direction.get(key);
            if (d != null && Arrays.stream(d).anyMatch(q -> q.signum() != 0)) {
                throw new CertRejected("the layer has no " + key + ", the direction moves one", "evidence.direction." + key);
            }
            Q[] z = new Q[len];
            Arrays.fill(z, Q.ZERO);
            return new T(new int[]{len}, z);
        }
        if (!l.hasNonNull(key)) {
            return null;
        }
        T t = tensor(l.get(key), p + "." + key);
        if (t.v.length != len) {
            throw new CertRejected(key + " needs " + len + " entries", p + "." + key);
        }
        return t;
    }

    private T tensor(JsonNode n, String p) {
        if (n == null || n.isNull()) {
            throw new CertRejected("missing tensor", p);
        }
        if (moving && (p.endsWith(".weight") || p.endsWith(".bias"))) {
            moving = false;
            T t = tensor(n, p);
            moving = true;
            Q[] d = direction.get(p.substring(p.lastIndexOf('.') + 1));
            if (d == null) {
                d = new Q[t.v.length];
                Arrays.fill(d, Q.ZERO);
            }
            if (d.length != t.v.length) {
                throw new CertRejected("the direction's tensor has " + d.length + " entries, the layer's " + t.v.length, "evidence.direction");
            }
            return new T(t.shape, d);
        }
        if (n.isObject()) {
            return safetensor(n.path("file").asText(), n.path("key").asText(), p);
        }
        List<Integer> sh = new ArrayList<>();
        for (JsonNode x = n; x.isArray(); x = x.get(0)) {
            sh.add(x.size());
            if (x.isEmpty()) {
                break;
            }
        }
        int[] shp = sh.stream().mapToInt(Integer::intValue).toArray();
        List<Q> out = new ArrayList<>();
        flat(n, 0, shp, p, new int[shp.length], out);
        return new T(shp, out.toArray(new Q[0]));
    }

    /** The entries in row-major order; at: the index so far (the path is spelled only for an error). */
    private void flat(JsonNode n, int depth, int[] shp, String p, int[] at, List<Q> out) {
        try {
            if (depth == shp.length) {
                out.add(scalar(n, null));
                return;
            }
            if (!n.isArray() || n.size() != shp[depth]) {
                throw new CertRejected("ragged tensor", null);
            }
        } catch (CertRejected e) {
            throw new CertRejected(e.getMessage(), p + Arrays.stream(at, 0, depth).mapToObj(i -> "[" + i + "]").collect(java.util.stream.Collectors.joining()));
        }
        for (int i = 0; i < n.size(); i++) {
            at[depth] = i;
            flat(n.get(i), depth + 1, shp, p, at, out);
        }
    }

    /** A scalar: a JSON number is the exact decimal it spells; a string a rational, a decimal or a bound symbol. */
    private Q scalar(JsonNode n, String p) {
        if (n != null && n.isNumber()) {
            return n.isIntegralNumber() ? Q.of(n.bigIntegerValue(), BigInteger.ONE) : Q.of(n.decimalValue());
        }
        if (n != null && n.isTextual()) {
            String s = n.asText().trim();
            if (!s.isEmpty() && Character.isLetter(s.charAt(0)) && SYMBOL.matcher(s).matches() && !s.matches("(?i)nan|inf|infinity")) {
                if (bind == null || !bind.containsKey(s)) {
                    throw new CertRejected("the free symbol " + s + " has no value (bind it)", p);
                }
                s = bind.get(s);
            }
            try {
                return Q.parse(s);
            } catch (RuntimeException e) {
                throw new CertRejected("not an exact scalar: '" + s + "'", p);
            }
        }
        throw new CertRejected("not a scalar", p);
    }

    private T safetensor(String file, String key, String p) {
        ByteBuffer buf = files.computeIfAbsent(file, f -> {
            try {
                return ByteBuffer.wrap(Files.readAllBytes(dir.resolve(f))).order(ByteOrder.LITTLE_ENDIAN);
            } catch (IOException e) {
                throw new CertRejected("the tensor file " + f + " cannot be read", p);
            }
        });
        try {
            long len = buf.getLong(0);
            JsonNode head = JSON.readTree(new String(buf.array(), 8, (int) len, java.nio.charset.StandardCharsets.UTF_8));
            JsonNode e = head.get(key);
            if (e == null) {
                throw new CertRejected("no tensor '" + key + "' in " + file, p);
            }
            int[] shp = ints(e.get("shape"), p);
            shp = shp == null ? new int[0] : shp;
            String dt = e.path("dtype").asText();
            int bytes = switch (dt) {
                case "F64" -> 8;
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> throw new CertRejected("tensor dtype " + dt + " is not F64, F32, F16 or BF16", p);
            };
            long start = 8 + len + e.get("data_offsets").get(0).asLong();
            int count = size(shp);
            if (e.get("data_offsets").get(1).asLong() - e.get("data_offsets").get(0).asLong() != (long) count * bytes) {
                throw new CertRejected("tensor '" + key + "': offsets do not match its shape", p);
            }
            Q[] v = new Q[count];
            for (int i = 0; i < count; i++) {
                int at = (int) (start + (long) i * bytes);
                double x = switch (dt) {
                    case "F64" -> buf.getDouble(at);
                    case "F32" -> buf.getFloat(at);
                    case "BF16" -> Float.intBitsToFloat((buf.getShort(at) & 0xffff) << 16);
                    default -> half(buf.getShort(at) & 0xffff);
                };
                v[i] = Q.ofDouble(x);        // every float value is a double exactly
            }
            return new T(shp, v);
        } catch (IOException | RuntimeException e) {
            throw e instanceof CertRejected c ? c : new CertRejected("bad safetensors file " + file + ": " + e.getMessage(), p);
        }
    }

    /** IEEE binary16, decoded exactly into a double. */
    static double half(int h) {
        int e = (h >> 10) & 31, m = h & 1023;
        double s = (h & 0x8000) != 0 ? -1 : 1;
        if (e == 31) {
            return m == 0 ? s * Double.POSITIVE_INFINITY : Double.NaN;
        }
        return e == 0 ? s * m * 0x1p-24 : s * (1024 + m) * Math.scalb(1.0, e - 25);
    }

    static BigInteger lcm(BigInteger a, BigInteger b) {
        if (a.bitLength() < 63 && b.bitLength() < 63 && a.signum() > 0 && b.signum() > 0) {
            long g = Z.gcd(a.longValue(), b.longValue());
            return g == b.longValue() ? a : g == a.longValue() ? b : a.divide(BigInteger.valueOf(g)).multiply(b);
        }
        return a.divide(a.gcd(b)).multiply(b);
    }

    // ---- the pattern-fixed forward pass ----

    /** Walks one region's pattern, collecting every unit's inequality. */
    static final class Walk {
        final String pattern;
        int pos;
        final List<Ineq> ineqs = new ArrayList<>();

        Walk(String pattern) {
            this.pattern = pattern;
        }

        private char next() {
            if (pos >= pattern.length()) {
                throw new CertRejected("the pattern is shorter than the network's " + pos + "+ units", "pattern");
            }
            return pattern.charAt(pos++);
        }
    }

    static Vec all(List<Op> ops, Vec v, Walk w) {
        for (Op op : ops) {
            v = step(op, v, w);
        }
        return v;
    }

    /**
     * {@link #step(Op, Vec, Walk)}, given the op's input and output on the region before ({@code before}, {@code was}):
     * a linear op whose input changed in a few entries adds in only their changes,
     * out = was + Σ_t w_it·(v_t − before_t), exact when was is unreduced and the denominators agree.
     */
    static Vec step(Op op, Vec v, Walk w, Vec before, Vec was) {
        if (op instanceof Lin l && l.lw != null && small(v) && small(before) && small(was) && before.d.equals(v.d) && was.d.equals(l.den.multiply(v.d))) {
            try {
                return reduce(columns(l, v, before, was.n), was.d);
            } catch (ArithmeticException e) {
                // an overflow: the op afresh
            }
        }
        return step(op, v, w);
    }

    /**
     * base_i + Σ_x w_ix·(v_x − before_x) over the inputs x that differ (v_x itself over the non-zero
     * ones when before is null), walking each such input's column: longs, overflow-checked
     * (ArithmeticException).
     */
    private static Z[] columns(Lin l, Vec v, Vec before, Z[] base) {
        long[][] s = new long[base.length][];
        for (int x = 0; x < v.n.length && x < l.col.length; x++) {
            long[] dx = v.n[x].l;
            if (before != null ? v.n[x].equals(before.n[x]) : v.n[x].isZero()) {
                continue;
            }
            if (before != null) {
                dx = dx.clone();
                for (int j = 0; j < dx.length; j++) {
                    dx[j] = Math.subtractExact(dx[j], before.n[x].l[j]);
                }
            }
            for (int e = 0; e < l.col[x].length; e++) {
                int i = l.col[x][e];
                s[i] = s[i] == null ? base[i].l.clone() : s[i];
                for (int j = 0; j < dx.length; j++) {
                    s[i][j] = Math.addExact(s[i][j], Math.multiplyExact(l.colW[x][e], dx[j]));
                }
            }
        }
        Z[] out = base.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = s[i] == null ? out[i] : new Z(s[i]);
        }
        return out;
    }

    private static boolean small(Vec v) {
        for (Z z : v.n) {
            if (z.l == null) {
                return false;
            }
        }
        return v.d.bitLength() < 64;
    }

    static Vec step(Op op, Vec v, Walk w) {
        int k = v.n.length == 0 ? 0 : v.n[0].size();
        if (op instanceof Lin l) {
            if (l.lw != null && small(v)) {
                try {
                    Z[] base = new Z[l.idx.length];      // the constants c_i·d
                    for (int i = 0; i < base.length; i++) {
                        base[i] = new Z(new long[k]);
                        base[i].l[k - 1] = Math.multiplyExact(l.lc[i], v.d.longValue());
                    }
                    return reduce(columns(l, v, null, base), l.den.multiply(v.d));
                } catch (ArithmeticException e) {
                    // an overflow: in BigInteger
                }
            }
            Z[] out = new Z[l.idx.length];
            for (int i = 0; i < out.length; i++) {
                BigInteger[] s = new BigInteger[k];
                Arrays.fill(s, BigInteger.ZERO);
                s[k - 1] = l.c[i].multiply(v.d);
                for (int t = 0; t < l.idx[i].length; t++) {
                    BigInteger[] z = v.n[l.idx[i][t]].big();
                    for (int j = 0; j < k; j++) {
                        s[j] = s[j].add(l.w[i][t].multiply(z[j]));
                    }
                }
                out[i] = Z.of(s);
            }
            return reduce(out, l.den.multiply(v.d));
        }
        if (op instanceof Act a) {
            Z[] out = new Z[v.n.length];
            Z none = new Z(new long[k]);
            for (int i = 0; i < out.length; i++) {
                int unit = w.pos;
                char ch = w.next();
                Z z = v.n[i];
                boolean zero = z.isZero();
                if (ch != '0' && ch != '1') {
                    throw new CertRejected("pattern character '" + ch + "' where a sign unit needs 0 or 1", "pattern[" + unit + "]");
                }
                if (ch == '1' && zero) {
                    throw new CertRejected("unit " + unit + " has an identically zero pre-activation; the pattern cannot say 1", "pattern[" + unit + "]");
                }
                if (!zero) {
                    w.ineqs.add(new Ineq(ch == '1' ? z : z.neg(), unit));
                }
                BigInteger s = ch == '1' ? a.pos : a.neg;
                out[i] = s.equals(BigInteger.ONE) ? z : s.signum() == 0 ? none : z.scale(s);
            }
            return a.den.equals(BigInteger.ONE) ? new Vec(out, v.d) : reduce(out, v.d.multiply(a.den));
        }
        if (op instanceof Max m) {
            Z[] out = new Z[m.win.length];
            for (int o = 0; o < out.length; o++) {
                int unit = w.pos;
                int win = Character.digit(w.next(), 36);
                if (win < 0 || win >= m.win[o].length) {
                    throw new CertRejected("max-pool winner index out of its window", "pattern[" + unit + "]");
                }
                Z zw = v.n[m.win[o][win]];
                for (int e = 0; e < m.win[o].length; e++) {
                    if (e == win) {
                        continue;
                    }
                    Z diff = zw.add(v.n[m.win[o][e]], -1);
                    if (diff.isZero()) {
                        if (e < win) {
                            throw new CertRejected("max-pool entries " + e + " and " + win + " tie identically; the lower index wins", "pattern[" + unit + "]");
                        }
                    } else {
                        w.ineqs.add(new Ineq(diff, unit));
                    }
                }
                out[o] = zw;
            }
            return new Vec(out, v.d);
        }
        if (op instanceof Clamp c) {
            BigInteger den = lcm(c.min.d(), c.max.d());
            Z[] out = new Z[v.n.length];
            for (int i = 0; i < out.length; i++) {
                int unit = w.pos;
                char a = w.next();
                char b = w.next();
                if ((a != '0' && a != '1') || (b != '0' && b != '1')) {
                    throw new CertRejected("pattern characters '" + a + b + "' where a hardtanh unit needs 00, 10 or 11", "pattern[" + unit + "]");
                }
                if (a == '0' && b == '1') {
                    throw new CertRejected("hardtanh unit pattern 01 (z <= min_val and z > max_val) is empty", "pattern[" + unit + "]");
                }
                Z z = v.n[i];
                clampSide(z, c.min, v.d, a, unit, w);
                clampSide(z, c.max, v.d, b, unit + 1, w);
                out[i] = a == '1' && b == '0' ? z.scale(den) : constant(k, (b == '1' ? c.max : c.min), den, v.d);
            }
            return reduce(out, v.d.multiply(den));
        }
        if (op instanceof Param pm) {
            Vec a = step(pm.at, v, w);
            Vec d = step(pm.dir, v, w);
            Z[] out = new Z[a.n.length];
            for (int i = 0; i < out.length; i++) {      // the input is constant in t, so the output is a(·) + t·d(·)
                out[i] = Z.of(new BigInteger[]{d.n[i].get(k - 1).multiply(a.d), a.n[i].get(k - 1).multiply(d.d)});
            }
            return reduce(out, a.d.multiply(d.d));
        }
        if (op instanceof Res r) {
            Vec body = all(r.body, v, w);
            Vec sc = r.shortcut == null ? v : all(r.shortcut, v, w);
            Z[] out = new Z[body.n.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = body.n[i].scale(sc.d).add(sc.n[i].scale(body.d), 1);
            }
            return reduce(out, body.d.multiply(sc.d));
        }
        Cat c = (Cat) op;
        Vec body = all(c.body, v, w);
        Z[] out = new Z[v.n.length + body.n.length];
        for (int i = 0; i < v.n.length; i++) {
            out[i] = v.n[i].scale(body.d);
        }
        for (int i = 0; i < body.n.length; i++) {
            out[v.n.length + i] = body.n[i].scale(v.d);
        }
        return reduce(out, v.d.multiply(body.d));
    }

    /** One side of a hardtanh unit: the form z − t·d (times t's denominator) is &gt; 0 where ch is '1', &lt; 0 where '0'. */
    private static void clampSide(Z z, Q t, BigInteger d, char ch, int unit, Walk w) {
        int k = z.size();
        Z g = z.scale(t.d()).add(constant(k, t, t.d(), d), -1);
        if (g.isZero()) {
            if (ch == '1') {
                throw new CertRejected("unit " + unit + " is identically at its hardtanh bound; the pattern cannot say 1", "pattern[" + unit + "]");
            }
            return;
        }
        w.ineqs.add(new Ineq(ch == '1' ? g : g.neg(), unit));
    }

    /** The constant t as a form of k entries over den·d (den a multiple of t's denominator). */
    private static Z constant(int k, Q t, BigInteger den, BigInteger d) {
        BigInteger[] c = new BigInteger[k];
        Arrays.fill(c, BigInteger.ZERO);
        c[k - 1] = t.n().multiply(den.divide(t.d())).multiply(d);
        return Z.of(c);
    }

    /** The tensor over the smallest denominator: n and d divided by the gcd of all entries and d. */
    static Vec reduce(Z[] n, BigInteger d) {
        if (d.bitLength() < 64) {
            long g = d.longValue();
            for (int i = 0; i < n.length && g > 1 && n[i].l != null; i++) {
                for (int j = 0; j < n[i].l.length && g > 1; j++) {
                    g = n[i].l[j] == Long.MIN_VALUE ? Z.gcd(g, g & -g) : Z.gcd(g, Math.abs(n[i].l[j]));
                }
            }
            if (g == 1) {
                return new Vec(n, d);
            }
        }
        BigInteger g = d;
        for (Z row : n) {
            for (BigInteger x : row.big()) {
                g = g.gcd(x);
            }
        }
        if (g.equals(BigInteger.ONE)) {
            return new Vec(n, d);
        }
        BigInteger gg = g;
        Z[] o = Arrays.stream(n).map(r -> Z.of(Arrays.stream(r.big()).map(x -> x.divide(gg)).toArray(BigInteger[]::new))).toArray(Z[]::new);
        return new Vec(o, d.divide(g));
    }
}
