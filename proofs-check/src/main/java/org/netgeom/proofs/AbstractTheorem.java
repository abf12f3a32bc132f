package org.netgeom.proofs;

import java.util.List;
import java.util.Map;

/** The data part of a theorem, held in fields; subclasses implement {@link #check}. */
public abstract class AbstractTheorem implements Theorem {
    private final String id;
    private final String title;
    private final String statement;
    private final String latex;
    private final Citation citation;
    private final String falseVariant;
    private final List<Param> params;

    protected AbstractTheorem(String id, String title, String statement, String latex, Citation citation, String falseVariant,
                              List<Param> params) {
        this.id = id;
        this.title = title;
        this.statement = statement;
        this.latex = latex;
        this.citation = citation;
        this.falseVariant = falseVariant;
        this.params = List.copyOf(params);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String statement() {
        return statement;
    }

    @Override
    public String latex() {
        return latex;
    }

    @Override
    public Citation citation() {
        return citation;
    }

    @Override
    public String falseVariant() {
        return falseVariant;
    }

    @Override
    public List<Param> params() {
        return params;
    }

    /** A result of this theorem. */
    protected CheckResult result(CheckContext ctx, Verdict v, int instances, Map<String, Object> evidence, Object counterexample,
                                 List<String> notes) {
        return new CheckResult(id, ctx.falseVariant(), v, instances, evidence, counterexample, notes);
    }
}
