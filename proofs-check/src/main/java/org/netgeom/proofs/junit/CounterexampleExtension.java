package org.netgeom.proofs.junit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.netgeom.ir.io.AtomicFiles;
import org.opentest4j.AssertionFailedError;

import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * A JUnit 5 extension for numeric-vs-symbolic tests: when a test that received a
 * {@link NetInstance} fails, the instance's model is written as IR to
 * {@code target/netgeom-counterexamples/<test>-<index>.json} (directory overridable with the
 * system property {@code netgeom.counterexamples}) and the failure message says where, so that
 * {@code netgeom eval/regions/...} can be run on it directly.
 * <pre>{@code
 * @ExtendWith(CounterexampleExtension.class)
 * class MyParityTest { @ParameterizedTest @RandomModels(...) void agrees(NetInstance inst) { ... } }
 * }</pre>
 */
public final class CounterexampleExtension implements InvocationInterceptor, TestExecutionExceptionHandler {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CounterexampleExtension.class);

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> inv,
                                            ExtensionContext ctx) throws Throwable {
        for (Object a : inv.getArguments()) {
            if (a instanceof NetInstance ni) {
                ctx.getStore(NS).put("instance", ni);
            }
        }
        invocation.proceed();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext ctx, Throwable t) throws Throwable {
        NetInstance ni = ctx.getStore(NS).get("instance", NetInstance.class);
        if (ni == null || !(t instanceof AssertionError)) {
            throw t;
        }
        Path dir = Path.of(System.getProperty("netgeom.counterexamples", "target/netgeom-counterexamples"));
        String name = ctx.getRequiredTestMethod().getName() + "-" + ni.index() + ".json";
        Path file = dir.resolve(name);
        AtomicFiles.writeString(file, ni.toIr());
        AssertionFailedError e = new AssertionFailedError(t.getMessage() + "\ncounterexample model written to "
                + file.toAbsolutePath() + " (input point " + ni.pointText() + ")", t);
        e.setStackTrace(t.getStackTrace());
        throw e;
    }
}
