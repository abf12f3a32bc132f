package org.netgeom.proofs.junit;

import org.junit.jupiter.params.provider.ArgumentsSource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Seeded random networks with rational weights as {@code @ParameterizedTest} arguments, each a
 * {@link NetInstance} (model and a rational point in [-1, 1]^n):
 * <pre>{@code
 * @ParameterizedTest
 * @RandomModels(count = 20, seed = 7, inputs = 2, widths = {4, 4}, activation = "leaky_relu")
 * void floatMatchesExact(NetInstance inst) { ... }
 * }</pre>
 * The architecture is {@code inputs → [dense(width) → activation]* → dense(outputs)}; with
 * {@code residual = true} each hidden block of equal width is wrapped in a residual. Weights are
 * p/q with |p| ≤ {@code numerator} and 1 ≤ q ≤ {@code denominator}.
 */
@Documented
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@ArgumentsSource(RandomModelsProvider.class)
public @interface RandomModels {
    int count() default 10;

    long seed() default 1;

    int inputs() default 2;

    int[] widths() default {3, 3};

    int outputs() default 1;

    /** relu, leaky_relu (slope 1/10), abs, or any IR activation op name. */
    String activation() default "relu";

    boolean residual() default false;

    int numerator() default 8;

    int denominator() default 4;
}
