package org.netgeom.proofs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;
import org.netgeom.ir.io.IrWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random instances and their JSON form for evidence and counterexamples. */
public final class Instances {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Instances() {
    }

    /** A random rational with numerator in [-k, k] and denominator in [1, d]. */
    public static Rational rational(Random r, int k, int d) {
        return Rational.of(r.nextInt(2 * k + 1) - k, 1 + r.nextInt(d));
    }

    /** A random rational matrix [rows][cols]. */
    public static Tensor matrix(Random r, int rows, int cols, int k, int d) {
        Rational[][] m = new Rational[rows][cols];
        for (Rational[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rational(r, k, d);
            }
        }
        return Tensor.matrix(m);
    }

    /** A random rational vector. */
    public static Tensor vector(Random r, int n, int k, int d) {
        Rational[] v = new Rational[n];
        for (int i = 0; i < n; i++) {
            v[i] = rational(r, k, d);
        }
        return Tensor.vector(v);
    }

    /** The model's IR as a JSON tree (to embed in evidence and counterexamples). */
    public static JsonNode ir(Model m) {
        try {
            return JSON.readTree(IrWriter.toJson(m));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the IR writer wrote invalid JSON", e);
        }
    }

    /** Exact numbers as JSON strings. */
    public static List<String> exact(Rational[] v) {
        List<String> out = new ArrayList<>();
        for (Rational q : v) {
            out.add(q.toString());
        }
        return out;
    }

    /** Rows of exact numbers as JSON strings. */
    public static List<List<String>> exact(List<Rational[]> rows) {
        List<List<String>> out = new ArrayList<>();
        for (Rational[] r : rows) {
            out.add(exact(r));
        }
        return out;
    }

    /** A vector shape. */
    public static Shape vec(int n) {
        return Shape.of(n);
    }
}
