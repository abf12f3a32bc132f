package org.netgeom.spark;

import org.netgeom.ir.Rational;
import org.netgeom.symbolic.regions.AffineMap;
import org.netgeom.symbolic.regions.SplitMerge;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The regions of one sub-box as compact binary records, what a split task sends to the driver
 * (in place of text lines): per region its pattern (a bitset where every unit is '0'/'1', else
 * its characters), witness, exact map, vertices, local affine piece and cut-plane facets. A
 * rational is two longs where numerator and denominator fit, else their two's-complement bytes;
 * nothing is rounded, so decoding gives back exactly the values encoded.
 */
final class Records {
    private Records() {
    }

    static byte[] encode(List<SplitMerge.Piece> pieces) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, pieces.size() * 96));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (SplitMerge.Piece p : pieces) {
                pattern(out, p.pattern());
                vector(out, p.witness());
                Rational[][] a = p.map().a();
                out.writeInt(a.length);
                for (Rational[] row : a) {
                    vector(out, row);
                }
                vector(out, p.map().b());
                List<Rational[]> vs = p.vertices();
                out.writeInt(vs == null ? -1 : vs.size());
                if (vs != null) {
                    for (Rational[] v : vs) {
                        vector(out, v);
                    }
                }
                out.writeInt(p.localPiece());
                List<SplitMerge.CutFacet> cuts = p.cuts();
                out.writeInt(cuts == null ? -1 : cuts.size());
                if (cuts != null) {
                    for (SplitMerge.CutFacet c : cuts) {
                        out.writeInt(c.coordinate());
                        rational(out, c.at());
                        out.writeBoolean(c.above());
                        out.writeBoolean(c.lo() != null);
                        if (c.lo() != null) {
                            rational(out, c.lo());
                            rational(out, c.hi());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Appends the {@code count} pieces of sub-box {@code box} in {@code data} to {@code out}. */
    static void decode(byte[] data, int count, int box, int variables, List<SplitMerge.Piece> out) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            for (int n = 0; n < count; n++) {
                String pattern = pattern(in);
                Rational[] w = vector(in);
                Rational[][] a = new Rational[in.readInt()][];
                for (int i = 0; i < a.length; i++) {
                    a[i] = vector(in);
                }
                Rational[] b = vector(in);
                int nv = in.readInt();
                List<Rational[]> vs = null;
                if (nv >= 0) {
                    vs = new ArrayList<>(nv);
                    for (int i = 0; i < nv; i++) {
                        vs.add(vector(in));
                    }
                }
                int local = in.readInt();
                int nc = in.readInt();
                List<SplitMerge.CutFacet> cuts = null;
                if (nc >= 0) {
                    cuts = new ArrayList<>(nc);
                    for (int i = 0; i < nc; i++) {
                        int d = in.readInt();
                        Rational at = rational(in);
                        boolean above = in.readBoolean();
                        Rational lo = null;
                        Rational hi = null;
                        if (in.readBoolean()) {
                            lo = rational(in);
                            hi = rational(in);
                        }
                        cuts.add(new SplitMerge.CutFacet(d, at, above, lo, hi));
                    }
                }
                if (w.length != variables) {
                    throw new IllegalStateException("a split record has a witness of " + w.length + " coordinates, not " + variables);
                }
                out.add(cuts == null ? new SplitMerge.Piece(pattern, w, new AffineMap(a, b), vs)
                        : new SplitMerge.Piece(pattern, w, new AffineMap(a, b), vs, box, local, cuts));
            }
            if (in.read() != -1) {
                throw new IllegalStateException("a split task's records have trailing bytes");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pattern(DataOutputStream out, String p) throws IOException {
        boolean bits = true;
        for (int i = 0; i < p.length() && bits; i++) {
            char c = p.charAt(i);
            bits = c == '0' || c == '1';
        }
        if (bits) {
            out.writeInt(p.length());
            byte[] b = new byte[(p.length() + 7) / 8];
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) == '1') {
                    b[i >> 3] |= (byte) (1 << (i & 7));
                }
            }
            out.write(b);
        } else {
            out.writeInt(-1 - p.length());
            for (int i = 0; i < p.length(); i++) {
                out.writeByte(p.charAt(i));      // '0'-'9', 'a'-'z'
            }
        }
    }

    private static String pattern(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n >= 0) {
            byte[] b = new byte[(n + 7) / 8];
            in.readFully(b);
            char[] c = new char[n];
            for (int i = 0; i < n; i++) {
                c[i] = (b[i >> 3] >> (i & 7) & 1) != 0 ? '1' : '0';
            }
            return new String(c);
        }
        char[] c = new char[-1 - n];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) in.readUnsignedByte();
        }
        return new String(c);
    }

    private static void vector(DataOutputStream out, Rational[] v) throws IOException {
        out.writeInt(v.length);
        for (Rational x : v) {
            rational(out, x);
        }
    }

    private static Rational[] vector(DataInputStream in) throws IOException {
        Rational[] v = new Rational[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rational(in);
        }
        return v;
    }

    private static void rational(DataOutputStream out, Rational x) throws IOException {
        BigInteger n = x.numerator();
        BigInteger d = x.denominator();
        if (n.bitLength() < 64 && d.bitLength() < 64) {
            out.writeByte(0);
            out.writeLong(n.longValue());
            out.writeLong(d.longValue());
        } else {
            out.writeByte(1);
            byte[] a = n.toByteArray();
            byte[] b = d.toByteArray();
            out.writeInt(a.length);
            out.write(a);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    private static Rational rational(DataInputStream in) throws IOException {
        if (in.readByte() == 0) {
            long n = in.readLong();
            long d = in.readLong();
            return Rational.of(n, d);
        }
        byte[] a = new byte[in.readInt()];
        in.readFully(a);
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return Rational.of(new BigInteger(a), new BigInteger(b));
    }
}
