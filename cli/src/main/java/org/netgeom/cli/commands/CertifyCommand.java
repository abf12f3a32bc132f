package org.netgeom.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.netgeom.certify.Certifier;
import org.netgeom.certify.DomainSpec;
import org.netgeom.cli.Args;
import org.netgeom.cli.CliError;
import org.netgeom.cli.JsonOut;
import org.netgeom.ir.IrError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code netgeom certify MODEL RESULT.json (--box … | --polytope F) [--slice …]}: re-verifies a
 * result of {@code regions --json} or {@code perturb --lipschitz --json} with the independent
 * checker {@code netgeom-certify} (its own rational arithmetic and forward pass, docs/certify.md).
 * Exit 0 and "certified" (JSON {@code {"certified": true, "kind", "regions", "affinePieces",
 * "domainVolume", "inequalities"}}); a rejected certificate exits 5 with
 * {@code error[CERT_REJECTED]: what failed (at regions[i]…)}.
 */
@Command(name = "certify", description = "Re-verify a result of regions or perturb --lipschitz with the independent checker netgeom-certify.")
public final class CertifyCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model IR file the result is about.")
    Path model;

    @Parameters(index = "1", paramLabel = "RESULT.json", description = "The JSON the command wrote (regions --json, perturb --lipschitz --json).")
    Path result;

    @Mixin
    DomainOptions domain;

    @Option(names = "--bind", paramLabel = "NAME=VALUE,...", description = "Values for free symbols, as given to the command.")
    String bind;

    @Override
    public Integer call() {
        for (Path p : new Path[]{model, result}) {
            if (!Files.isRegularFile(p)) {
                throw IrError.IR_IO.error("cannot read " + p);
            }
        }
        if (!domain.given() && !isVerify(result)) {
            throw CliError.USAGE.error("certify needs the domain the result is about: --box=LO,HI (or a pair per coordinate) or --polytope FILE");
        }
        JsonNode node;
        try {
            node = SelfCertify.DEEP.readTree(result.toFile());
        } catch (IOException e) {
            throw CliError.CERT_REJECTED.at(result.toString(), "the result is not JSON: " + e.getMessage());
        }
        Certifier.Report r = SelfCertify.run(model, node, new DomainSpec(domain.box, domain.polytope, domain.slice), Args.bindings(bind));
        if (json) {
            Map<String, Object> o = JsonOut.object();
            o.put("certified", true);
            o.put("kind", r.kind());
            if (r.summary() != null) {
                o.put("nodes", r.regions());
                o.put("leaves", r.inequalities());
                printJson(o);
                return 0;
            }
            o.put("regions", r.regions());
            if (r.affinePieces() >= 0) {
                o.put("affinePieces", r.affinePieces());
            }
            o.put("domainVolume", r.domainVolume());
            o.put("inequalities", r.inequalities());
            printJson(o);
        } else {
            out().println("certified: " + result + " (" + r.kind() + ") re-verified by netgeom-certify");
            out().println("  " + SelfCertify.line(r));
            out().flush();
        }
        return 0;
    }

    /** A verify result carries its own boxes: it needs no --box. */
    private static boolean isVerify(Path result) {
        try {
            JsonNode n = SelfCertify.DEEP.readTree(result.toFile());
            return n != null && n.has("terms") && n.has("boxes");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
