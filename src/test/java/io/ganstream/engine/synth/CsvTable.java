package io.ganstream.engine.synth;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test helper: loads a CSV into a TableSpec + rows (numeric/integer/date/categorical inference). */
public final class CsvTable {
    public final TableSpec spec;
    public final List<double[]> rows;

    private CsvTable(TableSpec spec, List<double[]> rows) {
        this.spec = spec;
        this.rows = rows;
    }

    public static CsvTable load(Path path, Set<String> drop) throws IOException {
        List<String> lines = Files.readAllLines(path);
        String[] header = lines.get(0).split(",", -1);
        List<String[]> data = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                data.add(lines.get(i).split(",", -1));
            }
        }
        List<Column> cols = new ArrayList<>();
        List<Integer> src = new ArrayList<>();
        List<Map<String, Integer>> cats = new ArrayList<>();
        List<Boolean> dates = new ArrayList<>();
        for (int c = 0; c < header.length; c++) {
            if (drop.contains(header[c])) {
                continue;
            }
            boolean numeric = true;
            boolean integral = true;
            boolean date = true;
            Map<String, Integer> levels = new LinkedHashMap<>();
            for (String[] r : data) {
                String v = r[c].trim();
                if (v.isEmpty() || v.equals("NA")) {
                    continue;
                }
                try {
                    double d = Double.parseDouble(v);
                    integral &= d == Math.rint(d);
                } catch (NumberFormatException e) {
                    numeric = false;
                }
                date &= v.matches("\\d{4}-\\d{2}-\\d{2}");
                levels.putIfAbsent(v, levels.size());
            }
            Column col;
            if (numeric) {
                col = integral ? Column.integer(header[c], Double.NaN, Double.NaN)
                        : Column.continuous(header[c], Double.NaN, Double.NaN);
            } else if (date) {
                col = Column.datetime(header[c]);
            } else if (levels.size() <= 30) {
                col = Column.categorical(header[c], new ArrayList<>(levels.keySet()));
            } else {
                continue;
            }
            cols.add(col);
            src.add(c);
            cats.add(levels);
            dates.add(!numeric && date);
        }
        TableSpec spec = new TableSpec(cols);
        List<double[]> rows = new ArrayList<>();
        for (String[] r : data) {
            double[] row = spec.emptyRow();
            for (int j = 0; j < cols.size(); j++) {
                String v = r[src.get(j)].trim();
                if (v.isEmpty() || v.equals("NA")) {
                    continue;
                }
                if (cols.get(j).isCategorical()) {
                    row[j] = cats.get(j).get(v);
                } else if (dates.get(j)) {
                    row[j] = LocalDate.parse(v).toEpochDay();
                } else {
                    row[j] = Double.parseDouble(v);
                }
            }
            rows.add(row);
        }
        return new CsvTable(spec, rows);
    }
}
