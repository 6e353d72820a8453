package org.foureyes.server;

import java.time.Clock;

/** The service with a clock the tests control ({@link #CLOCK}, shared by the instances of a test). */
public class TestApp extends FoureyesApplication {
    public static volatile TestClock CLOCK = TestClock.ticking();

    @Override
    protected Clock clock() {
        return CLOCK;
    }
}
