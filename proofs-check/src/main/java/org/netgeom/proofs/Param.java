package org.netgeom.proofs;

/** A parameter of a theorem's check ({@code --param name=value}) with its default. */
public record Param(String name, String defaultValue, String description) {
}
