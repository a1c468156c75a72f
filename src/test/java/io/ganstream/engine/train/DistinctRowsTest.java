package io.ganstream.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistinctRowsTest {
    @Test
    void tellsCopiesFromNewRowsAndCountsUpToItsBound() {
        DistinctRows rows = new DistinctRows(7, 3);
        long a = rows.hash(new double[] {1, Double.NaN, 3});
        assertEquals(a, rows.hash(new double[] {1, Double.NaN, 3}), "copies hash alike, NaNs included");
        long b = rows.hash(new double[] {1, 2, 3});
        assertNotEquals(a, b);
        assertFalse(rows.contains(a));
        assertTrue(rows.add(a));
        assertTrue(rows.contains(a));
        assertFalse(rows.add(a), "a copy");
        assertFalse(rows.contains(b));
        assertTrue(rows.add(b));
        assertTrue(rows.add(rows.hash(new double[] {4})));
        assertEquals(3, rows.count());
        // past the bound every row is taken as new and none is recorded
        long d = rows.hash(new double[] {5});
        assertTrue(rows.add(d));
        assertTrue(rows.add(d));
        assertFalse(rows.contains(d));
        assertEquals(3, rows.count());
        assertTrue(rows.contains(b));
    }
}
