package org.netgeom.numeric.onnx;

import org.junit.jupiter.api.Test;
import org.netgeom.ir.NetgeomException;
import org.netgeom.numeric.NumericError;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interpreter discovery for ONNX import: without a Python that can import onnx, a coded error with the install command. */
class OnnxImportFindTest {
    @Test
    void noInterpreterIsOnnxUnavailableWithTheAptCommand() {
        NetgeomException e = assertThrows(NetgeomException.class,
                () -> OnnxImport.find(List.of("/nonexistent/python3", "/bin/false")));
        assertEquals(NumericError.ONNX_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("apt-get install python3-onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/python3: not found"), e.getMessage());
    }
}
