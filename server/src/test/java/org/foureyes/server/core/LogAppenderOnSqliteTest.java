package org.foureyes.server.core;

import org.foureyes.server.db.TestDatabase;

class LogAppenderOnSqliteTest extends LogAppenderTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
