package org.netgeom.proofs;

/** Where a theorem comes from: authors, year, title and the numbered statement. */
public record Citation(String authors, int year, String title, String where) {
    @Override
    public String toString() {
        return authors + " (" + year + "), \"" + title + "\", " + where;
    }
}
