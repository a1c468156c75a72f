package io.ganstream.stream;

/** What the topology reports as records pass; implemented with Micrometer outside the topology. */
public interface PipelineEvents {
    void received(String dataset);

    /**
     * @param filledColumns names of the columns filled
     * @param latencyMillis time from the raw record's timestamp to now
     */
    void imputed(String dataset, java.util.List<String> filledColumns, long latencyMillis);

    /** @param reasonClass a short, low-cardinality class of the reason (e.g. {@code not_json}) */
    void deadLettered(String dataset, String reasonClass);

    PipelineEvents NONE = new PipelineEvents() {
        @Override
        public void received(String dataset) {
        }

        @Override
        public void imputed(String dataset, java.util.List<String> filledColumns, long latencyMillis) {
        }

        @Override
        public void deadLettered(String dataset, String reasonClass) {
        }
    };
}
