package org.netgeom.certify;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker is the trusted base: it must not use any other netgeom module. Its sources name no
 * {@code org.netgeom.} package but its own (imports and fully qualified names), and its pom
 * depends on jackson-databind alone (JUnit for tests).
 */
class CertifyIndependenceTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));

    @Test
    void sourcesNameNoOtherNetgeomPackage() throws IOException {
        List<String> bad = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(MODULE.resolve("src/main/java"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                files++;
                Matcher m = Pattern.compile("org\\.netgeom\\.(\\w+)").matcher(Files.readString(p));
                while (m.find()) {
                    if (!m.group(1).equals("certify")) {
                        bad.add(p.getFileName() + ": " + m.group());
                    }
                }
            }
        }
        assertTrue(files >= 5, "found the checker's sources");
        assertEquals(List.of(), bad);
    }

    @Test
    void compiledClassesReferenceNoOtherNetgeomPackage() throws IOException {
        List<String> bad = new ArrayList<>();
        try (Stream<Path> s = Files.walk(MODULE.resolve("target/classes"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                String text = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                Matcher m = Pattern.compile("org/netgeom/(\\w+)").matcher(text);
                while (m.find()) {
                    if (!m.group(1).equals("certify")) {
                        bad.add(p.getFileName() + ": " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void pomDependsOnJacksonOnly() throws IOException {
        String pom = Files.readString(MODULE.resolve("pom.xml"));
        String deps = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(deps);
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertEquals(List.of("jackson-databind", "junit-jupiter"), ids);
        assertTrue(deps.contains("<artifactId>junit-jupiter</artifactId><scope>test</scope>"));
    }
}
