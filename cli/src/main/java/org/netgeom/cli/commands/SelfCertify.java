package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.netgeom.certify.CertRejected;
import org.netgeom.certify.Certifier;
import org.netgeom.certify.DomainSpec;
import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.ir.Rational;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the independent checker ({@code netgeom-certify}, docs/certify.md) on a command's own
 * JSON output, exactly as {@code netgeom certify} would on the file: the output is written to
 * text and read back, so the checker sees nothing but the model file, the JSON and the domain.
 */
final class SelfCertify {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Search trees nest two JSON levels per tree level: read and write up to 100 000 (Jackson's default is 1000). */
    static final ObjectMapper DEEP = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(100_000).build())
            .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(100_000).build())
            .build());

    private SelfCertify() {
    }

    /** The checker's report, or CERT_REJECTED (exit 5) naming what failed. */
    static Certifier.Report check(Path model, Map<String, Object> output, DomainSpec domain, Map<String, Rational> bind) {
        JsonNode node;
        try {
            node = DEEP.readTree(DEEP.writeValueAsString(output));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return run(model, node, domain, bind);
    }

    /** One JSON text read back, as the checker would read it from a file. */
    static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The checker on a streamed region set ({@code regions --json --stream}): the claimed counts, then the regions one by one. */
    static Certifier.Report stream(Path model, JsonNode header, java.util.Iterator<JsonNode> regions, DomainSpec domain, Map<String, Rational> bind) {
        try {
            return Certifier.certifyRegions(model, header, regions, domain, strings(bind));
        } catch (CertRejected e) {
            throw CliError.CERT_REJECTED.at(e.path(), e.getMessage());
        }
    }

    private static Map<String, String> strings(Map<String, Rational> bind) {
        Map<String, String> b = new HashMap<>();
        if (bind != null) {
            bind.forEach((k, v) -> b.put(k, v.toString()));
        }
        return b;
    }

    static Certifier.Report run(Path model, JsonNode result, DomainSpec domain, Map<String, Rational> bind) {
        try {
            return Certifier.certify(model, result, domain, strings(bind));
        } catch (CertRejected e) {
            throw CliError.CERT_REJECTED.at(e.path(), e.getMessage());
        }
    }

    /** The human line a certified command prints. */
    static String line(Certifier.Report r) {
        if (r.summary() != null) {
            return "certified by netgeom-certify: " + r.summary();
        }
        return "certified by netgeom-certify: " + r.regions() + " witnesses and maps re-derived by its own forward pass, exact volumes sum to the domain's ("
                + r.domainVolume() + ")" + (r.affinePieces() >= 0 ? ", " + r.affinePieces() + " affine pieces connected" : "");
    }
}
