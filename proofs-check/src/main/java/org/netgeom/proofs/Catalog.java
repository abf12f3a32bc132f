package org.netgeom.proofs;

import org.netgeom.proofs.catalog.BnCentering;
import org.netgeom.proofs.catalog.MontufarLower;
import org.netgeom.proofs.catalog.PiecewiseQuadraticLoss;
import org.netgeom.proofs.catalog.ResnetConditioning;
import org.netgeom.proofs.catalog.SerraBound;
import org.netgeom.proofs.catalog.TelgarskyTent;
import org.netgeom.proofs.catalog.YarotskySquare;
import org.netgeom.proofs.catalog.DuHinf;
import org.netgeom.proofs.catalog.GfInvariants;
import org.netgeom.proofs.catalog.NtkConvergence;
import org.netgeom.proofs.catalog.PlStar;

import java.util.List;

/** The theorems netgeom checks, in the order they are listed. */
public final class Catalog {
    private static final List<Theorem> ALL = List.of(
            new TelgarskyTent(),
            new YarotskySquare(),
            new SerraBound(),
            new MontufarLower(),
            new DuHinf(),
            new PlStar(),
            new PiecewiseQuadraticLoss(),
            new ResnetConditioning(),
            new BnCentering(),
            new GfInvariants(),
            new NtkConvergence());

    private Catalog() {
    }

    public static List<Theorem> all() {
        return ALL;
    }

    /** The theorem with this id, or a coded error listing the ids. */
    public static Theorem byId(String id) {
        for (Theorem t : ALL) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw ProofsError.UNKNOWN_THEOREM.error("no theorem '" + id + "' in the catalog (netgeom check --list shows "
                + String.join(", ", ALL.stream().map(Theorem::id).toList()) + ")");
    }
}
