package org.netgeom.ir;


/**
 * Index arithmetic of the image ops on flattened [C, H, W] tensors (row-major), as PyTorch's
 * Conv2d (zero padding), MaxPool2d and AvgPool2d (no padding, floor mode) define them: which
 * inputs and weights feed each output. Shared by every interpreter (exact, symbolic, float) so
 * that the index arithmetic of these ops is written once.
 */
public final class LayerIndex {
    private LayerIndex() {
    }

    /** The output shape of a conv2d on {@code in}. */
    public static Shape convOut(Layer.Conv2d l, Shape in) {
        int oh = (in.dim(1) + 2 * l.padding().h() - l.kernel().h()) / l.stride().h() + 1;
        int ow = (in.dim(2) + 2 * l.padding().w() - l.kernel().w()) / l.stride().w() + 1;
        return Shape.of(l.outChannels(), oh, ow);
    }

    /**
     * The taps of a conv2d: for each output index (row-major over [C_out, H_out, W_out]) the pairs
     * {input index, weight index} of the kernel entries that fall inside the (unpadded) input.
     */
    public static int[][][] convTaps(Layer.Conv2d l, Shape in) {
        int cin = in.dim(0);
        int h = in.dim(1);
        int w = in.dim(2);
        int kh = l.kernel().h();
        int kw = l.kernel().w();
        Shape out = convOut(l, in);
        int oh = out.dim(1);
        int ow = out.dim(2);
        int[][][] taps = new int[out.size()][][];
        for (int o = 0; o < l.outChannels(); o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    java.util.List<int[]> t = new java.util.ArrayList<>();
                    for (int c = 0; c < cin; c++) {
                        for (int a = 0; a < kh; a++) {
                            int r = i * l.stride().h() - l.padding().h() + a;
                            for (int b = 0; b < kw && r >= 0 && r < h; b++) {
                                int q = j * l.stride().w() - l.padding().w() + b;
                                if (q >= 0 && q < w) {
                                    t.add(new int[]{(c * h + r) * w + q, ((o * cin + c) * kh + a) * kw + b});
                                }
                            }
                        }
                    }
                    taps[(o * oh + i) * ow + j] = t.toArray(new int[0][]);
                }
            }
        }
        return taps;
    }

    /** The output shape of a pooling layer. */
    public static Shape poolOut(Layer.Hw k, Layer.Hw st, Shape in) {
        return Shape.of(in.dim(0), (in.dim(1) - k.h()) / st.h() + 1, (in.dim(2) - k.w()) / st.w() + 1);
    }

    /** The groups of a maxout of rank k over n·k values: output i takes the inputs i·k … i·k + k − 1. */
    public static int[][] groups(int size, int k) {
        int[][] g = new int[size / k][k];
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < k; j++) {
                g[i][j] = i * k + j;
            }
        }
        return g;
    }

    /** The windows of a pooling layer: for each output index, its input indices (row-major in the window). */
    public static int[][] windows(Layer.Hw k, Layer.Hw st, Shape in) {
        int c = in.dim(0);
        int h = in.dim(1);
        int w = in.dim(2);
        Shape out = poolOut(k, st, in);
        int oh = out.dim(1);
        int ow = out.dim(2);
        int[][] win = new int[out.size()][k.h() * k.w()];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int[] wi = win[(ch * oh + i) * ow + j];
                    for (int a = 0; a < k.h(); a++) {
                        for (int b = 0; b < k.w(); b++) {
                            wi[a * k.w() + b] = (ch * h + i * st.h() + a) * w + j * st.w() + b;
                        }
                    }
                }
            }
        }
        return win;
    }
}
