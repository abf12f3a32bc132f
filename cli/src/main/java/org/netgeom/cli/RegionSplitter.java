package org.netgeom.cli;

import org.netgeom.ir.Model;
import org.netgeom.symbolic.poly.Domain;
import org.netgeom.symbolic.poly.Options;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.RegionSet;

/**
 * The engine behind {@code regions --split N}: enumerates the sub-boxes of the domain as separate
 * tasks and merges them by pattern ({@link org.netgeom.symbolic.regions.SplitMerge}). Provided by
 * the netgeom-spark module ({@code META-INF/services/org.netgeom.cli.RegionSplitter}); without it
 * {@code --split} is the coded error {@code SPARK_MISSING}.
 */
public interface RegionSplitter {
    /**
     * The merged regions of {@code model} ∘ {@code inputMap} on {@code domain}, cut into about
     * {@code split} sub-boxes, on the Spark master {@code master} (null: the default).
     */
    RegionSet enumerate(Model model, AffineMap inputMap, Domain domain, Options options, int split, String master);

    /** The splitter on the classpath, or the coded error SPARK_MISSING. */
    static RegionSplitter find() {
        return java.util.ServiceLoader.load(RegionSplitter.class).findFirst().orElseThrow(() -> CliError.SPARK_MISSING.at("--split",
                "--split runs on Apache Spark, which this jar does not carry: run it through the ./netgeom launcher "
                        + "(it puts the netgeom-spark module on the classpath)"));
    }
}
