package org.foureyes.server.resources;

import org.foureyes.server.db.TestDatabase;

class LogResourceAppOnPostgresTest extends LogResourceAppTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
