package org.netgeom.cli.commands;

import org.netgeom.ir.IrError;
import org.netgeom.cli.Args;
import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.cli.ProgressBars;
import org.netgeom.cli.plot.LossPlanePlot;
import org.netgeom.cli.plot.PlotFiles;
import org.netgeom.ir.Binder;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.cas.Cas;
import org.netgeom.symbolic.loss.LayerParams;
import org.netgeom.symbolic.loss.LossKind;
import org.netgeom.symbolic.loss.LossPlane;
import org.netgeom.symbolic.loss.QuadraticText;
import org.netgeom.symbolic.poly.Options;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code loss-surface --plane DIR1,DIR2 --range=A0,A1,B0,B1}: the exact polygonal cells of the
 * slice θ0 + a·d1 + b·d2 of layer L's parameters and the bivariate quadratic of the loss on each.
 * JSON: {@code {"layer", "loss", "range": [A0, A1, B0, B1], "cells": [{"vertices": [[a, b], …],
 * "witness": [a, b], "pattern", "area", "coeffs": [[C00, C01, C02], [C10, C11], [C20]],
 * "quadratic": {"H", "g", "c"}}, …]}}, loss(a, b) = Σ C_pq a^p b^q = ½ uᵀHu + gᵀu + c on the
 * closed cell, u = (a, b).
 */
final class LossPlaneReport {
    private final LossSurfaceCommand cmd;
    private final Model model;
    private final DataSet data;
    private final LossKind loss;

    LossPlaneReport(LossSurfaceCommand cmd, Model raw, DataSet data, LossKind loss, Map<String, Rational> values) {
        this.cmd = cmd;
        this.model = Binder.bind(raw, values);
        Binder.requireNoSymbols(model);
        this.data = data;
        this.loss = loss;
    }

    void run(String plane, String rangeText, long budget, Path plot) {
        String[] files = plane.split(",", -1);
        if (files.length != 2 || files[0].isBlank() || files[1].isBlank()) {
            throw CliError.USAGE.at("--plane", "--plane takes two direction files, DIR1,DIR2");
        }
        if (rangeText == null) {
            throw CliError.USAGE.at("--range", "--plane needs --range=A0,A1,B0,B1");
        }
        Rational[] range = Args.rationals(rangeText, "--range");
        if (range.length != 4) {
            throw CliError.USAGE.at("--range", "--plane takes --range=A0,A1,B0,B1 (four numbers), not " + range.length);
        }
        if (budget < 1) {
            throw IrError.BAD_INPUT.at("--budget", "--budget must be at least 1");
        }
        if (plot != null) {
            PlotFiles.format(plot);
        }
        LayerParams p = LayerParams.of(model, cmd.layer());
        Rational[] d1 = p.direction(Path.of(files[0].trim()));
        Rational[] d2 = p.direction(Path.of(files[1].trim()));
        Options opt = Options.defaults().withBudget(budget).withProgress(ProgressBars.forStderr());
        LossPlane.Result res = LossPlane.compute(model, p, d1, d2, data, loss, range, opt);
        String tex = cmd.latex() ? latex(res) : null;
        if (plot != null) {
            LossPlanePlot.save(res, loss + " on " + p.path() + " + a·d1 + b·d2", plot);
        }
        if (cmd.jsonOut()) {
            Map<String, Object> o = JsonOut.object();
            o.put("layer", p.path());
            o.put("loss", loss.toString());
            o.put("range", JsonOut.exact(range));
            List<Object> cells = new ArrayList<>();
            for (LossPlane.PlaneCell c : res.cells()) {
                cells.add(cell(c));
            }
            o.put("cells", cells);
            if (tex != null) {
                o.put("latex", tex);
            }
            cmd.emitJson(o);
            return;
        }
        PrintWriter w = cmd.stdout();
        w.println(loss + " on " + p.path() + " + a·d1 + b·d2 for (a, b) in [" + range[0] + ", " + range[1] + "] x [" + range[2]
                + ", " + range[3] + "]: " + res.cells().size() + " cell" + (res.cells().size() == 1 ? "" : "s") + " (exact polygons)");
        int shown = Math.min(res.cells().size(), 40);
        for (int i = 0; i < shown; i++) {
            LossPlane.PlaneCell c = res.cells().get(i);
            w.printf("  %-3d %s   witness (%s)   pattern %s%n       vertices %s%n", i, text(c.loss()),
                    String.join(", ", JsonOut.exact(c.witness())), c.pattern(), vertices(c));
        }
        if (shown < res.cells().size()) {
            w.println("  ... and " + (res.cells().size() - shown) + " more (--json for all)");
        }
        w.println("certificates: every witness re-checked exactly against its cell's inequalities; "
                + res.stats().vertexProofs + " empty candidates proven empty by exact vertex signs");
        if (tex != null) {
            w.println(tex);
        }
        if (plot != null) {
            w.println("plot written to " + plot);
        }
    }

    private static Map<String, Object> cell(LossPlane.PlaneCell c) {
        Map<String, Object> x = JsonOut.object();
        List<Object> vs = new ArrayList<>();
        for (Rational[] v : c.vertices()) {
            vs.add(JsonOut.exact(v));
        }
        x.put("vertices", vs);
        x.put("witness", JsonOut.exact(c.witness()));
        x.put("pattern", c.pattern());
        x.put("area", JsonOut.exact(c.area()));
        List<Object> co = new ArrayList<>();
        for (Rational[] row : c.loss().c()) {
            co.add(JsonOut.exact(row));
        }
        x.put("coeffs", co);
        Map<String, Object> q = JsonOut.object();
        q.put("H", CertifiedJson.matrix(c.loss().hessian()));
        q.put("g", JsonOut.exact(c.loss().g()));
        q.put("c", JsonOut.exact(c.loss().coeff(0, 0)));
        x.put("quadratic", q);
        return x;
    }

    private static String vertices(LossPlane.PlaneCell c) {
        List<String> out = new ArrayList<>();
        for (Rational[] v : c.vertices()) {
            out.add("(" + v[0] + ", " + v[1] + ")");
        }
        return String.join(" ", out);
    }

    /** Σ C_pq a^p b^q in human form, by total degree. */
    static String text(LossPlane.Poly2 q) {
        StringBuilder sb = new StringBuilder();
        String[][] mono = {{"", "b", "b^2"}, {"a", "a b"}, {"a^2"}};
        int[][] order = {{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}};
        for (int[] pq : order) {
            Rational c = q.coeff(pq[0], pq[1]);
            if (c.isZero()) {
                continue;
            }
            String m = mono[pq[0]][pq[1]];
            String term = m.isEmpty() ? c.abs().toString() : c.abs().isOne() ? m : c.abs() + " " + m;
            sb.append(sb.length() == 0 ? (c.signum() < 0 ? "-" : "") : (c.signum() < 0 ? " - " : " + ")).append(term);
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    /** The piecewise quadratic as a LaTeX cases environment: each cell's quadratic on the convex hull of its vertices. */
    private static String latex(LossPlane.Result res) {
        Cas cas = Cas.get();
        String a = cas.symbol("a");
        String b = cas.symbol("b");
        Map<String, String> tex = Map.of("a", "a", "b", "b");
        StringBuilder sb = new StringBuilder("\\begin{cases}\n");
        for (int i = 0; i < res.cells().size(); i++) {
            LossPlane.PlaneCell c = res.cells().get(i);
            StringBuilder poly = new StringBuilder("0");
            Rational[][] co = c.loss().c();
            for (int p = 0; p < co.length; p++) {
                for (int q = 0; q < co[p].length; q++) {
                    if (!co[p][q].isZero()) {
                        poly.append("+").append(Cas.of(co[p][q])).append("*").append(a).append("^").append(p).append("*")
                                .append(b).append("^").append(q);
                    }
                }
            }
            List<String> vs = new ArrayList<>();
            for (Rational[] v : c.vertices()) {
                vs.add("(" + QuadraticText.texOf(v[0]) + ", " + QuadraticText.texOf(v[1]) + ")");
            }
            sb.append(cas.tex("Expand(" + poly + ")", tex)).append(" & (a, b) \\in \\operatorname{conv}\\{")
                    .append(String.join(", ", vs)).append("\\}").append(i + 1 < res.cells().size() ? " \\\\\n" : "\n");
        }
        return sb.append("\\end{cases}").toString();
    }
}
