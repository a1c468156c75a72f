package io.ganstream.engine.train;

/**
 * What the one {@link Trainer} drives: a model that learns from rows kept in its own replay buffer and measures
 * itself on rows it never trains on. GAIN and the synthesizer implement it. Every method is called from the
 * trainer's thread only (or after the trainer closed), so implementations need no locking.
 *
 * @param <M> the immutable serving model a snapshot yields
 */
public interface Learner<M> {

    /** Takes a row (a private copy the learner may keep): into its replay buffer, or held out for measuring. */
    void add(double[] row);

    /** True once there are rows to train on. */
    boolean ready();

    /**
     * Called before each chunk of steps: a learner may re-shape itself for the data it now has (e.g. a larger net
     * once enough rows arrived). True when it did: its measure starts over and the trainer publishes nothing until
     * the new shape converged (the previous version keeps serving).
     */
    default boolean adapt() {
        return false;
    }

    /**
     * Steps without progress after which it has converged, given the trainer's setting: a learner whose capacity
     * grew with its data may ask for more (a larger net improves more slowly, for longer).
     */
    default long patienceSteps(long configured) {
        return configured;
    }

    /**
     * Steps it takes in all before it may converge, however early its measure stops improving: a measure may
     * plateau before the model has learned what it does not see.
     */
    default long minimumSteps() {
        return 0;
    }

    /**
     * The version to serve once it converged: a learner may complete the model it measured (e.g. fit a helper on
     * its buffered rows); the trainer measures what it returns and publishes that.
     */
    default M complete(M model) {
        return model;
    }

    /** Trains {@code steps} mini-batches from the replay buffer. */
    void step(int steps);

    /** The next model version from the current weights. */
    M snapshot();

    /**
     * The held-out measure of {@code model}, lower is better (e.g. imputation RMSE, 1 − synthetic quality);
     * NaN while there are too few held-out rows to measure.
     */
    double evaluate(M model);

    /** The same measure on the newest held-out rows only (what drift is judged on); NaN when too few. */
    double evaluateRecent(M model);

    /**
     * The same measure on the held-out rows just before those {@link #evaluateRecent} measures (as many, or fewer
     * when fewer are held; NaN when too few): a second set of rows, none of which the first measured, that drift
     * must show in too. By default NaN: the newest rows alone decide.
     */
    default double evaluatePrevious(M model) {
        return Double.NaN;
    }

    /**
     * The same measure on several seeded draws (with replacement) of as many held-out rows as {@link #evaluateRecent}
     * takes (NaN when too few): how much that measure moves between sets of rows from one distribution, which drift
     * must exceed. By default the newest rows alone.
     */
    default double[] evaluateDraws(M model) {
        return new double[] {evaluateRecent(model)};
    }

    /**
     * After drift, once the adapted version was kept (before {@code favourRecent(false)}): the rows before the drift
     * no longer describe the data, and the rows {@link #favourRecent} may have set aside are forgotten. By default
     * nothing changes.
     */
    default void forgetOlderRows() {
    }

    /**
     * Whether the stream's records wait on this model's versions (the imputer fills every raw record with its
     * latest one). A model off that path, whose output can catch up later (the synthesizer publishes synthetic
     * records for all the rows it has learned whenever it publishes), pauses while the stream lags, so the cores go
     * to serving. By default on the path: backs off, never pauses.
     */
    default boolean servesStream() {
        return true;
    }

    /**
     * After drift: draw mini-batches mostly from recent rows until the next convergence ({@code false}), which
     * takes back any rows set aside meanwhile unless {@link #forgetOlderRows()} dropped them.
     */
    void favourRecent(boolean on);

    /** The learner's figures after its last evaluation (their meaning is the learner's), for gauges. */
    double[] figures();

    /** Losses of the last step: generator, discriminator, and a third the learner defines. */
    double[] losses();

    long version();

    /** Rows per mini-batch (what an epoch's steps are counted in). */
    int batchSize();

    long steps();

    /** Rows added since this learner was created, including those of the checkpoint it was restored from. */
    long rowsSeen();

    /**
     * Rows added that it had not seen before (every row, for a learner that does not tell copies apart): what
     * wakes a rested trainer, so that data sent again does not retrain a converged model on what it knows.
     */
    default long novelRows() {
        return rowsSeen();
    }

    /** Rows held in the replay buffer now. */
    int rowsInBuffer();

    /** Rows kept aside for measuring now. */
    int heldOutRows();

    /** Resumable state: weights, optimizer state, encoder statistics, counters (not the buffered rows). */
    byte[] checkpoint();
}
