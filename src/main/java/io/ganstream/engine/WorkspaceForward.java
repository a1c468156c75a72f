package io.ganstream.engine;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training-mode forward pass of a {@link MultiLayerNetwork} that is trained with external errors, with the
 * layer activations (which the following {@code backpropGradient} reads as the layer inputs) kept in a
 * workspace of the calling thread instead of detached arrays.
 *
 * <p>Why: {@code MultiLayerNetwork.feedForward(true, false)} detaches every layer's activations, and a detached
 * array is a native {@code malloc}, a JavaCPP deallocator registration and a later free, per layer per pass;
 * for our 128-row batches that bookkeeping cost more than the matrix products (profiled with JFR: ~1/4 of a
 * GAIN step was {@code allocateDataBuffer} under {@code preOutput}). In a workspace the same arrays are bump
 * allocations in one block that is reused every step (the same scheme DL4J's own {@code fit} uses with
 * {@code WS_ALL_LAYERS_ACT}).
 *
 * <p>Use: {@link #forward} opens the workspace; the activations stay valid until {@link #close}, which must come
 * after the last backprop of the step. Two instances may be open at once (G and D) if closed in reverse order.
 * Not thread-safe (workspaces are per thread): owned by the trainer thread like the network.
 */
public final class WorkspaceForward implements AutoCloseable {
    /** DL4J's own configuration of its training activations workspace (WS_ALL_LAYERS_ACT). */
    private static final WorkspaceConfiguration CONF = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.05)
            .policyLearning(LearningPolicy.OVER_TIME)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    private final MultiLayerNetwork net;
    private final String id;
    /** Benchmark-only ({@code -Dgain.dl4j.detachedForward=true}): DL4J's detached {@code feedForward}, as before. */
    private final boolean detached = Boolean.getBoolean("gain.dl4j.detachedForward");
    private final LayerWorkspaceMgr mgr;
    private MemoryWorkspace open;

    /** @param id workspace name, distinct for networks whose passes overlap on one thread */
    public WorkspaceForward(MultiLayerNetwork net, String id) {
        this.net = net;
        this.id = id;
        this.mgr = LayerWorkspaceMgr.builder()
                .with(ArrayType.INPUT, id, CONF)
                .with(ArrayType.ACTIVATIONS, id, CONF)
                .with(ArrayType.FF_WORKING_MEM, id, CONF)
                .build();
    }

    /** Opens the workspace and runs the training-mode forward pass; returns the output layer's activations. */
    public INDArray forward(INDArray input) {
        if (open != null) {
            throw new IllegalStateException("forward pass of " + id + " still open");
        }
        if (detached) {
            net.setInput(input);
            java.util.List<INDArray> acts = net.feedForward(true, false);
            return acts.get(acts.size() - 1);
        }
        open = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONF, id);
        net.setInput(input);
        INDArray x = input;
        for (Layer layer : net.getLayers()) {
            x = layer.activate(x, true, mgr);
        }
        return x;
    }

    /** Drops the layers' references into the workspace and closes it (the activations are invalid after). */
    @Override
    public void close() {
        if (open == null) {
            return;
        }
        net.clearLayersStates();
        open.close();
        open = null;
    }
}
