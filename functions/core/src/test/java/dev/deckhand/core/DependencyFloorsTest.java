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

    /**
     * The AWS SDK's own jackson-core, relocated into {@code software.amazon.awssdk.thirdparty}, ships in
     * every zip too. GHSA-r7wm-3cxj-wff9 (async parser maxNumberLength bypass, the incomplete fix of
     * GHSA-72hv-8253-57qq) affects jackson-core from 2.15.0 and is fixed in 2.18.8, 2.21.4 and 2.22.1
     * (https://github.com/advisories/GHSA-r7wm-3cxj-wff9); the SDK's copy is on the 2.21 line or later.
     */
    private static final int[] SDK_JACKSON_FLOOR = {2, 21, 4};

    private static boolean atLeast(Version version, int[] floor) {
        return atLeast(new int[] {version.getMajorVersion(), version.getMinorVersion(), version.getPatchLevel()}, floor);
    }

    private static boolean atLeast(int[] actual, int[] floor) {
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

    @Test
    void theSdksShadedJacksonCore_isAtLeastItsFloor() {
        software.amazon.awssdk.thirdparty.jackson.core.Version shaded =
                software.amazon.awssdk.thirdparty.jackson.core.json.PackageVersion.VERSION;
        int[] actual = {shaded.getMajorVersion(), shaded.getMinorVersion(), shaded.getPatchLevel()};

        assertTrue(atLeast(actual, SDK_JACKSON_FLOOR), "the AWS SDK's shaded jackson-core " + shaded
                + " is below 2.21.4 (GHSA-r7wm-3cxj-wff9): pin software.amazon.awssdk:third-party-jackson-core in the root pom");
    }
}
