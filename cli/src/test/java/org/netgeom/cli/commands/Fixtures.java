package org.netgeom.cli.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files the command-line tests share: Telgarsky's tent composed twice and four points on it. */
final class Fixtures {
    private Fixtures() {
    }

    /** tent2.json (as in IR.md) in {@code dir}. */
    static Path tent(Path dir) throws IOException {
        Path tent = dir.resolve("tent2.json");
        Files.writeString(tent, """
                {"netgeom": 1, "name": "tent-2", "input": [1], "layers": [
                  {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
                  {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"},
                  {"op": "dense", "weight": [["1"], ["1"]], "bias": ["0", "-1/2"]}, {"op": "relu"},
                  {"op": "dense", "weight": [["2", "-4"]], "bias": ["0"]}, {"op": "relu"}]}
                """);
        return tent;
    }

    /** x = 1/16, 1/8, 3/8, 11/16 with target 1/2 each. */
    static Path tentData(Path dir) throws IOException {
        Path line = dir.resolve("line.csv");
        Files.writeString(line, "x1,y1\n0.0625,0.5\n0.125,0.5\n0.375,0.5\n0.6875,0.5\n");
        return line;
    }
}
