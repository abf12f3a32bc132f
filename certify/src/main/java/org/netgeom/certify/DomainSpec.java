package org.netgeom.certify;

import java.nio.file.Path;

/**
 * The domain a result claims to cover, as the user wrote it on the command line, read by the
 * checker itself: {@code box} "LO,HI" (every coordinate) or "L1,H1,L2,H2,…", or {@code polytope}
 * a JSON file {"A": [[…]], "b": […]} meaning A u ≤ b; {@code slice} "ORIGIN;DIR1[;DIR2]" (null
 * for the input space): u ↦ ORIGIN + u1·DIR1 + u2·DIR2. Exactly one of box and polytope.
 */
public record DomainSpec(String box, Path polytope, String slice) {
    public static DomainSpec box(String box) {
        return new DomainSpec(box, null, null);
    }
}
