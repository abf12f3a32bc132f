package org.netgeom.symbolic.verify;

import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.SymbolicError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the subset of VNN-LIB (the SMT-LIB dialect of VNN-COMP, Brix et al. 2023, "The Fourth
 * International Verification of Neural Networks Competition", section 2.2) that VNN-COMP's
 * benchmarks use: {@code (declare-const X_i Real)}, {@code (declare-const Y_j Real)} and
 * {@code (assert F)}, where F is built from {@code (<= s t …)}, {@code (>= s t …)},
 * {@code (= s t …)}, {@code (and F …)} and {@code (or F …)}, and the terms s, t are linear:
 * numbers, variables, {@code (+ …)}, {@code (- …)}, {@code (* c t)}, {@code (/ t c)}.
 * {@code ; comments}, {@code (check-sat)}, {@code (get-model)}, {@code (exit)},
 * {@code (set-logic …)}, {@code (set-info …)}, {@code (set-option …)} are ignored. Numbers are read
 * exactly: {@code 0.1} is 1/10 and {@code 1e-3} is 1/1000, never a double.
 *
 * <p>The conjunction of all assertions is put into disjunctive normal form; each term must bound
 * every input from both sides with constraints on one input each (a box), and its other constraints
 * must be on outputs only. Errors: {@code SPEC_PARSE} (malformed text) and {@code SPEC_UNSUPPORTED}
 * (outside this subset, or not fitting the model), each message ending {@code at line:col}; the
 * exception's details carry {@code line} and {@code column}.
 */
public final class VnnLib {
    /** The most DNF terms a property may expand to. */
    public static final int MAX_TERMS = 100_000;
    /** The deepest nesting of parentheses read. */
    public static final int MAX_DEPTH = 1000;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern VAR = Pattern.compile("([XY])_(0|[1-9]\\d{0,8})");

    private final String text;
    private final int inputs;
    private final int outputs;
    private int pos;
    private int depth;
    private int line = 1;
    private int col = 1;
    /** Declared variables: name → position. */
    private final Map<String, int[]> declared = new HashMap<>();

    private VnnLib(String text, int inputs, int outputs) {
        this.text = text;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /**
     * Reads a property for a model with {@code inputs} inputs and {@code outputs} outputs.
     *
     * @throws NetgeomException SPEC_PARSE or SPEC_UNSUPPORTED
     */
    public static VnnSpec read(String text, int inputs, int outputs) {
        return new VnnLib(text, inputs, outputs).run();
    }

    // ------------------------------------------------------------------ s-expressions

    private sealed interface Node permits Atom, Lst {
        int line();

        int col();
    }

    private record Atom(String text, int line, int col) implements Node {
    }

    private record Lst(List<Node> items, int line, int col) implements Node {
    }

    static NetgeomException error(SymbolicError code, String what, int line, int col) {
        return code.error(what + " at " + line + ":" + col).with("line", line).with("column", col);
    }

    private static NetgeomException error(SymbolicError code, String what, Node at) {
        return error(code, what, at.line(), at.col());
    }

    private void advance() {
        if (text.charAt(pos) == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char ch = text.charAt(pos);
            if (ch == ';') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    advance();
                }
            } else if (Character.isWhitespace(ch)) {
                advance();
            } else {
                return;
            }
        }
    }

    /** The next s-expression, or null at the end of the text. */
    private Node next(boolean top) {
        skipSpace();
        if (pos >= text.length()) {
            return null;
        }
        int l = line;
        int c = col;
        char ch = text.charAt(pos);
        if (ch == ')') {
            throw error(SymbolicError.SPEC_PARSE, "unexpected ')'", l, c);
        }
        if (ch == '(') {
            if (++depth > MAX_DEPTH) {
                throw error(SymbolicError.SPEC_UNSUPPORTED, "parentheses nested deeper than " + MAX_DEPTH, l, c);
            }
            advance();
            List<Node> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (pos >= text.length()) {
                    throw error(SymbolicError.SPEC_PARSE, "unclosed '(' (the text ends first)", l, c);
                }
                if (text.charAt(pos) == ')') {
                    advance();
                    depth--;
                    return new Lst(items, l, c);
                }
                items.add(next(false));
            }
        }
        if (ch == '"' || ch == '|') {
            throw error(SymbolicError.SPEC_UNSUPPORTED, (ch == '"' ? "string literals" : "quoted symbols") + " are not part of VNN-LIB", l, c);
        }
        int start = pos;
        while (pos < text.length()) {
            char d = text.charAt(pos);
            if (Character.isWhitespace(d) || d == '(' || d == ')' || d == ';') {
                break;
            }
            advance();
        }
        Atom a = new Atom(text.substring(start, pos), l, c);
        if (top) {
            throw error(SymbolicError.SPEC_PARSE, "expected '(' to start a command, found '" + a.text() + "'", a);
        }
        return a;
    }

    // ------------------------------------------------------------------ commands

    /** A constraint e ≥ 0 and where it was written. */
    private record Ineq(Lin e, Node at) {
    }

    private VnnSpec run() {
        // assertions whose DNF is one conjunction are collected in `common` (linear in their size); the others are
        // crossed with each other and, at the end, each of their terms gets the common conjunction
        List<Ineq> common = new ArrayList<>();
        List<List<Ineq>> dnf = List.of(List.of());
        Node n;
        while ((n = next(true)) != null) {
            Lst cmd = (Lst) n;
            String head = head(cmd);
            switch (head) {
                case "declare-const" -> declare(cmd);
                case "assert" -> {
                    if (cmd.items().size() != 2) {
                        throw error(SymbolicError.SPEC_PARSE, "assert takes one formula", cmd);
                    }
                    List<List<Ineq>> f = formula(cmd.items().get(1));
                    if (f.size() == 1) {
                        common.addAll(f.get(0));
                    } else {
                        dnf = and(dnf, f, cmd);
                    }
                }
                case "check-sat", "get-model", "exit", "set-logic", "set-info", "set-option" -> {
                }
                case "declare-fun" -> throw error(SymbolicError.SPEC_UNSUPPORTED, "declare-fun (use declare-const NAME Real)", cmd);
                default -> throw error(SymbolicError.SPEC_UNSUPPORTED, "the command '" + head + "'", cmd);
            }
        }
        for (int i = 0; i < inputs; i++) {
            if (!declared.containsKey("X_" + i)) {
                throw error(SymbolicError.SPEC_UNSUPPORTED, "the model has " + inputs + " inputs but X_" + i
                        + " is not declared (every input must be declared and bounded)", line, col);
            }
        }
        List<List<Ineq>> all = new ArrayList<>(dnf.size());
        for (List<Ineq> t : dnf) {
            List<Ineq> u = new ArrayList<>(common.size() + t.size());
            u.addAll(common);
            u.addAll(t);
            all.add(u);
        }
        return terms(all);
    }

    private static String head(Lst l) {
        if (l.items().isEmpty()) {
            throw error(SymbolicError.SPEC_PARSE, "empty list '()'", l);
        }
        if (!(l.items().get(0) instanceof Atom a)) {
            throw error(SymbolicError.SPEC_PARSE, "expected an operator or command name after '('", l.items().get(0));
        }
        return a.text();
    }

    private void declare(Lst cmd) {
        if (cmd.items().size() != 3 || !(cmd.items().get(1) instanceof Atom name) || !(cmd.items().get(2) instanceof Atom type)) {
            throw error(SymbolicError.SPEC_PARSE, "expected (declare-const NAME Real)", cmd);
        }
        if (!type.text().equals("Real")) {
            throw error(SymbolicError.SPEC_UNSUPPORTED, "variables of sort '" + type.text() + "' (only Real)", type);
        }
        var m = VAR.matcher(name.text());
        if (!m.matches()) {
            throw error(SymbolicError.SPEC_UNSUPPORTED, "the variable name '" + name.text() + "' (inputs are X_0, X_1, ..., outputs Y_0, Y_1, ...)", name);
        }
        long idx = Long.parseLong(m.group(2));
        boolean x = m.group(1).equals("X");
        int limit = x ? inputs : outputs;
        if (idx >= limit) {
            throw error(SymbolicError.SPEC_UNSUPPORTED, name.text() + " is beyond the model's " + limit + (x ? " inputs" : " outputs")
                    + " (" + m.group(1) + "_0.." + m.group(1) + "_" + (limit - 1) + ")", name);
        }
        if (declared.containsKey(name.text())) {
            int[] p = declared.get(name.text());
            throw error(SymbolicError.SPEC_PARSE, name.text() + " is declared twice (first at " + p[0] + ":" + p[1] + ")", name);
        }
        declared.put(name.text(), new int[]{name.line(), name.col()});
    }

    // ------------------------------------------------------------------ formulas (DNF)

    private List<List<Ineq>> and(List<List<Ineq>> a, List<List<Ineq>> b, Node at) {
        if ((long) a.size() * b.size() > MAX_TERMS) {
            throw error(SymbolicError.SPEC_UNSUPPORTED, "a property whose disjunctive normal form has more than " + MAX_TERMS + " terms", at);
        }
        List<List<Ineq>> out = new ArrayList<>();
        for (List<Ineq> s : a) {
            for (List<Ineq> t : b) {
                List<Ineq> u = new ArrayList<>(s.size() + t.size());
                u.addAll(s);
                u.addAll(t);
                out.add(u);
            }
        }
        return out;
    }

    private List<List<Ineq>> formula(Node f) {
        if (f instanceof Atom a) {
            if (a.text().equals("true")) {
                return List.of(List.of());
            }
            if (a.text().equals("false")) {
                return List.of();
            }
            throw error(SymbolicError.SPEC_UNSUPPORTED, "the formula '" + a.text() + "' (expected a comparison, and, or)", a);
        }
        Lst l = (Lst) f;
        String op = head(l);
        List<Node> args = l.items().subList(1, l.items().size());
        switch (op) {
            case "and" -> {
                List<List<Ineq>> r = List.of(List.of());
                for (Node g : args) {
                    r = and(r, formula(g), g);
                }
                return r;
            }
            case "or" -> {
                List<List<Ineq>> r = new ArrayList<>();
                for (Node g : args) {
                    r.addAll(formula(g));
                    if (r.size() > MAX_TERMS) {
                        throw error(SymbolicError.SPEC_UNSUPPORTED, "a property whose disjunctive normal form has more than " + MAX_TERMS + " terms", g);
                    }
                }
                return r;
            }
            case "<=", ">=", "=" -> {
                if (args.size() < 2) {
                    throw error(SymbolicError.SPEC_PARSE, "'" + op + "' takes at least two terms", l);
                }
                List<Ineq> conj = new ArrayList<>();
                for (int i = 0; i + 1 < args.size(); i++) {
                    Lin s = term(args.get(i));
                    Lin t = term(args.get(i + 1));
                    if (!op.equals(">=")) {
                        conj.add(new Ineq(t.minus(s), l));     // s <= t
                    }
                    if (!op.equals("<=")) {
                        conj.add(new Ineq(s.minus(t), l));     // s >= t
                    }
                }
                List<List<Ineq>> r = new ArrayList<>();
                r.add(conj);
                return r;
            }
            case "<", ">" -> throw error(SymbolicError.SPEC_UNSUPPORTED, "the strict comparison '" + op + "' (VNN-LIB properties use <= and >=)", l);
            default -> throw error(SymbolicError.SPEC_UNSUPPORTED, "the operator '" + op + "' in a formula (only and, or, <=, >=, =)", l);
        }
    }

    // ------------------------------------------------------------------ linear terms

    /** Σ x_i X_i + Σ y_j Y_j + c, sparse. */
    private static final class Lin {
        final TreeMap<Integer, Rational> x = new TreeMap<>();
        final TreeMap<Integer, Rational> y = new TreeMap<>();
        Rational c = Rational.ZERO;

        boolean isConstant() {
            return x.isEmpty() && y.isEmpty();
        }

        Lin scale(Rational k) {
            Lin r = new Lin();
            if (!k.isZero()) {
                x.forEach((i, v) -> r.x.put(i, v.multiply(k)));
                y.forEach((i, v) -> r.y.put(i, v.multiply(k)));
            }
            r.c = c.multiply(k);
            return r;
        }

        Lin plus(Lin o) {
            Lin r = new Lin();
            r.x.putAll(x);
            r.y.putAll(y);
            o.x.forEach((i, v) -> add(r.x, i, v));
            o.y.forEach((i, v) -> add(r.y, i, v));
            r.c = c.add(o.c);
            return r;
        }

        Lin minus(Lin o) {
            return plus(o.scale(Rational.MINUS_ONE));
        }

        private static void add(TreeMap<Integer, Rational> m, int i, Rational v) {
            Rational s = m.getOrDefault(i, Rational.ZERO).add(v);
            if (s.isZero()) {
                m.remove(i);
            } else {
                m.put(i, s);
            }
        }
    }

    private Lin term(Node t) {
        if (t instanceof Atom a) {
            Lin r = new Lin();
            if (NUMBER.matcher(a.text()).matches()) {
                try {
                    r.c = Rational.parse(a.text());
                } catch (NumberFormatException | ArithmeticException e) {
                    throw error(SymbolicError.SPEC_PARSE, "the number '" + a.text() + "' cannot be read exactly (" + e.getMessage() + ")", a);
                }
                return r;
            }
            var m = VAR.matcher(a.text());
            if (!declared.containsKey(a.text())) {
                if (m.matches() || Character.isLetter(a.text().charAt(0)) || a.text().charAt(0) == '_') {
                    throw error(SymbolicError.SPEC_PARSE, "the variable '" + a.text() + "' is not declared", a);
                }
                throw error(SymbolicError.SPEC_PARSE, "'" + a.text() + "' is neither a number nor a variable", a);
            }
            if (!m.matches()) {
                throw new IllegalStateException("declared name is not X_i or Y_j: " + a.text());
            }
            (m.group(1).equals("X") ? r.x : r.y).put(Integer.parseInt(m.group(2)), Rational.ONE);
            return r;
        }
        Lst l = (Lst) t;
        String op = head(l);
        List<Node> args = l.items().subList(1, l.items().size());
        switch (op) {
            case "+" -> {
                Lin r = new Lin();
                for (Node a : args) {
                    r = r.plus(term(a));
                }
                return r;
            }
            case "-" -> {
                if (args.isEmpty()) {
                    throw error(SymbolicError.SPEC_PARSE, "'-' takes at least one term", l);
                }
                Lin r = term(args.get(0));
                if (args.size() == 1) {
                    return r.scale(Rational.MINUS_ONE);
                }
                for (Node a : args.subList(1, args.size())) {
                    r = r.minus(term(a));
                }
                return r;
            }
            case "*" -> {
                if (args.isEmpty()) {
                    throw error(SymbolicError.SPEC_PARSE, "'*' takes at least one term", l);
                }
                Lin r = null;
                Rational k = Rational.ONE;
                for (Node a : args) {
                    Lin f = term(a);
                    if (f.isConstant()) {
                        k = k.multiply(f.c);
                    } else if (r == null) {
                        r = f;
                    } else {
                        throw error(SymbolicError.SPEC_UNSUPPORTED, "the non-linear term (a product of two variables' terms)", l);
                    }
                }
                if (r == null) {
                    Lin c = new Lin();
                    c.c = k;
                    return c;
                }
                return r.scale(k);
            }
            case "/" -> {
                if (args.size() != 2) {
                    throw error(SymbolicError.SPEC_PARSE, "'/' takes two terms", l);
                }
                Lin num = term(args.get(0));
                Lin den = term(args.get(1));
                if (!den.isConstant()) {
                    throw error(SymbolicError.SPEC_UNSUPPORTED, "the non-linear term (division by a variable's term)", l);
                }
                if (den.c.isZero()) {
                    throw error(SymbolicError.SPEC_UNSUPPORTED, "division by zero", l);
                }
                return num.scale(den.c.reciprocal());
            }
            default -> throw error(SymbolicError.SPEC_UNSUPPORTED, "the operator '" + op + "' in a term (only +, -, *, / by a constant)", l);
        }
    }

    // ------------------------------------------------------------------ boxes and output constraints

    private VnnSpec terms(List<List<Ineq>> dnf) {
        List<VnnSpec.Term> terms = new ArrayList<>();
        List<VnnSpec.Box> boxes = new ArrayList<>();
        int dropped = 0;
        for (List<Ineq> conj : dnf) {
            Rational[] lo = new Rational[inputs];
            Rational[] hi = new Rational[inputs];
            List<VnnSpec.Constraint> out = new ArrayList<>();
            boolean falsum = false;
            for (Ineq q : conj) {
                Lin e = q.e();
                if (!e.x.isEmpty() && !e.y.isEmpty()) {
                    throw error(SymbolicError.SPEC_UNSUPPORTED, "a constraint that mixes inputs (X) and outputs (Y)", q.at());
                }
                if (e.isConstant()) {
                    falsum |= e.c.signum() < 0;
                } else if (!e.x.isEmpty()) {
                    if (e.x.size() > 1) {
                        throw error(SymbolicError.SPEC_UNSUPPORTED, "an input constraint on more than one variable (inputs must form a box)", q.at());
                    }
                    int i = e.x.firstKey();
                    Rational a = e.x.get(i);
                    Rational bound = e.c.negate().divide(a);   // a X_i + c >= 0
                    if (a.signum() > 0) {
                        lo[i] = lo[i] == null ? bound : lo[i].max(bound);
                    } else {
                        hi[i] = hi[i] == null ? bound : hi[i].min(bound);
                    }
                } else {
                    Rational[] coef = new Rational[outputs];
                    Arrays.fill(coef, Rational.ZERO);
                    e.y.forEach((j, v) -> coef[j] = v);
                    out.add(new VnnSpec.Constraint(coef, e.c, q.at().line(), q.at().col()));
                }
            }
            if (falsum) {
                dropped++;
                continue;
            }
            boolean empty = false;
            for (int i = 0; i < inputs; i++) {
                if (lo[i] == null || hi[i] == null) {
                    int[] p = declared.get("X_" + i);
                    throw error(SymbolicError.SPEC_UNSUPPORTED, "X_" + i + " has no " + (lo[i] == null ? "lower" : "upper")
                            + " bound in a disjunct (inputs must be bounded: a box)", p[0], p[1]);
                }
                empty |= lo[i].compareTo(hi[i]) > 0;
            }
            if (empty) {
                dropped++;
                continue;
            }
            int b = -1;
            for (int k = 0; k < boxes.size() && b < 0; k++) {
                if (Arrays.equals(boxes.get(k).lo(), lo) && Arrays.equals(boxes.get(k).hi(), hi)) {
                    b = k;
                }
            }
            if (b < 0) {
                b = boxes.size();
                boxes.add(new VnnSpec.Box(lo, hi));
            }
            terms.add(new VnnSpec.Term(b, List.copyOf(out)));
        }
        return new VnnSpec(inputs, outputs, List.copyOf(terms), List.copyOf(boxes), dropped);
    }
}
