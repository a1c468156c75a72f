package io.ganstream.engine.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What both GANs keep of their two DL4J networks: generator G and discriminator D, each with its
 * {@link DenseStack} (passes with external errors) and {@link FlatAdam} updater, the exponential moving average
 * of G's weights (what inference reads when the EMA is on), the step count, and the checkpoint image of the five
 * arrays. The losses, and so the gradients fed to {@link #update}, stay with each GAN. NOT thread-safe: owned by
 * one trainer thread, like the nets.
 *
 * <p>The checkpoint image is the part the imputer's and the synthesizer's states share: G's parameters, D's
 * parameters, G's Adam state, D's Adam state, the EMA weights, each as its length then its values. Its order is
 * frozen: checkpoints written by earlier versions restore through {@link #read}.
 */
public final class GanPair {
    /** One of the two nets: the DL4J network (mutating it changes the trainer) and its passes. */
    public record Net(MultiLayerNetwork network, DenseStack stack) {
    }

    private final Net gen;
    private final Net disc;
    private final INDArray ema;
    private final FlatAdam gAdam;
    private final FlatAdam dAdam;
    private long steps;

    /** The pair of two initialized nets (their updaters created); the EMA starts as a copy of G. */
    public GanPair(MultiLayerNetwork g, MultiLayerNetwork d) {
        this.ema = g.params().dup();
        this.gen = new Net(g, new DenseStack(g));
        this.disc = new Net(d, new DenseStack(d));
        this.gAdam = new FlatAdam(g);
        this.dAdam = new FlatAdam(d);
    }

    /** G. */
    public Net generator() {
        return gen;
    }

    /** D. */
    public Net discriminator() {
        return disc;
    }

    /**
     * One training step's end: D's Adam update, then G's (both with the step count before this step), the step
     * counted, then the EMA of G moved toward G's new weights.
     */
    public void update(INDArray gradD, INDArray gradG, double emaDecay) {
        dAdam.apply(gradD, (int) steps);
        gAdam.apply(gradG, (int) steps);
        steps++;
        if (emaDecay <= 0) {
            return;
        }
        // bias-corrected warm-up: early on the average follows the raw weights closely
        double k = Math.min(emaDecay, (1.0 + steps) / (10.0 + steps));
        Dl4j.blendInto(ema, gen.network().params(), k);
    }

    /** Updates applied so far. */
    public long steps() {
        return steps;
    }

    /** Sets the step count of a restored state (Adam's bias correction and the EMA's warm-up follow it). */
    public void resumeAt(long steps) {
        this.steps = steps;
    }

    /** The generator weights inference uses: the EMA when {@code emaDecay > 0}, else G's own. A live view. */
    public INDArray servingParams(double emaDecay) {
        return emaDecay > 0 ? ema : gen.network().params();
    }

    /** DL4J Adam state views ({@code getUpdater().getStateViewArray()}) of G followed by that of D. */
    public double[] updaterState() {
        double[] a = Dl4j.toDoubles(gen.network().getUpdater().getStateViewArray());
        double[] b = Dl4j.toDoubles(disc.network().getUpdater().getStateViewArray());
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The five arrays of the checkpoint image, in its order. */
    private INDArray[] arrays() {
        MultiLayerNetwork g = gen.network();
        MultiLayerNetwork d = disc.network();
        return new INDArray[] {g.params(), d.params(), g.getUpdater().getStateViewArray(),
            d.getUpdater().getStateViewArray(), ema};
    }

    /** Whether all five arrays are FLOAT (then 4 bytes a value lose nothing). */
    public boolean allFloat() {
        boolean floats = true;
        for (INDArray a : arrays()) {
            floats &= a.dataType() == DataType.FLOAT;
        }
        return floats;
    }

    /** Values in the five arrays together. */
    public long values() {
        long values = 0;
        for (INDArray a : arrays()) {
            values += a.length();
        }
        return values;
    }

    /**
     * Writes the five arrays, each as its length then its values at {@code width} bytes a value (4: float, 8:
     * double). With {@code emaOnly}, all but the EMA are written as empty arrays (length 0).
     */
    public void write(DataOutputStream out, int width, boolean emaOnly) throws IOException {
        for (INDArray a : arrays()) {
            if (emaOnly && a != ema) {
                out.writeInt(0);
                continue;
            }
            if (width == 4) {
                float[] f = Nets.floats(a);
                out.writeInt(f.length);
                for (float v : f) {
                    out.writeFloat(v);
                }
            } else {
                double[] v = Dl4j.toDoubles(a);
                out.writeInt(v.length);
                for (double x : v) {
                    out.writeDouble(x);
                }
            }
        }
    }

    /**
     * Reads what {@link #write} wrote into this pair's arrays (built with the same shapes). With
     * {@code emaOnlyAllowed}, an image of the EMA alone restores warm: G starts from the EMA weights and the step
     * count from 0; returns whether it was one.
     */
    public boolean read(DataInputStream in, int width, boolean emaOnlyAllowed) throws IOException {
        INDArray[] arrays = arrays();
        int omitted = 0;
        for (INDArray a : arrays) {
            int len = in.readInt();
            if (emaOnlyAllowed && len == 0 && a != ema) {
                omitted++;
                continue;
            }
            if (len != a.length()) {
                throw new IllegalArgumentException(emaOnlyAllowed ? "checkpoint does not match the network shape"
                        : "checkpoint array length " + len + " vs " + a.length());
            }
            INDArray values;
            if (width == 4) {
                float[] f = new float[len];
                for (int i = 0; i < len; i++) {
                    f[i] = in.readFloat();
                }
                values = Nd4j.createFromArray(f).reshape(a.shape());
            } else {
                double[] v = new double[len];
                for (int i = 0; i < len; i++) {
                    v[i] = in.readDouble();
                }
                values = Nd4j.create(v, a.shape());
            }
            a.assign(values.castTo(a.dataType()));
        }
        if (omitted == arrays.length - 1) {
            gen.network().params().assign(ema);
            steps = 0;
            return true;
        }
        if (omitted != 0) {
            throw new IllegalArgumentException("checkpoint holds " + omitted + " empty arrays of 4");
        }
        return false;
    }
}
