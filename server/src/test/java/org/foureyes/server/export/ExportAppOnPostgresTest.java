package org.foureyes.server.export;

import org.foureyes.server.db.TestDatabase;

class ExportAppOnPostgresTest extends ExportAppTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
