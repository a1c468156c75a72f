package io.ganstream.bench;

import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.CsvTable;
import io.ganstream.engine.table.TableSpec;
import io.ganstream.engine.quality.Baselines;
import io.ganstream.engine.quality.Detection;
import io.ganstream.engine.quality.QualityReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Benchmark: java ... SynthEval [passes=20] [window=128] [files=penguins,seattle,cars]
 * System properties tune the config: synth.steps, synth.batch, synth.pac, synth.loss, synth.gp, synth.ema,
 * synth.lrG, synth.lrD, synth.gh, synth.dh, synth.noise, synth.modes, synth.refit, synth.seed.
 */
public final class SynthEval {
    public static void main(String[] args) throws Exception {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        String files = args.length > 2 ? args[2] : "penguins,seattle,cars";
        SynthConfig cfg = config();
        System.out.println("config " + cfg + " passes=" + passes + " window=" + window);
        System.out.printf("%-9s %-12s %8s %8s %8s %8s%n", "file", "method", "quality", "shape", "pair", "detAUC");
        for (String f : files.split(",")) {
            run(f, cfg, passes, window);
        }
    }

    static SynthConfig config() {
        SynthConfig d = SynthConfig.defaults();
        return new SynthConfig(Long.getLong("synth.seed", d.seed()), Integer.getInteger("synth.batch", d.batchSize()),
                Integer.getInteger("synth.steps", d.stepsPerWindow()), d.replayCapacity(),
                Integer.getInteger("synth.noise", d.noiseDim()), Integer.getInteger("synth.gh", d.genHidden()),
                Integer.getInteger("synth.dh", d.discHidden()), Integer.getInteger("synth.pac", d.pac()),
                dbl("synth.lrG", d.lrG()), dbl("synth.lrD", d.lrD()), System.getProperty("synth.loss", d.loss()),
                dbl("synth.gp", d.gpWeight()), Integer.getInteger("synth.modes", d.maxModes()),
                Integer.getInteger("synth.refit", d.refitEvery()), d.queueCapacity(), dbl("synth.ema", d.emaDecay()),
                dbl("synth.cond", d.condWeight()), -1);
    }

    private static double dbl(String k, double def) {
        String v = System.getProperty(k);
        return v == null ? def : Double.parseDouble(v);
    }

    static CsvTable load(String name) throws Exception {
        Path dir = Path.of(System.getProperty("synth.data", "/work/shared/data"));
        return switch (name) {
            case "penguins" -> CsvTable.load(dir.resolve("penguins.csv"), Set.of());
            case "seattle" -> CsvTable.load(dir.resolve("seattle-weather.csv"), Set.of("date"));
            case "cars" -> CsvTable.load(dir.resolve("cars.csv"), Set.of("Name"));
            default -> throw new IllegalArgumentException(name);
        };
    }

    static void run(String name, SynthConfig cfg, int passes, int window) throws Exception {
        CsvTable t = load(name);
        TableSpec spec = t.spec;
        List<double[]> all = new ArrayList<>(t.rows);
        Collections.shuffle(all, new Random(1));
        int nTrain = (int) Math.round(all.size() * 0.8);
        List<double[]> train = all.subList(0, nTrain);
        double[][] real = train.toArray(new double[0][]);
        SynthLearner learner = new SynthLearner(spec, cfg);
        long t0 = System.nanoTime();
        int[] report = {Math.max(1, passes / 4), passes / 2, passes};
        int ri = 0;
        for (int p = 1; p <= passes; p++) {
            for (int s = 0; s < nTrain; s += window) {
                List<double[]> w = new ArrayList<>();
                for (int i = s; i < Math.min(nTrain, s + window); i++) {
                    w.add(train.get(i).clone());
                }
                learner.trainWindow(w);
            }
            if (ri < report.length && p == report[ri]) {
                ri++;
                double secs = (System.nanoTime() - t0) / 1e9;
                double[][] syn = learner.latestModel().sample(nTrain, 7);
                QualityReport q = QualityReport.evaluate(spec, real, syn);
                double auc = Detection.logisticAuc(spec, real, syn, 3, 5);
                System.out.printf("%-9s %-12s %8.4f %8.4f %8.4f %8.4f   steps=%d train=%.1fs (%.2f ms/step) G=%.3f D=%.3f%n",
                        name, "ctgan R=" + p, q.overall(), q.columnShapes(), q.columnPairTrends(), auc,
                        learner.net().steps(), secs, secs * 1000 / learner.net().steps(),
                        learner.net().losses()[0], learner.net().losses()[1]);
                if (p == passes) {
                    StringBuilder cs = new StringBuilder("  shape per column:");
                    for (int c = 0; c < spec.columnCount(); c++) {
                        cs.append(String.format(" %s=%.3f", spec.column(c).name(), q.shapePerColumn()[c]));
                    }
                    System.out.println(cs);
                }
            }
        }
        double[][] ind = Baselines.independent(spec, real, nTrain, 7);
        double[][] cop = Baselines.gaussianCopula(spec, real, nTrain, 7);
        for (Object[] m : new Object[][] {{"independent", ind}, {"copula", cop}}) {
            double[][] syn = (double[][]) m[1];
            QualityReport q = QualityReport.evaluate(spec, real, syn);
            double auc = Detection.logisticAuc(spec, real, syn, 3, 5);
            System.out.printf("%-9s %-12s %8.4f %8.4f %8.4f %8.4f%n", name, m[0], q.overall(), q.columnShapes(),
                    q.columnPairTrends(), auc);
        }
        StringBuilder sb = new StringBuilder("  modes:");
        for (int c = 0; c < spec.columnCount(); c++) {
            if (!spec.column(c).isCategorical()) {
                sb.append(' ').append(spec.column(c).name()).append('=').append(learner.layout().activeModes(c));
            }
        }
        System.out.println(sb);
    }
}
