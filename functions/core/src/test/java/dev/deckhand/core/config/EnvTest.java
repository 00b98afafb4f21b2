package dev.deckhand.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    enum Policy { DRAIN, NOTIFY, IGNORE }

    @Test
    void bool_acceptsTrueAndFalseOnly_namingTheKey() {
        assertTrue(new Env(Map.of("K", "TRUE")).bool("K", false));
        assertFalse(new Env(Map.of()).bool("K", false));
        ConfigException error = assertThrows(ConfigException.class, () -> new Env(Map.of("K", "yes")).bool("K", false));
        assertEquals("K must be true or false, got 'yes'", error.getMessage());
    }

    @Test
    void duration_readsShortFormsAndIso() {
        Env env = new Env(Map.of("A", "90s", "B", "15m", "C", "1h", "D", "PT2H", "E", "soon"));
        assertEquals(Duration.ofSeconds(90), env.duration("A", null));
        assertEquals(Duration.ofMinutes(15), env.duration("B", null));
        assertEquals(Duration.ofHours(1), env.duration("C", null));
        assertEquals(Duration.ofHours(2), env.duration("D", null));
        assertEquals(Duration.ofHours(3), env.duration("F", Duration.ofHours(3)));
        assertThrows(ConfigException.class, () -> env.duration("E", null));
    }

    @Test
    void choice_listsTheAllowedValues() {
        Env env = new Env(Map.of("P", "Notify", "Q", "sometimes"));
        assertEquals(Policy.NOTIFY, env.choice("P", Policy.class, Policy.DRAIN));
        ConfigException error = assertThrows(ConfigException.class, () -> env.choice("Q", Policy.class, Policy.DRAIN));
        assertEquals("Q must be one of drain, notify, ignore, got 'sometimes'", error.getMessage());
    }

    @Test
    void integer_checksRange() {
        Env env = new Env(Map.of("N", "12", "M", "x"));
        assertEquals(12, env.integer("N", 1, 1, 100));
        assertThrows(ConfigException.class, () -> env.integer("N", 1, 1, 10));
        assertThrows(ConfigException.class, () -> env.integer("M", 1, 1, 10));
    }

    @Test
    void managedClusters_trimsAndDropsBlanks_emptyMeansAll() {
        assertEquals(List.of("web", "batch"), ManagedClusters.from(new Env(Map.of("DECKHAND_CLUSTERS", " web, ,batch "))).names());
        assertTrue(ManagedClusters.from(new Env(Map.of("DECKHAND_CLUSTERS", ""))).isAll());
        assertTrue(ManagedClusters.of("web").contains("arn:aws:ecs:us-east-2:123456789012:cluster/web"));
        assertFalse(ManagedClusters.of("web").contains("other"));
    }

    @Test
    void managedClusters_refusesArnsAndBadNames() {
        ConfigException error = assertThrows(ConfigException.class, () -> ManagedClusters.of("arn:aws:ecs:us-east-2:1:cluster/web"));
        assertTrue(error.getMessage().contains("give the name, not the ARN"));
        assertThrows(ConfigException.class, () -> ManagedClusters.of("web cluster"));
    }
}
