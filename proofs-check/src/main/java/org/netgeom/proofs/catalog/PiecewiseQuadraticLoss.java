package org.netgeom.proofs.catalog;

import org.netgeom.ir.DataSet;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.proofs.AbstractTheorem;
import org.netgeom.proofs.CheckContext;
import org.netgeom.proofs.CheckResult;
import org.netgeom.proofs.Citation;
import org.netgeom.proofs.Instances;
import org.netgeom.proofs.Param;
import org.netgeom.proofs.ProofsError;
import org.netgeom.proofs.UserModel;
import org.netgeom.proofs.Verdict;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.linalg.ExactMatrices;
import org.netgeom.symbolic.loss.LossCell;
import org.netgeom.symbolic.loss.Variables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Riedi, Balestriero &amp; Baraniuk (2022), "Singular value perturbation and deep network
 * optimization" (Sec. 3): with the data fixed, a piecewise-linear network is piecewise affine in
 * the parameters θ of any one layer, so the squared loss is piecewise quadratic in θ: on each
 * cell (all data points keeping their activation patterns) L(θ) = ½θᵀHθ + gᵀθ + c with
 * H = 2s·JᵀJ ⪰ 0 (J the stacked local Jacobian of the outputs in θ, s the loss's normalisation).
 *
 * <p>Checked exactly on seeded instances: the cell at θ0 and its quadratic come from the loss
 * engine ({@link LossCell}); the checker then draws rational points inside the cell (verified
 * exactly against its inequalities), evaluates the loss there through an independent path
 * (the exact forward pass of the model with layer L replaced, and its own mean of squares), and
 * requires equality with the quadratic and an unchanged pattern; H ⪰ 0 is decided exactly.
 *
 * <p>False variant: the cell's quadratic is the loss everywhere (one global quadratic). The
 * checker walks out of the cell until the loss and the quadratic differ, and reports that point.
 */
public final class PiecewiseQuadraticLoss extends AbstractTheorem {

    public PiecewiseQuadraticLoss() {
        super("piecewise-quadratic-loss", "Riedi et al.: the squared loss is exactly quadratic in one layer's parameters on each cell",
                "With the data fixed, the MSE of a piecewise-linear network, as a function of the parameters theta of one layer, "
                        + "is on each cell (every data point keeping its activation pattern) a quadratic 1/2 theta^T H theta + g^T theta + c "
                        + "with H = 2 s J^T J positive semidefinite.",
                "L(\\theta)=\\tfrac12\\theta^\\top H_\\omega\\theta+g_\\omega^\\top\\theta+c_\\omega\\ \\text{ on each cell }\\omega,"
                        + "\\quad H_\\omega = 2s\\,J_\\omega^\\top J_\\omega\\succeq 0",
                new Citation("R. H. Riedi, R. Balestriero, R. G. Baraniuk", 2022, "Singular value perturbation and deep network optimization",
                        "Section 3 (piecewise-quadratic loss landscape)"),
                "the loss equals the quadratic of the cell at theta_0 everywhere (one global quadratic)",
                List.of(new Param("points", "4", "data points"), new Param("samples", "6", "rational points checked per cell"),
                        new Param("layer", "last", "with --model: the layer whose parameters vary (name, index or dotted path; "
                                + "default the last dense or conv2d layer)")));
    }

    @Override
    public boolean acceptsModel() {
        return true;
    }

    @Override
    public CheckResult check(CheckContext ctx) {
        ctx.requireKnownParams(this);
        int points = ctx.intParam(this, "points", 1);
        int samples = ctx.intParam(this, "samples", 1);
        Model user = ctx.model() == null ? null : UserModel.piecewiseLinear(ctx, id());
        String userLayer = user == null ? null : layerOf(user, ctx.param(this, "layer"));
        int n = user != null && ctx.data() != null ? 1 : ctx.instances(user != null ? 3 : 4);
        Random rnd = ctx.random(id());
        List<Object> rows = new ArrayList<>();
        Map<String, Object> ev = new LinkedHashMap<>();
        int checked = 0;
        int onKink = 0;
        ctx.progress().start(id(), n);
        for (int inst = 0; inst < n; inst++) {
            boolean residual = inst % 2 == 1;
            Model m = user != null ? user : net(rnd, residual);
            DataSet data = user != null ? UserModel.data(ctx, m, points, rnd) : data(rnd, points, 2, 1);
            String layer = user != null ? userLayer : residual ? "1.layers.0" : "2";
            Variables vars = Variables.of(m, layer, Map.of(), false);
            LossCell.Result cell = ctx.engines().lossCell().compute(vars, data);
            if (cell.onBoundary()) {
                onKink++;
                continue;                                           // theta_0 on a kink: no open cell to test
            }
            boolean psd = ExactMatrices.definite(cell.hessian(), false).holds();
            Rational[] u0 = vars.point();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("net", user != null ? (m.name() == null ? "--model" : m.name()) : residual ? "2-3-(residual 3)-1" : "2-3-3-1 relu");
            row.put("layer", layer);
            row.put("parameters", u0.length);
            row.put("cellInequalities", cell.cell().size());
            row.put("hessianPsd", psd);
            if (ctx.falseVariant()) {
                Map<String, Object> ce = outside(vars, cell, data, rnd, m);
                if (ce != null) {
                    rows.add(row);
                    ev.put("instances", rows);
                    ctx.progress().done();
                    return result(ctx, Verdict.VIOLATED, inst + 1, ev, ce, List.of(
                            "outside the cell of theta_0 the exact loss differs from that cell's quadratic"));
                }
                continue;
            }
            int inside = 0;
            for (int k = 0; k < 200 && inside < samples; k++) {
                Rational[] u = jitter(rnd, u0, Rational.of(1, 1L << (4 + k / 20)));
                if (!cell.inInterior(u)) {
                    continue;
                }
                inside++;
                Rational loss = exactLoss(vars.at(u), data);
                String pattern = patterns(vars.at(u), data);
                if (!loss.equals(cell.quadraticAt(u)) || !pattern.equals(cell.pattern()) || !psd) {
                    Map<String, Object> ce = new LinkedHashMap<>();
                    ce.put("model", Instances.ir(m));
                    ce.put("layer", layer);
                    ce.put("point", Instances.exact(u));
                    ce.put("loss", loss.toString());
                    ce.put("quadratic", cell.quadraticAt(u).toString());
                    ce.put("hessianPsd", psd);
                    rows.add(row);
                    ev.put("instances", rows);
                    ctx.progress().done();
                    return result(ctx, Verdict.VIOLATED, inst + 1, ev, ce, List.of("inside the cell the loss is not its quadratic"));
                }
            }
            checked += inside;
            row.put("pointsChecked", inside);
            rows.add(row);
            ctx.progress().step(1);
        }
        ctx.progress().done();
        if (ctx.falseVariant()) {
            ev.put("instances", rows);
            return result(ctx, Verdict.INCONCLUSIVE, n, ev, null, List.of("no point outside a cell was found where the loss differs"));
        }
        ev.put("instances", rows);
        ev.put("pointsChecked", checked);
        ev.put("instancesOnKink", onKink);
        if (checked == 0) {
            return result(ctx, Verdict.INCONCLUSIVE, n, ev, null, List.of(
                    "theta_0 lay on a kink (a data point on an activation boundary) in every instance: no open cell to test"));
        }
        return result(ctx, Verdict.HOLDS, n, ev, null, List.of(
                "at rational points inside each cell (checked against its inequalities) the exact loss, computed by an independent "
                        + "forward pass, equals the cell's quadratic and the activation patterns are unchanged; H is PSD (exact LDL^T)"));
    }

    /** The selector of the varying layer: the user's, or the last dense or conv2d layer of the model (as "3" or "1.layers.0"). */
    static String layerOf(Model m, String selector) {
        if (!selector.equals("last")) {
            Layer l = m.locate(selector).layer();
            if (!(l instanceof Layer.Dense) && !(l instanceof Layer.Conv2d)) {
                throw ProofsError.MODEL_NOT_APPLICABLE.at("--param layer", "layer " + selector + " is a " + l.getClass().getSimpleName()
                        + ", not a dense or conv2d layer with parameters");
            }
            return selector;
        }
        String[] found = {null};
        m.walk(s -> {
            if (s.layer() instanceof Layer.Dense || s.layer() instanceof Layer.Conv2d) {
                found[0] = s.path().selector();
            }
        });
        if (found[0] == null) {
            throw ProofsError.MODEL_NOT_APPLICABLE.at("--model", "the model has no dense or conv2d layer whose parameters could vary");
        }
        return found[0];
    }

    /** Walks from θ0 along random directions until the exact loss and the cell's quadratic differ. */
    private static Map<String, Object> outside(Variables vars, LossCell.Result cell, DataSet data, Random rnd, Model m) {
        for (int k = 0; k < 60; k++) {
            Rational[] u = jitter(rnd, vars.point(), Rational.of(1 + k % 6));
            if (cell.inClosedCell(u)) {
                continue;
            }
            Rational loss = exactLoss(vars.at(u), data);
            Rational q = cell.quadraticAt(u);
            if (!loss.equals(q)) {
                Map<String, Object> ce = new LinkedHashMap<>();
                ce.put("model", Instances.ir(m));
                ce.put("point", Instances.exact(u));
                ce.put("loss", loss.toString());
                ce.put("quadraticOfTheta0Cell", q.toString());
                ce.put("patternThere", patterns(vars.at(u), data));
                ce.put("patternAtTheta0", cell.pattern());
                return ce;
            }
        }
        return null;
    }

    /** MSE (PyTorch's mean over N·k), from exact forward passes. */
    static Rational exactLoss(Model m, DataSet data) {
        Rational sum = Rational.ZERO;
        int k = data.targetWidth();
        for (int i = 0; i < data.size(); i++) {
            Rational[] f = ExactForward.eval(m, data.x(i));
            Rational[] y = data.y(i);
            for (int j = 0; j < k; j++) {
                Rational r = f[j].subtract(y[j]);
                sum = sum.add(r.multiply(r));
            }
        }
        return sum.divide(Rational.of((long) data.size() * k));
    }

    private static String patterns(Model m, DataSet data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.size(); i++) {
            sb.append(i == 0 ? "" : "|").append(ExactForward.run(m, data.x(i)).pattern());
        }
        return sb.toString();
    }

    private static Rational[] jitter(Random r, Rational[] u0, Rational scale) {
        Rational[] u = u0.clone();
        for (int i = 0; i < u.length; i++) {
            u[i] = u[i].add(Rational.of(r.nextInt(21) - 10, 10).multiply(scale));
        }
        return u;
    }

    private static Model net(Random r, boolean residual) {
        List<Layer> ls = new ArrayList<>();
        ls.add(new Layer.Dense(null, Instances.matrix(r, 3, 2, 6, 3), Instances.vector(r, 3, 4, 3)));
        if (residual) {
            ls.add(new Layer.Residual(null, List.of(new Layer.Dense(null, Instances.matrix(r, 3, 3, 6, 3), Instances.vector(r, 3, 4, 3)),
                    Layer.AbRelu.relu(null)), null));
        } else {
            ls.add(Layer.AbRelu.relu(null));
            ls.add(new Layer.Dense(null, Instances.matrix(r, 3, 3, 6, 3), Instances.vector(r, 3, 4, 3)));
            ls.add(Layer.AbRelu.relu(null));
        }
        ls.add(new Layer.Dense(null, Instances.matrix(r, 1, 3, 6, 3), Instances.vector(r, 1, 4, 3)));
        return new Model(residual ? "pq-residual" : "pq-plain", Shape.of(2), ls);
    }

    private static DataSet data(Random r, int n, int d, int k) {
        return new DataSet(Instances.matrix(r, n, d, 8, 4), Instances.matrix(r, n, k, 8, 4));
    }
}
