package org.netgeom.ir.io;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.netgeom.ir.IrError;
import org.netgeom.ir.Layer;
import org.netgeom.ir.Model;
import org.netgeom.ir.NetgeomException;
import org.netgeom.ir.Rational;
import org.netgeom.ir.Shape;
import org.netgeom.ir.Symbol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IR reader on a table of valid files (every op, every scalar form, tensor files written
 * byte by byte by the test) whose inferred shapes, parameter counts and exact values are
 * derived by hand in the table, and a table of broken files, one or more per error code, with
 * the code and path each must report. Every valid case also round-trips through the writer.
 */
class IrReaderTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void tensorFiles() throws IOException {
        // 0.1f, 1/3 as F16 (0x3555 = 1365/4096), 1.5 as BF16 (0x3FC0), 0.1 as F64
        Files.write(dir.resolve("w.safetensors"), new SafetensorsBytes()
                .f32("fc.weight", new int[]{2, 1}, 0.1f, -2f)
                .bits16("fc.bias", "F16", new int[]{2}, 0x3555, 0xC000)
                .bits16("bn.weight", "BF16", new int[]{2}, 0x3FC0, 0x3F80)
                .f64("bn.var", new int[]{2}, 0.1, 3.0)
                .bytes());
        Files.write(dir.resolve("liar.safetensors"), new SafetensorsBytes().f64("a", new int[]{1}, 1).lie(1_000_000).bytes());
        Files.write(dir.resolve("short.safetensors"), new byte[]{1, 2, 3});
        Files.write(dir.resolve("badoffsets.safetensors"), new SafetensorsBytes()
                .add("a", "F64", new int[]{2}, new byte[8]).bytes());      // 2 doubles claimed, 8 bytes given
        Files.write(dir.resolve("nan.safetensors"), new SafetensorsBytes().f64("a", new int[]{1, 1}, Double.NaN).bytes());
        // headers that lie about their offsets: the reference reader (safetensors' validate) rejects each
        rawSafetensors("overlap.safetensors", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]}}", 16);
        rawSafetensors("gap.safetensors", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]}}", 24);
        rawSafetensors("tail.safetensors", "{\"a\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]}}", 16);
    }

    /** A safetensors file with this header and {@code dataBytes} zero bytes of data, offsets as written. */
    private static void rawSafetensors(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(dir.resolve(name), b.array());
    }

    static Model read(String json) {
        return IrReader.read(json, dir);
    }

    static String model(String input, String layers) {
        return "{\"netgeom\": 1, \"name\": \"t\", \"input\": " + input + ", \"layers\": [" + layers + "]}";
    }

    // ------------------------------------------------------------------ valid files

    /** (description, json, output shape, parameter count). */
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("dense, all scalar forms", model("[2]",
                        "{\"op\": \"dense\", \"weight\": [[0.1, \"3/7\"], [\"-1/2\", \"1e-3\"], [2, \"0.125\"]], \"bias\": [1, \"-2\", \"w1\"]}"),
                        Shape.of(3), 9),
                Arguments.of("dense without bias", model("[2]", "{\"op\": \"dense\", \"weight\": [[1, 2]]}"), Shape.of(1), 2),
                Arguments.of("activations", model("[2]", "{\"op\": \"relu\"}, {\"op\": \"leaky_relu\", \"slope\": \"1/10\"},"
                        + "{\"op\": \"leaky_relu\"}, {\"op\": \"abs\"}, {\"op\": \"abrelu\", \"neg\": \"-1/3\", \"pos\": 2},"
                        + "{\"op\": \"identity\", \"name\": \"id\"}, {\"op\": \"square\"}, {\"op\": \"tanh\"}, {\"op\": \"sigmoid\"},"
                        + "{\"op\": \"erf\"}, {\"op\": \"softplus\"}, {\"op\": \"gelu\"}"), Shape.of(2), 0),
                Arguments.of("hardtanh, defaults and exact bounds", model("[2]", "{\"op\": \"hardtanh\"}, "
                        + "{\"op\": \"hardtanh\", \"min_val\": \"-1/3\", \"max_val\": 0.5}"), Shape.of(2), 0),
                Arguments.of("maxout", model("[2]", "{\"op\": \"dense\", \"weight\": [[1, 0], [0, 1], [1, 1], [1, -1], [0, 0], [2, 1]]}, "
                        + "{\"op\": \"maxout\", \"k\": 3}"), Shape.of(2), 12),
                Arguments.of("residual with shortcut", model("[2]", "{\"op\": \"residual\", \"layers\": ["
                        + "{\"op\": \"dense\", \"weight\": [[1, 0, 1], [0, 1, 1], [1, 1, 1]]}, {\"op\": \"relu\"}], \"shortcut\": ["
                        + "{\"op\": \"dense\", \"weight\": [[1, 0], [0, 1], [1, 1]], \"bias\": [0, 0, 1]}]}")
                        .replace("[[1, 0, 1], [0, 1, 1], [1, 1, 1]]", "[[1, 0], [0, 1], [1, 1]]"), Shape.of(3), 6 + 6 + 3),
                Arguments.of("residual, identity shortcut", model("[3]", "{\"op\": \"residual\", \"layers\": [{\"op\": \"relu\"}]}"),
                        Shape.of(3), 0),
                Arguments.of("concat", model("[2]", "{\"op\": \"concat\", \"layers\": [{\"op\": \"dense\", \"weight\": [[1, 1]]}]}"),
                        Shape.of(3), 2),
                Arguments.of("batchnorm vector, defaults", model("[2]",
                        "{\"op\": \"batchnorm\", \"mean\": [0, 1], \"var\": [\"3/4\", 0]}"), Shape.of(2), 0),
                Arguments.of("batchnorm affine", model("[2]",
                        "{\"op\": \"batchnorm\", \"mean\": [0, 1], \"var\": [1, 1], \"weight\": [2, 3], \"bias\": [0, 1], \"eps\": 0}"),
                        Shape.of(2), 4),
                Arguments.of("conv, pools, flatten", model("[1, 5, 5]",
                        "{\"op\": \"conv2d\", \"weight\": [[[[1, 0, 0], [0, 1, 0], [0, 0, 1]]], [[[0, 0, 1], [0, 1, 0], [1, 0, 0]]]],"
                        + " \"bias\": [0, \"1/2\"], \"padding\": 1},"
                        + "{\"op\": \"batchnorm\", \"mean\": [0, 0], \"var\": [1, 1]},"
                        + "{\"op\": \"maxpool2d\", \"kernel\": 2}, {\"op\": \"avgpool2d\", \"kernel\": [2, 1], \"stride\": 1},"
                        + "{\"op\": \"flatten\"}, {\"op\": \"dense\", \"weight\": [[1, 1, 1, 1]]}"), Shape.of(1), 18 + 2 + 4),
                Arguments.of("conv stride [2, 1], no padding", model("[2, 4, 3]",
                        "{\"op\": \"conv2d\", \"weight\": [[[[1], [1]], [[1], [1]]]], \"stride\": [2, 1]}"), Shape.of(1, 2, 3), 4),
                Arguments.of("tensors from safetensors", model("[1]",
                        "{\"op\": \"dense\", \"name\": \"fc\", \"weight\": {\"file\": \"w.safetensors\", \"key\": \"fc.weight\"},"
                        + " \"bias\": {\"file\": \"w.safetensors\", \"key\": \"fc.bias\"}},"
                        + "{\"op\": \"batchnorm\", \"name\": \"bn\", \"mean\": [0, 0], \"var\": {\"file\": \"w.safetensors\", \"key\": \"bn.var\"},"
                        + " \"weight\": {\"file\": \"w.safetensors\", \"key\": \"bn.weight\"}}"), Shape.of(2), 6),
                Arguments.of("no layers", model("[4]", ""), Shape.of(4), 0),
                Arguments.of("unknown keys are ignored", "{\"netgeom\": 1, \"input\": [1], \"comment\": \"hi\", \"layers\": ["
                        + "{\"op\": \"relu\", \"doc\": 1}]}", Shape.of(1), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validFilesHaveTheirShapesAndRoundTrip(String what, String json, Shape output, long params) {
        Model m = read(json);
        assertEquals(output, m.output(), "output shape");
        assertEquals(params, m.parameterCount(), "parameters");
        Model back = IrReader.read(IrWriter.toJson(m), dir);
        assertEquals(m, back, "read -> write -> read");
        Model inlined = IrReader.read(IrWriter.toJson(m, new IrWriter.Options(IrWriter.DoubleStyle.EXACT, false)), dir);
        assertEquals(m, inlined, "with tensor files written inline as exact rationals");
    }

    @Test
    void scalarsAreExact() {
        Model m = read(model("[2]", "{\"op\": \"dense\", \"weight\": [[0.1, \"3/7\"], [\"-1/2\", \"1e-3\"]], \"bias\": [1.50, \"w1\"]}"));
        Layer.Dense d = assertInstanceOf(Layer.Dense.class, m.layers().get(0));
        assertEquals(Rational.of(1, 10), d.weight().get(0), "the JSON number 0.1 is exactly 1/10");
        assertEquals(Rational.of(3, 7), d.weight().get(1));
        assertEquals(Rational.of(-1, 2), d.weight().get(1, 0));
        assertEquals(Rational.of(1, 1000), d.weight().get(1, 1));
        assertEquals(Rational.of(3, 2), d.bias().get(0));
        assertEquals(new Symbol("w1"), d.bias().get(1));
        assertEquals(List.of("w1"), List.copyOf(m.symbols()));
        assertFalse(m.symbols().isEmpty());
    }

    @Test
    void nullOptionalKeysMeanAbsent() {
        // a Python writer's None for an optional key: the same model as without the key
        Model withNulls = read(model("[1, 4, 4]", "{\"op\": \"conv2d\", \"weight\": [[[[1, 0], [0, 1]]]], \"bias\": null, "
                + "\"stride\": null, \"padding\": null}, {\"op\": \"leaky_relu\", \"slope\": null}, "
                + "{\"op\": \"residual\", \"layers\": [{\"op\": \"identity\"}], \"shortcut\": null}, "
                + "{\"op\": \"batchnorm\", \"mean\": [0], \"var\": [1], \"eps\": null}"));
        Model without = read(model("[1, 4, 4]", "{\"op\": \"conv2d\", \"weight\": [[[[1, 0], [0, 1]]]]}, {\"op\": \"leaky_relu\"}, "
                + "{\"op\": \"residual\", \"layers\": [{\"op\": \"identity\"}]}, {\"op\": \"batchnorm\", \"mean\": [0], \"var\": [1]}"));
        assertEquals(without, withNulls);
        assertEquals(Shape.of(1, 3, 3), withNulls.output(), "stride 1, padding 0: 4 - 2 + 1 = 3");
    }

    @Test
    void tensorFileValuesAreExactBinaryValues() {
        Model m = read(model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"w.safetensors\", \"key\": \"fc.weight\"},"
                + " \"bias\": {\"file\": \"w.safetensors\", \"key\": \"fc.bias\"}},"
                + "{\"op\": \"batchnorm\", \"mean\": [0, 0], \"var\": {\"file\": \"w.safetensors\", \"key\": \"bn.var\"},"
                + " \"weight\": {\"file\": \"w.safetensors\", \"key\": \"bn.weight\"}}"));
        Layer.Dense d = (Layer.Dense) m.layers().get(0);
        assertEquals(Rational.of(13421773, 134217728), d.weight().get(0), "F32 0.1 is 13421773/2^27");
        assertEquals(Rational.of(-2), d.weight().get(1));
        assertEquals(Rational.of(1365, 4096), d.bias().get(0), "F16 0x3555");
        assertEquals(Rational.of(-2), d.bias().get(1), "F16 0xC000");
        Layer.BatchNorm bn = (Layer.BatchNorm) m.layers().get(1);
        assertEquals(Rational.of(3, 2), bn.weight().get(0), "BF16 0x3FC0");
        assertEquals(Rational.ONE, bn.weight().get(1), "BF16 0x3F80");
        assertEquals(Rational.parse("3602879701896397/36028797018963968"), bn.var().get(0), "F64 0.1, not 1/10");
        assertTrue(IrWriter.toJson(m).contains("\"file\": \"w.safetensors\""), "the writer keeps tensor-file references");
    }

    @Test
    void layerLookup() {
        Model m = read(model("[2]", "{\"op\": \"dense\", \"name\": \"a\", \"weight\": [[1, 0], [0, 1]]},"
                + "{\"op\": \"residual\", \"layers\": [{\"op\": \"relu\"}, {\"op\": \"dense\", \"name\": \"inner\", \"weight\": [[1, 0], [0, 1]]}],"
                + " \"shortcut\": [{\"op\": \"identity\"}]}"));
        assertEquals("layers[0]", m.locate("a").path().toString());
        assertEquals("layers[0]", m.locate("0").path().toString());
        assertEquals("layers[1].layers[1]", m.locate("inner").path().toString());
        assertEquals("layers[1].layers[1]", m.locate("1.layers.1").path().toString());
        assertEquals("layers[1].shortcut[0]", m.locate("1.shortcut.0").path().toString());
        assertEquals("1.shortcut.0", m.locate("1.shortcut.0").path().selector(), "a path's selector, as written by hand");
        assertEquals("1.layers.1", m.locate("inner").path().selector());
        m.walk(s -> assertEquals(s.path(), m.locate(s.path().selector()).path(), "every layer is found again by its selector"));
        for (String bad : new String[]{"7", "x", "1.layers", "1.layers.5", "0.layers.0", "-1"}) {
            assertEquals(IrError.IR_MISSING_KEY, assertThrows(NetgeomException.class, () -> m.locate(bad)).code(), bad);
        }
    }

    // ------------------------------------------------------------------ broken files

    /** (description, json, code, path prefix or null). */
    static Stream<Arguments> broken() {
        String dense = "{\"op\": \"dense\", \"weight\": [[1, 0], [0, 1]], \"bias\": [0, 0]}";
        return Stream.of(
                Arguments.of("truncated", "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"relu\"", IrError.IR_NOT_JSON, null),
                Arguments.of("empty", "", IrError.IR_NOT_JSON, null),
                Arguments.of("trailing garbage", model("[2]", dense) + " x", IrError.IR_NOT_JSON, null),
                Arguments.of("duplicate key", "{\"netgeom\": 1, \"netgeom\": 1, \"input\": [1], \"layers\": []}", IrError.IR_NOT_JSON, null),
                Arguments.of("no version", "{\"input\": [1], \"layers\": []}", IrError.IR_VERSION, "netgeom"),
                Arguments.of("version 2", "{\"netgeom\": 2, \"input\": [1], \"layers\": []}", IrError.IR_VERSION, "netgeom"),
                Arguments.of("version as string", "{\"netgeom\": \"1\", \"input\": [1], \"layers\": []}", IrError.IR_VERSION, "netgeom"),
                Arguments.of("unknown op", model("[2]", dense + ", {\"op\": \"softmax\"}"), IrError.IR_UNKNOWN_OP, "layers[1].op"),
                Arguments.of("no op", model("[2]", "{\"weight\": [[1]]}"), IrError.IR_MISSING_KEY, "layers[0].op"),
                Arguments.of("no weight", model("[2]", "{\"op\": \"dense\", \"bias\": [1]}"), IrError.IR_MISSING_KEY, "layers[0].weight"),
                Arguments.of("no layers", "{\"netgeom\": 1, \"input\": [1]}", IrError.IR_MISSING_KEY, "layers"),
                Arguments.of("no input", "{\"netgeom\": 1, \"layers\": []}", IrError.IR_MISSING_KEY, "input"),
                Arguments.of("abrelu without pos", model("[1]", "{\"op\": \"abrelu\", \"neg\": 0}"), IrError.IR_MISSING_KEY, "layers[0].pos"),
                Arguments.of("residual without layers", model("[1]", "{\"op\": \"residual\"}"), IrError.IR_MISSING_KEY, "layers[0].layers"),
                Arguments.of("NaN string", model("[2]", dense.replace("\"bias\": [0, 0]", "\"bias\": [0, \"NaN\"]")),
                        IrError.IR_BAD_SCALAR, "layers[0].bias[1]"),
                Arguments.of("NaN token", model("[2]", dense.replace("\"bias\": [0, 0]", "\"bias\": [NaN, 0]")),
                        IrError.IR_BAD_SCALAR, "layers[0].bias[0]"),
                Arguments.of("-Infinity token", model("[2]", dense.replace("[[1, 0], [0, 1]]", "[[1, 0], [0, -Infinity]]")),
                        IrError.IR_BAD_SCALAR, "layers[0].weight[1][1]"),
                // IR.md: NaN and infinities "in any spelling" are IR_BAD_SCALAR, also as bare JSON
                // tokens that Jackson does not know (it reads only NaN, Infinity, -Infinity, +INF, -INF)
                Arguments.of("nan token", model("[2]", dense.replace("\"bias\": [0, 0]", "\"bias\": [0, nan]")),
                        IrError.IR_BAD_SCALAR, "layers[0].bias[1]"),
                Arguments.of("-NaN token", model("[2]", dense.replace("\"bias\": [0, 0]", "\"bias\": [-NaN, 0]")),
                        IrError.IR_BAD_SCALAR, "layers[0].bias[0]"),
                Arguments.of("-inf token", model("[2]", dense.replace("[[1, 0], [0, 1]]", "[[1, 0], [-inf, 1]]")),
                        IrError.IR_BAD_SCALAR, "layers[0].weight[1][0]"),
                Arguments.of("INFINITY token", model("[1]", "{\"op\": \"leaky_relu\", \"slope\": INFINITY}"),
                        IrError.IR_BAD_SCALAR, "layers[0].slope"),
                Arguments.of("+Inf token beside a name that spells inf nan", model("[1]", "{\"name\": \"inf nan\", \"op\": \"abrelu\", \"neg\": 0, \"pos\": +Inf}"),
                        IrError.IR_BAD_SCALAR, "layers[0].pos"),
                Arguments.of("truncated file with a nan token", "{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"leaky_relu\", \"slope\": nan}",
                        IrError.IR_NOT_JSON, null),
                Arguments.of("inf string", model("[2]", dense.replace("[[1, 0]", "[[\"-inf\", 0]")), IrError.IR_BAD_SCALAR, "layers[0].weight[0][0]"),
                Arguments.of("INFINITY string", model("[1]", "{\"op\": \"leaky_relu\", \"slope\": \"INFINITY\"}"),
                        IrError.IR_BAD_SCALAR, "layers[0].slope"),
                Arguments.of("zero denominator", model("[2]", dense.replace("\"bias\": [0, 0]", "\"bias\": [\"1/0\", 0]")),
                        IrError.IR_BAD_SCALAR, "layers[0].bias[0]"),
                Arguments.of("boolean", model("[2]", dense.replace("\"bias\": [0, 0]", "\"bias\": [true, 0]")),
                        IrError.IR_BAD_SCALAR, "layers[0].bias[0]"),
                Arguments.of("null", model("[2]", dense.replace("\"bias\": [0, 0]", "\"bias\": [0, null]")),
                        IrError.IR_BAD_SCALAR, "layers[0].bias[1]"),
                Arguments.of("space in symbol", model("[1]", "{\"op\": \"abrelu\", \"neg\": \"a b\", \"pos\": 1}"),
                        IrError.IR_BAD_SCALAR, "layers[0].neg"),
                Arguments.of("wrong input width", model("[3]", dense), IrError.IR_SHAPE_MISMATCH, "layers[0].weight"),
                Arguments.of("layers do not chain", model("[2]", dense + ", {\"op\": \"dense\", \"weight\": [[1, 1, 1]]}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[1].weight"),
                Arguments.of("ragged weight", model("[2]", "{\"op\": \"dense\", \"weight\": [[1, 0], [0]]}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0].weight[1]"),
                Arguments.of("ragged deeper", model("[2]", "{\"op\": \"dense\", \"weight\": [[1, 0], [0, [1]]]}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0].weight[1][1]"),
                Arguments.of("bias length", model("[2]", dense.replace("\"bias\": [0, 0]", "\"bias\": [0, 0, 0]")),
                        IrError.IR_SHAPE_MISMATCH, "layers[0].bias"),
                Arguments.of("weight rank", model("[2]", "{\"op\": \"dense\", \"weight\": [1, 2]}"), IrError.IR_SHAPE_MISMATCH, "layers[0].weight"),
                Arguments.of("residual branches disagree", model("[2]", "{\"op\": \"residual\", \"layers\": [{\"op\": \"dense\", \"weight\": [[1, 1]]}]}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0]"),
                Arguments.of("inner layer does not fit", model("[2]", "{\"op\": \"residual\", \"layers\": [{\"op\": \"dense\", \"weight\": [[1]]}]}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0].layers[0].weight"),
                Arguments.of("dense on an image", model("[1, 2, 2]", "{\"op\": \"dense\", \"weight\": [[1, 1, 1, 1]]}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0]"),
                Arguments.of("conv channels", model("[2, 3, 3]", "{\"op\": \"conv2d\", \"weight\": [[[[1]]]]}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0].weight"),
                Arguments.of("pool larger than image", model("[1, 2, 2]", "{\"op\": \"maxpool2d\", \"kernel\": 3}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0]"),
                Arguments.of("batchnorm stats", model("[3]", "{\"op\": \"batchnorm\", \"mean\": [0, 0], \"var\": [1, 1]}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0].mean"),
                Arguments.of("hardtanh min_val = max_val", model("[2]", "{\"op\": \"hardtanh\", \"min_val\": 1, \"max_val\": \"1\"}"),
                        IrError.IR_BAD_VALUE, "layers[0].max_val"),
                Arguments.of("hardtanh min_val above the default max_val", model("[2]", "{\"op\": \"hardtanh\", \"min_val\": 2}"),
                        IrError.IR_BAD_VALUE, "layers[0].max_val"),
                Arguments.of("hardtanh symbolic bound", model("[2]", "{\"op\": \"hardtanh\", \"min_val\": \"a\"}"),
                        IrError.IR_BAD_VALUE, "layers[0].min_val"),
                Arguments.of("maxout without k", model("[4]", "{\"op\": \"maxout\"}"), IrError.IR_MISSING_KEY, "layers[0].k"),
                Arguments.of("maxout k 0", model("[4]", "{\"op\": \"maxout\", \"k\": 0}"), IrError.IR_BAD_VALUE, "layers[0].k"),
                Arguments.of("maxout k not dividing", model("[5]", "{\"op\": \"maxout\", \"k\": 2}"), IrError.IR_SHAPE_MISMATCH, "layers[0]"),
                Arguments.of("maxout on an image", model("[1, 2, 2]", "{\"op\": \"maxout\", \"k\": 2}"), IrError.IR_SHAPE_MISMATCH,
                        "layers[0]"),
                Arguments.of("stride 0", model("[1, 4, 4]", "{\"op\": \"maxpool2d\", \"kernel\": 2, \"stride\": 0}"),
                        IrError.IR_BAD_VALUE, "layers[0].stride"),
                Arguments.of("fractional kernel", model("[1, 4, 4]", "{\"op\": \"maxpool2d\", \"kernel\": 1.5}"),
                        IrError.IR_BAD_VALUE, "layers[0].kernel"),
                Arguments.of("input not a list", "{\"netgeom\": 1, \"input\": 3, \"layers\": []}", IrError.IR_BAD_VALUE, "input"),
                Arguments.of("input of more than 2^31 elements", "{\"netgeom\": 1, \"input\": [65536, 65536], \"layers\": []}",
                        IrError.IR_SHAPE_MISMATCH, "input"),
                Arguments.of("zero input size", "{\"netgeom\": 1, \"input\": [0], \"layers\": []}", IrError.IR_BAD_VALUE, "input[0]"),
                Arguments.of("layers not a list", "{\"netgeom\": 1, \"input\": [1], \"layers\": {}}", IrError.IR_BAD_VALUE, "layers"),
                Arguments.of("name not a string", model("[1]", "{\"op\": \"relu\", \"name\": 3}"), IrError.IR_BAD_VALUE, "layers[0].name"),
                Arguments.of("tensor file missing", model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"nope.safetensors\", \"key\": \"a\"}}"),
                        IrError.IR_TENSOR_FILE, "layers[0].weight"),
                Arguments.of("header lies about its length", model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"liar.safetensors\", \"key\": \"a\"}}"),
                        IrError.IR_TENSOR_FILE, "layers[0].weight"),
                Arguments.of("tensor file too short", model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"short.safetensors\", \"key\": \"a\"}}"),
                        IrError.IR_TENSOR_FILE, "layers[0].weight"),
                Arguments.of("offsets disagree with shape", model("[1]",
                        "{\"op\": \"dense\", \"weight\": {\"file\": \"badoffsets.safetensors\", \"key\": \"a\"}}"), IrError.IR_TENSOR_FILE, "layers[0].weight"),
                Arguments.of("overlapping data_offsets", model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"overlap.safetensors\", \"key\": \"a\"}}"),
                        IrError.IR_TENSOR_FILE, "layers[0].weight"),
                Arguments.of("a gap between tensors", model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"gap.safetensors\", \"key\": \"a\"}}"),
                        IrError.IR_TENSOR_FILE, "layers[0].weight"),
                Arguments.of("bytes after the last tensor", model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"tail.safetensors\", \"key\": \"a\"}}"),
                        IrError.IR_TENSOR_FILE, "layers[0].weight"),
                Arguments.of("key missing in tensor file", model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"w.safetensors\", \"key\": \"zz\"}}"),
                        IrError.IR_TENSOR_FILE, "layers[0].weight"),
                Arguments.of("NaN in tensor file", model("[1]", "{\"op\": \"dense\", \"weight\": {\"file\": \"nan.safetensors\", \"key\": \"a\"}}"),
                        IrError.IR_BAD_SCALAR, "layers[0].weight"),
                Arguments.of("tensor-file shape", model("[2]", "{\"op\": \"dense\", \"weight\": {\"file\": \"w.safetensors\", \"key\": \"fc.weight\"}}"),
                        IrError.IR_SHAPE_MISMATCH, "layers[0].weight"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenFilesReportCodeAndPath(String what, String json, IrError code, String path) {
        NetgeomException e = assertThrows(NetgeomException.class, () -> read(json));
        assertEquals(code, e.code(), e.render());
        if (path != null) {
            assertEquals(path, e.path(), e.render());
        }
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void warningsNameUnknownKeys() {
        IrReader.Result r = IrReader.fromTree(Json.read("{\"netgeom\": 1, \"input\": [1], \"layers\": [{\"op\": \"relu\", \"wieght\": 1}]}"), dir);
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("wieght") && r.warnings().get(0).contains("layers[0]"), r.warnings().get(0));
    }

    @Test
    void hugeExponentIsRefusedQuickly() {
        NetgeomException e = assertThrows(NetgeomException.class,
                () -> read(model("[1]", "{\"op\": \"leaky_relu\", \"slope\": \"1e999999999\"}")));
        assertEquals(IrError.IR_BAD_SCALAR, e.code());
        NetgeomException e2 = assertThrows(NetgeomException.class,
                () -> read(model("[1]", "{\"op\": \"leaky_relu\", \"slope\": 1e999999999}")));
        assertEquals(IrError.IR_BAD_SCALAR, e2.code());
    }

    @Test
    void nanTokenInAFileIsABadScalarAtItsPath() throws IOException {
        Path f = dir.resolve("nan-token.json");
        Files.writeString(f, "\uFEFF" + model("[2]", "{\"op\": \"dense\", \"weight\": [[1, 0], [0, -Inf]]}"));
        NetgeomException e = assertThrows(NetgeomException.class, () -> IrReader.read(f));
        assertEquals(IrError.IR_BAD_SCALAR, e.code(), e.render());
        assertEquals("layers[0].weight[1][1]", e.path());
    }

    @Test
    void missingFileIsIo() {
        assertEquals(IrError.IR_IO, assertThrows(NetgeomException.class, () -> IrReader.read(dir.resolve("none.json"))).code());
    }
}
