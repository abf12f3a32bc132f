package org.netgeom.ir.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netgeom.ir.DataSet;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data sets in CSV, JSON and safetensors, exact values, and their coded errors. */
class DataReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static Rational[] q(String... v) {
        Rational[] out = new Rational[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Rational.parse(v[i]);
        }
        return out;
    }

    @Test
    void csvIsExactAndColumnsMayComeInAnyOrder() throws IOException {
        DataSet d = DataReader.read(file("d.csv", "# a comment\ny1, x2 ,x1\n0.1,1/3,-2\n\n1e-3,0,5\n"));
        assertEquals(2, d.size());
        assertArrayEquals(q("-2", "1/3"), d.x(0));
        assertArrayEquals(q("1/10"), d.y(0), "0.1 in a CSV is exactly 1/10");
        assertArrayEquals(q("5", "0"), d.x(1));
        assertArrayEquals(q("1/1000"), d.y(1));
    }

    @Test
    void csvWithoutTargets() throws IOException {
        DataSet d = DataReader.read(file("p.csv", "x1,x2\n1,0\n0,1\n"));
        assertNull(d.y());
        assertEquals(0, d.targetWidth());
        assertEquals(IrError.IR_DATA, assertThrows(NetgeomException.class, () -> d.y(0)).code());
    }

    @Test
    void exactlyRepresentableDataIsStoredAsDoubles() throws IOException {
        DataSet d = DataReader.read(file("b.csv", "x1,y1\n0.5,1\n-0.25,2\n"));
        assertTrue(d.x().isDoubleBacked(), "halves and quarters are doubles exactly: stored compactly");
        DataSet e = DataReader.read(file("c.csv", "x1,y1\n0.5,1\n0.1,2\n"));
        assertEquals(Rational.of(1, 10), e.x().get(1), "one non-dyadic value keeps the column exact");
    }

    @Test
    void csvErrors() throws IOException {
        assertCode(IrError.IR_DATA, "line 3", DataReader::read, file("r.csv", "x1,y1\n1,2\n1\n"));
        assertCode(IrError.IR_BAD_SCALAR, "line 2, column x1", DataReader::read, file("n.csv", "x1,y1\nNaN,2\n"));
        assertCode(IrError.IR_DATA, "line 2, column y1", DataReader::read, file("s.csv", "x1,y1\n1,w\n"));
        assertCode(IrError.IR_DATA, "line 1", DataReader::read, file("h.csv", "x1,x3,y1\n1,2,3\n"));
        assertCode(IrError.IR_DATA, "line 1", DataReader::read, file("g.csv", "a,b\n1,2\n"));
        assertCode(IrError.IR_DATA, null, DataReader::read, file("e.csv", "x1,y1\n"));
        assertCode(IrError.IR_DATA, null, DataReader::read, file("z.csv", ""));
        assertCode(IrError.IR_IO, null, DataReader::read, dir.resolve("missing.csv"));
        // a column index beyond int was an internal error (NumberFormatException), bytes that are not UTF-8 an IR_IO
        assertCode(IrError.IR_DATA, "line 1", DataReader::read, file("big.csv", "x1,x99999999999,y1\n1,2,3\n"));
        Path latin1 = dir.resolve("l.csv");
        Files.write(latin1, new byte[]{'x', '1', '\n', (byte) 0xff, '\n'});
        assertCode(IrError.IR_DATA, null, DataReader::read, latin1);
    }

    @Test
    void csvWithAByteOrderMark() throws IOException {
        DataSet d = DataReader.read(file("bom.csv", "\uFEFFx1,x2,y1\r\n1/2,-3,0.25\r\n"));
        assertArrayEquals(q("1/2", "-3"), d.x(0));
        assertArrayEquals(q("1/4"), d.y(0));
    }

    @Test
    void jsonRowsMayBeNestedImages() throws IOException {
        DataSet d = DataReader.read(file("d.json", "{\"x\": [[[[1, 2], [3, 4]]], [[[\"1/2\", 0], [0, 0]]]], \"y\": [0, 1]}"));
        assertEquals(Shape.of(2, 4), d.x().shape());
        assertArrayEquals(q("1/2", "0", "0", "0"), d.x(1));
        assertEquals(Shape.of(2, 1), d.y().shape());
        assertCode(IrError.IR_DATA, "x[1]", DataReader::read, file("r.json", "{\"x\": [[1, 2], [3]]}"));
        assertCode(IrError.IR_DATA, "y", DataReader::read, file("n.json", "{\"x\": [[1], [2]], \"y\": [[1]]}"));
        assertCode(IrError.IR_BAD_SCALAR, "x[0][0]", DataReader::read, file("b.json", "{\"x\": [[\"inf\"]]}"));
        assertCode(IrError.IR_NOT_JSON, null, DataReader::read, file("t.json", "{\"x\": [[1"));
    }

    @Test
    void safetensorsData() throws IOException {
        Path p = dir.resolve("d.safetensors");
        Files.write(p, new SafetensorsBytes().f32("x", new int[]{3, 2}, 0.1f, 1, 2, 3, 4, 5).f64("y", new int[]{3}, 0, 1, 2).bytes());
        DataSet d = DataReader.read(p);
        assertEquals(Shape.of(3, 2), d.x().shape());
        assertEquals(Rational.of(13421773, 134217728), d.x().get(0));
        assertEquals(Shape.of(3, 1), d.y().shape());
    }

    @Test
    void widthMustFitTheModel() throws IOException {
        Model m = IrReader.read("{\"netgeom\": 1, \"input\": [3], \"layers\": []}", null);
        DataSet d = DataReader.read(file("w.csv", "x1,x2,y1\n1,2,3\n"));
        NetgeomException wide = assertThrows(NetgeomException.class, () -> d.requireInputsFit(m));
        assertEquals(IrError.IR_DATA, wide.code());
        assertEquals("x", wide.path(), "the culprit of a width mismatch is the data's x");
        NetgeomException targets = assertThrows(NetgeomException.class, () -> d.requireTargets(2));
        assertEquals(IrError.IR_DATA, targets.code());
        assertEquals("y", targets.path());
    }

    @Test
    void safetensorsWriterRoundTrips() {
        Path p = dir.resolve("out.safetensors");
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensor.ofDoubles(Shape.of(2, 2), new double[]{0.1, -0.0, 1e-300, 3}));
        t.put("b", Tensor.vector(Rational.of(1, 2), Rational.of(-7)));
        Safetensors.write(p, t, Map.of("who", "test"), false);
        Safetensors st = Safetensors.open(p);
        assertEquals("test", st.metadata().get("who"));
        assertEquals(t.get("a"), st.read("a", "out.safetensors"));
        assertEquals(t.get("b"), st.read("b", "out.safetensors"));
    }

    private interface Reader {
        Object read(Path p);
    }

    private static void assertCode(IrError code, String path, Reader r, Path p) {
        NetgeomException e = assertThrows(NetgeomException.class, () -> r.read(p));
        assertEquals(code, e.code(), e.render());
        if (path != null) {
            assertEquals(path, e.path(), e.render());
        }
    }
}
