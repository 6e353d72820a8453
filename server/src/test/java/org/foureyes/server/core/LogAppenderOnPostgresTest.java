package org.foureyes.server.core;

import org.foureyes.server.db.TestDatabase;

class LogAppenderOnPostgresTest extends LogAppenderTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
