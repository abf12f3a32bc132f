package org.netgeom.spark;

/**
 * The main class of the netgeom-spark jar (for {@code spark-submit --class org.netgeom.spark.SparkMain}):
 * the netgeom command line with this module's commands ({@code sweep}, {@code regions --split}).
 */
public final class SparkMain {
    private SparkMain() {
    }

    public static void main(String[] args) {
        org.netgeom.cli.Main.main(args);
    }
}
