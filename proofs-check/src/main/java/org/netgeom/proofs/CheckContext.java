package org.netgeom.proofs;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.Progress;
import org.netgeom.ir.Rational;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * How to run a check: the number of instances, the seed of the instance generator, parameter
 * values ({@code --param k=v}, defaults from the theorem), whether to check the theorem's false
 * variant, an optional user model and domain box (for theorems about a given network), and
 * where to report progress, and the {@link Engines} the checks run on.
 */
public final class CheckContext {
    private final int instances;
    private final long seed;
    private final boolean falseVariant;
    private final Map<String, String> params;
    private final Model model;
    private final Rational[] box;
    private final Progress progress;
    private final DataSet data;
    private final Engines engines;

    public CheckContext(int instances, long seed, boolean falseVariant, Map<String, String> params, Model model,
                        Rational[] box, Progress progress) {
        this(instances, seed, falseVariant, params, model, box, null, progress, Engines.REAL);
    }

    private CheckContext(int instances, long seed, boolean falseVariant, Map<String, String> params, Model model,
                         Rational[] box, DataSet data, Progress progress, Engines engines) {
        this.engines = engines;
        this.instances = instances;
        this.seed = seed;
        this.falseVariant = falseVariant;
        this.params = new LinkedHashMap<>(params);
        this.model = model;
        this.box = box == null ? null : box.clone();
        this.data = data;
        this.progress = progress == null ? Progress.NONE : progress;
    }

    /** Defaults: the theorem's own instance count, seed 1, no overrides. */
    public static CheckContext defaults(boolean falseVariant) {
        return new CheckContext(-1, 1, falseVariant, Map.of(), null, null, Progress.NONE);
    }

    /** The number of instances asked for, or {@code dflt} when none was. */
    public int instances(int dflt) {
        return instances > 0 ? instances : dflt;
    }

    public long seed() {
        return seed;
    }

    /** A generator seeded from the context seed and a stream name, so streams do not interfere. */
    public Random random(String stream) {
        return new Random(seed * 1_000_003L + stream.hashCode());
    }

    public boolean falseVariant() {
        return falseVariant;
    }

    public Progress progress() {
        return progress;
    }

    /** The user's model ({@code --model}), or null. */
    public Model model() {
        return model;
    }

    /** The user's data for {@code --model} ({@code --data}), or null. */
    public DataSet data() {
        return data;
    }

    /** This context with the user's data set ({@code --data FILE}, for theorems about a given network and data). */
    public CheckContext withData(DataSet d) {
        return new CheckContext(instances, seed, falseVariant, params, model, box, d, progress, engines);
    }

    /** The engines the checks run on ({@link Engines#REAL} unless a test put a broken one in). */
    public Engines engines() {
        return engines;
    }

    /** This context with other engines (for mutation tests: a broken engine must make the true statement's check fail). */
    public CheckContext withEngines(Engines e) {
        return new CheckContext(instances, seed, falseVariant, params, model, box, data, progress, e);
    }

    /** The user's box ({@code --box}), or null. */
    public Rational[] box() {
        return box == null ? null : box.clone();
    }

    /** A parameter's text: the override or the theorem's default. */
    public String param(Theorem t, String name) {
        for (Param p : t.params()) {
            if (p.name().equals(name)) {
                return params.getOrDefault(name, p.defaultValue());
            }
        }
        throw new IllegalArgumentException(t.id() + " has no parameter " + name);
    }

    public int intParam(Theorem t, String name) {
        String v = param(t, name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw IrError.IR_BAD_VALUE.at("--param " + name, "expected an integer, got '" + v + "'");
        }
    }

    /** An integer parameter that must be at least {@code min} (a coded error otherwise, never a crash or a vacuous check). */
    public int intParam(Theorem t, String name, int min) {
        int v = intParam(t, name);
        if (v < min) {
            throw IrError.IR_BAD_VALUE.at("--param " + name, name + " must be at least " + min + ", not " + v);
        }
        return v;
    }

    /** A comma-separated list of integers, each at least {@code min}. */
    public int[] intListParam(Theorem t, String name, int min) {
        String v = param(t, name);
        String[] parts = v.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw IrError.IR_BAD_VALUE.at("--param " + name, "expected comma-separated integers, got '" + v + "'");
            }
            if (out[i] < min) {
                throw IrError.IR_BAD_VALUE.at("--param " + name, "each entry must be at least " + min + ", not " + out[i]);
            }
        }
        return out;
    }

    /** A rational parameter that must be positive. */
    public Rational positiveParam(Theorem t, String name) {
        Rational v = rationalParam(t, name);
        if (v.signum() <= 0) {
            throw IrError.IR_BAD_VALUE.at("--param " + name, name + " must be positive, not " + v);
        }
        return v;
    }

    public Rational rationalParam(Theorem t, String name) {
        String v = param(t, name);
        try {
            return Rational.parse(v.trim());
        } catch (NumberFormatException e) {
            throw IrError.IR_BAD_VALUE.at("--param " + name, "expected a number, got '" + v + "'");
        }
    }

    /** Throws a coded error for parameter names the theorem does not have. */
    public void requireKnownParams(Theorem t) {
        for (String k : params.keySet()) {
            if (t.params().stream().noneMatch(p -> p.name().equals(k))) {
                throw ProofsError.UNKNOWN_PARAM.at("--param " + k, t.id() + " has no parameter '" + k + "' (it has: "
                        + String.join(", ", t.params().stream().map(Param::name).toList()) + ")");
            }
        }
    }
}
