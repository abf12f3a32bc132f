package org.netgeom.symbolic.perturb;

import org.netgeom.ir.Model;
import org.netgeom.ir.Rational;
import org.netgeom.symbolic.exact.ExactForward;
import org.netgeom.symbolic.linalg.CReal;
import org.netgeom.symbolic.linalg.ExactMatrices;
import org.netgeom.symbolic.linalg.Interval;
import org.netgeom.symbolic.linalg.QMatrix;
import org.netgeom.symbolic.linalg.RealRoot;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.poly.Stats;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.Region;
import org.netgeom.symbolic.regions.Regions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The exact Lipschitz constant of a piecewise-linear network over a convex domain D (a box or a
 * polytope), in three operator norms: ℓ∞→ℓ∞ (max row sum of |A|), ℓ1→ℓ1 (max column sum) and
 * ℓ2→ℓ2 (the largest singular value σ₁).
 *
 * <p>f is continuous and piecewise affine on D with the exact map f(x) = A_r x + b_r on each
 * activation region r, so for every operator norm
 *
 * <pre>  L(f, D) = sup_{x ≠ y ∈ D} ‖f(x) − f(y)‖ / ‖x − y‖ = max_r ‖A_r‖.</pre>
 *
 * (≥: two points of one open region r in the direction that attains ‖A_r‖. ≤: a segment [x, y]
 * of the convex D that crosses the regions' boundaries transversally splits into finitely many
 * pieces, each inside one closed region, and the triangle inequality sums them; a segment along
 * a boundary is the limit of such segments and f is continuous.) This is the quantity that LipMIP
 * computes with a mixed-integer program (M. Jordan and A. G. Dimakis, "Exactly Computing the Local
 * Lipschitz Constant of ReLU Networks", NeurIPS 2020, Theorem 1: the constant is the supremum of
 * the norm of the (generalised) Jacobian over the domain); here it is computed from the exact
 * regions of the shared polyhedral engine, {@link Regions#forEach}, without storing them.
 *
 * <p>Exactness: ℓ∞ and ℓ1 are rationals compared exactly. σ₁² is the largest eigenvalue of the
 * smaller Gram matrix, a real algebraic number ({@link RealRoot}); the maximum over regions is
 * taken with {@link RealRoot#compareTo(RealRoot)}, exact (equal numbers from different polynomials
 * are recognised through their gcd). A region that cannot beat the current maximum m is skipped
 * without a spectrum: when tr(G) ≤ lo or lo·I − G ⪰ 0 (an exact LDLᵀ), lo ≤ m the lower end of
 * m's certified enclosure; so is a map already seen. Each norm carries the
 * first region (in the search's order) where it is attained: its pattern and its witness, a
 * rational point strictly inside the region, checked exactly by the engine; a witness on which
 * {@link ExactForward} reports a kink (a unit identically zero on the region) is replaced by one
 * of a later region with the same norm where there is one.
 */
public final class Lipschitz {
    private Lipschitz() {
    }

    /** Where a norm is attained: a region's pattern, its witness (strictly inside), its exact map and its index. */
    public record Attained(String pattern, Rational[] witness, Rational[][] a, int region, boolean onKink) {
    }

    /**
     * The constants and where they are attained. {@code l2Squared} is σ₁² (exact algebraic),
     * {@code l2} = √(σ₁²) (certified); {@code regions} is the number of activation regions,
     * {@code spectra} how many exact spectra were computed.
     */
    public record Result(Rational linf, Rational l1, RealRoot l2Squared, CReal l2, Attained atLinf, Attained atL1,
                         Attained atL2, long regions, long spectra, Stats stats) {
    }

    /** The Lipschitz constants of {@code model} (no free symbols) over {@code domain} (of its input). */
    public static Result compute(Model model, Domain domain, Options options) {
        return compute(model, domain, options, r -> { });
    }

    /** The same, handing every region to {@code tap} too (e.g. to write it out as evidence for a checker). */
    public static Result compute(Model model, Domain domain, Options options, java.util.function.Consumer<Region> tap) {
        Search s = new Search(model);
        Stats st = Regions.forEach(model, AffineMap.identity(model.input().size()), domain, options, r -> {
            s.visit(r);
            tap.accept(r);
        });
        return new Result(s.linf, s.l1, s.l2, CReal.sqrt(s.l2), s.atLinf, s.atL1, s.atL2, st.cells, s.spectra, st);
    }

    /** ‖A‖_∞ = max_i Σ_j |a_ij|. */
    public static Rational maxRowSum(Rational[][] a) {
        return ExactMatrices.maxAbsRowSum(a);
    }

    /** ‖A‖_1 = max_j Σ_i |a_ij|. */
    public static Rational maxColumnSum(Rational[][] a) {
        return ExactMatrices.maxAbsRowSum(QMatrix.transpose(a));
    }

    /** σ₁(A)², the largest eigenvalue of the smaller Gram matrix, exactly. */
    public static RealRoot sigmaMaxSquared(Rational[][] a) {
        return largestEigenvalue(QMatrix.gram(a));
    }

    /** The largest root of det(xI − G): the roots of its square-free part come increasing (Descartes isolation). */
    private static RealRoot largestEigenvalue(Rational[][] g) {
        if (g.length == 1) {
            return RealRoot.rational(g[0][0]);
        }
        List<RealRoot> roots = RealRoot.roots(QMatrix.charPoly(g));
        return roots.get(roots.size() - 1);
    }

    private static final class Search {
        final Model model;
        final Set<List<List<Rational>>> seen = new HashSet<>();
        Rational linf;
        Rational l1;
        RealRoot l2;
        Rational l2Lo;
        Interval l2Enclosure;
        Attained atLinf;
        Attained atL1;
        Attained atL2;
        long spectra;

        Search(Model model) {
            this.model = model;
        }

        void visit(Region r) {
            Rational[][] a = r.map().a();
            Rational ninf = maxRowSum(a);
            Rational n1 = maxColumnSum(a);
            int c = linf == null ? 1 : ninf.compareTo(linf);
            if (c > 0 || c == 0 && atLinf.onKink()) {
                Attained at = attained(r, a);
                if (c > 0 || !at.onKink()) {
                    linf = ninf;
                    atLinf = at;
                }
            }
            c = l1 == null ? 1 : n1.compareTo(l1);
            if (c > 0 || c == 0 && atL1.onKink()) {
                Attained at = attained(r, a);
                if (c > 0 || !at.onKink()) {
                    l1 = n1;
                    atL1 = at;
                }
            }
            List<List<Rational>> key = new ArrayList<>(a.length);     // exact equality of maps
            for (Rational[] row : a) {
                key.add(List.of(row));
            }
            boolean fresh = seen.add(key);
            if (!fresh && !(atL2 != null && atL2.onKink())) {
                return;                              // the same map: the same σ₁, already counted
            }
            Rational[][] g = QMatrix.gram(a);
            if (l2 != null && !atL2.onKink() && cannotExceed(g)) {
                return;
            }
            spectra++;
            RealRoot s2 = largestEigenvalue(g);
            c = l2 == null ? 1 : compare(s2, l2);
            if (c > 0 || c == 0 && atL2.onKink()) {
                Attained at = attained(r, a);
                if (c > 0 || !at.onKink()) {
                    l2 = s2;
                    l2Enclosure = s2.enclose(64);
                    l2Lo = l2Enclosure.lo();
                    atL2 = at;
                }
            }
        }

        /** x against the maximum so far: disjoint certified enclosures decide, else the exact comparison. */
        private int compare(RealRoot x, RealRoot max) {
            Interval e = x.enclose(64);
            if (e.hi().compareTo(l2Enclosure.lo()) < 0) {
                return -1;
            }
            if (e.lo().compareTo(l2Enclosure.hi()) > 0) {
                return 1;
            }
            return x.compareTo(max);
        }

        /**
         * λ_max(G) ≤ lo ≤ σ₁² so far, with lo the lower end of its enclosure, decided exactly: by
         * the trace (λ_max ≤ tr G for G ⪰ 0), else by lo·I − G ⪰ 0 (exact LDLᵀ).
         */
        private boolean cannotExceed(Rational[][] g) {
            Rational tr = Rational.ZERO;
            for (int i = 0; i < g.length; i++) {
                tr = tr.add(g[i][i]);
            }
            if (tr.compareTo(l2Lo) <= 0) {
                return true;
            }
            Rational[][] m = new Rational[g.length][g.length];
            for (int i = 0; i < g.length; i++) {
                for (int j = 0; j < g.length; j++) {
                    m[i][j] = i == j ? l2Lo.subtract(g[i][j]) : g[i][j].negate();
                }
            }
            return ExactMatrices.definite(m, false).holds();
        }

        Attained attained(Region r, Rational[][] a) {
            Rational[] w = r.witness();
            boolean kink = ExactForward.run(model, r.inputWitness()).onKink();
            return new Attained(r.pattern(), w, a, r.index(), kink);
        }
    }
}
