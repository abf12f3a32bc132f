package org.netgeom.cli.commands;

import org.netgeom.ir.IrError;
import com.fasterxml.jackson.databind.JsonNode;
import org.netgeom.cli.Args;
import org.netgeom.cli.CliError;
import org.netgeom.ir.IrPath;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Scalar;
import org.netgeom.ir.Symbol;
import org.netgeom.ir.io.IrReader;
import org.netgeom.ir.io.Json;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.regions.AffineMap;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The domain options shared by {@code regions} and {@code formula}: {@code --box LO,HI} (every
 * coordinate) or {@code --box L1,H1,L2,H2,…}, or {@code --polytope FILE} ({"A": [[…]], "b": […]}
 * meaning A u ≤ b, scalars as in the IR), and {@code --slice ORIGIN;DIR1[;DIR2]} to work on the
 * affine slice u ↦ ORIGIN + u1·DIR1 + u2·DIR2 of the input space (the domain is then in u).
 */
public final class DomainOptions {
    @Option(names = "--box", paramLabel = "LO,HI|L1,H1,...",
            description = "Box domain: one LO,HI pair for every coordinate, or a pair per coordinate (write --box=-1,1).")
    String box;

    @Option(names = "--polytope", paramLabel = "FILE",
            description = "Polytope domain A u <= b from JSON {\"A\": [[...]], \"b\": [...]} (scalars as in the IR).")
    Path polytope;

    @Option(names = "--slice", paramLabel = "ORIGIN;DIR1;DIR2",
            description = "Work on the slice ORIGIN + u1 DIR1 + u2 DIR2 of the input (exact vectors; quote the ';').")
    String slice;

    /** The options of a command that declares {@code --box} and {@code --polytope} itself (no slice). */
    static DomainOptions of(String box, Path polytope) {
        DomainOptions d = new DomainOptions();
        d.box = box;
        d.polytope = polytope;
        return d;
    }

    /** True when a domain was given. */
    public boolean given() {
        return box != null || polytope != null;
    }

    /** The map from the variables u to the model input (identity without --slice). */
    public AffineMap inputMap(Model m) {
        int n = m.input().size();
        if (slice == null) {
            return AffineMap.identity(n);
        }
        String[] parts = slice.split(";", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw IrError.BAD_INPUT.at("--slice", "--slice takes ORIGIN;DIR1 or ORIGIN;DIR1;DIR2 (vectors of " + n + " numbers)");
        }
        Rational[] origin = vector(parts[0], n, "--slice origin");
        Rational[][] dirs = new Rational[parts.length - 1][];
        for (int i = 1; i < parts.length; i++) {
            dirs[i - 1] = vector(parts[i], n, "--slice direction " + i);
        }
        if (dirs.length == 2 && !independent(dirs[0], dirs[1])) {
            throw IrError.BAD_INPUT.at("--slice", "the two slice directions are linearly dependent");
        }
        for (Rational[] d : dirs) {
            boolean zero = true;
            for (Rational q : d) {
                zero &= q.isZero();
            }
            if (zero) {
                throw IrError.BAD_INPUT.at("--slice", "a slice direction is the zero vector");
            }
        }
        return AffineMap.slice(origin, dirs);
    }

    private static boolean independent(Rational[] a, Rational[] b) {
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                if (!a[i].multiply(b[j]).subtract(a[j].multiply(b[i])).isZero()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Rational[] vector(String text, int n, String where) {
        Rational[] v = Args.rationals(text, where);
        if (v.length != n) {
            throw IrError.BAD_INPUT.at(where, where + " has " + v.length + " entries; the model input has " + n);
        }
        return v;
    }

    /** The domain in k variables. */
    public Domain domain(int k) {
        if (box != null && polytope != null) {
            throw CliError.USAGE.error("give either --box or --polytope, not both");
        }
        if (box == null && polytope == null) {
            throw CliError.USAGE.error("a domain is needed: --box=LO,HI (or a pair per coordinate) or --polytope FILE");
        }
        if (box != null) {
            Rational[] b = Args.rationals(box, "--box");
            if (b.length != 2 && b.length != 2 * k) {
                throw IrError.BAD_INPUT.at("--box", "--box takes LO,HI or " + k + " LO,HI pairs (" + 2 * k
                        + " numbers), not " + b.length + " numbers");
            }
            Rational[] lo = new Rational[k];
            Rational[] hi = new Rational[k];
            for (int j = 0; j < k; j++) {
                lo[j] = b.length == 2 ? b[0] : b[2 * j];
                hi[j] = b.length == 2 ? b[1] : b[2 * j + 1];
            }
            return Domain.box(lo, hi);
        }
        JsonNode root = Json.read(polytope, "polytope");
        JsonNode a = root.get("A");
        JsonNode b = root.get("b");
        if (a == null || b == null || !a.isArray() || !b.isArray() || a.size() != b.size() || a.isEmpty()) {
            throw IrError.BAD_INPUT.at(polytope.toString(), "a polytope file is {\"A\": [[...], ...], \"b\": [...]} with "
                    + "one entry of b per row of A");
        }
        Rational[][] am = new Rational[a.size()][];
        Rational[] bv = new Rational[b.size()];
        for (int i = 0; i < a.size(); i++) {
            JsonNode row = a.get(i);
            if (!row.isArray() || row.size() != k) {
                throw IrError.BAD_INPUT.at("A[" + i + "]", "each row of A needs " + k + " entries (one per variable)");
            }
            am[i] = new Rational[k];
            for (int j = 0; j < k; j++) {
                am[i][j] = number(row.get(j), IrPath.of("A").index(i).index(j));
            }
            bv[i] = number(b.get(i), IrPath.of("b").index(i));
        }
        return Domain.polytope(am, bv);
    }

    private static Rational number(JsonNode n, IrPath p) {
        Scalar s = IrReader.scalar(n, p);
        if (s instanceof Symbol) {
            throw IrError.BAD_INPUT.at(p.toString(), "a polytope needs numbers, not the symbol " + s);
        }
        return (Rational) s;
    }

    /** The names of the variables: x1…xn for the input, t1, t2 for slice coordinates. */
    public List<String> variableNames(Model m, List<String> inputNames) {
        if (slice == null) {
            return inputNames;
        }
        List<String> out = new ArrayList<>();
        int dirs = slice.split(";", -1).length - 1;
        for (int i = 1; i <= dirs; i++) {
            out.add("t" + i);
        }
        return out;
    }
}
