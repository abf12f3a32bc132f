package org.netgeom.ir.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds safetensors files byte by byte in tests, independently of {@link Safetensors#write}:
 * the header JSON is written by hand and the data are raw little-endian bits given by the test.
 */
final class SafetensorsBytes {
    private final List<String> entries = new ArrayList<>();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private Long lieAboutHeader;

    /** Adds a tensor whose raw little-endian bytes are given. */
    SafetensorsBytes add(String key, String dtype, int[] shape, byte[] raw) {
        int begin = data.size();
        data.writeBytes(raw);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ",").append(shape[i]);
        }
        entries.add("\"" + key + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + s + "],\"data_offsets\":[" + begin + ","
                + data.size() + "]}");
        return this;
    }

    SafetensorsBytes f64(String key, int[] shape, double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return add(key, "F64", shape, b.array());
    }

    SafetensorsBytes f32(String key, int[] shape, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return add(key, "F32", shape, b.array());
    }

    /** 16-bit values (F16 or BF16) given by their bit patterns. */
    SafetensorsBytes bits16(String key, String dtype, int[] shape, int... bits) {
        ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : bits) {
            b.putShort((short) x);
        }
        return add(key, dtype, shape, b.array());
    }

    /** Makes the length field claim {@code n} header bytes. */
    SafetensorsBytes lie(long n) {
        lieAboutHeader = n;
        return this;
    }

    byte[] bytes() {
        byte[] h = ("{\"__metadata__\":{\"format\":\"pt\"}," + String.join(",", entries) + "}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(lieAboutHeader != null ? lieAboutHeader : h.length).put(h).put(data.toByteArray());
        return b.array();
    }
}
