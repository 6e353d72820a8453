package org.foureyes.server.resources;

import org.foureyes.server.db.TestDatabase;

class LogResourceAppOnSqliteTest extends LogResourceAppTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
