package dev.deckhand.emulator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * Where every fidelity test starts: the shared emulator emptied before each test
 * ({@link LocalAws#reset}), in the region the tests use.
 */
@Tag("emulator")
abstract class EmptyAccountTest {

    static final String REGION = "us-east-2";

    final LocalAws aws = LocalAws.shared();

    @BeforeEach
    void resetTheSharedEmulator() {
        aws.reset();
    }
}
