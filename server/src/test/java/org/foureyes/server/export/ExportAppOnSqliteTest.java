package org.foureyes.server.export;

import org.foureyes.server.db.TestDatabase;

class ExportAppOnSqliteTest extends ExportAppTestBase {
    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
