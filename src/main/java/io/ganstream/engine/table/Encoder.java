package io.ganstream.engine.table;

/**
 * Immutable row codec for the GAIN networks. Numeric cells (continuous, integer, datetime, every vector
 * cell) are min-max scaled with ranges learned from observed data; a categorical cell becomes a one-hot
 * group of {@code k} dims. Missing cells encode as 0 with mask 0.
 */
public final class Encoder {
    private final TableSpec spec;
    private final int dims;
    private final int[] cellDim;
    private final Column[] cellColumn;
    private final int[] cellCats;
    private final double[] lo;
    private final double[] span;
    private final double[] cellMean;
    private final double[] dimMean;
    private final boolean[] dimCategorical;
    private final int[] groupStart;
    private final int[] groupSize;

    Encoder(TableSpec spec, double[] lo, double[] span, double[] cellMean, double[][] freq) {
        this.spec = spec;
        int n = spec.cellCount();
        this.lo = lo.clone();
        this.span = span.clone();
        this.cellMean = cellMean.clone();
        cellDim = new int[n];
        cellCats = new int[n];
        cellColumn = new Column[n];
        int d = 0;
        int groups = 0;
        for (int cell = 0; cell < n; cell++) {
            Column col = spec.column(spec.columnOfCell(cell));
            cellColumn[cell] = col;
            cellDim[cell] = d;
            if (col.isCategorical()) {
                cellCats[cell] = col.categories().size();
                d += cellCats[cell];
                groups++;
            } else {
                d += 1;
            }
        }
        dims = d;
        dimMean = new double[d];
        dimCategorical = new boolean[d];
        groupStart = new int[groups];
        groupSize = new int[groups];
        int g = 0;
        for (int cell = 0; cell < n; cell++) {
            int k = cellCats[cell];
            if (k > 0) {
                groupStart[g] = cellDim[cell];
                groupSize[g] = k;
                g++;
                for (int j = 0; j < k; j++) {
                    dimCategorical[cellDim[cell] + j] = true;
                    dimMean[cellDim[cell] + j] = freq[cell] == null ? 1.0 / k : freq[cell][j];
                }
            } else {
                dimMean[cellDim[cell]] = cellMean[cell];
            }
        }
    }

    public TableSpec spec() {
        return spec;
    }

    /** Number of encoded dims (one per numeric cell, k per categorical cell). */
    public int dims() {
        return dims;
    }

    public boolean isCategoricalDim(int dim) {
        return dimCategorical[dim];
    }

    /** Start dims of the categorical one-hot groups. */
    public int[] groupStarts() {
        return groupStart.clone();
    }

    public int[] groupSizes() {
        return groupSize.clone();
    }

    public int[] groupStartRef() {
        return groupStart;
    }

    public int[] groupSizeRef() {
        return groupSize;
    }

    /** Encoded mean of each dim (category frequency for one-hot dims): the column-mean baseline. */
    public double dimMean(int dim) {
        return dimMean[dim];
    }

    public int cellDim(int cell) {
        return cellDim[cell];
    }

    /** Number of categories for a categorical cell, 0 for numeric cells. */
    public int cellCategories(int cell) {
        return cellCats[cell];
    }

    /** Number of numeric (not categorical) cells. */
    public int numericCells() {
        int n = 0;
        for (int cats : cellCats) {
            n += cats == 0 ? 1 : 0;
        }
        return n;
    }

    public double scale(int cell, double raw) {
        return (raw - lo[cell]) / span[cell];
    }

    public double unscale(int cell, double v) {
        return lo[cell] + v * span[cell];
    }

    /** Encodes {@code row} into {@code x} (scaled, missing = 0) and {@code m} (1 observed, 0 missing). */
    public void encode(double[] row, double[] x, double[] m) {
        for (int cell = 0; cell < row.length; cell++) {
            double mv = encodeCell(cell, row[cell], x) ? 1.0 : 0.0;
            int d = cellDim[cell];
            int width = Math.max(1, cellCats[cell]);
            for (int j = 0; j < width; j++) {
                m[d + j] = mv;
            }
        }
    }

    /**
     * Writes into {@code x} what {@link #encode} gives for {@code row} once {@link #fillMissing} has filled it
     * from {@code g}, given {@code encoded}, {@code row}'s own encoding (missing cells 0): that copied, then only
     * the missing cells decoded and encoded.
     */
    public void encodeFilled(double[] row, double[] g, double[] encoded, double[] x) {
        System.arraycopy(encoded, 0, x, 0, x.length);
        for (int cell = 0; cell < row.length; cell++) {
            if (Double.isNaN(row[cell])) {
                encodeCell(cell, decodeCell(cell, g), x);
            }
        }
    }

    /** Encodes one cell's value into its dims of {@code x}; whether it counts as observed. */
    private boolean encodeCell(int cell, double v, double[] x) {
        int d = cellDim[cell];
        int k = cellCats[cell];
        if (k > 0) {
            int idx = (int) v;
            boolean ok = !Double.isNaN(v) && idx == v && idx >= 0 && idx < k;
            // zeros, then the one: which dim is hot is a coin toss per row, a branch per dim mispredicts
            for (int j = 0; j < k; j++) {
                x[d + j] = 0.0;
            }
            if (ok) {
                x[d + idx] = 1.0;
            }
            return ok;
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            x[d] = 0.0;
            return false;
        }
        double s = (v - lo[cell]) / span[cell];
        x[d] = s < -0.5 ? -0.5 : (s > 1.5 ? 1.5 : s);
        return true;
    }

    /**
     * Writes decoded values of {@code g} (activated generator output, encoded layout) into the NaN cells of
     * {@code row}: unscaled + {@link Column#conform} for numeric cells, argmax for categorical cells.
     */
    public void fillMissing(double[] row, double[] g) {
        for (int cell = 0; cell < row.length; cell++) {
            if (!Double.isNaN(row[cell])) {
                continue;
            }
            row[cell] = decodeCell(cell, g);
        }
    }

    /**
     * As {@link #fillMissing} for the categorical cells only (argmax of their group in {@code g}); numeric cells
     * stay missing.
     *
     * @return whether a cell was filled
     */
    public boolean fillMissingCategories(double[] row, double[] g) {
        boolean filled = false;
        for (int cell = 0; cell < row.length; cell++) {
            if (cellCats[cell] > 0 && Double.isNaN(row[cell])) {
                row[cell] = decodeCell(cell, g);
                filled = true;
            }
        }
        return filled;
    }

    double decodeCell(int cell, double[] g) {
        int d = cellDim[cell];
        int k = cellCats[cell];
        if (k > 0) {
            int best = 0;
            double bv = g[d];
            for (int j = 1; j < k; j++) {
                if (g[d + j] > bv) {
                    bv = g[d + j];
                    best = j;
                }
            }
            return best;
        }
        double v = lo[cell] + g[d] * span[cell];
        if (Double.isNaN(v)) {
            v = lo[cell] + cellMean[cell] * span[cell];
        }
        return cellColumn[cell].conform(v);
    }

    /** Column-mean / mode baseline in raw units for one cell (conformed). */
    public double meanValue(int cell) {
        if (cellCats[cell] > 0) {
            int d = cellDim[cell];
            int best = 0;
            for (int j = 1; j < cellCats[cell]; j++) {
                if (dimMean[d + j] > dimMean[d + best]) {
                    best = j;
                }
            }
            return best;
        }
        return spec.column(spec.columnOfCell(cell)).conform(lo[cell] + cellMean[cell] * span[cell]);
    }
}
