package org.netgeom.notebooks;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.ErrorCode;
import org.netgeom.ir.IrError;
import org.netgeom.cli.CliError;
import org.netgeom.numeric.NumericError;
import org.netgeom.proofs.ProofsError;
import org.netgeom.symbolic.SymbolicError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A printed error code names one kind of failure in one place: no two error enums of the modules
 * share a constant (this module sees all of them: it depends on every other one with an error enum) (issue 15: the exact analyses, the float engines and the notebooks each had their
 * own BAD_INPUT; there is now one, {@link IrError#BAD_INPUT}). The list of enums is checked against
 * the sources, so a new module's enum cannot be left out.
 */
class ErrorCodesTest {
    static final List<Class<? extends Enum<?>>> ENUMS = List.of(IrError.class, SymbolicError.class, NumericError.class,
            NotebookError.class, ProofsError.class, CliError.class);

    @Test
    void noTwoEnumsShareACode() {
        Map<String, String> owner = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (Class<? extends Enum<?>> e : ENUMS) {
            assertTrue(ErrorCode.class.isAssignableFrom(e), e + " is not an ErrorCode");
            for (Enum<?> c : e.getEnumConstants()) {
                String was = owner.putIfAbsent(c.name(), e.getSimpleName());
                if (was != null) {
                    clashes.add(c.name() + " in " + was + " and " + e.getSimpleName());
                }
            }
        }
        assertEquals(List.of(), clashes);
        assertTrue(owner.size() > 40, "only " + owner.size() + " codes found");
    }

    @Test
    void everyErrorEnumOfTheSourcesIsListed() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Pattern decl = Pattern.compile("enum (\\w+) implements ErrorCode");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))::iterator) {
                Matcher m = decl.matcher(Files.readString(f));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        List<String> listed = ENUMS.stream().map(Class::getSimpleName).sorted().toList();
        assertEquals(listed, found.stream().sorted().toList(), "error enums in the sources");
    }
}
