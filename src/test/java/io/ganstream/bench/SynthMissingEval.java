package io.ganstream.bench;

import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthTestData;
import io.ganstream.engine.quality.Detection;
import io.ganstream.engine.quality.QualityReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Missing-value handling measurement on SynthTestData (truth = the complete rows): train on (a) complete rows,
 * (b) the same rows with 25% of non-key cells missing, masked out of D (the engine's choice),
 * (c) listwise deletion of incomplete rows. Quality/detection vs the complete truth.
 */
public final class SynthMissingEval {
    public static void main(String[] args) {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        SynthConfig cfg = SynthEval.config();
        List<double[]> full = SynthTestData.rows(2000, 1, 0.0);
        List<double[]> miss = SynthTestData.rows(2000, 1, 0.25);
        List<double[]> complete = new ArrayList<>();
        for (double[] r : miss) {
            boolean ok = true;
            for (double v : r) {
                ok &= !Double.isNaN(v);
            }
            if (ok) {
                complete.add(r);
            }
        }
        double[][] truth = full.toArray(new double[0][]);
        Object[][] cases = {{"complete", full}, {"25% missing, masked", miss},
            {"listwise (" + complete.size() + " rows)", complete}};
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<double[]> rows = (List<double[]>) c[1];
            // same number of windows/steps for every case
            int window = Math.max(10, rows.size() / 10);
            SynthLearner l = SynthTestData.train(cfg, rows, passes, window);
            double[][] syn = l.latestModel().sample(2000, 3);
            QualityReport q = QualityReport.evaluate(SynthTestData.SPEC, truth, syn);
            double auc = Detection.logisticAuc(SynthTestData.SPEC, truth, syn, 3, 5);
            System.out.printf("%-28s %s detAUC=%.4f steps=%d%n", c[0], q, auc, l.net().steps());
        }
    }
}
