package org.netgeom.certify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a {@code perturb --lipschitz --json} result over its re-derived regions: f is
 * continuous and piecewise affine, so its Lipschitz constant on the domain in an operator norm
 * is the maximum of ‖A_r‖ over the regions (Jordan &amp; Dimakis 2020). l∞ (max row sum) and l1
 * (max column sum) are recomputed exactly; for l2, with G_r = A_rᵀA_r and the stated enclosure
 * [lo, hi]: hi²·I − G_r is positive semidefinite for every region (σ_max ≤ hi) and lo²·I − G_r
 * is not positive definite for some region (σ_max ≥ lo), by exact symmetric elimination (LDLᵀ);
 * an exact l2Squared s is checked as s·I − G_r PSD everywhere and singular somewhere.
 */
final class Lipschitz {
    private Lipschitz() {
    }

    static Certifier.Report check(JsonNode result, Certifier.Run run) {
        if (result.path("regions").asLong(-1) != run.regs.size()) {
            throw new CertRejected("regions is " + result.get("regions") + " but " + run.regs.size() + " regions are listed as evidence", "regions");
        }
        JsonNode lip = result.path("lipschitz");
        Q linf = Q.ZERO;
        Q l1 = Q.ZERO;
        int k = run.k;
        Q[][][] g = new Q[run.regs.size()][][];
        for (int r = 0; r < run.regs.size(); r++) {
            Certifier.Reg reg = run.regs.get(r);
            int m = reg.a().length;
            Q[][] a = new Q[m][k];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) {
                    a[i][j] = Q.of(reg.a()[i].get(j), reg.den());
                }
            }
            for (int i = 0; i < m; i++) {
                Q s = Q.ZERO;
                for (int j = 0; j < k; j++) {
                    s = s.add(a[i][j].abs());
                }
                linf = linf.compareTo(s) < 0 ? s : linf;
            }
            for (int j = 0; j < k; j++) {
                Q s = Q.ZERO;
                for (int i = 0; i < m; i++) {
                    s = s.add(a[i][j].abs());
                }
                l1 = l1.compareTo(s) < 0 ? s : l1;
            }
            g[r] = new Q[k][k];
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    Q s = Q.ZERO;
                    for (int i = 0; i < m; i++) {
                        s = s.add(a[i][p].mul(a[i][q]));
                    }
                    g[r][p][q] = s;
                }
            }
        }
        if (Certifier.parse(lip.get("linf"), "lipschitz.linf").compareTo(linf) != 0) {
            throw new CertRejected("the l-inf constant over the regions is " + linf, "lipschitz.linf");
        }
        if (Certifier.parse(lip.get("l1"), "lipschitz.l1").compareTo(l1) != 0) {
            throw new CertRejected("the l1 constant over the regions is " + l1, "lipschitz.l1");
        }
        JsonNode enc = lip.path("l2Enclosure");
        Q lo = Certifier.parse(enc.get(0), "lipschitz.l2Enclosure[0]");
        Q hi = Certifier.parse(enc.get(1), "lipschitz.l2Enclosure[1]");
        if (lo.signum() < 0 || lo.compareTo(hi) > 0) {
            throw new CertRejected("not an enclosure", "lipschitz.l2Enclosure");
        }
        boolean reached = false;
        for (int r = 0; r < g.length; r++) {
            if (!definite(shift(g[r], hi.mul(hi)), false)) {
                throw new CertRejected("the l2 norm of " + run.list + "[" + r + "]'s map exceeds the enclosure's upper end " + hi, "lipschitz.l2Enclosure[1]");
            }
            reached |= !definite(shift(g[r], lo.mul(lo)), true);
        }
        if (!reached) {
            throw new CertRejected("no region's l2 norm reaches the enclosure's lower end " + lo, "lipschitz.l2Enclosure[0]");
        }
        JsonNode sq = lip.get("l2Squared");
        Q s = null;
        try {
            s = sq != null && sq.isTextual() ? Q.parse(sq.asText()) : null;
        } catch (RuntimeException e) {
            s = null;                   // a closed form, not a rational: the enclosure is the certificate
        }
        if (s != null) {
            boolean attained = false;
            for (Q[][] gr : g) {
                if (!definite(shift(gr, s), false)) {
                    throw new CertRejected("some region's squared l2 norm exceeds l2Squared " + s, "lipschitz.l2Squared");
                }
                attained |= !definite(shift(gr, s), true);
            }
            if (!attained) {
                throw new CertRejected("no region's squared l2 norm equals l2Squared " + s, "lipschitz.l2Squared");
            }
        }
        return new Certifier.Report("lipschitz", run.regs.size(), -1, run.domainVolume.toString(), run.inequalities);
    }

    private static Q[][] shift(Q[][] g, Q s) {
        int k = g.length;
        Q[][] m = new Q[k][k];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                m[p][q] = (p == q ? s : Q.ZERO).sub(g[p][q]);
            }
        }
        return m;
    }

    /** Positive definite (strict) or semidefinite, by exact symmetric elimination. */
    static boolean definite(Q[][] m, boolean strict) {
        int n = m.length;
        for (int i = 0; i < n; i++) {
            Q p = m[i][i];
            if (p.signum() < 0 || (strict && p.signum() == 0)) {
                return false;
            }
            if (p.signum() == 0) {
                for (int j = i + 1; j < n; j++) {
                    if (m[i][j].signum() != 0) {
                        return false;
                    }
                }
                continue;
            }
            for (int j = i + 1; j < n; j++) {
                Q f = m[j][i].div(p);
                for (int l = i; l < n; l++) {
                    m[j][l] = m[j][l].sub(f.mul(m[i][l]));
                }
            }
        }
        return true;
    }
}
