package dev.deckhand.emulator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * Where every fidelity test starts: the shared emulator emptied before each test
 * ({@link LocalAws#reset}), in the region the tests use, with a seeder for its clusters and
 * instances and one for its templates, groups and fleets.
 */
@Tag("emulator")
abstract class EmptyAccountTest {

    static final String REGION = "us-east-2";

    final LocalAws aws = LocalAws.shared();
    final AccountSeeder seed = new AccountSeeder(aws, REGION);

    @BeforeEach
    void resetTheSharedEmulator() {
        aws.reset();
    }

    FleetSeeder fleets() {
        return new FleetSeeder(aws, REGION);
    }
}
