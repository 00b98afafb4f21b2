package dev.deckhand.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.Version;
import org.junit.jupiter.api.Test;

/**
 * Every function's zip ships deckhand-core's Jackson. Its versions, read from the jars on the
 * classpath (offline), are at least the first release without the advisories known when the
 * floor was set (GitHub Advisory Database; functions/packaging/README.md says how to check again).
 */
class DependencyFloorsTest {

    /** jackson-core 2.18.2 has advisories that 2.18.8 fixes (issue 17; GitHub Advisory Database). */
    private static final int[] JACKSON_FLOOR = {2, 18, 8};

    private static boolean atLeast(Version version, int[] floor) {
        int[] actual = {version.getMajorVersion(), version.getMinorVersion(), version.getPatchLevel()};
        for (int i = 0; i < floor.length; i++) {
            if (actual[i] != floor[i]) {
                return actual[i] > floor[i];
            }
        }
        return true;
    }

    @Test
    void jackson_isAtLeastTheFloor_andCoreMatchesDatabind() {
        Version core = com.fasterxml.jackson.core.json.PackageVersion.VERSION;
        Version databind = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION;

        assertTrue(atLeast(core, JACKSON_FLOOR), "jackson-core " + core + " is below 2.18.8");
        assertTrue(atLeast(databind, JACKSON_FLOOR), "jackson-databind " + databind + " is below 2.18.8");
        assertEquals(databind.toString(), core.toString(), "jackson-core follows jackson-databind (Jackson's BOM in the root pom)");
    }
}
