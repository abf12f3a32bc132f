package org.netgeom.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command and subcommand answers --help (usage errors say "see: netgeom CMD --help"). */
class HelpOptionsTest {
    static void paths(CommandLine cl, List<String> prefix, List<List<String>> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            out.add(p);
            paths(e.getValue(), p, out);
        }
    }

    @Test
    void everyCommandPrintsItsUsageOnHelp() {
        PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream());
        List<List<String>> all = new ArrayList<>();
        paths(Main.commandLine(sink, sink), List.of(), all);
        assertTrue(all.size() >= 17, "commands found: " + all);
        for (List<String> cmd : all) {
            List<String> args = new ArrayList<>(cmd);
            args.add("--help");
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.status(), cmd + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: netgeom " + String.join(" ", cmd)), cmd + ": " + r.out());
        }
    }
}
